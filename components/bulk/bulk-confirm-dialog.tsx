"use client";

import { TicketReferenceField, useTicketReference } from "@/components/actions/ticket-reference-field";
import { RecentlyReset } from "./recently-reset";
import { useId, useState } from "react";
import Link from "next/link";
import * as Dialog from "@radix-ui/react-dialog";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { dialogFrameClasses, useSafeDialogFocus } from "@/components/actions/action-dialog";
import { ResetEffects } from "@/components/actions/reset-effects";
import { canConfirm, justificationProblem, offlinePlanSentence, windows10PlanSentence, type BulkPlan } from "@/lib/bulk/planner";
import { formatDateTime } from "@/lib/devices/format";
import { MAX_RESET_JUSTIFICATION_CHARS } from "@/lib/devices/approval";
import { decisionSentence } from "@/lib/queries/decision";
import { waveStartPhrase, wipeBudgetSentence } from "@/lib/monitor/status-wording";

export interface BulkConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  plan: BulkPlan;
  /**
   * Called once, with the plan and the run's justification (empty when none was asked for), when the user confirms.
   * When it answers that the run could not start (its first save failed, another run is unfinished), the dialog stays
   * open with the user's choices and says why; nothing was sent.
   */
  onConfirm: (plan: BulkPlan, justification: string, ticketReference?: string) => void | Promise<{ ok: true } | { ok: false; message: string }>;
  /** Ticks a device reset in the last 24 hours again (or unticks it): the parent plans anew. */
  onIncludeRecent?: (deviceId: string, include: boolean) => void;
  /** The dialog closed: true when the caller moved focus itself (to the run it started), else focus goes back to the opener. */
  onClosedAfterYes?: () => boolean;
}

const VERB = { reset: "reset", sync: "synced" } as const;

/** Names shown per skip reason; the rest are in the results (and their CSV) once the run starts. */
const NAMES_SHOWN = 100;

/** The skipped devices of one reason, by name, each a link to its page (which says what to do instead). */
function SkippedNames({ devices }: { devices: readonly { id: string; name: string }[] }) {
  const shown = devices.slice(0, NAMES_SHOWN);
  const more = devices.length - shown.length;
  return (
    <p className="text-muted">
      {shown.map((d, i) => (
        <span key={d.id}>
          {i > 0 && ", "}
          <Link href={`/devices/windows/${encodeURIComponent(d.id)}`} target="_blank" className="text-brand-text underline">
            {d.name}
          </Link>
        </span>
      ))}
      {more > 0 && ` and ${more.toLocaleString("en")} more (listed in the results and their CSV)`}
    </p>
  );
}

/**
 * The preflight summary and confirmation: how many will be sent, how many skipped and why, a sample, what a reset
 * removes and keeps; above 20 devices the user types the number, and Yes stays disabled until it matches. It opens
 * with focus on No and gives focus back to what opened it.
 */
export function BulkConfirmDialog({ open, onOpenChange, plan, onConfirm, onIncludeRecent, onClosedAfterYes }: BulkConfirmDialogProps) {
  // Mount one dialog per plan (give it a key): what was typed for one plan never confirms another.
  const [typed, setTyped] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [justification, setJustification] = useState("");
  const [startError, setStartError] = useState<string | null>(null);
  const inputId = useId();
  const justificationId = useId();
  const justificationHelpId = useId();
  const { noRef, onOpenAutoFocus, onCloseAutoFocus } = useSafeDialogFocus(open, onClosedAfterYes);
  const frame = dialogFrameClasses("w-[min(40rem,calc(100vw-1rem))]");

  const n = plan.toSend.length;
  const now = plan.firstWave ?? n;
  const later = n - now;
  const waves = plan.waves ?? [];
  const title = plan.action === "reset" ? "Autopilot Reset: selected devices" : "Sync: selected devices";
  const ready = canConfirm(plan, typed, justification) && !confirmed;
  const more = n - plan.sample.length;
  const asksJustification = plan.action === "reset" && plan.approval === "covered" && n > 0;
  const justificationError = asksJustification && justification !== "" ? justificationProblem(plan, justification) : null;
  const ticket = useTicketReference();
  const confirm = () => {
    if (!ready) return;
    const ticketReference = ticket.take();
    if (ticketReference === null) return;
    // A run started offline would send whenever the network returns, when the person may have walked away.
    if (!navigator.onLine) {
      setStartError(decisionSentence("offline", "Yes"));
      return;
    }
    setConfirmed(true);
    setStartError(null);
    void Promise.resolve(onConfirm(plan, asksJustification ? justification.trim() : "", ticketReference)).then((result) => {
      if (result && !result.ok) {
        setStartError(result.message);
        setConfirmed(false);
      }
    });
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          data-testid="bulk-confirm-dialog"
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className={frame.content}
        >
          {/* What will happen, and what is lost, stay in view; the lists between them and the answer scroll. */}
          <div className={frame.header}>
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
                {plan.action === "reset" && n > 0 && (
                  <Notice tone="warning" testId="bulk-plan-warning">
                    Autopilot Reset takes each device back to a business-ready state when it next checks in. Whoever uses
                    it loses their work on it.
                  </Notice>
                )}
                {n === 0 && <Notice tone="info">Nothing to send: every selected device is skipped.</Notice>}
              </div>
            </Dialog.Description>
          </div>
          <div className={frame.body} tabIndex={0} role="group" aria-label={`${title}: details`}>
            {plan.recentlyReset && (
              <RecentlyReset devices={plan.recentlyReset} disabled={confirmed} onInclude={onIncludeRecent} />
            )}
            {plan.skippedByReason.some((r) => r.reason !== "recently-reset") && (
              <div data-testid="bulk-plan-skipped">
                <h3 className="font-semibold">Skipped, and why</h3>
                <ul className="ml-5 list-disc">
                  {plan.skippedByReason.filter((r) => r.reason !== "recently-reset").map((r) => (
                    <li key={r.reason}>
                      {r.label}: {r.count.toLocaleString()}
                      <SkippedNames devices={r.devices} />
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {plan.offlineCount > 0 && <Notice tone="warning">{offlinePlanSentence(plan)}</Notice>}
            {plan.action === "reset" && plan.windows10Count > 0 && (
              <Notice tone="warning" testId="bulk-plan-windows10">
                {windows10PlanSentence(plan)}
              </Notice>
            )}
            {plan.action === "reset" && n > 0 && plan.budget && (
              <p data-testid="bulk-plan-budget">{wipeBudgetSentence(plan.budget)}</p>
            )}
            {plan.action === "reset" && n > 0 && !plan.budget && plan.budgetProblem && (
              <Notice tone="info">
                Today&apos;s wipes could not be counted ({plan.budgetProblem.replace(/\.$/, "")}). Intune allows about 500
                wipes a day per tenant; if the limit is reached during the run, the rest waits for a next wave and
                nothing is reported as sent that was not.
              </Notice>
            )}
            {later > 0 && plan.budget && (
              <div data-testid="bulk-plan-waves">
                <h3 className="font-semibold">
                  In {waves.length} waves under the daily limit
                </h3>
                <ol className="ml-5 list-decimal">
                  {waves.map((w) => (
                    <li key={w.number}>
                      {w.count.toLocaleString()} {w.count === 1 ? "device" : "devices"} {waveStartPhrase(w.startsAt, plan.budget!.graphTime, formatDateTime)}
                    </li>
                  ))}
                </ol>
                <p className="mt-1 text-muted">
                  Yes sends the first wave. The others wait in the results panel, where you start each one when it
                  can go; nothing is sent without you. Times are estimates on Microsoft Graph&apos;s clock: other
                  admins&apos; wipes count too.
                </p>
              </div>
            )}
            {n > 0 && (
              <p>
                <span className="font-semibold">Devices: </span>
                {plan.sample.join(", ")}
                {more > 0 && ` and ${more.toLocaleString()} more`}.
              </p>
            )}
            {plan.action === "reset" && n > 0 && <ResetEffects className="grid gap-3 sm:grid-cols-2" />}
          </div>
          <div className={frame.footer}>
            {asksJustification && (
              <div className="mb-3 flex flex-col gap-1">
                <label htmlFor={justificationId} className="text-sm font-semibold">
                  Justification for the approvers (one for the whole run)
                </label>
                <p id={justificationHelpId} className="text-xs text-muted">
                  Your tenant&apos;s Multi Admin Approval policy covers Autopilot Reset: each device gets its own approval
                  request, which reads &ldquo;Autopilot Reset of &lt;device&gt; (&lt;id&gt;): &rdquo; and then this text. At
                  most {MAX_RESET_JUSTIFICATION_CHARS.toLocaleString()} characters, on one line.
                </p>
                <textarea
                  id={justificationId}
                  data-testid="bulk-justification"
                  aria-describedby={justificationHelpId}
                  aria-invalid={justificationError ? true : undefined}
                  rows={2}
                  value={justification}
                  onChange={(e) => setJustification(e.target.value)}
                  className="w-full rounded border border-line-strong bg-surface px-2 py-1.5 text-sm"
                />
                {justificationError && (
                  <p role="alert" className="text-sm text-danger" data-testid="bulk-justification-error">
                    {justificationError}
                  </p>
                )}
              </div>
            )}
            {n > 0 && <TicketReferenceField value={ticket.value} onChange={ticket.change} problem={ticket.problem} disabled={confirmed} testId="bulk-ticket-reference" />}
            {n > 0 && plan.typedConfirmation.required && (
              <div className="mb-3 flex flex-col gap-1">
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
                    if (e.key === "Enter" && ready) confirm();
                  }}
                  className="w-40 rounded border border-line-strong bg-surface px-2 py-1.5"
                />
              </div>
            )}
            {n > 0 && (
              <p className="font-semibold" data-testid="bulk-confirm-question">
                {later === 0
                  ? `${plan.action === "reset" ? "Reset" : "Sync"} ${n.toLocaleString()} ${n === 1 ? "device" : "devices"}?`
                  : now > 0
                    ? `Reset ${now.toLocaleString()} ${now === 1 ? "device" : "devices"} now, and plan ${later.toLocaleString()} for later waves?`
                    : `Nothing fits today: plan all ${n.toLocaleString()} ${n === 1 ? "device" : "devices"} for later waves?`}
              </p>
            )}
            {startError && (
              <Notice tone="error" role="alert" className="mt-3" testId="bulk-start-error">
                {startError}
              </Notice>
            )}
            <div className="mt-3 flex justify-end gap-2">
              {n > 0 && (
                <Button
                  variant={plan.action === "reset" ? "danger" : "primary"}
                  disabled={!ready}
                  aria-busy={confirmed || undefined}
                  onClick={confirm}
                >
                  Yes
                </Button>
              )}
              <Dialog.Close asChild>
                <Button ref={noRef}>{n > 0 ? "No" : "Close"}</Button>
              </Dialog.Close>
            </div>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
