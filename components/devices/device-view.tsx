// Over 300 lines: the device page and its dialogs; its model moves to lib/ with issue 19's pages-that-only-render.
"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { toast } from "sonner";
import { deriveResetStatus, deriveSyncStatus } from "@/lib/devices/action-status";
import { resetNextStep, syncEligibility } from "@/lib/devices/eligibility";
import { pageResetEligibility } from "@/lib/devices/reset-facts";
import { useDeviceRecords } from "@/lib/queries/device-records";
import { adminCenterDeviceUrl } from "@/lib/devices/admin-center";
import { useDeviceAutopilot } from "@/lib/queries/autopilot";
import { recordSync } from "@/lib/monitor/sync-records";
import { takePendingAction } from "@/lib/auth/pending-action";
import { useGrantedScopes } from "@/lib/auth/use-access-token";
import { toActionError } from "@/lib/queries/action-failure";
import { useDevice, useDeviceActionState, useMyPermissions } from "@/lib/queries/devices";
import { useAutopilotReset, useSyncDevice, type ResetVariables } from "@/lib/queries/device-mutations";
import { useApprovalCoverage, useDeviceApproval, useLearnApprovalCoverage } from "@/lib/queries/approvals";
import { isOpenApproval } from "@/lib/devices/approval";
import { approvalRequestedSentence, approvalRequestedToast, dailyLimitRetrySentence } from "@/lib/monitor/status-wording";
import type { ActionError } from "@/lib/result";
import { CompleteResetDialog } from "@/components/approvals/complete-reset-dialog";
import { DeviceApproval } from "@/components/approvals/device-approval";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import { useServiceNow } from "@/lib/queries/use-service-now";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { SlowReadNotice } from "@/components/ui/slow-read-notice";
import { ActionStatusPanel } from "./action-status-panel";
import { DeviceEssentials } from "./device-essentials";
import { DeviceAutopilot } from "./device-autopilot";
import { DeviceToolbar } from "./device-toolbar";
import { actionPermission } from "@/lib/auth/permissions";
import { rememberedTicketReference } from "@/components/actions/ticket-reference-field";
import { ResetDialog, type ResetApprovalMode } from "./reset-dialog";
import { DeviceHistory } from "./device-history";
import { SyncDialog } from "./sync-dialog";
import { DeviceWinre } from "./device-winre";
import { DeviceBitlocker } from "./device-bitlocker";
import { formatDateTime } from "@/lib/devices/format";
import type { DeviceAction } from "@/lib/devices/types";

/** The device page's dialogs: the two actions, and completing an approved reset. */
type DialogName = DeviceAction | "complete";

const CRUMBS = [
  { label: "Home", href: "/" },
  { label: "Devices", href: "/devices" },
  { label: "Windows", href: "/devices/windows" },
];

/**
 * A reset's refusal in the device page's words: the daily wipe limit says when to try again, from Graph's Retry-After
 * (lib/monitor/status-wording.ts). No moment is given: the page does not know Graph's clock, only the wait.
 */
function resetErrorWords(error: ActionError): ActionError {
  return error.kind === "daily-limit" ? { ...error, message: dailyLimitRetrySentence(error.retryAfterSeconds) } : error;
}

export function DeviceView({ deviceId }: { deviceId: string }) {
  const deviceQuery = useDevice(deviceId);
  const stateQuery = useDeviceActionState(deviceId);
  const permissions = useMyPermissions();
  const grantedScopes = useGrantedScopes();
  const reset = useAutopilotReset(deviceId);
  const sync = useSyncDevice(deviceId);
  const accountId = useAccountId();
  const coverage = useApprovalCoverage();
  const approvalQuery = useDeviceApproval(deviceId);
  const learnCoverage = useLearnApprovalCoverage();
  // The first answer said Multi Admin Approval covers this reset (the role could not read the policies).
  const [learnedApproval, setLearnedApproval] = useState(false);
  const [approvalOutcome, setApprovalOutcome] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogName | null>(null);
  // The dialog open now, for answers that arrive after the user closed (or switched) it.
  const dialogRef = useRef<DialogName | null>(null);
  const [resetSentAt, setResetSentAt] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<{ action: DeviceAction; message: string } | null>(null);
  const [syncRequestedAt, setSyncRequestedAt] = useState<string | null>(null);
  const now = useNow(15_000, stateQuery.dataUpdatedAt);
  // The request's times are Graph's: "asked 2 hours ago" is measured on Graph's clock (lib/monitor/pending-for.ts).
  const approvalNow = useServiceNow(15_000, approvalQuery.dataUpdatedAt, [
    { iso: approvalQuery.data?.request?.requestedAt, readAtMs: approvalQuery.dataUpdatedAt },
    { iso: stateQuery.data?.device?.lastSyncDateTime, readAtMs: stateQuery.dataUpdatedAt },
  ]);
  // An answer that arrives after the user left the page has no page to show it: then, and only then, a toast says it.
  const mountedRef = useRef(true);
  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
    };
  }, []);
  const tell = (message: string) => {
    if (!mountedRef.current) toast.success(message);
  };

  // The action-state read is the fresher of the two (it polls); both are the same device.
  const state = stateQuery.data;
  const device = state?.device ?? deviceQuery.data;
  const signals = { audits: state?.audits ?? [], recent: state?.recentReset ?? null };
  const inFlight = state?.inFlight ?? null;
  const deviceReadAt = stateQuery.data ? stateQuery.dataUpdatedAt : deviceQuery.dataUpdatedAt;
  const autopilotQuery = useDeviceAutopilot(device, device ? deriveResetStatus(device, now, signals).state : "none");
  // What the server's judge reads before a reset (lib/server/send/judge.ts), so this page asks as it will.
  const recordsQuery = useDeviceRecords(device);

  const slowRead = (
    <SlowReadNotice
      isFetching={deviceQuery.isFetching || stateQuery.isFetching}
      queryKey={queryKeys.device(accountId, deviceId)}
      refetch={() => Promise.all([deviceQuery.refetch(), stateQuery.refetch()])}
    />
  );

  // A reset or sync the user confirmed just before a consent redirect continues here, once: the intent is removed
  // from sessionStorage before anything is sent, so a re-render or a reload cannot send it again.
  const resumeRef = useRef<((action: DeviceAction) => void) | null>(null);
  const deviceLoaded = Boolean(device);
  useEffect(() => {
    if (!deviceLoaded) return;
    const pending = takePendingAction(window.sessionStorage, deviceId, Date.now());
    if (pending) resumeRef.current?.(pending.action);
  }, [deviceLoaded, deviceId]);

  if (!device) {
    const error = deviceQuery.error ?? (deviceQuery.data ? null : stateQuery.error);
    if (error) {
      const actionError = toActionError(error);
      if (actionError.kind === "not-found" || actionError.kind === "invalid") {
        return (
          <>
            <PageHeader title="Device not found" crumbs={[...CRUMBS, { label: "Not found" }]} />
            <Notice tone="error" role="alert">
              No Windows device with this id exists in your tenant. It may have been deleted or retired.{" "}
              <Link href="/devices/windows" className="text-brand-text underline">
                Search Windows devices
              </Link>
            </Notice>
          </>
        );
      }
      return (
        <>
          <PageHeader title="Device" crumbs={CRUMBS} />
          <ErrorMessage error={actionError} onRetry={() => void deviceQuery.refetch()} />
        </>
      );
    }
    return (
      <>
        <PageHeader title="Device" crumbs={CRUMBS} />
        <div className="space-y-3">
          <p role="status" className="text-muted">
            Loading device…
          </p>
          {slowRead}
        </div>
      </>
    );
  }

  const resetCheck = pageResetEligibility(device, now, signals, {
    names: recordsQuery.error ? toActionError(recordsQuery.error) : recordsQuery.data?.names,
    records: recordsQuery.error ? { kind: "error", error: toActionError(recordsQuery.error) } : recordsQuery.data?.autopilot,
  });
  const syncCheck = syncEligibility(device, now);
  const resetPermission = actionPermission("reset", permissions.data, grantedScopes);
  const syncPermission = actionPermission("sync", permissions.data, grantedScopes);
  // Until the device has been read again after a reset was sent, the read above predates it.
  const resetJustSent = resetSentAt !== null && deviceReadAt < resetSentAt;
  const approvalRequest = approvalQuery.data?.request ?? null;
  const openRequest = approvalRequest && isOpenApproval(approvalRequest.status) ? approvalRequest : null;
  const approvalMode: ResetApprovalMode = learnedApproval ? "learned" : coverage.data?.coverage === "covered" ? "justify" : "none";
  const resetUnavailable = !resetPermission.allowed
    ? resetPermission.message
    : openRequest
      ? openRequest.status === "approved"
        ? openRequest.mine
          ? "This reset is approved: select Complete reset below to send it."
          : `${openRequest.requestor.displayName ?? "Someone"}'s approved request for this reset is open; only they can complete it.`
        : `An approval request for this reset is waiting for an approver${openRequest.mine || !openRequest.requestor.displayName ? "" : ` (asked by ${openRequest.requestor.displayName})`}.`
      : resetJustSent
      ? "An Autopilot Reset was just sent; the console is reading the device again."
      : inFlight?.action === "reset"
        ? `${inFlight.by ?? "Someone"} is sending an Autopilot Reset to this device right now; its status appears here in a moment.`
        : !resetCheck.allowed
        ? resetCheck.message
        : undefined;
  // An open approval request is not a refusal: its heading says where the reset stands.
  const resetReasonTitle =
    resetPermission.allowed && openRequest ? (openRequest.status === "approved" ? "Autopilot Reset approved" : "Autopilot Reset awaiting approval") : undefined;
  const syncUnavailable = !syncPermission.allowed ? syncPermission.message : !syncCheck.allowed ? syncCheck.message : undefined;
  // The device itself stands in the way (not the role, an approval or a send under way): the page says what to do instead.
  const resetIneligible = resetUnavailable !== undefined && resetUnavailable === resetCheck.message && !resetCheck.allowed && !resetCheck.checking;
  const resetChecking = resetUnavailable !== undefined && resetUnavailable === resetCheck.message && resetCheck.checking === true;
  const nextStep = resetIneligible && resetCheck.reason ? resetNextStep(resetCheck.reason) : undefined;
  const derived = deriveResetStatus(device, now, signals);
  // A reset being sent right now (this tab before a reload, a colleague) is pending as far as anyone here should know.
  const resetStatus =
    derived.state === "none" && inFlight?.action === "reset" ? { ...derived, state: "pending" as const, ...(inFlight.by ? { requestedBy: inFlight.by } : {}) } : derived;
  const syncStatus = deriveSyncStatus(device, now, syncRequestedAt);

  // "Needs a justification" is not an error: the dialog says so and asks for one.
  const resetFailure = reset.error ? resetErrorWords(toActionError(reset.error)) : null;
  const resetError =
    resetFailure && !(resetFailure.kind === "approval-required" && !resetFailure.approvalRequestId) ? <ErrorMessage error={resetFailure} /> : undefined;

  const showDialog = (which: DialogName | null) => {
    dialogRef.current = which;
    setDialog(which);
  };

  const openDialog = (which: DialogName) => {
    const mutation = which === "sync" ? sync : reset;
    // A send still under way keeps its state: the dialog reopens on "Sending…", not on an enabled Yes.
    if (!mutation.isPending) mutation.reset();
    showDialog(which);
  };

  /** Closes the dialog if it is still this action's (never reopens it); an error it can no longer show becomes a toast. */
  const settle = (which: DialogName, answer: { ok: boolean; error?: unknown }) => {
    if (dialogRef.current === which) {
      if (answer.ok) showDialog(null);
    } else if (!answer.ok) {
      const error = toActionError(answer.error);
      toast.error((which === "sync" ? error : resetErrorWords(error)).message);
    }
  };

  const confirmReset = async (variables?: ResetVariables, which: DialogName = "reset") => {
    const answer = await reset.sendOnce(variables);
    if (!answer) return;
    if (!answer.ok) {
      const error = toActionError(answer.error);
      // Multi Admin Approval covers it after all: nothing ran; the dialog stays open and asks for a justification.
      if (error.kind === "approval-required" && !error.approvalRequestId) {
        learnCoverage();
        setLearnedApproval(true);
        if (dialogRef.current !== which) showDialog("reset");
        return;
      }
      if (error.kind === "approval-open" || error.kind === "invalid") void approvalQuery.refetch();
    }
    settle(which, answer);
    if (!answer.ok) return;
    const result = answer.data;
    if (result.status === "approval-requested") {
      learnCoverage();
      setApprovalOutcome(approvalRequestedSentence(device.deviceName));
      // The page says it (with the message for an approver); a toast only for a person who has left the page.
      if (!mountedRef.current) toast.success(approvalRequestedToast(device.deviceName));
      void approvalQuery.refetch();
      return;
    }
    setApprovalOutcome(null);
    setResetSentAt(Date.now());
    const who = result.requestedBy ? ` by ${result.requestedBy}` : "";
    const message =
      result.status === "already-pending"
        ? `An Autopilot Reset was already requested for ${device.deviceName}${who} at ${formatDateTime(result.requestedAt)}, so nothing new was sent. It starts when the device next checks in.`
        : `Autopilot Reset initiated for ${device.deviceName}. It starts when the device next checks in.`;
    setOutcome({ action: "reset", message });
    tell(message);
  };

  const confirmSync = async () => {
    const answer = await sync.sendOnce();
    if (!answer) return;
    settle("sync", answer);
    if (!answer.ok) return;
    const result = answer.data;
    setSyncRequestedAt(result.requestedAt);
    recordSync({ deviceId, deviceName: device.deviceName, requestedAt: result.requestedAt });
    const message = result.requestedBy
      ? `${result.requestedBy} sent a sync to ${device.deviceName} a moment ago, so nothing new was sent. It checks in with Intune when it is next online.`
      : `Sync initiated for ${device.deviceName}. It checks in with Intune when it is next online.`;
    setOutcome({ action: "sync", message });
    tell(message);
  };

  // The resume effect above runs after this render; it needs this render's handlers, which exist only past the early
  // returns, so they are handed over through the ref rather than as effect dependencies.
  // eslint-disable-next-line react-hooks/refs
  resumeRef.current = (action) => {
    showDialog(action);
    // The ticket reference was remembered for the session at that Yes, before the sign-in.
    const ticketReference = rememberedTicketReference();
    void (action === "reset" ? confirmReset(ticketReference ? { ticketReference } : undefined) : confirmSync());
  };

  // The confirmation stays while its action is under way (and while the page reads the device again after it); the
  // status panel takes over once it has ended. It is the one message: the toolbar points to it rather than repeat it.
  const showOutcome =
    outcome !== null &&
    (outcome.action === "reset" ? resetJustSent || resetStatus.state === "pending" || resetStatus.state === "active" : syncStatus.state === "pending");
  const resetDescribedBy =
    showOutcome && outcome?.action === "reset" ? "reset-outcome" : resetIneligible ? "reset-unavailable" : resetChecking ? "reset-checking" : undefined;

  return (
    <>
      <PageHeader title={device.deviceName} crumbs={[...CRUMBS, { label: device.deviceName }]} />
      <div className="space-y-4">
        <DeviceToolbar
          reset={{ unavailableReason: resetUnavailable, reasonTitle: resetReasonTitle, describedBy: resetDescribedBy, onClick: () => openDialog("reset") }}
          sync={{ unavailableReason: syncUnavailable, onClick: () => openDialog("sync") }}
        />
        {resetIneligible && resetDescribedBy === "reset-unavailable" && (
          <Notice tone="info">
            <p id="reset-unavailable" data-testid="reset-unavailable">
              <span className="font-semibold">Autopilot Reset unavailable: </span>
              {resetCheck.message}
            </p>
            {nextStep && (
              <p className="mt-1" data-testid="reset-next-step">
                <span className="font-semibold">Next step: </span>
                {nextStep.text}{" "}
                {resetCheck.currentDeviceId && (
                  <Link href={`/devices/windows/${encodeURIComponent(resetCheck.currentDeviceId)}`} className="text-brand-text underline" data-testid="current-record-link">
                    Open the current record
                  </Link>
                )}
                {nextStep.inAdminCenter && (
                  <a href={adminCenterDeviceUrl(device.id)} target="_blank" rel="noopener noreferrer" className="text-brand-text underline">
                    Open {device.deviceName} in the Intune admin center<span className="sr-only"> (opens in a new tab)</span>
                  </a>
                )}
              </p>
            )}
          </Notice>
        )}
        {resetChecking && resetDescribedBy === "reset-checking" && (
          <p id="reset-checking" role="status" className="text-sm text-muted">
            {resetCheck.message}
          </p>
        )}
        {resetCheck.allowed && resetCheck.warning === "offline" && !resetUnavailable && (
          <Notice tone="warning">{resetCheck.message}</Notice>
        )}
        {showOutcome && outcome && (
          <Notice tone="success" role="status">
            <span id={outcome.action === "reset" ? "reset-outcome" : "sync-outcome"}>{outcome.message}</span>
          </Notice>
        )}
        {approvalOutcome && approvalRequest?.status === "needsApproval" && (
          <Notice tone="success" role="status" testId="approval-requested">
            {approvalOutcome}
          </Notice>
        )}
        {stateQuery.error && device && (
          <ErrorMessage error={toActionError(stateQuery.error)} onRetry={() => void stateQuery.refetch()} />
        )}
        {slowRead}
        <ActionStatusPanel
          approval={
            approvalRequest && (
              <DeviceApproval
                request={approvalRequest}
                now={approvalNow}
                onComplete={() => openDialog("complete")}
                completeUnavailable={
                  !approvalRequest.mine
                    ? `Only ${approvalRequest.requestor.displayName ?? "the requester"} can complete it.`
                    : !resetPermission.allowed
                      ? resetPermission.message
                      : resetJustSent
                        ? "The reset was just sent; the console is reading the device again."
                        : undefined
                }
                onAskAgain={() => openDialog("reset")}
                askAgainUnavailable={!resetPermission.allowed ? resetPermission.message : !resetCheck.allowed ? resetCheck.message : undefined}
              />
            )
          }
          reset={resetStatus}
          sync={syncStatus}
          now={now}
          onSync={() => openDialog("sync")}
          syncUnavailableReason={syncUnavailable}
          refreshing={stateQuery.isFetching}
        />
        {device.operatingSystem?.toLowerCase() === "windows" && <DeviceWinre device={device} now={now} />}
        {device.operatingSystem?.toLowerCase() === "windows" && <DeviceBitlocker device={device} />}
        <DeviceEssentials device={device} now={now} />
        <DeviceAutopilot device={device} query={autopilotQuery} now={now} records={recordsQuery} />
        <DeviceHistory history={state?.history} now={now} />
      </div>
      <ResetDialog
        device={device}
        eligibility={resetCheck}
        now={now}
        open={dialog === "reset"}
        onOpenChange={(open) => showDialog(open ? "reset" : null)}
        onConfirm={(justification, ticketReference) =>
          void confirmReset({ ...(justification === undefined ? {} : { justification }), ...(ticketReference ? { ticketReference } : {}) })
        }
        sending={reset.isPending}
        error={resetError}
        approval={approvalMode}
        autopilot={autopilotQuery.data}
      />
      {approvalRequest?.status === "approved" && (
        <CompleteResetDialog
          deviceName={device.deviceName}
          request={approvalRequest}
          open={dialog === "complete"}
          onOpenChange={(open) => showDialog(open ? "complete" : null)}
          onConfirm={() => void confirmReset({ approvalCode: approvalRequest.id }, "complete")}
          sending={reset.isPending}
          error={resetError}
        />
      )}
      <SyncDialog
        device={device}
        eligibility={syncCheck}
        now={now}
        open={dialog === "sync"}
        onOpenChange={(open) => showDialog(open ? "sync" : null)}
        onConfirm={() => void confirmSync()}
        sending={sync.isPending}
        error={sync.error ? <ErrorMessage error={toActionError(sync.error)} /> : undefined}
      />
    </>
  );
}
