/** What the bulk run panel and its CSV count: per status, per reason, and the one line that sums a run up. */
import { approvalEnded } from "./approval-outcome";
import { groupSkipped, type SkippedGroup } from "./reasons";
import { isRetryable, type BulkRun } from "./run";

export interface RunSummary {
  total: number;
  queued: number;
  inFlight: number;
  checking: number;
  initiated: number;
  skipped: number;
  failed: number;
  notSent: number;
  /** Behind Multi Admin Approval (nothing applied): never counted as failed. */
  awaitingApproval: number;
  /** Of them, those whose approval request was already open (no new one was made). */
  approvalAlreadyOpen: number;
  /** Devices whose request expired before it was approved and completed, as read again (lib/bulk/approval-outcome.ts). */
  approvalExpired: number;
  /** Devices whose request was decided (approved, rejected, cancelled) or completed since the run, as read again. */
  approvalDecided: number;
  /** Held for a later wave by the daily wipe limit (nothing applied). */
  waiting: number;
  /** Of them, those the limit refused mid-run (the rest were planned for a later wave). */
  limited: number;
  /** What "Retry failed only" takes: failed devices, and those not sent for a reason that may have passed. */
  retryable: number;
  /** Devices already settled or still to go, for the progress bar. */
  done: number;
  failedByReason: Record<string, number>;
  skippedByReason: Record<string, number>;
}

export function summarize(run: BulkRun): RunSummary {
  const s: RunSummary = {
    total: run.devices.length,
    queued: 0,
    inFlight: 0,
    checking: 0,
    initiated: 0,
    skipped: 0,
    failed: 0,
    notSent: 0,
    awaitingApproval: 0,
    approvalAlreadyOpen: 0,
    approvalExpired: 0,
    approvalDecided: 0,
    waiting: 0,
    limited: 0,
    retryable: 0,
    done: 0,
    failedByReason: {},
    skippedByReason: {},
  };
  for (const d of run.devices) {
    if (d.status === "queued") s.queued++;
    else if (d.status === "sent") s.inFlight++;
    else if (d.status === "unclear") s.checking++;
    else if (d.status === "initiated") s.initiated++;
    else if (d.status === "skipped") {
      s.skipped++;
      s.skippedByReason[d.reason ?? "unknown"] = (s.skippedByReason[d.reason ?? "unknown"] ?? 0) + 1;
    } else if (d.status === "failed") {
      s.failed++;
      s.failedByReason[d.reason ?? "unknown"] = (s.failedByReason[d.reason ?? "unknown"] ?? 0) + 1;
    } else if (d.status === "awaiting-approval") {
      const ended = approvalEnded(d);
      if (ended?.reason === "approval-expired") s.approvalExpired++;
      else if (ended) s.approvalDecided++;
      else s.awaitingApproval++;
      if (d.reason === "approval-open") s.approvalAlreadyOpen++;
    } else if (d.status === "waiting") {
      s.waiting++;
      if (d.reason === "daily-limit") s.limited++;
    } else s.notSent++;
    if (isRetryable(d)) s.retryable++;
  }
  s.done = s.initiated + s.skipped + s.failed + s.notSent + s.awaitingApproval + s.approvalExpired + s.approvalDecided;
  return s;
}

/**
 * "482 initiated, 12 skipped, 6 failed" (+ not sent, when cancelled; + awaiting approval and waiting for the daily
 * limit, which are neither failed nor sent).
 */
export function summaryLine(summary: RunSummary): string {
  const parts = [`${summary.initiated} initiated`, `${summary.skipped} skipped`, `${summary.failed} failed`];
  if (summary.awaitingApproval > 0) parts.push(`${summary.awaitingApproval} awaiting approval`);
  if (summary.approvalExpired > 0) parts.push(`${summary.approvalExpired} ${summary.approvalExpired === 1 ? "approval" : "approvals"} expired`);
  if (summary.approvalDecided > 0) parts.push(`${summary.approvalDecided} ${summary.approvalDecided === 1 ? "approval" : "approvals"} decided`);
  if (summary.waiting > 0) parts.push(`${summary.waiting} waiting for the daily limit`);
  if (summary.notSent > 0) parts.push(`${summary.notSent} not sent`);
  const open = summary.queued + summary.inFlight + summary.checking;
  if (open > 0) parts.push(`${open} to go`);
  return parts.join(", ");
}

/** The skipped devices by reason, in the preflight's words and order (lib/bulk/reasons.ts). */
export function skippedGroups(run: BulkRun): SkippedGroup[] {
  return groupSkipped(run.devices.filter((d) => d.status === "skipped"));
}
