"use client";

import { useEffect, useRef, useState } from "react";
import type { ResetEligibility } from "@/lib/devices/eligibility";
import { checkJustification, MAX_RESET_JUSTIFICATION_CHARS } from "@/lib/devices/approval";
import { APPROVAL_JUSTIFICATION_HINT, APPROVAL_LEARNED_SENTENCE } from "@/lib/monitor/status-wording";
import { Notice } from "@/components/ui/notice";
import { ActionDialog, type DeviceActionDialogProps } from "@/components/actions/action-dialog";
import { JustificationField } from "@/components/approvals/justification-field";
import { formatWhen } from "@/lib/devices/format";
import { autopilotExpectations, type AutopilotLookup } from "@/lib/devices/autopilot";
import { oldProfileWarning } from "@/lib/devices/group-tag";
import { ResetEffects } from "@/components/actions/reset-effects";
import { TicketReferenceField, useTicketReference } from "@/components/actions/ticket-reference-field";

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
  autopilot,
}: Omit<DeviceActionDialogProps<ResetEligibility>, "onConfirm"> & {
  /** With the checked justification when one is asked for, and the ticket reference; never called while either is invalid. */
  onConfirm: (justification?: string, ticketReference?: string) => void;
  approval: ResetApprovalMode;
  /** The device's Autopilot record, once read: what it comes back with. */
  autopilot?: AutopilotLookup;
}) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const justify = approval !== "none";
  // The first Yes learned that Multi Admin Approval covers this reset: the field it now asks for may be below the
  // scrolling middle's fold, so it is brought into view and focused (only then: a dialog still opens on No).
  const learnedBefore = useRef(approval === "learned");
  useEffect(() => {
    if (approval === "learned" && !learnedBefore.current && open) {
      fieldRef.current?.scrollIntoView({ block: "nearest" });
      fieldRef.current?.focus();
    }
    learnedBefore.current = approval === "learned";
  }, [approval, open]);

  const ticket = useTicketReference(open);
  const ticketRef = useRef<HTMLInputElement>(null);
  const confirm = () => {
    const ticketReference = ticket.take();
    if (ticketReference === null) {
      ticketRef.current?.focus();
      return;
    }
    if (!justify) return onConfirm(undefined, ticketReference);
    const check = checkJustification(text, MAX_RESET_JUSTIFICATION_CHARS);
    if (!check.ok) {
      setProblem(check.message);
      fieldRef.current?.focus();
      return;
    }
    setProblem(null);
    onConfirm(check.text, ticketReference);
  };

  const oldProfile = autopilot?.kind === "found" ? oldProfileWarning(autopilot.record) : undefined;
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Autopilot Reset"
      question={justify ? `Ask for approval to reset ${device.deviceName}?` : `Reset ${device.deviceName}?`}
      onConfirm={confirm}
      sending={sending}
      error={error}
      beforeQuestion={<TicketReferenceField ref={ticketRef} value={ticket.value} onChange={ticket.change} problem={ticket.problem} disabled={sending} />}
      warning={
        <>
          <Notice tone="warning" testId="reset-dialog-warning">
            Autopilot Reset takes <strong>{device.deviceName}</strong> back to a business-ready state. Whoever is using it
            loses their work on it.
          </Notice>
          {/* At the top with the warning, so it is in view when the dialog opens, on a phone too. */}
          {oldProfile && (
            <Notice tone="warning" testId="reset-dialog-old-profile" className="mt-2">
              {oldProfile}
            </Notice>
          )}
        </>
      }
    >
      {/* Read before Yes, beside the warning (Windows 10's end of support; what is not known of its provisioning). */}
      {eligibility.notes?.map((note) => (
        <Notice key={note} tone="warning" testId="reset-dialog-note">
          {note}
        </Notice>
      ))}
      {eligibility.warning === "offline" ? (
        <Notice tone="warning">{eligibility.message}</Notice>
      ) : (
        <p data-testid="reset-dialog-check-in">
          The reset starts when the device next checks in with Intune. It last checked in{" "}
          <strong>{formatWhen(device.lastSyncDateTime, now)}</strong>. Sync makes it check in sooner.
        </p>
      )}
      {autopilotExpectations(autopilot).map((expectation) => (
        <Notice key={expectation.text} tone={expectation.tone} testId="reset-dialog-autopilot">
          {expectation.text}
        </Notice>
      ))}
      <ResetEffects className="flex flex-col gap-3" />
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
