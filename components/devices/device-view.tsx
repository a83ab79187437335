"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { toast } from "sonner";
import { deriveResetStatus, deriveSyncStatus } from "@/lib/devices/action-status";
import { resetEligibility, syncEligibility } from "@/lib/devices/eligibility";
import { recordSync } from "@/lib/monitor/sync-records";
import { takePendingAction } from "@/lib/auth/pending-action";
import { useGrantedScopes } from "@/lib/auth/use-access-token";
import { toActionError } from "@/lib/queries/action-failure";
import { useDevice, useDeviceActionState, useMyPermissions } from "@/lib/queries/devices";
import { useAutopilotReset, useSyncDevice } from "@/lib/queries/device-mutations";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { SlowReadNotice } from "@/components/ui/slow-read-notice";
import { ActionStatusPanel } from "./action-status-panel";
import { DeviceEssentials } from "./device-essentials";
import { DeviceToolbar } from "./device-toolbar";
import { actionPermission } from "@/lib/auth/permissions";
import { ResetDialog } from "./reset-dialog";
import { SyncDialog } from "./sync-dialog";
import { formatDateTime } from "@/lib/devices/format";
import type { DeviceAction } from "@/lib/devices/types";

const CRUMBS = [
  { label: "Home", href: "/" },
  { label: "Devices", href: "/devices" },
  { label: "Windows", href: "/devices/windows" },
];

export function DeviceView({ deviceId }: { deviceId: string }) {
  const deviceQuery = useDevice(deviceId);
  const stateQuery = useDeviceActionState(deviceId);
  const permissions = useMyPermissions();
  const grantedScopes = useGrantedScopes();
  const reset = useAutopilotReset(deviceId);
  const sync = useSyncDevice(deviceId);
  const accountId = useAccountId();
  const [dialog, setDialog] = useState<DeviceAction | null>(null);
  // The dialog open now, for answers that arrive after the user closed (or switched) it.
  const dialogRef = useRef<DeviceAction | null>(null);
  const [resetSentAt, setResetSentAt] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<{ action: DeviceAction; message: string } | null>(null);
  const [syncRequestedAt, setSyncRequestedAt] = useState<string | null>(null);
  const now = useNow(15_000, stateQuery.dataUpdatedAt);

  // The action-state read is the fresher of the two (it polls); both are the same device.
  const state = stateQuery.data;
  const device = state?.device ?? deviceQuery.data;
  const signals = { audits: state?.audits ?? [], recent: state?.recentReset ?? null };
  const inFlight = state?.inFlight ?? null;
  const deviceReadAt = stateQuery.data ? stateQuery.dataUpdatedAt : deviceQuery.dataUpdatedAt;

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

  const resetCheck = resetEligibility(device, now, signals);
  const syncCheck = syncEligibility(device, now);
  const resetPermission = actionPermission("reset", permissions.data, grantedScopes);
  const syncPermission = actionPermission("sync", permissions.data, grantedScopes);
  // Until the device has been read again after a reset was sent, the read above predates it.
  const resetJustSent = resetSentAt !== null && deviceReadAt < resetSentAt;
  const resetUnavailable = !resetPermission.allowed
    ? resetPermission.message
    : resetJustSent
      ? "An Autopilot Reset was just sent; the console is reading the device again."
      : inFlight?.action === "reset"
        ? `${inFlight.by ?? "Someone"} is sending an Autopilot Reset to this device right now; its status appears here in a moment.`
        : !resetCheck.allowed
        ? resetCheck.message
        : undefined;
  const syncUnavailable = !syncPermission.allowed ? syncPermission.message : !syncCheck.allowed ? syncCheck.message : undefined;
  const derived = deriveResetStatus(device, now, signals);
  // A reset being sent right now (this tab before a reload, a colleague) is pending as far as anyone here should know.
  const resetStatus =
    derived.state === "none" && inFlight?.action === "reset" ? { ...derived, state: "pending" as const, ...(inFlight.by ? { requestedBy: inFlight.by } : {}) } : derived;
  const syncStatus = deriveSyncStatus(device, now, syncRequestedAt);

  const showDialog = (which: DeviceAction | null) => {
    dialogRef.current = which;
    setDialog(which);
  };

  const openDialog = (which: DeviceAction) => {
    const mutation = which === "reset" ? reset : sync;
    // A send still under way keeps its state: the dialog reopens on "Sending…", not on an enabled Yes.
    if (!mutation.isPending) mutation.reset();
    showDialog(which);
  };

  /** Closes the dialog if it is still this action's (never reopens it); an error it can no longer show becomes a toast. */
  const settle = (which: DeviceAction, answer: { ok: boolean; error?: unknown }) => {
    if (dialogRef.current === which) {
      if (answer.ok) showDialog(null);
    } else if (!answer.ok) {
      toast.error(toActionError(answer.error).message);
    }
  };

  const confirmReset = async () => {
    const answer = await reset.sendOnce(undefined);
    if (!answer) return;
    settle("reset", answer);
    if (!answer.ok) return;
    const result = answer.data;
    setResetSentAt(Date.now());
    const who = result.requestedBy ? ` by ${result.requestedBy}` : "";
    const message =
      result.status === "already-pending"
        ? `An Autopilot Reset was already requested for ${device.deviceName}${who} at ${formatDateTime(result.requestedAt)}, so nothing new was sent. It starts when the device next checks in.`
        : `Autopilot Reset initiated for ${device.deviceName}. It starts when the device next checks in.`;
    setOutcome({ action: "reset", message });
    toast.success(message);
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
    toast.success(message);
  };

  // The resume effect above runs after this render; it needs this render's handlers, which exist only past the early
  // returns, so they are handed over through the ref rather than as effect dependencies.
  // eslint-disable-next-line react-hooks/refs
  resumeRef.current = (action) => {
    showDialog(action);
    void (action === "reset" ? confirmReset() : confirmSync());
  };

  return (
    <>
      <PageHeader title={device.deviceName} crumbs={[...CRUMBS, { label: device.deviceName }]} />
      <div className="space-y-4">
        <DeviceToolbar
          reset={{ unavailableReason: resetUnavailable, onClick: () => openDialog("reset") }}
          sync={{ unavailableReason: syncUnavailable, onClick: () => openDialog("sync") }}
        />
        {resetCheck.allowed && resetCheck.warning === "offline" && !resetUnavailable && (
          <Notice tone="warning">{resetCheck.message}</Notice>
        )}
        {/* The confirmation stays while its action is under way; the status panel takes over once it has ended. */}
        {outcome && (outcome.action === "reset" ? resetStatus.state === "pending" || resetStatus.state === "active" : syncStatus.state === "pending") && (
          <Notice tone="success" role="status">
            {outcome.message}
          </Notice>
        )}
        {stateQuery.error && device && (
          <ErrorMessage error={toActionError(stateQuery.error)} onRetry={() => void stateQuery.refetch()} />
        )}
        {slowRead}
        <ActionStatusPanel
          reset={resetStatus}
          sync={syncStatus}
          now={now}
          onSync={() => openDialog("sync")}
          syncUnavailableReason={syncUnavailable}
          refreshing={stateQuery.isFetching}
        />
        <DeviceEssentials device={device} now={now} />
      </div>
      <ResetDialog
        device={device}
        eligibility={resetCheck}
        now={now}
        open={dialog === "reset"}
        onOpenChange={(open) => showDialog(open ? "reset" : null)}
        onConfirm={() => void confirmReset()}
        sending={reset.isPending}
        error={reset.error ? <ErrorMessage error={toActionError(reset.error)} /> : undefined}
      />
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
