"use client";

import type { ReactNode } from "react";
import type { ApprovalRequestView } from "@/lib/devices/approval";
import { ActionDialog } from "@/components/actions/action-dialog";
import { ResetEffects } from "@/components/actions/reset-effects";
import { Notice } from "@/components/ui/notice";

/**
 * The last Yes of a reset under Multi Admin Approval: the approved request is completed by sending the same wipe with
 * its code, once. Like every dialog that can destroy, it opens on No.
 */
export function CompleteResetDialog({
  deviceName,
  request,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
}: {
  deviceName: string;
  request: ApprovalRequestView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  sending: boolean;
  error?: ReactNode;
}) {
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Complete Autopilot Reset"
      question={`Reset ${deviceName} now?`}
      onConfirm={onConfirm}
      sending={sending}
      error={error}
      warning={
        <Notice tone="warning">
          {request.approver?.displayName ?? "An approver"} approved the Autopilot Reset of <strong>{deviceName}</strong>. Yes sends
          it to the device now; whoever is using it loses their work on it. The approval can be used once.
        </Notice>
      }
    >
      <ResetEffects className="flex flex-col gap-3" />
    </ActionDialog>
  );
}
