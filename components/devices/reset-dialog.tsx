"use client";

import { useRef, useState } from "react";
import type { ResetEligibility } from "@/lib/devices/eligibility";
import { checkJustification, MAX_RESET_JUSTIFICATION_CHARS } from "@/lib/devices/approval";
import { APPROVAL_JUSTIFICATION_HINT, APPROVAL_LEARNED_SENTENCE } from "@/lib/monitor/status-wording";
import { Notice } from "@/components/ui/notice";
import { ActionDialog, type DeviceActionDialogProps } from "@/components/actions/action-dialog";
import { JustificationField } from "@/components/approvals/justification-field";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { ResetEffects } from "@/components/actions/reset-effects";

/**
 * How the reset is asked for: `none` sends it; `justify` (a Multi Admin Approval policy covers it) and `learned` (the
 * first answer said so) ask for a justification first, which goes to the approver.
 */
export type ResetApprovalMode = "none" | "justify" | "learned";

export function ResetDialog({
  device,
  eligibility,
  now,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
  approval,
}: Omit<DeviceActionDialogProps<ResetEligibility>, "onConfirm"> & {
  /** With the checked justification when one is asked for; never called while it is invalid. */
  onConfirm: (justification?: string) => void;
  approval: ResetApprovalMode;
}) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const justify = approval !== "none";

  const confirm = () => {
    if (!justify) return onConfirm();
    const check = checkJustification(text, MAX_RESET_JUSTIFICATION_CHARS);
    if (!check.ok) {
      setProblem(check.message);
      fieldRef.current?.focus();
      return;
    }
    setProblem(null);
    onConfirm(check.text);
  };

  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Autopilot Reset"
      question={justify ? `Ask for approval to reset ${device.deviceName}?` : `Reset ${device.deviceName}?`}
      onConfirm={confirm}
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
      {approval === "learned" && (
        <Notice tone="info" role="status">
          {APPROVAL_LEARNED_SENTENCE}
        </Notice>
      )}
      {justify && (
        <JustificationField
          ref={fieldRef}
          label="Justification for the approver"
          hint={APPROVAL_JUSTIFICATION_HINT}
          value={text}
          onChange={(value) => {
            setText(value);
            if (problem) setProblem(null);
          }}
          max={MAX_RESET_JUSTIFICATION_CHARS}
          problem={problem}
          disabled={sending}
        />
      )}
    </ActionDialog>
  );
}
