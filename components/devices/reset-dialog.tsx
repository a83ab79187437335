"use client";

import type { ResetEligibility } from "@/lib/devices/eligibility";
import { Notice } from "@/components/ui/notice";
import { ActionDialog, type DeviceActionDialogProps } from "@/components/actions/action-dialog";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { ResetEffects } from "@/components/actions/reset-effects";

export function ResetDialog({
  device,
  eligibility,
  now,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
}: DeviceActionDialogProps<ResetEligibility>) {
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Autopilot Reset"
      question={`Reset ${device.deviceName}?`}
      onConfirm={onConfirm}
      sending={sending}
      error={error}
    >
      <Notice tone="warning">
        Autopilot Reset takes <strong>{device.deviceName}</strong> back to a business-ready state. Whoever is using it
        loses their work on it.
      </Notice>
      <ResetEffects className="flex flex-col gap-3" />
      <p>
        The reset starts when the device next checks in with Intune. It last checked in{" "}
        <strong>{formatRelative(device.lastSyncDateTime, now)}</strong> ({formatDateTime(device.lastSyncDateTime)}). Sync
        makes it check in sooner.
      </p>
      {eligibility.warning === "offline" && <Notice tone="warning">{eligibility.message}</Notice>}
    </ActionDialog>
  );
}
