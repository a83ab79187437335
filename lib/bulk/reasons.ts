/**
 * The words for a bulk run's reason codes, one place for all of them: the preflight's "Skipped, and why", the run
 * panel's list of skipped devices, the summary and the results CSV say the same thing for the same reason.
 */
import type { ActionError } from "@/lib/result";

/** Why a device was skipped: by the preflight, or by the server from its own read during the run (`refused`). */
export const SKIP_REASON_LABELS: Record<string, string> = {
  "not-windows": "Not a Windows device",
  "hybrid-joined": "Hybrid Entra joined: needs a full Wipe",
  "not-autopilot": "Not registered with Windows Autopilot",
  "device-preparation": "Set up with Autopilot device preparation: not Autopilot Reset",
  "not-current-record": "A stale duplicate record: the device has a newer one in Intune",
  "records-disagree": "Intune and Autopilot records disagree",
  "reset-pending": "A reset is already pending or running",
  "recently-reset": "Reset in the last 24 hours",
  "not-found": "No longer in Intune",
};

/** The other outcomes' reasons, for the results and the CSV's Reason column. */
const OTHER_REASON_LABELS: Record<string, string> = {
  unclear: "Intune's answer was unclear",
  interrupted: "The page was closed while it was being sent",
  "not-sent": "Not sent",
  "store-restarted": "The console's coordination store came back empty",
  "ticket-expired": "Reached the server too late to be sent safely",
  "slow-read": "Microsoft Graph was too slow to read the device",
  "not-found": "No longer in Intune",
  accepted: "Accepted by Intune",
  confirmed: "Confirmed by a read of the device",
  cancelled: "The run was cancelled",
  throttled: "Throttled by Intune",
  unavailable: "Microsoft Graph kept failing",
  "outcome-unknown": "Outcome unknown",
  "store-unavailable": "The console's coordination store could not be reached",
  "read-failed": "The device could not be checked",
  busy: "Another request to this device was under way",
  "forbidden-role": "Your Intune role does not allow it",
  "forbidden-consent": "The app lacks a permission in this tenant",
  invalid: "Refused as invalid",
  "approval-required": "Awaiting approval",
  "approval-open": "Approval already requested",
  "approval-expired": "Approval expired: ask again",
  "approval-rejected": "Approval rejected",
  "approval-cancelled": "Approval request cancelled",
  "approval-approved": "Approved, not completed",
  "approval-completed": "Approval completed",
  "daily-limit": "Intune's daily wipe limit",
  "next-wave": "Planned for a later wave",
  "needs-justification": "Needs a justification",
  unauthenticated: "Session ended",
  "unsaved-run": "The run could not be saved in this browser",
};

export function skipReasonLabel(reason: string): string {
  return SKIP_REASON_LABELS[reason] ?? reason;
}

/** Said for a code this file has no words for (a newer Graph error kind): never the code itself; Details says more. */
export const UNWORDED_REASON = "Other: see Details";

/** The words for a reason code, the one home of each (docs/product.md, "Results CSV"): never the code itself. */
export function reasonLabel(reason: string | undefined): string {
  if (!reason) return "";
  return SKIP_REASON_LABELS[reason] ?? OTHER_REASON_LABELS[reason] ?? UNWORDED_REASON;
}

export interface SkippedGroup {
  reason: string;
  label: string;
  count: number;
  /** The group's devices by name (natural order). */
  devices: { id: string; name: string }[];
}

/** Skipped devices per reason, most frequent first: the preflight's list and the run panel's are the same shape. */
export function groupSkipped(skipped: Iterable<{ id: string; name: string; reason?: string }>): SkippedGroup[] {
  const groups = new Map<string, { id: string; name: string }[]>();
  for (const s of skipped) {
    const reason = s.reason ?? "unknown";
    groups.set(reason, [...(groups.get(reason) ?? []), { id: s.id, name: s.name }]);
  }
  return [...groups.entries()]
    .map(([reason, devices]) => ({
      reason,
      count: devices.length,
      label: skipReasonLabel(reason),
      devices: [...devices].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true })),
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * The console's coordination store (Redis, or the data folder) could not be reached: the server answered the whole
 * action with this error, and nothing was sent or read under it (lib/actions/define-action.ts words it).
 */
export function isStoreUnavailable(error: Pick<ActionError, "kind" | "message">): boolean {
  return error.kind === "unavailable" && /coordination store/i.test(error.message);
}

export const STORE_UNAVAILABLE_NOT_SENT =
  "Not sent: the console's coordination store could not be reached, so nothing was sent to this device. Retry later; if it goes on, tell your administrator.";
