/**
 * The scenario set: 36 Windows devices appended after the generated fleet, whatever its size, so every device the
 * generator made keeps its id, serial, name, kind and place. Each is a case where a reset would be wrong unless the
 * console reads Intune, Entra and Autopilot together (docs/graph.md, "Autopilot device preparation" and "Records that
 * must agree"):
 *
 * - devicePreparation (8): Entra joined through a device preparation policy, not registered with Autopilot.
 * - devicePreparationRegistered (8): the same, but registered (pre-associated) with Autopilot: an identity, no profile
 *   assigned, autopilotEnrolled true. Today's rules would reset it.
 * - profileNameCollision (4): enrollmentProfileName is a name both a device preparation policy and a classic profile
 *   carry; registered, its group tag assigns that classic profile.
 * - reenrolled + staleDuplicate (6 pairs): one physical device (serial, name) with two Intune records. The stale one
 *   (listed first) last checked in 41 days ago, has its own id and azureADDeviceId and the previous primary user, and
 *   never checks in again; the current one is eligible and the only one the Autopilot identity points at.
 * - entraMismatch (4): registered, but the identity's azureActiveDirectoryDeviceId is not the managed device's
 *   azureADDeviceId; the Entra device that exists is the identity's.
 *
 * Ids come from a stream of their own, so they are the same whatever the fleet size.
 */
import { CLASSIC_PROFILES, DEVICE_PREPARATION_POLICIES, COLLIDING_NAME, classicProfileForTag } from "./enrollment";
import { FIRST_NAMES, LAST_NAMES, WINDOWS_MODELS } from "./catalog";
import { createDeviceRecord, type DeviceRecord, type ScenarioKind, type User } from "./device";
import { CHECKIN_PERIOD_MS, asciiName, serialFor, weighted } from "./generate";
import { alnum, digits, guid, intBetween, mix, mulberry32, pick, type Rng } from "./random";

const DAY_MS = 86_400_000;
const SCENARIO_SALT = 0x5ce7a;
/** Device preparation needs Windows 11 (23H2 with the 2024 update, or 24H2). */
const WINDOWS_11_BUILDS = ["10.0.22631.4460", "10.0.26100.2314", "10.0.26100.2605"];
export const STALE_LAST_CHECKIN_DAYS = 41;

/** What a scenario device's records say, stored (the generated fleet derives these from the device's index). */
export interface ScenarioRecord {
  /** managedDevice.azureADDeviceId. */
  azureADDeviceId: string;
  /** managedDevice.enrollmentProfileName. */
  enrollmentProfileName: string;
  /** The Autopilot identity listed for this managed device, or null when none is (not registered, or the stale record). */
  identity: { id: string; azureActiveDirectoryDeviceId: string } | null;
  /** The Autopilot (ZTD) id of the hardware, on the Entra device's physicalIds; null when never registered. */
  ztdId: string | null;
  /** The deviceId of the Entra device object the directory holds for this record. */
  entraDeviceId: string;
  /** The other record of a re-enrolled device. */
  paired: DeviceRecord | null;
}

export interface ScenarioSet {
  devices: DeviceRecord[];
  users: User[];
  records: Map<DeviceRecord, ScenarioRecord>;
}

interface Plan {
  kind: ScenarioKind;
  profileName: string;
  groupTag: string;
}

const plans = (kind: ScenarioKind, count: number, profileName: (i: number) => string, groupTag: string): Plan[] =>
  Array.from({ length: count }, (_, i) => ({ kind, profileName: profileName(i), groupTag }));

const DP_NAMES = [DEVICE_PREPARATION_POLICIES.userDriven, DEVICE_PREPARATION_POLICIES.engineering];
const USER_DRIVEN = CLASSIC_PROFILES[0]!.displayName;

/** Scenario device count (the pairs count twice). */
export const SCENARIO_DEVICE_COUNT = 36;

function scenarioUsers(seed: number, count: number, existing: readonly User[]): User[] {
  const taken = new Set(existing.map((u) => u.userPrincipalName));
  const out: User[] = [];
  for (let i = 0; i < count; i++) {
    const rng = mulberry32(mix(mix(seed, SCENARIO_SALT), 0x05e2 + i));
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const base = `${asciiName(first)}.${asciiName(last)}`;
    let upn = `${base}@contoso.onmicrosoft.com`;
    for (let n = 2; taken.has(upn); n++) upn = `${base}${n}@contoso.onmicrosoft.com`;
    taken.add(upn);
    out.push({ id: guid(rng), userPrincipalName: upn, displayName: `${first} ${last}`, givenName: first, surname: last });
  }
  return out;
}

function windowsModel(rng: Rng): number {
  return weighted(rng, WINDOWS_MODELS);
}

/**
 * Builds the set after `firstIndex` devices and `existingUsers` users; its users are appended to the fleet's (each
 * scenario device has a user of its own, so no generated user's device list changes).
 */
export function generateScenario(seed: number, firstIndex: number, existingUsers: readonly User[], createdMs: number): ScenarioSet {
  const list: Plan[] = [
    ...plans("devicePreparation", 8, (i) => DP_NAMES[i % 2]!, ""),
    ...plans("devicePreparationRegistered", 8, (i) => DP_NAMES[i % 2]!, ""),
    ...plans("profileNameCollision", 4, () => COLLIDING_NAME, "Frontline"),
  ];
  const pairs = 6;
  const mismatches = 4;
  const users = scenarioUsers(seed, list.length + pairs * 2 + mismatches, existingUsers);
  const devices: DeviceRecord[] = [];
  const records = new Map<DeviceRecord, ScenarioRecord>();
  let n = 0;
  const rngFor = (k: number) => mulberry32(mix(mix(seed, SCENARIO_SALT), k + 1));

  const make = (kind: ScenarioKind, rng: Rng, fields: { serialNumber: string; deviceName: string; modelIndex: number; groupTag: string; online: boolean; enrolledMs: number; lastCheckinMs: number; osVersion: string }) => {
    const index = firstIndex + devices.length;
    const d = createDeviceRecord({
      index, id: guid(rng), deviceName: fields.deviceName, serialNumber: fields.serialNumber,
      userIndex: existingUsers.length + n, modelIndex: fields.modelIndex, osVersion: fields.osVersion,
      complianceState: "compliant", ownerType: "company", kind, hybridAutopilot: false, groupTag: fields.groupTag,
      enrolledMs: fields.enrolledMs, online: fields.online, phaseMs: Math.floor(rng() * CHECKIN_PERIOD_MS), lastCheckinMs: fields.lastCheckinMs,
    });
    n++;
    devices.push(d);
    return d;
  };

  for (const plan of list) {
    const rng = rngFor(n);
    const modelIndex = windowsModel(rng);
    const serialNumber = serialFor(rng, WINDOWS_MODELS[modelIndex]!);
    // Device preparation has no naming template: devices keep Windows' own DESKTOP-xxxxxxx names.
    const deviceName = plan.kind === "profileNameCollision" ? `CONTOSO-FL-${digits(rng, 5)}` : `DESKTOP-${alnum(rng, 7)}`;
    const d = make(plan.kind, rng, {
      serialNumber, deviceName, modelIndex, groupTag: plan.groupTag, online: true, lastCheckinMs: 0,
      enrolledMs: createdMs - intBetween(rng, 20, 300) * DAY_MS - intBetween(rng, 0, DAY_MS), osVersion: pick(rng, WINDOWS_11_BUILDS),
    });
    const azureADDeviceId = guid(rng);
    const registered = plan.kind !== "devicePreparation";
    const ztdId = registered ? guid(rng) : null;
    records.set(d, {
      azureADDeviceId, enrollmentProfileName: plan.profileName, ztdId, entraDeviceId: azureADDeviceId, paired: null,
      identity: ztdId ? { id: ztdId, azureActiveDirectoryDeviceId: azureADDeviceId } : null,
    });
  }

  for (let p = 0; p < pairs; p++) {
    const rng = rngFor(n);
    const modelIndex = windowsModel(rng);
    const serialNumber = serialFor(rng, WINDOWS_MODELS[modelIndex]!);
    const deviceName = `CONTOSO-NB-${digits(rng, 5)}`;
    const osVersion = pick(rng, WINDOWS_11_BUILDS);
    const resetMs = createdMs - STALE_LAST_CHECKIN_DAYS * DAY_MS - intBetween(rng, 1, 20) * 3_600_000;
    // The stale record first: a serial search that takes the first match takes the wrong one.
    const stale = make("staleDuplicate", rng, {
      serialNumber, deviceName, modelIndex, groupTag: "Standard", online: false, lastCheckinMs: resetMs, osVersion,
      enrolledMs: createdMs - intBetween(rng, 300, 900) * DAY_MS,
    });
    // Re-enrolled within the hour after the reset that orphaned the stale record.
    const current = make("reenrolled", rng, {
      serialNumber, deviceName, modelIndex, groupTag: "Standard", online: true, lastCheckinMs: 0, osVersion,
      enrolledMs: resetMs + intBetween(rng, 20, 60) * 60_000,
    });
    const ztdId = guid(rng);
    const staleAad = guid(rng);
    const currentAad = guid(rng);
    records.set(stale, { azureADDeviceId: staleAad, enrollmentProfileName: USER_DRIVEN, identity: null, ztdId, entraDeviceId: staleAad, paired: current });
    records.set(current, {
      azureADDeviceId: currentAad, enrollmentProfileName: USER_DRIVEN, identity: { id: ztdId, azureActiveDirectoryDeviceId: currentAad },
      ztdId, entraDeviceId: currentAad, paired: stale,
    });
  }

  for (let m = 0; m < mismatches; m++) {
    const rng = rngFor(n);
    const modelIndex = windowsModel(rng);
    const serialNumber = serialFor(rng, WINDOWS_MODELS[modelIndex]!);
    const d = make("entraMismatch", rng, {
      serialNumber, deviceName: `CONTOSO-NB-${digits(rng, 5)}`, modelIndex, groupTag: "Standard", online: true, lastCheckinMs: 0,
      enrolledMs: createdMs - intBetween(rng, 60, 700) * DAY_MS, osVersion: pick(rng, WINDOWS_11_BUILDS),
    });
    const azureADDeviceId = guid(rng);
    const identityAad = guid(rng);
    const ztdId = guid(rng);
    records.set(d, {
      azureADDeviceId, enrollmentProfileName: classicProfileForTag("Standard")!.displayName, ztdId, entraDeviceId: identityAad, paired: null,
      identity: { id: ztdId, azureActiveDirectoryDeviceId: identityAad },
    });
  }
  return { devices, users, records };
}
