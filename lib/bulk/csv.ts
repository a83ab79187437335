/**
 * CSV export of a selection and of a run's results (papaparse). A cell that a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return) gets a leading apostrophe: device names and UPNs come from the
 * tenant, and anyone who can name a device must not be able to plant a formula in an admin's spreadsheet.
 */
import Papa from "papaparse";
import { exportCellText, GRID_COLUMNS, type GridColumnId } from "@/lib/devices/grid-columns";
import type { Device } from "@/lib/devices/types";
import { approvalEnded } from "./approval-outcome";
import { reasonLabel } from "./reasons";
import type { BulkRun, DeviceRunStatus } from "./run";

const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The console's one CSV writer: every export (selection, results, the monitor) goes through it. */
export function toCsv(fields: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  // Escaped here rather than with papaparse's escapeFormulae so numbers and booleans are treated the same way.
  return Papa.unparse({ fields, data: rows.map((row) => row.map(escapeCell)) }, { quotes: false, newline: "\r\n" });
}

/** A Graph time as ISO 8601 in UTC ("2026-12-02T01:04:00.000Z"), whatever offset Graph wrote; "" for none. */
function isoTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

const header = (id: GridColumnId) => GRID_COLUMNS.find((column) => column.id === id)?.header ?? id;

/** The selected devices in the grid's words (its export's, lib/devices/grid-columns.ts), times in ISO 8601. */
export function selectionToCsv(devices: readonly Device[]): string {
  const columns = ["deviceName", "serialNumber", "userPrincipalName", "ownership", "osVersion", "joinType", "autopilot", "complianceState"] as const;
  return toCsv(
    ["Device ID", ...columns.map(header), header("lastSyncDateTime")],
    devices.map((d) => [d.id, ...columns.map((id) => exportCellText(d, id)), isoTime(d.lastSyncDateTime)]),
  );
}

/** Each device status in words (the results panel's filter says the same). */
export const OUTCOME_LABEL: Record<DeviceRunStatus, string> = {
  queued: "Not sent yet",
  sent: "Sent, no answer yet",
  unclear: "Outcome unknown",
  initiated: "Initiated",
  skipped: "Skipped",
  failed: "Failed",
  "not-sent": "Not sent",
  "awaiting-approval": "Awaiting approval",
  waiting: "Waiting for the daily limit",
};

/**
 * A run started from a pasted or uploaded list (docs/product.md, "Journey 7") keeps each device's line beside it:
 * two more columns, "Source line" and "Source text", escaped like every other cell (the text is the user's own).
 * Every cell a person reads is in words, never a code: "Outcome" from OUTCOME_LABEL, "Reason" in the words the run
 * panel and the preflight use (lib/bulk/reasons.ts), "Details" the run's own sentence.
 */
export function resultsToCsv(run: BulkRun): string {
  const fromList = run.devices.some((d) => d.sourceLine);
  return toCsv(
    ["Device ID", header("deviceName"), header("serialNumber"), header("userPrincipalName"), "Action", "Outcome", "Reason", "Details", "Initiated by", "Ticket", "Sent at", "Settled at", "Approval request", ...(fromList ? ["Source line", "Source text"] : [])],
    run.devices.map((d) => [
      d.id,
      d.name,
      d.serialNumber,
      d.primaryUser,
      run.action === "reset" ? "Autopilot Reset" : "Sync",
      approvalEnded(d)?.outcome ?? OUTCOME_LABEL[d.status],
      reasonLabel(d.reason),
      d.message,
      // Whoever pressed this run's Yes, for the devices its request may have reached; a reset someone else sent is
      // named in Details ("already sent by ...").
      d.reached ? run.startedBy : undefined,
      // The run's ticket reference, for every device of the run (it is the run's, whatever became of each device).
      run.ticketReference,
      isoTime(d.firstSentAt),
      isoTime(d.settledAt),
      d.approvalRequestId,
      ...(fromList ? [d.sourceLine?.number, d.sourceLine?.text] : []),
    ]),
  );
}

export function csvFileName(kind: "selection" | "results", action: string | undefined, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return `${kind === "selection" ? "device-selection" : `bulk-${action ?? "action"}-results`}-${stamp}.csv`;
}
