/**
 * What became of the approval requests a bulk run left behind (docs/product.md, "Journey 8"). A run ends with devices
 * "awaiting approval"; the run panel reads their requests again when it is shown or refreshed (lib/actions/approvals.ts,
 * getRunApprovals, on Graph's clock) and shows each device as Graph has it now: an open request past its 3 days is
 * expired, and the device says "Approval expired: ask again" instead of awaiting approval forever.
 *
 * The stored run is never changed: the panel and its CSV show the run with these states laid over it.
 */
import type { ApprovalStatus } from "@/lib/devices/approval";
import type { BulkRun, DeviceRun } from "./run";

/** A device's approval request as the server read it (settled: past its expiry it reads `expired`). */
export interface RunApprovalState {
  deviceId: string;
  requestId: string | null;
  status: ApprovalStatus;
  expiresAt: string | null;
}

/** Reason codes of a device whose request no longer awaits approval; the device keeps status "awaiting-approval". */
export const APPROVAL_ENDED = {
  expired: { reason: "approval-expired", label: "Approval expired", outcome: "Approval expired: ask again" },
  rejected: { reason: "approval-rejected", label: "Approval rejected", outcome: "Approval rejected" },
  cancelled: { reason: "approval-cancelled", label: "Request cancelled", outcome: "Approval request cancelled" },
  approved: { reason: "approval-approved", label: "Approved", outcome: "Approved: complete it on the device's page" },
  completed: { reason: "approval-completed", label: "Completed", outcome: "Approval completed" },
} as const satisfies Partial<Record<ApprovalStatus, { reason: string; label: string; outcome: string }>>;

type EndedStatus = keyof typeof APPROVAL_ENDED;
const ENDED_BY_REASON: ReadonlyMap<string, (typeof APPROVAL_ENDED)[EndedStatus]> = new Map(
  Object.values(APPROVAL_ENDED).map((e) => [e.reason, e]),
);

const MESSAGES: Record<EndedStatus, string> = {
  expired:
    "Approval expired: ask again. Intune did not see the request approved and completed within 3 days; nothing was applied. Open the device to ask for approval again.",
  rejected: "Approval rejected: an approver rejected the request, and nothing was applied.",
  cancelled: "Approval request cancelled: nothing was applied.",
  approved: "Approved: complete the reset on the device's page before the request expires.",
  completed: "Approval completed: the reset was sent from the device's page.",
};

function isEnded(status: ApprovalStatus): status is EndedStatus {
  return status in APPROVAL_ENDED;
}

/** The device's request no longer awaits approval (expired, decided or completed) in the states laid over the run. */
export function approvalEnded(d: Pick<DeviceRun, "status" | "reason">): (typeof APPROVAL_ENDED)[EndedStatus] | null {
  return d.status === "awaiting-approval" && d.reason ? (ENDED_BY_REASON.get(d.reason) ?? null) : null;
}

/**
 * The run with each awaiting-approval device shown as its request stands. A state for another request than the one
 * the run opened is ignored (the run's own request is what the row speaks of); a request still waiting, or one the
 * server could not read, leaves the device as it was.
 */
export function withApprovalStates(run: BulkRun, states: readonly RunApprovalState[]): BulkRun {
  if (states.length === 0) return run;
  const byDevice = new Map(states.map((s) => [s.deviceId.toLowerCase(), s]));
  let changed = false;
  const devices = run.devices.map((d) => {
    if (d.status !== "awaiting-approval") return d;
    const state = byDevice.get(d.id.toLowerCase());
    if (!state || !isEnded(state.status)) return d;
    if (d.approvalRequestId && state.requestId && state.requestId.toLowerCase() !== d.approvalRequestId.toLowerCase()) return d;
    changed = true;
    return {
      ...d,
      reason: APPROVAL_ENDED[state.status].reason,
      message: MESSAGES[state.status],
      approvalRequestId: d.approvalRequestId ?? state.requestId ?? undefined,
    };
  });
  return changed ? { ...run, devices } : run;
}

/** The devices whose requests the panel reads again: those awaiting approval, with the request the run opened. */
export function awaitingApprovalDevices(run: BulkRun): { deviceId: string; requestId?: string }[] {
  return run.devices
    .filter((d) => d.status === "awaiting-approval")
    .map((d) => (d.approvalRequestId ? { deviceId: d.id, requestId: d.approvalRequestId } : { deviceId: d.id }));
}
