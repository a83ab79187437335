/**
 * Seeded fleet generator. Device i is drawn from its own PRNG stream (seed, i), so the same seed gives the same fleet
 * whatever the size, and generating 100,000 devices is a single cheap pass.
 *
 * Proportions (exclusive kinds): 78% Entra joined + Autopilot + online ("eligible"), 6% hybrid joined, 5% not registered
 * with Autopilot, 3% WinRE disabled, 5% offline for days, 3% non-Windows. The first 12 devices cycle through the six
 * kinds so even a tiny test fleet has two of each.
 */
import {
  FIRST_NAMES, GROUP_TAGS, LAST_NAMES, OS_VERSIONS, OTHER_MODELS, SITES, WINDOWS_BUILDS, WINDOWS_MODELS,
  type HardwareModel,
} from "./catalog";
import { createDeviceRecord, DEVICE_KINDS, type DeviceRecord, type GeneratedKind, type User } from "./device";
import { alnum, derivedGuid, digits, guid, hashString, intBetween, mix, mulberry32, pick, type Rng } from "./random";

export const CHECKIN_PERIOD_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

export function seedNumber(seed: string | number | undefined): number {
  if (seed === undefined || seed === "") return hashString("contoso");
  if (typeof seed === "number") return seed >>> 0;
  return /^\d+$/.test(seed) ? Number(seed) >>> 0 : hashString(seed);
}

export function weighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): number {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let r = rng() * total;
  for (let i = 0; i < items.length; i++) {
    r -= items[i]!.weight;
    if (r < 0) return i;
  }
  return items.length - 1;
}

function chooseKind(rng: Rng, index: number): GeneratedKind {
  if (index < 12) return DEVICE_KINDS[index % DEVICE_KINDS.length]!;
  const r = rng();
  if (r < 0.03) return "nonWindows";
  if (r < 0.09) return "hybrid";
  if (r < 0.14) return "notAutopilot";
  if (r < 0.17) return "winreDisabled";
  if (r < 0.22) return "offline";
  return "eligible";
}

export function serialFor(rng: Rng, model: HardwareModel): string {
  switch (model.serial) {
    case "dell": return alnum(rng, 7);
    case "hp": return `5CG${digits(rng, 4)}${alnum(rng, 3)}`;
    case "lenovo": return `PF${alnum(rng, 6)}`;
    case "surface": return digits(rng, 12);
    case "apple": return `${pick(rng, ["C02", "F2L", "DMP", "G6T"])}${alnum(rng, 7)}`;
    case "samsung": return `R5C${alnum(rng, 8)}`;
  }
}

export function asciiName(text: string): string {
  return text.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase();
}

function generateUsers(seed: number, count: number): User[] {
  const users: User[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const rng = mulberry32(mix(mix(seed, i), 0x05e2));
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const base = `${asciiName(first)}.${asciiName(last)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    users.push({
      id: guid(rng),
      userPrincipalName: `${n === 1 ? base : `${base}${n}`}@contoso.onmicrosoft.com`,
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
    });
  }
  return users;
}

function deviceName(rng: Rng, model: HardwareModel, serial: string, user: User): string {
  if (model.platform !== "Windows") {
    const first = user.displayName.split(" ")[0];
    const short = model.platform === "macOS" ? "MacBook Air" : model.platform === "iOS" ? "iPhone" : "Galaxy S23";
    return `${first}'s ${short}`;
  }
  const r = rng();
  if (r < 0.45) return `CONTOSO-${model.form}-${digits(rng, 5)}`;
  if (r < 0.7) return `DESKTOP-${alnum(rng, 7)}`;
  if (r < 0.9) return `${pick(rng, SITES)}-${model.form}-${digits(rng, 4)}`;
  return `CTS-${serial.slice(-8)}`;
}

function generateDevice(seed: number, index: number, users: readonly User[], createdMs: number): DeviceRecord {
  const rng = mulberry32(mix(seed, index + 1));
  const id = guid(rng);
  const kind = chooseKind(rng, index);
  const windows = kind !== "nonWindows";
  const models = windows ? WINDOWS_MODELS : OTHER_MODELS;
  const localModel = weighted(rng, models);
  const model = models[localModel]!;
  const modelIndex = windows ? localModel : WINDOWS_MODELS.length + localModel;
  const osVersion = windows ? WINDOWS_BUILDS[weighted(rng, WINDOWS_BUILDS)]!.version : pick(rng, OS_VERSIONS[model.platform as "iOS"]);
  const serialNumber = serialFor(rng, model);
  const userIndex = Math.floor(rng() * users.length);
  const name = deviceName(rng, model, serialNumber, users[userIndex]!);
  const c = rng();
  const complianceState = c < 0.85 ? "compliant" : c < 0.93 ? "noncompliant" : c < 0.97 ? "inGracePeriod" : "unknown";
  const ownerType = kind === "nonWindows" ? (rng() < 0.4 ? "personal" : "company") : rng() < 0.97 ? "company" : "personal";
  const online = kind !== "offline";
  return createDeviceRecord({
    index,
    id,
    deviceName: name,
    serialNumber,
    userIndex,
    modelIndex,
    osVersion,
    complianceState,
    ownerType,
    kind,
    hybridAutopilot: kind === "hybrid" && rng() < 0.5,
    groupTag: windows ? pick(rng, GROUP_TAGS) : "",
    enrolledMs: createdMs - intBetween(rng, 20, 1100) * DAY_MS - intBetween(rng, 0, DAY_MS),
    online,
    phaseMs: Math.floor(rng() * CHECKIN_PERIOD_MS),
    lastCheckinMs: online ? 0 : createdMs - intBetween(rng, 3, 45) * DAY_MS - intBetween(rng, 0, DAY_MS),
  });
}

export function generateFleet(seed: number, size: number, createdMs: number): { users: User[]; devices: DeviceRecord[] } {
  const users = generateUsers(seed, Math.max(8, Math.ceil(size * 0.85)));
  const devices = new Array<DeviceRecord>(size);
  for (let i = 0; i < size; i++) devices[i] = generateDevice(seed, i, users, createdMs);
  return { users, devices };
}

/** Secondary ids are derived, not stored (the scenario set's are stored: scenario.ts). */
export const azureADDeviceIdOf = (seed: number, d: DeviceRecord) => derivedGuid(seed, d.index, 1);
export const autopilotIdOf = (seed: number, d: DeviceRecord) => derivedGuid(seed, d.index, 2);
