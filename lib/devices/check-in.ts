/**
 * When a device last talked to Intune, and whether that makes it "offline" (docs/product.md, "Journey 3: see why a
 * device cannot be reset").
 */
import type { Device } from "./types";

/** A device whose last check-in is older than this is "offline": allowed, but the action waits for its next check-in. */
export const OFFLINE_THRESHOLD_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days since the last check-in when that is more than OFFLINE_THRESHOLD_DAYS; undefined when online or unknown. */
export function offlineDays(device: Pick<Device, "lastSyncDateTime">, now: Date): number | undefined {
  if (!device.lastSyncDateTime) return undefined;
  const last = Date.parse(device.lastSyncDateTime);
  if (Number.isNaN(last)) return undefined;
  const elapsed = now.getTime() - last;
  return elapsed > OFFLINE_THRESHOLD_DAYS * DAY_MS ? Math.floor(elapsed / DAY_MS) : undefined;
}
