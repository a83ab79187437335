/**
 * The Windows grid's export (docs/product.md, "Journey 1: find a device"): every column of the grid, in its words,
 * through the console's one CSV writer (lib/bulk/csv.ts, which also defuses formulas).
 */
import { exportCellText, GRID_COLUMNS } from "@/lib/devices/grid-columns";
import type { Device } from "@/lib/devices/types";
import { toCsv } from "./csv";

/** `resetStatus` words each device's reset status as the grid's column does (it needs the tenant's audits). */
export function gridToCsv(devices: readonly Device[], resetStatus: (device: Device) => string): string {
  return toCsv(
    ["Device ID", ...GRID_COLUMNS.map((column) => column.header)],
    devices.map((device) => [
      device.id,
      ...GRID_COLUMNS.map((column) => (column.id === "resetStatus" ? resetStatus(device) : exportCellText(device, column.id))),
    ]),
  );
}

export function gridCsvFileName(at: Date): string {
  return `windows-devices-${at.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.csv`;
}
