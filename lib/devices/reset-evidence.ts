/**
 * Is a reset already under way on this device, and did one start since a given moment? Decided from every signal Graph
 * has, together: deviceActionResults (often empty for wipes in real tenants), managementState (wipePending) and
 * remoteActionAudits (Microsoft's answer for wipe status), plus the console's own record of a reset it has just sent.
 * Any one of them is enough to say "pending" (docs/graph.md, "Knowing a reset is pending").
 *
 * Times are only ever compared with times from the same clock: Graph's timestamps with Graph's clock (its Date
 * header), never with the browser's.
 */
import { isActionNamed, latestActionResult, RESET_ACTION_NAMES, RESET_AUDIT_ACTIONS } from "./action-results";
import type { Device, RecentReset, ResetAudit } from "./types";

const PENDING_MANAGEMENT_STATES: readonly string[] = ["wipePending", "wipeIssued"];

/** What Graph's device record does not carry: the device's reset audits, and the console's own record of a send. */
export interface ResetSignals {
  /** This device's reset audits, any order. */
  audits: readonly ResetAudit[];
  recent?: RecentReset | null;
}

export interface ResetEvidence extends ResetSignals {
  device: Pick<Device, "deviceActionResults" | "managementState">;
}

export interface PendingReset {
  source: "console" | "deviceActionResults" | "audit" | "managementState";
  /** When it was requested, where a signal says (Graph's clock). */
  since: string | null;
  /** Who requested it, where the audit says. */
  by: string | null;
}

const isResetAudit = (audit: ResetAudit) => isActionNamed(RESET_AUDIT_ACTIONS, audit.action);
const isOpen = (state: string) => state === "pending" || state === "active";

function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function newestResetAudit(audits: readonly ResetAudit[]): ResetAudit | undefined {
  return [...audits.filter(isResetAudit)].sort((a, b) => (timeOf(b.requestedAt) ?? 0) - (timeOf(a.requestedAt) ?? 0))[0];
}

/** The reset under way on the device, from whichever signal shows it first; null when none does. */
export function findPendingReset(evidence: ResetEvidence): PendingReset | null {
  const audit = newestResetAudit(evidence.audits);
  // The console's record stands until Graph shows the reset itself (then Graph's state, e.g. done, is the truth, and
  // the record still names who sent it).
  const recent = evidence.recent;
  const shown = recent ? resetStartedSince({ ...evidence, recent: null }, Date.parse(recent.at)) : null;
  if (recent && !shown) return { source: "console", since: recent.at, by: recent.by };
  const by = recent && shown ? recent.by : audit && isOpen(audit.state) ? audit.initiatedBy : null;
  const result = latestActionResult(evidence.device.deviceActionResults, RESET_ACTION_NAMES);
  if (result && isOpen(result.actionState)) return { source: "deviceActionResults", since: result.startDateTime, by };
  if (audit && isOpen(audit.state)) return { source: "audit", since: audit.requestedAt, by: by ?? audit.initiatedBy };
  if (PENDING_MANAGEMENT_STATES.includes(evidence.device.managementState ?? "")) {
    return { source: "managementState", since: null, by: null };
  }
  return null;
}

/**
 * A reset that Graph says started at or after `fromGraphMs` (Graph's clock), in any state, or null. Graph's Date
 * header has whole seconds, so a second of slack keeps a reset that started in the same second.
 */
export function resetStartedSince(evidence: ResetEvidence, fromGraphMs: number): { since: string; by: string | null } | null {
  const from = fromGraphMs - 1_000;
  const starts: { since: string; by: string | null }[] = [];
  for (const result of evidence.device.deviceActionResults) {
    if (!isActionNamed(RESET_ACTION_NAMES, result.actionName)) continue;
    if (result.actionState === "none" || result.actionState === "canceled") continue;
    const start = result.startDateTime;
    if (start && (timeOf(start) ?? -Infinity) >= from) starts.push({ since: start, by: null });
  }
  for (const audit of evidence.audits.filter(isResetAudit)) {
    if (audit.state === "canceled") continue;
    if (audit.requestedAt && (timeOf(audit.requestedAt) ?? -Infinity) >= from) starts.push({ since: audit.requestedAt, by: audit.initiatedBy });
  }
  starts.sort((a, b) => (timeOf(a.since) ?? 0) - (timeOf(b.since) ?? 0));
  return starts.find((s) => s.by) ?? starts[0] ?? null;
}
