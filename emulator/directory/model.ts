/**
 * The Entra directory behind /users, /devices and /groups: the fleet's users (and the personas), one Entra device
 * object per managed device, and a handful of seeded groups. Built once per fleet, on first use (a reseed makes a new
 * fleet, hence a new directory); everything is a pure function of the seed and the fleet.
 */
import { PERSONAS } from "../tenant";
import type { Fleet } from "../fleet/fleet";
import type { DeviceRecord } from "../fleet/device";
import { derivedGuid, mix } from "../fleet/random";
import { seedGroups, type DirGroup } from "./groups";

export interface DirUser {
  kind: "user";
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  accountEnabled: boolean;
  /** Index into fleet.users; -1 for a persona (who has no devices). */
  fleetIndex: number;
}

export interface DirDevice {
  kind: "device";
  /** The Entra object id: distinct from deviceId (the managed device's azureADDeviceId). */
  id: string;
  deviceId: string;
  record: DeviceRecord;
}

export type DirObject = DirUser | DirDevice | DirGroup;
export type { DirGroup } from "./groups";

const JOBS: readonly [string, string][] = [
  ["Sales", "Account Executive"], ["Sales", "Sales Manager"], ["Engineering", "Software Engineer"],
  ["Engineering", "Senior Software Engineer"], ["Finance", "Financial Analyst"], ["Marketing", "Marketing Specialist"],
  ["Operations", "Operations Coordinator"], ["IT", "IT Support Specialist"], ["Human Resources", "HR Generalist"],
  ["Legal", "Paralegal"], ["Research", "Lab Technician"], ["Customer Success", "Support Engineer"],
];
const OFFICES = ["Seattle", "Amsterdam", "London", "New York", "Sydney", "Tokyo", "Berlin", "São Paulo"];

export class Directory {
  readonly users: DirUser[];
  readonly devices: DirDevice[];
  readonly groups: DirGroup[];
  private readonly usersByKey = new Map<string, DirUser>();
  private readonly devicesById = new Map<string, DirDevice>();
  private readonly devicesByDeviceId = new Map<string, DirDevice>();
  private readonly groupsById = new Map<string, DirGroup>();
  /** Entra devices per owner (fleet user index): registered owner and registered user are the enrolling user. */
  private readonly owned = new Map<number, DirDevice[]>();

  constructor(readonly fleet: Fleet) {
    const seed = fleet.seed;
    this.users = [
      ...PERSONAS.map((p): DirUser => {
        const [givenName, surname] = p.displayName.split(" ");
        return {
          kind: "user", id: p.oid, displayName: p.displayName, givenName: givenName ?? null, surname: surname ?? null,
          userPrincipalName: p.userPrincipalName, jobTitle: p.role, department: "IT", officeLocation: "Seattle", accountEnabled: true, fleetIndex: -1,
        };
      }),
      ...fleet.users.map((u, i): DirUser => {
        const h = mix(mix(seed, i), 0xd1e5);
        const [department, jobTitle] = JOBS[h % JOBS.length]!;
        return {
          kind: "user", id: u.id, displayName: u.displayName, givenName: u.givenName, surname: u.surname,
          userPrincipalName: u.userPrincipalName, jobTitle, department, officeLocation: OFFICES[(h >>> 8) % OFFICES.length]!,
          // About 1 in 50 accounts is disabled (people who left; their devices remain).
          accountEnabled: (h >>> 16) % 50 !== 0, fleetIndex: i,
        };
      }),
    ];
    for (const u of this.users) {
      this.usersByKey.set(u.id, u);
      this.usersByKey.set(u.userPrincipalName.toLowerCase(), u);
    }
    // deviceId is the managed device's azureADDeviceId, except where the scenario set makes the records disagree.
    this.devices = fleet.devices.map((record) => ({ kind: "device", id: derivedGuid(seed, record.index, 3), deviceId: fleet.entraDeviceId(record), record }));
    for (const d of this.devices) {
      this.devicesById.set(d.id, d);
      this.devicesByDeviceId.set(d.deviceId, d);
      if (d.record.ownerIndex >= 0) {
        const list = this.owned.get(d.record.ownerIndex) ?? [];
        list.push(d);
        this.owned.set(d.record.ownerIndex, list);
      }
    }
    this.groups = seedGroups(seed, this);
    for (const g of this.groups) this.groupsById.set(g.id, g);
  }

  /** By object id or userPrincipalName (case-insensitive). */
  user(key: string): DirUser | undefined {
    return this.usersByKey.get(key.toLowerCase());
  }

  device(objectId: string): DirDevice | undefined {
    return this.devicesById.get(objectId.toLowerCase());
  }

  deviceByDeviceId(deviceId: string): DirDevice | undefined {
    return this.devicesByDeviceId.get(deviceId.toLowerCase());
  }

  group(id: string): DirGroup | undefined {
    return this.groupsById.get(id.toLowerCase());
  }

  /** The Entra devices the user registered (and owns): unchanged by an Autopilot Reset, unlike Intune's primary user. */
  ownedDevices(u: DirUser): DirDevice[] {
    return u.fleetIndex >= 0 ? this.owned.get(u.fleetIndex) ?? [] : [];
  }

  /** Intune's devices whose primary user is `u` now (a reset removes the primary user). */
  managedDevices(u: DirUser): DeviceRecord[] {
    if (u.fleetIndex < 0) return [];
    return this.ownedDevices(u).map((d) => d.record).filter((r) => r.userIndex === u.fleetIndex && !r.deleted);
  }

  /** Direct members, in the order they were added. */
  members(g: DirGroup): DirObject[] {
    return g.members;
  }

  /** Every nested member once (groups included), depth first, in member order. */
  transitiveMembers(g: DirGroup): DirObject[] {
    const out: DirObject[] = [];
    const seen = new Set<string>([g.id]);
    const walk = (group: DirGroup) => {
      for (const m of group.members) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        out.push(m);
        if (m.kind === "group") walk(m);
      }
    };
    walk(g);
    return out;
  }
}

const directories = new WeakMap<Fleet, Directory>();

/** The directory of this fleet (built on first use). */
export function directoryOf(fleet: Fleet): Directory {
  let dir = directories.get(fleet);
  if (!dir) {
    dir = new Directory(fleet);
    directories.set(fleet, dir);
  }
  return dir;
}
