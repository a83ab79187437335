/**
 * The grid's marker for a serial number on more than one of the loaded rows: one physical device with several Intune
 * records, after it was re-enrolled (docs/graph.md, "Records that must agree"). Only the rows loaded so far
 * are compared; the device page reads every record with its serial. Apart so the grid's first load carries no more.
 */
import type { Device } from "./types";

/** Serials (trimmed, lower case) that appear on more than one of these rows, with how many. */
export function sharedSerials(devices: readonly Pick<Device, "serialNumber">[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const device of devices) {
    const serial = device.serialNumber?.trim().toLowerCase();
    if (serial) counts.set(serial, (counts.get(serial) ?? 0) + 1);
  }
  for (const [serial, count] of counts) if (count < 2) counts.delete(serial);
  return counts;
}
