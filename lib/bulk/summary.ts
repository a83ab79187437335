/** What the bulk run panel and its CSV count: per status, per reason, and the one line that sums a run up. */
import type { BulkRun } from "./run";

export interface RunSummary {
  total: number;
  queued: number;
  inFlight: number;
  checking: number;
  initiated: number;
  skipped: number;
  failed: number;
  notSent: number;
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
    } else s.notSent++;
  }
  s.done = s.initiated + s.skipped + s.failed + s.notSent;
  return s;
}

/** "482 initiated, 12 skipped, 6 failed" (+ not sent, when cancelled). */
export function summaryLine(summary: RunSummary): string {
  const parts = [`${summary.initiated} initiated`, `${summary.skipped} skipped`, `${summary.failed} failed`];
  if (summary.notSent > 0) parts.push(`${summary.notSent} not sent`);
  const open = summary.queued + summary.inFlight + summary.checking;
  if (open > 0) parts.push(`${open} to go`);
  return parts.join(", ");
}
