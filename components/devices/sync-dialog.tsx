"use client";

import type { SyncEligibility } from "@/lib/devices/eligibility";
import { Notice } from "@/components/ui/notice";
import { ActionDialog, type DeviceActionDialogProps } from "@/components/actions/action-dialog";
import { formatWhen } from "@/lib/devices/format";

export function SyncDialog({
  device,
  eligibility,
  now,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
}: DeviceActionDialogProps<SyncEligibility>) {
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Sync"
      question={`Sync ${device.deviceName}?`}
      onConfirm={onConfirm}
      sending={sending}
      error={error}
    >
      <p>
        Sync asks <strong>{device.deviceName}</strong> to check in with Intune now and pick up its latest policies and
        pending actions, such as an Autopilot Reset.
      </p>
      {eligibility.warning === "offline" ? (
        <Notice tone="warning">{eligibility.message}</Notice>
      ) : (
        <p>
          Last check-in: <strong>{formatWhen(device.lastSyncDateTime, now)}</strong>.
        </p>
      )}
    </ActionDialog>
  );
}
