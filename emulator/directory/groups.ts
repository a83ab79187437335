/**
 * The seeded Entra groups (emulator/README.md, "Users, groups and Entra devices"): two lab rooms nested in a site
 * group (so transitive members differ from direct ones), a mixed group of phones, laptops and people, a large
 * dynamic-looking group of every Autopilot device (paging), an empty group, and Intune MAA Approvers. Ids derive from
 * the seed, except the approvers' (fixed: access policies name it).
 */
import { APPROVER_GROUP, PERSONAS } from "../tenant";
import { autopilotEnrolledOf, platformOf } from "../fleet/device";
import { derivedGuid, mix, mulberry32 } from "../fleet/random";
import type { Directory, DirDevice, DirObject } from "./model";

export interface DirGroup {
  kind: "group";
  id: string;
  displayName: string;
  description: string;
  mailNickname: string;
  /** DynamicMembership groups carry a rule; their members are what the rule selects at seeding. */
  membershipRule: string | null;
  createdMs: number;
  members: DirObject[];
}

const DAY_MS = 86_400_000;
const AUTOPILOT_RULE = '(device.devicePhysicalIds -any (_ -startsWith "[ZTDId]"))';

export const GROUP_NAMES = {
  room101: "Lab - Seattle Room 101",
  room102: "Lab - Seattle Room 102",
  site: "Lab - Seattle",
  mixed: "Field Sales - Phones and Laptops",
  autopilot: "All Autopilot devices",
  empty: "Kiosks - Lobby (retired)",
} as const;

function group(seed: number, n: number, displayName: string, description: string, members: DirObject[], rule: string | null = null): DirGroup {
  return {
    kind: "group", id: derivedGuid(seed, n, 0x6e0), displayName, description,
    mailNickname: displayName.replace(/[^A-Za-z0-9]/g, ""), membershipRule: rule,
    createdMs: Date.UTC(2023, 0, 9) + (mix(seed, n) % 400) * DAY_MS, members,
  };
}

/** Takes up to `count` devices matching `pred`, walking from a seeded start, skipping ones already `used`. */
function take(dir: Directory, rng: () => number, count: number, used: Set<DirDevice>, pred: (d: DirDevice) => boolean): DirDevice[] {
  // The generated devices only: the scenario set after them leaves the seeded groups as they were.
  const all = dir.devices.slice(0, dir.fleet.size);
  const out: DirDevice[] = [];
  if (all.length === 0) return out;
  const start = Math.floor(rng() * all.length);
  for (let k = 0; k < all.length && out.length < count; k++) {
    const d = all[(start + k) % all.length]!;
    if (used.has(d) || !pred(d)) continue;
    used.add(d);
    out.push(d);
  }
  return out;
}

export function seedGroups(seed: number, dir: Directory): DirGroup[] {
  const rng = mulberry32(mix(seed, 0x9a0));
  const used = new Set<DirDevice>();
  const windows = (d: DirDevice) => platformOf(d.record) === "Windows";
  const room101 = take(dir, rng, 40, used, windows);
  const room102 = take(dir, rng, 25, used, windows);
  const siteDirect = take(dir, rng, 5, used, windows);
  // One Room 101 device is also a direct member of the site group: transitiveMembers lists it once.
  if (room101[0]) siteDirect.push(room101[0]);
  const mixedDevices = [...take(dir, rng, 5, used, (d) => !windows(d)), ...take(dir, rng, 5, used, windows)];
  const people = dir.users.filter((u) => u.fleetIndex >= 0).slice(0, 4);

  const g101 = group(seed, 1, GROUP_NAMES.room101, "Training lab, Seattle campus, room 101: shared Windows devices.", room101);
  const g102 = group(seed, 2, GROUP_NAMES.room102, "Training lab, Seattle campus, room 102: shared Windows devices.", room102);
  const site = group(seed, 3, GROUP_NAMES.site, "Every Seattle lab: the room groups plus the lab's spare devices.", [g101, g102, ...siteDirect]);
  const mixed = group(seed, 4, GROUP_NAMES.mixed, "Field sales: their phones, a few laptops, and the people themselves.", [...mixedDevices, ...people]);
  const autopilot = group(
    seed, 5, GROUP_NAMES.autopilot, "Dynamic device group: every device registered with Windows Autopilot.",
    dir.devices.filter((d) => autopilotEnrolledOf(d.record)), AUTOPILOT_RULE,
  );
  const empty = group(seed, 6, GROUP_NAMES.empty, "Lobby kiosks, decommissioned: no members left.", []);
  const approvers: DirGroup = {
    ...group(seed, 7, APPROVER_GROUP.displayName, "Approvers of Multi Admin Approval requests.", []),
    id: APPROVER_GROUP.id,
    members: APPROVER_GROUP.members.map((id) => dir.user(PERSONAS.find((p) => p.id === id)!.oid)!).filter(Boolean),
  };
  return [g101, g102, site, mixed, autopilot, empty, approvers];
}
