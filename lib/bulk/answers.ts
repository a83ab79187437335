// Over 300 lines: every kind of Graph answer moves the run here, in one switch, so no outcome is handled twice.
/**
 * How Graph's answers move a bulk run (lib/bulk/run.ts): the outcomes of a sent chunk, a chunk whose answer never
 * arrived, and the reads of unclear devices. Pure: time and randomness come in as arguments.
 *
 * Two records per device decide what may happen next, both the run's own (docs/safety.md, "A reload or a closed tab
 * while a write is slow"):
 * - `issuedAt`, the ticket of a send whose answer was unclear or never came, kept until a read that is final by it
 *   (lib/bulk/send-window.ts msUntilFinalRead, on the read's Graph time), so a server that forgot its markers cannot
 *   make the run resend before a slow write could have landed;
 * - `reached`, set once a send of this run may have been applied: only then can a reset Graph shows be this run's.
 */
import { recentlyResetSentence } from "./planner";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import type { ActionError } from "@/lib/result";
import { backoffDelayMs, retryAfterToMs } from "./pacer";
import { isStoreUnavailable, STORE_UNAVAILABLE_NOT_SENT } from "./reasons";
import { DEFAULT_POLICY, settle, updateDevices, type BulkRun, type DeviceRun, type RunPolicy } from "./run";
import { msUntilFinalRead, THROTTLED_WRITE_MARGIN_MS } from "./send-window";
import { alreadyPendingMessage, judgeDeviceState } from "./verdict";

function waitMs(retryAfterSeconds: number | undefined, attempt: number, random: number, policy: RunPolicy): number {
  return retryAfterToMs(retryAfterSeconds) ?? backoffDelayMs(attempt, random, policy.backoff);
}

const GIVE_UP_MESSAGES = {
  throttled: "Intune kept throttling this device's request; nothing was applied. Retry later.",
  unavailable: "Microsoft Graph kept failing for this device; a check showed nothing was applied. Retry later.",
};

/** While the coordination store is away, the run waits at least this long between tries (it is one store for all). */
const STORE_RETRY_MIN_MS = 10_000;

/**
 * A read that is not final yet is made again after its wait, or after this long if that is sooner: Graph's clock, not
 * this page's, says when a read is final, so a later read may find the wait over earlier than this page expected.
 */
export const NOT_FINAL_RECHECK_MS = 30_000;

/**
 * The sentence of a device whose read is not final yet: no figure of its own, the panel's one estimate counts the wait
 * (lib/bulk/estimate.ts, from finalReadAt).
 */
const CHECKING_MESSAGE = "Checking: a request to this device may still reach Intune; it is read again once none can.";

/** Whether Graph may have applied the command of a send with this answer. */
function mayHaveApplied(outcome: SendOutcome): boolean {
  switch (outcome.kind) {
    case "accepted":
    case "unclear":
    case "throttled":
      return true;
    case "rejected":
      return isUnclearError(outcome.error);
    default:
      return false;
  }
}

/** A refusal the run cannot take at its word: Graph may have applied the command anyway. */
function isUnclearError(error: ActionError): boolean {
  return error.kind === "throttled" || error.kind === "unavailable" || error.kind === "unclear";
}

/** Whether the answer leaves the send's landing open, so its ticket must stay until a final read. */
function leavesLandingOpen(outcome: SendOutcome): boolean {
  return outcome.kind === "unclear" || (outcome.kind === "rejected" && isUnclearError(outcome.error) && outcome.error.kind !== "throttled");
}

export interface SendOutcomesResult {
  run: BulkRun;
  /** Hold every send this long (a 429's Retry-After, the coordination store away). */
  pauseMs?: number;
  sessionExpired: boolean;
  /** The server refused the ticket as too old: fetch a fresh one before the next send. */
  ticketExpired: boolean;
}

/** Records Graph's answers to a sent chunk. Devices missing from `outcomes` are treated as unclear. */
export function applySendOutcomes(
  run: BulkRun,
  ids: readonly string[],
  outcomes: readonly SendOutcome[],
  now: number,
  random: () => number,
  policy: RunPolicy = DEFAULT_POLICY,
  /** Graph's clock right before the writes left, when the server says; tightens sentAfterGraph. */
  sentAfterGraph?: number,
): SendOutcomesResult {
  const byId = new Map(outcomes.map((o) => [o.deviceId, o]));
  let pauseMs: number | undefined;
  let sessionExpired = false;
  let ticketExpired = false;
  let needsJustification = false;
  let limited = false;
  let limitUntil: number | undefined;
  const pause = (ms: number) => {
    pauseMs = Math.max(pauseMs ?? 0, ms);
  };
  const next = updateDevices(run, ids, (sent): DeviceRun => {
    if (sent.status !== "sent") return sent;
    const outcome: SendOutcome = byId.get(sent.id) ?? {
      deviceId: sent.id,
      kind: "unclear",
      message: "Graph's answer did not mention this device.",
    };
    // A definite answer ends the ticket's part (the server is done with this send); an unclear one keeps it.
    const { issuedAt, ...answered } = sent;
    const reachedNow = mayHaveApplied(outcome);
    const d: DeviceRun = {
      ...answered,
      ...(leavesLandingOpen(outcome) && issuedAt !== undefined ? { issuedAt } : {}),
      ...(reachedNow || sent.reached ? { reached: true } : {}),
      ...(reachedNow && !sent.reached && sentAfterGraph !== undefined
        ? { sentAfterGraph: Math.max(sent.sentAfterGraph ?? sentAfterGraph, sentAfterGraph) }
        : {}),
    };
    switch (outcome.kind) {
      case "not-sent": {
        if (outcome.reason === "store-restarted") {
          // Not a failure, and not a send that counts: the server waits out writes it can no longer see, then sends.
          const wait = "busyForMs" in outcome && typeof outcome.busyForMs === "number" ? outcome.busyForMs : waitMs(outcome.retryAfterSeconds, 3, random(), policy);
          return {
            ...d,
            sends: Math.max(0, d.sends - 1),
            status: "queued",
            reason: "store-restarted",
            message: "Not sent yet: the console's coordination store restarted, and a request sent before may still land; sending once it cannot.",
            notBefore: now + wait,
          };
        }
        if (outcome.reason === "store-unavailable") {
          if (d.sends >= policy.maxSendsPerDevice) return settle(d, "not-sent", now, "store-unavailable", STORE_UNAVAILABLE_NOT_SENT);
          const wait = Math.max(STORE_RETRY_MIN_MS, waitMs(outcome.retryAfterSeconds, d.sends, random(), policy));
          pause(wait);
          return {
            ...d,
            status: "queued",
            reason: "store-unavailable",
            message: "Not sent yet: the console's coordination store could not be reached; trying again shortly.",
            notBefore: now + wait,
          };
        }
        if (outcome.reason === "ticket-expired") ticketExpired = true;
        if (d.sends >= policy.maxSendsPerDevice) return settle(d, "not-sent", now, outcome.reason ?? "unavailable", `${outcome.message.replace(/\.?$/, ".")} Retry later.`);
        const wait = outcome.reason === "ticket-expired" ? 0 : waitMs(outcome.retryAfterSeconds, d.sends, random(), policy);
        return { ...d, status: "queued", reason: outcome.reason ?? "not-sent", message: `${outcome.message} Will try again.`, notBefore: now + wait };
      }
      case "busy":
        return { ...d, status: "unclear", reason: "busy", message: outcome.message, notBefore: now + outcome.busyForMs };
      case "already-pending":
        return settle(d, "skipped", now, "reset-pending", alreadyPendingMessage(outcome.by, outcome.since));
      case "refused":
        return settle(d, "skipped", now, outcome.reason, outcome.nextStep ? `${outcome.message} ${outcome.nextStep}` : outcome.message);
      case "accepted": {
        const sent = run.action === "reset" ? "Reset initiated: it starts at the device's next check-in." : "Sync sent.";
        const also = outcome.recentlyReset ? ` It had already been reset in the last 24 hours: ${recentlyResetSentence(outcome.recentlyReset, now)}` : "";
        return settle(d, "initiated", now, "accepted", `${sent}${also}`);
      }
      case "throttled": {
        const wait = waitMs(outcome.retryAfterSeconds, d.sends, random(), policy);
        pause(wait);
        if (run.action === "reset") {
          // A throttled wipe may still have been applied: read the device before anything is resent, once a read
          // that lags the write by a moment has caught up.
          const checkAfter = Math.max(wait, policy.checkDelayMs, THROTTLED_WRITE_MARGIN_MS);
          return { ...d, status: "unclear", reason: "throttled", message: "Throttled by Intune; checking the device before retrying.", notBefore: now + checkAfter };
        }
        if (d.sends >= policy.maxSendsPerDevice) return settle(d, "failed", now, "throttled", GIVE_UP_MESSAGES.throttled);
        return { ...d, status: "queued", reason: "throttled", message: "Throttled by Intune; will retry.", notBefore: now + wait };
      }
      case "unclear":
        return {
          ...d,
          status: "unclear",
          reason: "unclear",
          message: `${outcome.message} Checking the device before anything is resent.`,
          notBefore: now + policy.checkDelayMs,
        };
      case "rejected":
        if (outcome.error.kind === "daily-limit") {
          // Refused before it ran: held for the next wave, never reported as sent or failed (docs/safety.md).
          limited = true;
          if (outcome.error.retryAfterSeconds !== undefined && sentAfterGraph !== undefined) {
            limitUntil = Math.max(limitUntil ?? 0, sentAfterGraph + outcome.error.retryAfterSeconds * 1000);
          }
          const { notBefore: _n, ...held } = d;
          return { ...held, status: "waiting", reason: "daily-limit", message: LIMITED_MESSAGE };
        }
        if (outcome.error.kind === "approval-required" && outcome.error.approvalRequestId) {
          return {
            ...settle(d, "awaiting-approval", now, "approval-required", `Awaiting approval: Intune opened approval request ${outcome.error.approvalRequestId}. Nothing runs until an approver approves it and the reset is completed.`),
            approvalRequestId: outcome.error.approvalRequestId,
          };
        }
        if (outcome.error.kind === "approval-required" && !run.justification) {
          // No justification went with it, so Intune opened no request and ran nothing: safe to send again with one.
          needsJustification = true;
          return { ...d, status: "queued", reason: "needs-justification", message: "Not sent: your tenant's Multi Admin Approval policy asks for a justification first." };
        }
        if (outcome.error.kind === "approval-open") {
          return settle(d, "awaiting-approval", now, "approval-open", "Approval already requested: an approval request for this device is open, so no new one was made. Nothing was applied.");
        }
        if (outcome.error.kind === "unauthenticated") {
          // Refused before it was applied: safe to send again once the user has signed in again.
          sessionExpired = true;
          return { ...d, status: "queued", reason: "unauthenticated", message: outcome.error.message };
        }
        if (isUnclearError(outcome.error)) {
          return { ...d, status: "unclear", reason: outcome.error.kind, message: outcome.error.message, notBefore: now + policy.checkDelayMs };
        }
        return settle(d, "failed", now, outcome.error.kind, outcome.error.message);
    }
  });
  // The limit answered: nothing more fits today, so the rest of this wave waits too instead of being refused one by one.
  const held = limited
    ? {
        ...updateDevices(next, next.devices.filter((x) => x.status === "queued").map((x) => x.id), (q): DeviceRun => {
          const { notBefore: _n, ...rest } = q;
          return { ...rest, status: "waiting", reason: "daily-limit", message: LIMITED_MESSAGE };
        }),
        ...(limitUntil !== undefined ? { limitUntil: Math.max(next.limitUntil ?? 0, limitUntil) } : {}),
      }
    : next;
  const paused = sessionExpired && held.status === "running"
    ? { ...held, status: "paused" as const, pausedReason: "Your session has ended. Sign in again, then resume: nothing already sent will be sent again." }
    : needsJustification && held.status === "running"
      ? { ...held, status: "paused" as const, needsJustification: true, pausedReason: NEEDS_JUSTIFICATION_REASON }
      : held;
  return { run: paused, pauseMs, sessionExpired, ticketExpired };
}

/** A device the daily limit refused (or held back once it answered): nothing was applied. */
const LIMITED_MESSAGE = "Not sent: your tenant reached Intune's daily wipe limit, and nothing was applied. It goes in the next wave.";

const NEEDS_JUSTIFICATION_REASON =
  "Your tenant's Multi Admin Approval policy now covers these resets: nothing was applied to the devices it refused. Give one justification for the run, then resume; each device then waits for an approver.";

/**
 * A network error or a thrown server action: every device of the chunk is unclear, may have been reached, and keeps
 * its ticket (the server may still be working on it).
 */
export function applySendFailure(run: BulkRun, ids: readonly string[], message: string, now: number, policy: RunPolicy = DEFAULT_POLICY): BulkRun {
  return applySendOutcomes(
    run,
    ids,
    ids.map((deviceId) => ({ deviceId, kind: "unclear" as const, message })),
    now,
    () => 0,
    policy,
  ).run;
}

/** A read that failed this many times settles the device: what can be said depends on whether this run reached it. */
function giveUpReading(d: DeviceRun, error: ActionError, now: number): DeviceRun {
  const store = isStoreUnavailable(error);
  if (!d.reached) {
    // Nothing this run sent can have been applied: whatever the read would have said, this run sent it nothing.
    return store
      ? settle(d, "not-sent", now, "store-unavailable", STORE_UNAVAILABLE_NOT_SENT)
      : settle(d, "not-sent", now, "read-failed", `Not sent: the device could not be checked (${error.message.replace(/\.$/, "")}), and this run sent it nothing. Retry later.`);
  }
  return settle(
    d,
    "failed",
    now,
    "outcome-unknown",
    store
      ? "Graph did not confirm whether the command was applied, and the device could not be checked because the console's coordination store could not be reached. Check the device before retrying."
      : "Graph did not confirm whether the command was applied, and the device could not be read. Check the device before retrying.",
  );
}

/**
 * Records the reads of unclear devices. `graphTime` is Graph's clock when the server read them (the read answer's),
 * undefined when unknown: then no read is final for a device that still holds a ticket.
 */
export function applyChecks(
  run: BulkRun,
  reads: readonly DeviceRead[],
  now: number,
  random: () => number,
  policy: RunPolicy = DEFAULT_POLICY,
  graphTime?: number,
): BulkRun {
  const byId = new Map(reads.map((r) => [r.deviceId, r]));
  return updateDevices(run, byId.keys(), (unclear): DeviceRun => {
    if (unclear.status !== "unclear") return unclear;
    const read = byId.get(unclear.id)!;
    const checks = unclear.checks + 1;
    if (read.kind === "error") {
      if (checks >= policy.maxChecksPerDevice) return giveUpReading({ ...unclear, checks }, read.error, now);
      const backoff = retryAfterToMs(read.error.retryAfterSeconds) ?? backoffDelayMs(checks, random(), policy.backoff);
      const wait = isStoreUnavailable(read.error) ? Math.max(STORE_RETRY_MIN_MS, backoff) : backoff;
      return { ...unclear, checks, notBefore: now + wait };
    }
    if (read.kind === "not-found") {
      const { issuedAt: _gone, ...d } = unclear;
      return settle({ ...d, checks }, "failed", now, "not-found", "The device no longer exists in Intune (deleted since it was selected).");
    }
    const known = graphTime !== undefined && Number.isFinite(graphTime);
    const wait =
      unclear.issuedAt !== undefined && !known
        ? policy.checkDelayMs
        : msUntilFinalRead({ issuedAt: unclear.issuedAt, graphTime: known ? graphTime : 0, busyForMs: read.busyForMs });
    if (wait > 0) {
      // Not a check that counts: a send may still land, so nothing is decided until it cannot.
      return { ...unclear, notBefore: now + Math.min(wait, NOT_FINAL_RECHECK_MS), finalReadAt: now + wait, message: CHECKING_MESSAGE };
    }
    const { issuedAt: _final, finalReadAt: _shown, ...d } = unclear;
    const verdict = judgeDeviceState(run.action, read, { reached: d.reached === true, sentAfterGraph: d.sentAfterGraph });
    if (verdict.kind === "applied") {
      const what = run.action === "reset" ? "Reset initiated" : "Sync sent";
      return settle({ ...d, checks }, "initiated", now, "confirmed", `${what} (Graph's answer was unclear; the device shows ${verdict.evidence}).`);
    }
    if (verdict.kind === "other-pending") {
      return settle({ ...d, checks }, "skipped", now, "reset-pending", alreadyPendingMessage(verdict.by, verdict.since));
    }
    if (run.status !== "running") {
      return settle({ ...d, checks }, "not-sent", now, "cancelled", d.reached ? "Not applied: the run was cancelled before it could be resent." : "Not sent: the run was cancelled.");
    }
    if (d.sends >= policy.maxSendsPerDevice) {
      if (!d.reached) {
        return d.reason === "busy"
          ? settle({ ...d, checks }, "not-sent", now, "busy", "Not sent: other requests to this device kept it busy, and this run sent it nothing. Retry later.")
          : settle({ ...d, checks }, "not-sent", now, "unavailable", "Not sent: this run could not get a request to this device through, and sent it nothing. Retry later.");
      }
      return settle({ ...d, checks }, "failed", now, d.reason === "throttled" ? "throttled" : "unavailable", d.reason === "throttled" ? GIVE_UP_MESSAGES.throttled : GIVE_UP_MESSAGES.unavailable);
    }
    // Keep notBefore: a throttled wipe still waits out its Retry-After.
    return { ...d, checks, status: "queued", message: d.reached ? "Not applied yet (checked); will be sent again." : "Checked: nothing under way; will be sent." };
  });
}
