"use client";

import { useRef, useState, type ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import {
  checkJustification,
  confirmedDeviceName,
  MAX_JUSTIFICATION_CHARS,
  shownJustification,
  unconfirmedDeviceWarning,
  type ApprovalRequestView,
} from "@/lib/devices/approval";
import { useSafeDialogFocus } from "@/components/actions/action-dialog";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { JustificationField } from "./justification-field";

export type Decision = "approve" | "reject";

/**
 * Approve or reject one request, with the justification Graph records (required here, checked like the requester's).
 * Opens on Cancel: approving lets a reset go ahead. When Graph has not confirmed the device, Approve asks once more: the
 * approver ticks that they accept it (docs/product.md, "Journey 8").
 */
export function DecisionDialog({
  request,
  decision,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
}: {
  request: ApprovalRequestView;
  decision: Decision;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: (justification: string) => void;
  sending: boolean;
  error?: ReactNode;
}) {
  const { noRef, onOpenAutoFocus, onCloseAutoFocus } = useSafeDialogFocus(open);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const device = confirmedDeviceName(request) ?? "a device not confirmed";
  const verb = decision === "approve" ? "Approve" : "Reject";
  const warning = unconfirmedDeviceWarning(request);
  const mustAccept = decision === "approve" && warning !== null;
  const [accepted, setAccepted] = useState(false);

  const confirm = () => {
    const check = checkJustification(text, MAX_JUSTIFICATION_CHARS, "decision");
    if (!check.ok) {
      setProblem(check.message);
      fieldRef.current?.focus();
      return;
    }
    setProblem(null);
    onConfirm(check.text);
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded border border-line bg-surface p-6 text-fg shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold">
            {verb} the Autopilot Reset of {device}
          </Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-3 space-y-3 text-sm">
              <p>
                <span className="text-muted">Asked by </span>
                {request.requestor.displayName ?? "someone"}
                <span className="text-muted">: </span>
                {shownJustification(request)}
              </p>
              {warning && (
                <Notice tone="warning" role="alert" testId="decision-device-warning">
                  {warning}
                </Notice>
              )}
              <p>
                {decision === "approve"
                  ? "Approving lets the requester send the reset; it runs once they complete it. Intune tells nobody: let them know."
                  : "Rejecting stops this reset; the requester sees your reason and may ask again. Intune tells nobody: let them know."}
              </p>
              <JustificationField
                ref={fieldRef}
                label="Your justification"
                hint="Recorded with your decision; the requester sees it."
                value={text}
                onChange={(value) => {
                  setText(value);
                  if (problem) setProblem(null);
                }}
                max={MAX_JUSTIFICATION_CHARS}
                problem={problem}
                disabled={sending}
              />
              {mustAccept && (
                <label className="flex items-start gap-2">
                  <input type="checkbox" className="mt-1" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} disabled={sending} />
                  <span>I know Intune does not confirm which device this request would reset, and I approve it anyway.</span>
                </label>
              )}
            </div>
          </Dialog.Description>
          {error && <div className="mt-3">{error}</div>}
          <div className="mt-4 flex justify-end gap-2">
            <Button variant={decision === "approve" ? "primary" : "danger"} onClick={confirm} disabled={sending || (mustAccept && !accepted)} aria-busy={sending}>
              {sending ? "Sending…" : verb}
            </Button>
            <Dialog.Close asChild>
              <Button ref={noRef}>Cancel</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
