"use client";

import { useId, useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { useSafeDialogFocus } from "@/components/actions/action-dialog";
import { ResetEffects } from "@/components/actions/reset-effects";
import { canConfirm, type BulkPlan } from "@/lib/bulk/planner";

export interface BulkConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  plan: BulkPlan;
  /** Called once, with the plan, when the user confirms. */
  onConfirm: (plan: BulkPlan) => void;
}

const VERB = { reset: "reset", sync: "synced" } as const;

/**
 * The preflight summary and confirmation: how many will be sent, how many skipped and why, a sample, what a reset
 * removes and keeps; above 20 devices the user types the number, and Yes stays disabled until it matches. It opens
 * with focus on No and gives focus back to what opened it.
 */
export function BulkConfirmDialog({ open, onOpenChange, plan, onConfirm }: BulkConfirmDialogProps) {
  // Mount one dialog per plan (give it a key): what was typed for one plan never confirms another.
  const [typed, setTyped] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const inputId = useId();
  const { noRef, onOpenAutoFocus, onCloseAutoFocus } = useSafeDialogFocus(open);

  const n = plan.toSend.length;
  const title = plan.action === "reset" ? "Autopilot Reset: selected devices" : "Sync: selected devices";
  const ready = canConfirm(plan, typed) && !confirmed;
  const more = n - plan.sample.length;

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          data-testid="bulk-confirm-dialog"
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded border border-line bg-surface p-6 text-fg shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-3 space-y-3 text-sm">
              <p data-testid="bulk-plan-summary">
                <strong>{n.toLocaleString()}</strong> {n === 1 ? "device" : "devices"} will be {VERB[plan.action]}
                {plan.skipped.length > 0 && (
                  <>
                    ; <strong>{plan.skipped.length.toLocaleString()}</strong> will be skipped
                  </>
                )}
                .
              </p>
              {plan.skippedByReason.length > 0 && (
                <div>
                  <h3 className="font-semibold">Skipped, and why</h3>
                  <ul className="ml-5 list-disc">
                    {plan.skippedByReason.map((r) => (
                      <li key={r.reason}>
                        {r.label}: {r.count.toLocaleString()}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {plan.offlineCount > 0 && (
                <Notice tone="warning">
                  {plan.offlineCount.toLocaleString()} of them have not checked in for days: the{" "}
                  {plan.action === "reset" ? "reset" : "sync"} waits for their next check-in.
                </Notice>
              )}
              {n > 0 && (
                <p>
                  <span className="font-semibold">Devices: </span>
                  {plan.sample.join(", ")}
                  {more > 0 && ` and ${more.toLocaleString()} more`}.
                </p>
              )}
              {plan.action === "reset" && n > 0 && (
                <>
                  <Notice tone="warning">
                    Autopilot Reset takes each device back to a business-ready state when it next checks in. Whoever
                    uses it loses their work on it.
                  </Notice>
                  <ResetEffects className="grid gap-3 sm:grid-cols-2" />
                </>
              )}
              {n === 0 && <Notice tone="info">Nothing to send: every selected device is skipped.</Notice>}
            </div>
          </Dialog.Description>
          {n > 0 && plan.typedConfirmation.required && (
            <div className="mt-4 flex flex-col gap-1">
              <label htmlFor={inputId} className="text-sm font-semibold">
                Type {plan.typedConfirmation.expected} to confirm
              </label>
              <input
                id={inputId}
                data-testid="bulk-confirm-input"
                inputMode="numeric"
                autoComplete="off"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && ready) {
                    setConfirmed(true);
                    onConfirm(plan);
                  }
                }}
                className="w-40 rounded border border-line-strong bg-surface px-2 py-1.5"
              />
            </div>
          )}
          {n > 0 && (
            <p className="mt-4 font-semibold">
              {plan.action === "reset" ? "Reset" : "Sync"} {n.toLocaleString()} {n === 1 ? "device" : "devices"}?
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            {n > 0 && (
              <Button
                variant={plan.action === "reset" ? "danger" : "primary"}
                disabled={!ready}
                onClick={() => {
                  if (!ready) return;
                  setConfirmed(true);
                  onConfirm(plan);
                }}
              >
                Yes
              </Button>
            )}
            <Dialog.Close asChild>
              <Button ref={noRef}>{n > 0 ? "No" : "Close"}</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
