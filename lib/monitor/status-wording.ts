/**
 * The words for a reset's or sync's state, in one place: the grid's reset-status column, the device page's action
 * status panel and the device-actions monitor all speak through these, so a device reads the same everywhere.
 */
import {
  HYBRID_NOT_SUPPORTED_FIX,
  HYBRID_NOT_SUPPORTED_REASON,
  WINRE_FAILURE_FIX,
  WINRE_FAILURE_REASON,
} from "@/lib/devices/action-status";
import type { DeviceAction } from "@/lib/devices/types";
import type { ApprovalStatus } from "@/lib/devices/approval";

export { HYBRID_NOT_SUPPORTED_FIX, HYBRID_NOT_SUPPORTED_REASON, WINRE_FAILURE_FIX, WINRE_FAILURE_REASON };

export type ActionStateName = "none" | "pending" | "active" | "done" | "failed" | "notSupported";

/**
 * A monitor row's state: a reset's or sync's, or a reset still behind Multi Admin Approval (no audit exists yet: nothing
 * was sent). Never "failed": a request that waits is not a failure.
 */
export type MonitorStateName = ActionStateName | "awaitingApproval";

export const ACTION_LABELS: Record<DeviceAction, string> = { reset: "Autopilot Reset", sync: "Sync" };

export const RESET_STATE_LABELS: Record<ActionStateName, string> = {
  none: "None",
  pending: "Reset pending",
  active: "Resetting",
  done: "Reset complete",
  failed: "Reset failed",
  notSupported: "Not supported",
};

export const SYNC_STATE_LABELS: Record<ActionStateName, string> = {
  none: "None",
  pending: "Sync pending",
  active: "Syncing",
  done: "Sync complete",
  failed: "Sync failed",
  notSupported: "Not supported",
};

/** The monitor's state filter, in the words the rows use. */
export const STATE_FILTER_LABELS: Record<Exclude<MonitorStateName, "none">, string> = {
  awaitingApproval: "Awaiting approval",
  pending: "Pending",
  active: "In progress",
  done: "Complete",
  failed: "Failed",
  notSupported: "Not supported",
};

export function stateLabel(action: DeviceAction, state: ActionStateName): string {
  return (action === "reset" ? RESET_STATE_LABELS : SYNC_STATE_LABELS)[state];
}

/** "Offline since 12 Nov 2026, 09:14: it resets when it reconnects." `since` is already formatted for the reader. */
export function offlineSentence(action: DeviceAction, since: string): string {
  return `Offline since ${since}: it ${action === "reset" ? "resets" : "syncs"} when it reconnects.`;
}

export const PENDING_RESET_HINT = "The reset starts at the next check-in. Sync to make it check in sooner.";

// ---- Multi Admin Approval (docs/product.md, "Journey 8: work inside the tenant's guardrails") ----------------------
// The approval journey's words, one block: the device page, the reset dialog and the Approvals page speak through these.

export const APPROVAL_STATUS_LABELS: Record<ApprovalStatus, string> = {
  needsApproval: "Awaiting approval",
  approved: "Approved: ready to complete",
  rejected: "Approval rejected",
  cancelled: "Approval cancelled",
  completed: "Approval completed",
  expired: "Approval expired",
  unknown: "Approval status unknown",
};

/**
 * The grid's reset-status column for a device whose reset is behind approval (only while no reset is pending or
 * under way): short, since the column is narrow; the approved one links to the device page, where it is completed.
 */
export const APPROVAL_GRID_LABELS: Record<ApprovalStatus, string> = {
  ...APPROVAL_STATUS_LABELS,
  approved: "Approved: complete the reset",
};

/**
 * The one sentence of a device's request in the grid's tooltip and under the monitor's badge. The times are already
 * formatted for the reader; `who` is the requestor's name, when Graph gave one.
 */
export function approvalDetailSentence(request: { status: ApprovalStatus; since: string | null; who: string | null; expires: string | null }): string {
  const asked = [request.who && `by ${request.who}`, request.since && `on ${request.since}`].filter(Boolean).join(" ");
  const expires = request.expires ? `; expires ${request.expires}` : "";
  switch (request.status) {
    case "needsApproval":
      return `Awaiting approval${request.since ? ` since ${request.since}` : ""}${request.who ? `, asked by ${request.who}` : ""}${expires}. Nothing was sent to the device yet.`;
    case "approved":
      return `Approved${asked ? `; asked ${asked}` : ""}${expires}. The requester completes the reset from the device's page.`;
    default:
      return asked ? `${APPROVAL_STATE_SENTENCES[request.status]} Asked ${asked}.` : APPROVAL_STATE_SENTENCES[request.status];
  }
}

/** Said when Intune opened a request: what happens next, and that nobody is told. */
export function approvalRequestedSentence(deviceName: string): string {
  return `The Autopilot Reset of ${deviceName} is awaiting approval: nothing happens to the device yet. An approver must approve the request, and Intune sends no notification, so tell them (they find it under Approvals). Once it is approved, come back here and select Complete reset.`;
}

export function approvalRequestedToast(deviceName: string): string {
  return `Approval requested for the Autopilot Reset of ${deviceName}. Tell an approver: Intune sends no notification.`;
}

/** What each state of the device's request means for the requester. */
export const APPROVAL_STATE_SENTENCES: Record<ApprovalStatus, string> = {
  needsApproval: "Waiting for a second administrator to approve. Intune notifies no one: tell an approver.",
  approved: "Approved. The reset has not been sent yet: complete it to send it to the device.",
  rejected: "The approver rejected this reset; nothing was sent to the device. You can ask again with a new justification.",
  cancelled: "This request was cancelled; nothing was sent to the device. You can ask again with a new justification.",
  completed: "Approved and completed: the reset was sent to the device once.",
  expired: "This request expired before the reset was completed; nothing was sent to the device. You can ask again with a new justification.",
  unknown: "Intune reports a status this console does not know.",
};

export const APPROVAL_JUSTIFICATION_HINT =
  "Your tenant requires a second administrator to approve this reset. Say why it is needed: the approver reads it to decide. The console puts the device's name and id in front of it.";

export const APPROVAL_LEARNED_SENTENCE =
  "Intune answered that this reset needs approval under your tenant's Multi Admin Approval policy. Nothing was sent to the device. Write a justification and select Yes to ask for approval.";

export const APPROVAL_OPEN_SENTENCE = "An approval request for this device is already open, so no new one was made. It is shown on the page.";

/** Graph's own refusal, said before anything is sent (emulator/README.md, "Multi Admin Approval"). */
export function ownRequestSentence(decision: "approve" | "reject" = "approve"): string {
  return `You made this request; a requestor cannot ${decision} their own request. Another approver must.`;
}

// ---- The daily wipe limit and bulk runs under the guardrails (bulk run engineer) -------------------------------------
// Times are Graph's (ms since epoch); waits are durations the server or Graph gave. `format` turns a Graph time into
// the reader's words (the caller's locale), so this module stays pure.

/** "3 h 20 min", "12 min", "under a minute" (pending-for.ts words ages the same way; it imports this module). */
function waitWords(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/**
 * A single reset refused by the daily limit (error kind `daily-limit`): when to try again, from Graph's Retry-After
 * (whole seconds). `at` is that moment already formatted for the reader, when the caller knows Graph's clock.
 */
export function dailyLimitRetrySentence(retryAfterSeconds: number | undefined, at?: string): string {
  const base = "Your tenant has reached Intune's daily limit on wipes (about 500 a day, shared with every admin), so this reset was not sent and nothing was applied.";
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds)) {
    return `${base} Try again once the oldest wipe of the last 24 hours has aged out.`;
  }
  const wait = waitWords(retryAfterSeconds * 1000);
  return `${base} Try again in about ${wait}${at ? ` (at ${at})` : ""}.`;
}

/** The preflight's count: "Intune allows about 500 wipes a day per tenant; 37 were counted in the last 24 hours, so about 463 are left today." */
export function wipeBudgetSentence(budget: { limit: number; counted: number; remaining: number; complete: boolean }): string {
  const counted = budget.complete ? budget.counted.toLocaleString() : `at least ${budget.counted.toLocaleString()}`;
  return `Intune allows about ${budget.limit.toLocaleString()} wipes a day per tenant, shared with every admin; ${counted} ${budget.counted === 1 ? "was" : "were"} counted in the last 24 hours, so about ${budget.remaining.toLocaleString()} ${budget.remaining === 1 ? "is" : "are"} left today.`;
}

/** When a wave can start, from Graph's clock: "now", or "at <time> (in about 23 h 59 min)". */
export function waveStartPhrase(startsAt: number, graphNow: number, format: (ms: number) => string): string {
  if (!Number.isFinite(startsAt) || startsAt <= graphNow) return "now";
  return `at ${format(startsAt)} (in about ${waitWords(startsAt - graphNow)})`;
}

/** The panel's one sentence for devices held by the daily limit (planned for a later wave, or refused mid-run). */
export function waitingForLimitSentence(waiting: number, limited: number, nextStart: string | null): string {
  const devices = `${waiting.toLocaleString()} ${waiting === 1 ? "device" : "devices"}`;
  const when = nextStart ? ` The next wave can start ${nextStart}; you start it yourself.` : " The next wave can start once older wipes leave the 24-hour window; you start it yourself.";
  return limited > 0
    ? `Intune's daily wipe limit was reached during this run: ${devices} ${waiting === 1 ? "was" : "were"} not sent, nothing was applied to ${waiting === 1 ? "it" : "them"}, and ${waiting === 1 ? "it waits" : "they wait"} for the next wave.${when}`
    : `${devices} ${waiting === 1 ? "waits" : "wait"} for the next wave under Intune's daily wipe limit; nothing has been sent to ${waiting === 1 ? "it" : "them"}.${when}`;
}

/** The panel's one sentence for devices behind Multi Admin Approval in a bulk run. */
export function awaitingApprovalSentence(awaiting: number, alreadyOpen: number): string {
  const devices = `${awaiting.toLocaleString()} ${awaiting === 1 ? "device" : "devices"}`;
  const open = alreadyOpen > 0 ? ` For ${alreadyOpen.toLocaleString()} of them an approval request was already open, so no new one was made.` : "";
  return `${devices} ${awaiting === 1 ? "awaits" : "await"} approval under your tenant's Multi Admin Approval policy: nothing was applied to ${awaiting === 1 ? "it" : "them"}, and nothing is resent. An approver must approve each request; then the reset is completed from the device's page.${open}`;
}
/** A bulk run's devices whose approval requests expired (lib/bulk/approval-outcome.ts). */
export function approvalExpiredSentence(expired: number): string {
  const devices = `${expired.toLocaleString()} ${expired === 1 ? "device's" : "devices'"}`;
  return `Approval expired: ask again. ${devices} approval ${expired === 1 ? "request" : "requests"} expired before ${expired === 1 ? "it was" : "they were"} approved and completed (Intune keeps a request 3 days). Nothing was applied; open each device to ask for approval again.`;
}
// ---- end of the bulk run engineer's block ----------------------------------------------------------------------------
