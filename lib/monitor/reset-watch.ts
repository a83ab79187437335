/**
 * The reset watcher's rule: while the console is open, tell the signed-in user when a reset they started completes or
 * fails. It compares the previous read of the audit log with the current one; the first read is only a baseline.
 */
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { isInFlight, resetStateOfAudit } from "./monitor-row";
import type { ActionStateName } from "./status-wording";

export interface FinishedReset {
  auditId: string;
  deviceId: string | null;
  deviceName: string;
  state: Extract<ActionStateName, "done" | "failed" | "notSupported">;
}

const FINISHED = new Set<ActionStateName>(["done", "failed", "notSupported"]);

export function finishedResets(
  previous: readonly DeviceActionRecord[] | undefined,
  current: readonly DeviceActionRecord[],
  userPrincipalName: string | null | undefined,
): FinishedReset[] {
  if (!previous || !userPrincipalName) return [];
  const me = userPrincipalName.toLowerCase();
  const before = new Map(previous.map((record) => [record.id, resetStateOfAudit(record)]));
  const baseline = previous.reduce((newest, record) => Math.max(newest, Date.parse(record.requestedAt ?? "") || 0), 0);
  const out: FinishedReset[] = [];
  for (const record of current) {
    if ((record.initiatedBy ?? "").toLowerCase() !== me) continue;
    const state = resetStateOfAudit(record);
    if (!FINISHED.has(state)) continue;
    const was = before.get(record.id);
    // Under way before and finished now; or started and finished between two reads (newer than anything seen).
    const startedAndFinishedUnseen = was === undefined && (Date.parse(record.requestedAt ?? "") || 0) > baseline;
    if ((was !== undefined && isInFlight(was)) || startedAndFinishedUnseen) {
      out.push({
        auditId: record.id,
        deviceId: record.deviceId,
        deviceName: record.deviceName ?? record.deviceId ?? "a device",
        state: state as FinishedReset["state"],
      });
    }
  }
  return out;
}
