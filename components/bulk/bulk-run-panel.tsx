// Over 300 lines: the run panel's states (running, waiting, interrupted, finished) share one layout; splitting it is issue 19's page model.
"use client";

import { useMemo, useState } from "react";
import { ActionDialog } from "@/components/actions/action-dialog";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { isRunOver, type BulkRun } from "@/lib/bulk/run";
import { estimateSentence, type RunEstimate } from "@/lib/bulk/estimate";
import { skippedGroups, summaryLine, type RunSummary } from "@/lib/bulk/summary";
import { MIN_LATER_WAVE, nextWaveSize, roomAt } from "@/lib/bulk/daily-limit";
import { justificationProblem } from "@/lib/bulk/planner";
import { approvalExpiredSentence, awaitingApprovalSentence, waitingForLimitSentence, waveStartPhrase } from "@/lib/monitor/status-wording";
import { BulkResults } from "./bulk-results";
import { formatDateTime, formatTimeOfDay } from "@/lib/devices/format";
import type { UseWipeBudget } from "./use-wipe-budget";

export interface BulkRunPanelProps {
  run: BulkRun;
  summary: RunSummary;
  /** The one estimate while the run is driven here (lib/bulk/estimate.ts); null otherwise. */
  estimate: RunEstimate | null;
  driving: boolean;
  /** A restored or paused run with work left: offer Resume. */
  resumable: boolean;
  /** Another tab is driving this run: show it, offer nothing. */
  drivenElsewhere?: boolean;
  problem?: string | null;
  /** The wave is done and devices wait for the daily wipe limit. */
  waitingForLimit?: boolean;
  /** What is left today, read by the server while devices wait (null until read). */
  wipeBudget?: UseWipeBudget;
  onStartNextWave?: (room: number) => void;
  onCancel: () => void;
  /** With the run's justification when Graph asked for one. */
  onResume: (justification?: string) => void;
  onRetryFailed: () => void;
  onExportResults: () => void;
  onDismiss: () => void;
  /** The re-read of the run's approval requests (components/bulk/bulk-actions.tsx, useRunApprovals). */
  approvals?: { checking: boolean; failed: boolean; refresh: () => void };
}

/**
 * Devices whose answer is unknown are neither resent nor reported until a read can be trusted (lib/bulk/send-window.ts):
 * say so. No figure here: the panel's one estimate counts the wait.
 */
function CheckingLine({ count }: { count: number }) {
  return (
    <p className="mt-1 text-sm text-muted" data-testid="bulk-run-checking">
      Checking {devicesLabel(count)} before anything is resent: a request may still reach Intune.
    </p>
  );
}

/** The run's one estimate: a countdown the run can keep, or what it is waiting for (lib/bulk/estimate.ts). */
function EstimateLine({ estimate }: { estimate: RunEstimate }) {
  const sentence = estimateSentence(estimate, formatTimeOfDay);
  if (!sentence) return null;
  // A countdown changes every second: not announced. What the run waits for is, once, when it changes.
  const waiting = estimate.kind !== "left";
  return (
    <p className={`mt-1 text-sm ${waiting ? "" : "text-muted"}`} role={waiting ? "status" : undefined} data-testid="bulk-run-estimate" data-kind={estimate.kind}>
      {sentence}
    </p>
  );
}

function BulkResetWarning() {
  return (
    <Notice tone="warning">
      Autopilot Reset takes each device back to a business-ready state when it next checks in. Whoever uses it loses
      their work on it.
    </Notice>
  );
}

const devicesLabel = (n: number) => `${n.toLocaleString()} ${n === 1 ? "device" : "devices"}`;

/**
 * The next wave under the daily limit: how many may go now and when the rest can, from the server's count on Graph's
 * clock. Without a count (the role may not read audits), the time the limit's Retry-After gave, and the user may try:
 * the limit refuses what does not fit, and nothing is applied to it.
 */
function nextWave(run: BulkRun, waiting: number, wipeBudget: UseWipeBudget | undefined) {
  const budget = wipeBudget?.budget ?? null;
  if (!budget) {
    const phrase = run.limitUntil ? `at about ${formatDateTime(run.limitUntil)}` : null;
    return { room: wipeBudget?.problem ? Math.min(waiting, MIN_LATER_WAVE) : 0, phrase, known: false };
  }
  const target = Math.min(waiting, MIN_LATER_WAVE, budget.limit);
  // The limit itself answered during the run: it knows better than the count (its real figure may be lower than
  // 500, and other admins share it), so nothing is offered before the time its Retry-After gave, on Graph's clock.
  const startsAt = Math.max(roomAt(budget.countedTimes, target, budget.graphTime, budget.limit), run.limitUntil ?? 0);
  const room = budget.remaining >= target && startsAt <= budget.graphTime ? nextWaveSize(waiting, budget) : 0;
  return { room, phrase: waveStartPhrase(startsAt, budget.graphTime, formatDateTime), known: true };
}

/** Progress, summary, waves, retry and export, with the per-device results below. */
export function BulkRunPanel(props: BulkRunPanelProps) {
  const {
    run,
    summary,
    estimate,
    driving,
    resumable,
    drivenElsewhere = false,
    problem,
    waitingForLimit = false,
    wipeBudget,
    onStartNextWave,
    onCancel,
    onResume,
    onRetryFailed,
    onExportResults,
    onDismiss,
    approvals,
  } = props;
  const [confirmRetry, setConfirmRetry] = useState(false);
  const [confirmWave, setConfirmWave] = useState<number | null>(null);
  const [justification, setJustification] = useState("");
  const askJustification = resumable && run.needsJustification === true;
  const justificationError = askJustification && justification !== "" ? justificationProblem({ approval: "covered" }, justification) : null;
  const justificationReady = askJustification && justification.trim() !== "" && justificationError === null;
  const wave = waitingForLimit ? nextWave(run, summary.waiting, wipeBudget) : null;
  // Requests left by the run, read again on demand (approvers decide elsewhere; a request expires after 3 days).
  const showApprovals = approvals !== undefined && !driving && summary.awaitingApproval + summary.approvalExpired + summary.approvalDecided > 0;
  const skipped = useMemo(() => skippedGroups(run), [run]);
  const retryLabel = summary.retryable === summary.failed ? "Retry failed only" : "Retry failed and not sent";

  const actionName = run.action === "reset" ? "Autopilot Reset" : "Sync";
  const over = !driving && isRunOver(run);
  const percent = summary.total === 0 ? 100 : Math.round((summary.done / summary.total) * 100);
  const state = drivenElsewhere
    ? "Running in another tab"
    : driving
    ? run.status === "cancelled"
      ? "Cancelling: finishing the requests under way…"
      : "Running"
    : resumable
      ? run.status === "paused"
        ? "Paused"
        : "Interrupted"
      : waitingForLimit
        ? "Waiting for the next wave"
        : run.status === "cancelled"
        ? "Cancelled"
        : "Finished";

  return (
    <section aria-labelledby="bulk-run-title" className="rounded border border-line bg-surface p-4" data-testid="bulk-run-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="bulk-run-title" tabIndex={-1} className="scroll-mt-4 text-base font-semibold focus-visible:outline-2 focus-visible:outline-brand">
          Bulk {actionName}: {state}
        </h2>
        <span className="text-xs text-muted">
          Started {formatDateTime(run.createdAt)}
          {run.ticketReference && (
            <>
              {" · "}Ticket <span data-testid="bulk-run-ticket">{run.ticketReference}</span>
            </>
          )}
        </span>
      </div>

      <div className="mt-3">
        <div
          role="progressbar"
          aria-label={`Bulk ${actionName} progress`}
          aria-valuemin={0}
          aria-valuemax={summary.total}
          aria-valuenow={summary.done}
          aria-valuetext={`${summary.done} of ${summary.total} devices done`}
          className="h-2 w-full overflow-hidden rounded bg-surface-hover"
        >
          <div className="h-full bg-brand transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <p className="mt-2 text-sm" aria-live="polite" data-testid="bulk-run-summary">
          {summaryLine(summary)}
        </p>
        {driving && estimate && <EstimateLine estimate={estimate} />}
        {summary.checking > 0 && <CheckingLine count={summary.checking} />}
      </div>

      {problem && (
        <Notice tone="error" role="alert" className="mt-3" testId="bulk-run-problem">
          {problem}
        </Notice>
      )}
      {skipped.length > 0 && (
        <div className="mt-3 text-sm" data-testid="bulk-run-skipped">
          <h3 className="font-semibold">Skipped, and why</h3>
          <ul className="ml-5 list-disc">
            {skipped.map((group) => (
              <li key={group.reason}>
                {group.label}: {group.count.toLocaleString()}
              </li>
            ))}
          </ul>
        </div>
      )}
      {summary.waiting > 0 && !driving && (
        <Notice tone="warning" role="status" className="mt-3" testId="bulk-run-limit">
          {waitingForLimitSentence(summary.waiting, summary.limited, wave?.phrase ?? null)}
        </Notice>
      )}
      {summary.awaitingApproval > 0 && (
        <Notice tone="info" role="status" className="mt-3" testId="bulk-run-approval">
          {awaitingApprovalSentence(summary.awaitingApproval, summary.approvalAlreadyOpen)}
        </Notice>
      )}
      {summary.approvalExpired > 0 && (
        <Notice tone="warning" role="status" className="mt-3" testId="bulk-run-approval-expired">
          {approvalExpiredSentence(summary.approvalExpired)}
        </Notice>
      )}
      {showApprovals && approvals.failed && (
        <p role="alert" className="mt-2 text-sm text-muted">
          The approval requests could not be read just now; the results show them as the run left them.
        </p>
      )}
      {askJustification && (
        <div className="mt-3 flex flex-col gap-1">
          <label htmlFor="bulk-resume-justification" className="text-sm font-semibold">
            Justification for the approvers (one for the rest of the run)
          </label>
          <textarea
            id="bulk-resume-justification"
            data-testid="bulk-resume-justification"
            rows={2}
            value={justification}
            aria-invalid={justificationError ? true : undefined}
            onChange={(e) => setJustification(e.target.value)}
            className="w-full rounded border border-line-strong bg-surface px-2 py-1.5 text-sm"
          />
          {justificationError && (
            <p role="alert" className="text-sm text-danger">
              {justificationError}
            </p>
          )}
        </div>
      )}
      {resumable && !problem && (
        <Notice tone="warning" role="status" className="mt-3">
          This run did not finish ({summary.queued + summary.inFlight + summary.checking} devices to go). Resume checks
          every device whose answer never arrived before sending anything again, so no device gets it twice.
        </Notice>
      )}

      <div className="mt-3 flex flex-wrap gap-2">
        {driving && run.status !== "cancelled" && (
          <Button onClick={onCancel} variant="secondary">
            Cancel
          </Button>
        )}
        {resumable && (
          <>
            {/* No confirmation: Resume only carries on with devices the user already said Yes to, and checks any
                whose answer never arrived before sending again. */}
            <Button
              variant="primary"
              disabled={askJustification && !justificationReady}
              onClick={() => (askJustification ? onResume(justification.trim()) : onResume())}
            >
              {askJustification ? "Resume with this justification" : "Resume"}
            </Button>
            <Button onClick={onCancel}>Cancel the rest</Button>
          </>
        )}
        {wave && (
          <>
            {/* The user starts every wave: the count is what the server counted as left today. */}
            <Button variant="primary" disabled={wave.room <= 0} onClick={() => setConfirmWave(wave.room)} data-testid="bulk-next-wave">
              {wave.room > 0 ? `Start next wave (${wave.room.toLocaleString()})` : wave.phrase ? `Start next wave ${wave.phrase}` : "Start next wave"}
            </Button>
            <Button onClick={() => wipeBudget?.refresh()} disabled={wipeBudget?.checking}>
              {wipeBudget?.checking ? "Checking today's wipes…" : "Check again"}
            </Button>
            <Button onClick={onCancel}>Cancel the rest</Button>
          </>
        )}
        {(over || waitingForLimit) && summary.retryable > 0 && (
          <Button variant="primary" onClick={() => setConfirmRetry(true)}>
            {retryLabel} ({summary.retryable})
          </Button>
        )}
        {showApprovals && (
          <Button onClick={approvals.refresh} disabled={approvals.checking} data-testid="bulk-run-approvals-refresh">
            {approvals.checking ? "Checking approvals…" : "Check approvals again"}
          </Button>
        )}
        <Button onClick={onExportResults}>Export results (CSV)</Button>
        {over && <Button onClick={onDismiss}>Close</Button>}
      </div>

      <ActionDialog
        open={confirmWave !== null}
        onOpenChange={(open) => !open && setConfirmWave(null)}
        title="Start next wave"
        question={`${actionName} ${devicesLabel(confirmWave ?? 0)} now?`}
        onConfirm={() => {
          const room = confirmWave ?? 0;
          setConfirmWave(null);
          onStartNextWave?.(room);
        }}
        sending={false}
        warning={run.action === "reset" ? <BulkResetWarning /> : undefined}
      >
        <p>
          The next {devicesLabel(confirmWave ?? 0)} of this run that wait for the daily wipe limit are sent now; about that
          many wipes are left today. {summary.waiting - (confirmWave ?? 0) > 0 ? `${devicesLabel(summary.waiting - (confirmWave ?? 0))} keep waiting.` : ""}
        </p>
      </ActionDialog>

      <ActionDialog
        open={confirmRetry}
        onOpenChange={setConfirmRetry}
        title={retryLabel}
        question={`Retry ${actionName} on ${devicesLabel(summary.retryable)}?`}
        onConfirm={() => {
          setConfirmRetry(false);
          onRetryFailed();
        }}
        sending={false}
        warning={run.action === "reset" ? <BulkResetWarning /> : undefined}
      >
        <p>
          {actionName} is sent again to the {devicesLabel(summary.retryable)} that failed
          {summary.retryable > summary.failed ? " or were not sent" : ""}; devices already initiated or skipped are left
          alone. A device that may have received it already is read first, so none gets it twice.
        </p>
      </ActionDialog>

      <BulkResults run={run} summary={summary} />
    </section>
  );
}
