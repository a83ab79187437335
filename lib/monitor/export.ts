/**
 * The monitor's "Export (CSV)": the rows of the view, in the words the page shows and with ISO times, as a header and
 * cells for the project's one CSV writer (lib/bulk/csv.ts, which also escapes formula cells).
 */
import { rowOrigin, type MonitorRow } from "./monitor-row";
import { pendingFor } from "./pending-for";
import { ACTION_LABELS, APPROVAL_STATUS_LABELS, stateLabel } from "./status-wording";

export const MONITOR_CSV_FIELDS = [
  "Device name",
  "Device ID",
  "Action",
  "Origin",
  "State",
  "Details",
  "Initiated by",
  "Ticket",
  "Requested at",
  "Pending for",
  "Last check-in",
  "Sync sent at",
  "Approval request",
] as const;

function stateText(row: MonitorRow): string {
  if (row.approval) return APPROVAL_STATUS_LABELS[row.approval.status];
  if (row.state === "awaitingApproval") return APPROVAL_STATUS_LABELS.needsApproval;
  return stateLabel(row.action, row.state);
}

function details(row: MonitorRow): string {
  if (row.approval) return row.approval.justification;
  const parts: string[] = [];
  if (row.offlineSince) parts.push(`Offline since ${row.offlineSince}`);
  if (row.reason) parts.push(row.reason);
  if (row.fix) parts.push(`Fix: ${row.fix}`);
  return parts.join(" ");
}

export function monitorCsvTable(rows: readonly MonitorRow[], now: Date): { fields: string[]; rows: (string | null)[][] } {
  return {
    fields: [...MONITOR_CSV_FIELDS],
    rows: rows.map((row) => [
      row.deviceName,
      row.deviceId,
      ACTION_LABELS[row.action],
      rowOrigin(row),
      stateText(row),
      details(row),
      row.initiatedBy,
      row.ticketReference ?? null,
      row.requestedAt,
      pendingFor(row, now),
      row.lastCheckIn,
      row.syncSentAt ?? null,
      row.approval?.requestId ?? null,
    ]),
  };
}

/** device-actions-<UTC time>.csv, as the other exports name theirs. */
export function monitorCsvFileName(at: Date): string {
  return `device-actions-${at.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.csv`;
}
