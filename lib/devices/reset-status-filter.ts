/**
 * The grid's reset status filter. A device LIST row cannot say a reset is done (its managementState is back to
 * "managed" by then) and Intune has no $filter for reset state, so the tenant's audit log of Autopilot Resets
 * (beta remoteActionAudits, docs/graph.md, "Across the tenant (remoteActionAudits)") decides: each device's newest
 * reset audit of the last RESET_STATUS_WINDOW_DAYS days, in that state.
 */
import type { ActionState, DeviceFilters } from "./types";

/** How far back the console reads the tenant's reset audits, here and on the Device actions page (MONITOR_WINDOW). */
export const RESET_STATUS_WINDOW_DAYS = 30;

type ResetStatusFilter = NonNullable<DeviceFilters["resetStatus"]>;

/** Which audit states each filter value takes: pending covers a reset under way; failed covers not supported too. */
const STATES: Record<ResetStatusFilter, readonly ActionState[]> = {
  pending: ["pending", "active"],
  failed: ["failed", "notSupported"],
  done: ["done"],
};

export interface ResetAuditLine {
  deviceId: string | null;
  requestedAt: string | null;
  state: ActionState;
}

/** The devices whose newest reset audit is in the filter's states, newest request first, each once. */
export function devicesWithResetStatus(audits: readonly ResetAuditLine[], filter: ResetStatusFilter): string[] {
  const newest = new Map<string, ResetAuditLine>();
  for (const audit of audits) {
    if (!audit.deviceId) continue;
    const id = audit.deviceId.toLowerCase();
    const known = newest.get(id);
    if (!known || Date.parse(audit.requestedAt ?? "") > Date.parse(known.requestedAt ?? "")) newest.set(id, audit);
  }
  return [...newest.entries()]
    .filter(([, audit]) => STATES[filter].includes(audit.state))
    .sort(([, a], [, b]) => (Date.parse(b.requestedAt ?? "") || 0) - (Date.parse(a.requestedAt ?? "") || 0))
    .map(([id]) => id);
}
