/**
 * BitLocker recovery keys escrowed to Microsoft Entra ID, per Entra device (docs/graph.md, "BitLocker recovery keys";
 * emulator/README.md, "BitLocker recovery keys"). Derived from the seed, never stored per device: a Windows device has
 * one key (its OS volume) most of the time, two (OS and a fixed data volume) one time in four, and none one time in
 * eight (never encrypted, or its key was never backed up). Other platforms have none.
 */
import type { Fleet } from "../fleet/fleet";
import { platformOf, type DeviceRecord } from "../fleet/device";
import { derivedGuid, mix, mulberry32 } from "../fleet/random";
import { directoryOf } from "../directory/model";

const KEY_SALT = 0xb17c;

export type VolumeType = "operatingSystemVolume" | "fixedDataVolume";

export interface RecoveryKey {
  id: string;
  /** The Entra device's deviceId (= the managed device's azureADDeviceId). */
  deviceId: string;
  createdMs: number;
  volumeType: VolumeType;
  /** 48 digits in eight groups of six, as BitLocker shows it. */
  key: string;
  record: DeviceRecord;
}

/** How many keys the device has escrowed: 0, 1 or 2 (a pure function of the seed and the device). */
export function keyCountOf(fleet: Fleet, d: DeviceRecord): number {
  if (platformOf(d) !== "Windows") return 0;
  const h = mix(mix(fleet.seed, d.index), KEY_SALT) % 8;
  if (h === 0) return 0;
  return h <= 2 ? 2 : 1;
}

function recoveryPassword(seed: number, index: number, n: number): string {
  const rng = mulberry32(mix(mix(seed, index), KEY_SALT + 1 + n));
  const groups: string[] = [];
  // Each group of a real recovery password is a multiple of 11 below 720,896; the emulator keeps that shape.
  for (let i = 0; i < 8; i++) groups.push(String(Math.floor(rng() * 65_536) * 11).padStart(6, "0"));
  return groups.join("-");
}

export class RecoveryKeys {
  private readonly byId = new Map<string, RecoveryKey>();
  private readonly byDeviceId = new Map<string, RecoveryKey[]>();

  constructor(fleet: Fleet) {
    const dir = directoryOf(fleet);
    for (const entra of dir.devices) {
      const d = entra.record;
      const count = keyCountOf(fleet, d);
      const keys: RecoveryKey[] = [];
      for (let n = 0; n < count; n++) {
        const key: RecoveryKey = {
          id: derivedGuid(fleet.seed, d.index, KEY_SALT + n),
          deviceId: entra.deviceId,
          createdMs: d.enrolledMs + (n + 1) * 20 * 60_000,
          volumeType: n === 0 ? "operatingSystemVolume" : "fixedDataVolume",
          key: recoveryPassword(fleet.seed, d.index, n),
          record: d,
        };
        keys.push(key);
        this.byId.set(key.id, key);
      }
      if (keys.length > 0) this.byDeviceId.set(entra.deviceId, keys);
    }
  }

  get(id: string): RecoveryKey | undefined {
    return this.byId.get(id.toLowerCase());
  }

  ofDevice(deviceId: string): RecoveryKey[] {
    return this.byDeviceId.get(deviceId.toLowerCase()) ?? [];
  }

  all(): RecoveryKey[] {
    return [...this.byId.values()];
  }
}

const built = new WeakMap<Fleet, RecoveryKeys>();

/** The fleet's keys (built on first use; a reseed makes a new fleet, hence new keys). */
export function recoveryKeysOf(fleet: Fleet): RecoveryKeys {
  let keys = built.get(fleet);
  if (!keys) {
    keys = new RecoveryKeys(fleet);
    built.set(fleet, keys);
  }
  return keys;
}
