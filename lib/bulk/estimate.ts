/**
 * The run panel's one estimate (issue 23, item 2): how long a driven bulk run has left, or, when Graph keeps failing,
 * what the run is waiting for instead of a countdown that cannot be kept. Pure: the engine's own pacer, the run's
 * devices and the latest attempts come in, with the time; nothing here reads a clock.
 *
 * What it counts, all on this browser's clock (shown, never used to decide):
 * - devices still to send go out a write window's worth at a time (lib/bulk/pacer.ts), starting no earlier than the
 *   next send the pacer (a Retry-After, the window) and the devices' own waits (backoff) allow;
 * - devices whose answer was unclear are settled by a read that is final only once nothing sent can still land
 *   (lib/bulk/send-window.ts): the wait the latest read gave, or the whole margin when no read has said yet.
 */
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import { earliestTimeFor, INTUNE_WRITE_LIMIT, type PacerOptions, type PacerState } from "./pacer";
import type { DeviceRun } from "./run";
import { SEND_TICKET_LIFETIME_MS, WRITE_LANDING_MARGIN_MS } from "./send-window";

/** One call to Graph through the server (a send or a read): did Graph answer it, or fail it? */
export type Attempt = "answered" | "failed";

/** This many failed calls in a row and no answered one since: Graph "keeps failing". */
export const FAILING_AFTER = 3;

/** Past this long without an answer to a call under way, the panel says it is waiting on Graph. */
export const SLOW_ANSWER_MS = 30_000;

/** A call under way is assumed to take about this long (a round trip and Graph's work; shown only). */
const CALL_MS = 2_000;

export interface EstimateInput {
  now: number;
  devices: readonly Pick<DeviceRun, "status" | "notBefore" | "issuedAt" | "finalReadAt">[];
  /** The engine's pacer as it stands, and the limits it paces to. */
  pacer: PacerState;
  pacerOptions?: PacerOptions;
  /** The latest calls, oldest first. */
  recent: readonly Attempt[];
  /** How long a call under way has had no answer (0: none under way). */
  msWithoutAnswer: number;
}

export type RunEstimate =
  /** Nothing left to send or read. */
  | { kind: "none" }
  /** A call has been at Graph for long with no answer. */
  | { kind: "slow"; secondsWithoutAnswer: number }
  /**
   * Graph keeps failing (the latest FAILING_AFTER calls failed) or asked the run to wait (Retry-After): no countdown,
   * the time of the next try instead (null: a try is under way now).
   */
  | { kind: "waiting"; why: "errors" | "throttled"; nextTryAt: number | null; secondsToNextTry: number }
  /** About this many seconds left, at the pace the engine really keeps. */
  | { kind: "left"; seconds: number };

/** Failed calls at the end of `recent`, after the latest answered one. */
export function failuresInARow(recent: readonly Attempt[]): number {
  let n = 0;
  for (let i = recent.length - 1; i >= 0 && recent[i] === "failed"; i--) n++;
  return n;
}

const isGraphFailure = (outcome: SendOutcome) =>
  outcome.kind === "throttled" ||
  outcome.kind === "unclear" ||
  (outcome.kind === "rejected" && ["throttled", "unavailable", "unclear"].includes(outcome.error.kind));

/** A send call failed when no device of it got a definite answer from Graph (every one throttled or 5xx). */
export function sendAttempt(outcomes: readonly SendOutcome[] | null): Attempt {
  return outcomes === null || (outcomes.length > 0 && outcomes.every(isGraphFailure)) ? "failed" : "answered";
}

/** A read call failed when every read in it did (null: the call itself failed). */
export function readAttempt(reads: readonly DeviceRead[] | null): Attempt {
  return reads === null || (reads.length > 0 && reads.every((r) => r.kind === "error")) ? "failed" : "answered";
}

/** When the engine will next call Graph for this run (a send or a read), at the earliest; null when nothing waits. */
export function nextTryAt(input: Pick<EstimateInput, "now" | "devices" | "pacer" | "pacerOptions">): number | null {
  const { now, devices, pacer } = input;
  const options = input.pacerOptions ?? INTUNE_WRITE_LIMIT;
  const times: number[] = [];
  const queued = devices.filter((d) => d.status === "queued");
  if (queued.length > 0) {
    const ready = Math.min(...queued.map((d) => d.notBefore ?? 0));
    const want = Math.min(queued.length, options.windowCapacity);
    times.push(Math.max(ready, earliestTimeFor(pacer, want, Math.max(now, ready), options)));
  }
  for (const d of devices) if (d.status === "unclear") times.push(d.notBefore ?? now);
  return times.length === 0 ? null : Math.max(now, Math.min(...times));
}

/** When a device whose answer was unclear is expected to be settled by a final read. */
function settledByRead(d: EstimateInput["devices"][number], now: number): number {
  const read = d.notBefore ?? now;
  if (d.finalReadAt !== undefined) return Math.max(read, d.finalReadAt);
  // No read has said how long yet: a send that may still land keeps its ticket for the whole margin.
  return d.issuedAt !== undefined ? read + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS : read;
}

export function estimateRun(input: EstimateInput): RunEstimate {
  const { now, devices, pacer, recent, msWithoutAnswer } = input;
  const options = input.pacerOptions ?? INTUNE_WRITE_LIMIT;
  const open = devices.filter((d) => d.status === "queued" || d.status === "sent" || d.status === "unclear");
  if (open.length === 0) return { kind: "none" };
  if (msWithoutAnswer > SLOW_ANSWER_MS) return { kind: "slow", secondsWithoutAnswer: Math.round(msWithoutAnswer / 1000) };

  const next = nextTryAt({ now, devices, pacer, pacerOptions: options });
  const underWay = devices.some((d) => d.status === "sent");
  const waiting = (why: "errors" | "throttled", at: number | null): RunEstimate => ({
    kind: "waiting",
    why,
    nextTryAt: at,
    secondsToNextTry: at === null ? 0 : Math.ceil((at - now) / 1000),
  });
  if (pacer.pausedUntil > now) return waiting("throttled", Math.max(pacer.pausedUntil, next ?? 0));
  if (failuresInARow(recent) >= FAILING_AFTER) return waiting("errors", underWay || next === null || next <= now ? null : next);

  let end = underWay ? now + CALL_MS : now;
  const queued = devices.filter((d) => d.status === "queued").length;
  if (queued > 0 && next !== null) {
    const windows = Math.ceil(queued / options.windowCapacity) - 1;
    end = Math.max(end, next + windows * (options.windowMs + options.windowMarginMs) + CALL_MS);
  }
  for (const d of devices) if (d.status === "unclear") end = Math.max(end, settledByRead(d, now) + CALL_MS);
  return { kind: "left", seconds: Math.max(1, Math.ceil((end - now) / 1000)) };
}

/** "45 s", "2 min", "2 min 5 s": the wording of lib/monitor/pending-for.ts's durations by seconds. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 60)} min`;
}

/**
 * The estimate in words, or null when there is nothing to say. `timeOfDay` writes a browser-clock time ("14:02:10").
 * Only "left" is a countdown; "waiting" names the time of the next try, never a time left the run cannot keep.
 */
export function estimateSentence(estimate: RunEstimate, timeOfDay: (ms: number) => string): string | null {
  switch (estimate.kind) {
    case "none":
      return null;
    case "left":
      return `About ${formatWait(estimate.seconds)} left.`;
    case "slow":
      return `Waiting on Microsoft Graph: no answer for ${formatWait(estimate.secondsWithoutAnswer)}. Nothing is resent while it is slow; the run goes on as soon as Graph answers.`;
    case "waiting": {
      const what = estimate.why === "throttled" ? "Intune is throttling this run's requests (Retry-After)" : "Graph is answering with errors";
      if (estimate.nextTryAt === null || estimate.secondsToNextTry <= 0) return `${what}; the run is trying again now. Nothing is resent before it is known not to have landed.`;
      return `${what}; the next try is at ${timeOfDay(estimate.nextTryAt)} (in ${formatWait(estimate.secondsToNextTry)}). Nothing is resent before it is known not to have landed.`;
    }
  }
}
