/**
 * How Graph's answers move a bulk run (lib/bulk/run.ts): the outcomes of a sent chunk, a chunk whose answer never
 * arrived, and the reads of unclear devices. Pure: time and randomness come in as arguments.
 */
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import { backoffDelayMs, retryAfterToMs } from "./pacer";
import { DEFAULT_POLICY, settle, updateDevices, type BulkRun, type DeviceRun, type RunPolicy } from "./run";
import { msUntilFinalRead } from "./send-window";
import { alreadyPendingMessage, judgeDeviceState } from "./verdict";

function waitMs(retryAfterSeconds: number | undefined, attempt: number, random: number, policy: RunPolicy): number {
  return retryAfterToMs(retryAfterSeconds) ?? backoffDelayMs(attempt, random, policy.backoff);
}

const GIVE_UP_MESSAGES = {
  throttled: "Intune kept throttling this device's request; nothing was applied. Retry later.",
  unavailable: "Microsoft Graph kept failing for this device; a check showed nothing was applied. Retry later.",
};

/** Records Graph's answers to a sent chunk. Devices missing from `outcomes` are treated as unclear. */
export function applySendOutcomes(
  run: BulkRun,
  ids: readonly string[],
  outcomes: readonly SendOutcome[],
  now: number,
  random: () => number,
  policy: RunPolicy = DEFAULT_POLICY,
  /** Graph's clock right before the writes left, when the server says; tightens a first send's sentAfterGraph. */
  sentAfterGraph?: number,
): { run: BulkRun; pauseMs?: number; sessionExpired: boolean } {
  const byId = new Map(outcomes.map((o) => [o.deviceId, o]));
  let pauseMs: number | undefined;
  let sessionExpired = false;
  let needsJustification = false;
  let limited = false;
  let limitUntil: number | undefined;
  const next = updateDevices(run, ids, (sent): DeviceRun => {
    if (sent.status !== "sent") return sent;
    // The answer came: the ticket has served (the server has finished with this send).
    const { issuedAt: _answered, ...answered } = sent;
    const d: DeviceRun =
      sent.sends === 1 && sentAfterGraph !== undefined
        ? { ...answered, sentAfterGraph: Math.max(sent.sentAfterGraph ?? sentAfterGraph, sentAfterGraph) }
        : answered;
    const outcome: SendOutcome = byId.get(d.id) ?? {
      deviceId: d.id,
      kind: "unclear",
      message: "Graph's answer did not mention this device.",
    };
    switch (outcome.kind) {
      case "not-sent": {
        if (d.sends >= policy.maxSendsPerDevice) return settle(d, "failed", now, "unavailable", `${outcome.message} Retry later.`);
        const wait = waitMs(outcome.retryAfterSeconds, d.sends, random(), policy);
        return { ...d, status: "queued", reason: "not-sent", message: `${outcome.message} Will try again.`, notBefore: now + wait };
      }
      case "busy":
        return { ...d, status: "unclear", reason: "busy", message: outcome.message, notBefore: now + outcome.busyForMs };
      case "already-pending":
        return settle(d, "skipped", now, "reset-pending", alreadyPendingMessage(outcome.by));
      case "refused":
        return settle(d, "skipped", now, outcome.reason, outcome.message);
      case "accepted":
        return settle(d, "initiated", now, "accepted", run.action === "reset" ? "Reset initiated: it starts at the device's next check-in." : "Sync sent.");
      case "throttled": {
        const wait = waitMs(outcome.retryAfterSeconds, d.sends, random(), policy);
        pauseMs = Math.max(pauseMs ?? 0, wait);
        if (run.action === "reset") {
          // A throttled wipe may still have been applied: read the device before anything is resent.
          return { ...d, status: "unclear", reason: "throttled", message: "Throttled by Intune; checking the device before retrying.", notBefore: now + Math.max(wait, policy.checkDelayMs) };
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
        if (outcome.error.kind === "throttled" || outcome.error.kind === "unavailable" || outcome.error.kind === "unclear") {
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
  return { run: paused, pauseMs, sessionExpired };
}

/** A device the daily limit refused (or held back once it answered): nothing was applied. */
const LIMITED_MESSAGE = "Not sent: your tenant reached Intune's daily wipe limit, and nothing was applied. It goes in the next wave.";

const NEEDS_JUSTIFICATION_REASON =
  "Your tenant's Multi Admin Approval policy now covers these resets: nothing was applied to the devices it refused. Give one justification for the run, then resume; each device then waits for an approver.";

/** A network error or a thrown server action: every device of the chunk is unclear. */
export function applySendFailure(run: BulkRun, ids: readonly string[], message: string, now: number, policy: RunPolicy = DEFAULT_POLICY): BulkRun {
  // No answer at all: the server may still be working on it, so the ticket stays and decides when a read is final.
  const tickets = new Map(run.devices.filter((d) => d.status === "sent").map((d) => [d.id, d.issuedAt]));
  const recorded = applySendOutcomes(
    run,
    ids,
    ids.map((deviceId) => ({ deviceId, kind: "unclear" as const, message })),
    now,
    () => 0,
    policy,
  ).run;
  return updateDevices(recorded, tickets.keys(), (d) => (d.status === "unclear" ? { ...d, issuedAt: tickets.get(d.id) } : d));
}

/** Records the reads of unclear devices; `serverTime` is the server's clock when it read them. */
export function applyChecks(
  run: BulkRun,
  reads: readonly DeviceRead[],
  now: number,
  random: () => number,
  policy: RunPolicy = DEFAULT_POLICY,
  serverTime?: number,
): BulkRun {
  const byId = new Map(reads.map((r) => [r.deviceId, r]));
  return updateDevices(run, byId.keys(), (unclear): DeviceRun => {
    if (unclear.status !== "unclear") return unclear;
    let d = unclear;
    const read = byId.get(d.id)!;
    const checks = d.checks + 1;
    if (read.kind === "error") {
      if (checks >= policy.maxChecksPerDevice) {
        return settle(
          { ...d, checks },
          "failed",
          now,
          "outcome-unknown",
          "Graph did not confirm whether the command was applied, and the device could not be read. Check the device before retrying.",
        );
      }
      const wait = retryAfterToMs(read.error.retryAfterSeconds) ?? backoffDelayMs(checks, random(), policy.backoff);
      return { ...d, checks, notBefore: now + wait };
    }
    if (read.kind === "not-found") {
      return settle({ ...d, checks }, "failed", now, "not-found", "The device no longer exists in Intune (deleted since it was selected).");
    }
    const wait = msUntilFinalRead({ issuedAt: d.issuedAt, graphTime: serverTime ?? d.issuedAt ?? 0, busyForMs: read.busyForMs });
    if (wait > 0) {
      // Not a check that counts: the send may still land, so nothing is decided until it cannot.
      return { ...d, notBefore: now + wait, message: `Checking: a request to this device may still reach Intune (about ${Math.ceil(wait / 1000)} s left).` };
    }
    const { issuedAt: _final, ...settled } = d;
    d = settled;
    const verdict = judgeDeviceState(run.action, read, d.sentAfterGraph);
    if (verdict.kind === "applied") {
      const what = run.action === "reset" ? "Reset initiated" : "Sync sent";
      return settle({ ...d, checks }, "initiated", now, "confirmed", `${what} (Graph's answer was unclear; the device shows ${verdict.evidence}).`);
    }
    if (verdict.kind === "other-pending") {
      return settle({ ...d, checks }, "skipped", now, "reset-pending", alreadyPendingMessage(verdict.by));
    }
    if (run.status !== "running") {
      return settle({ ...d, checks }, "not-sent", now, "cancelled", "Not applied: the run was cancelled before it could be resent.");
    }
    if (d.sends >= policy.maxSendsPerDevice) {
      return settle({ ...d, checks }, "failed", now, d.reason === "throttled" ? "throttled" : "unavailable", d.reason === "throttled" ? GIVE_UP_MESSAGES.throttled : GIVE_UP_MESSAGES.unavailable);
    }
    // Keep notBefore: a throttled wipe still waits out its Retry-After.
    return { ...d, checks, status: "queued", message: "Not applied yet (checked); will be sent again." };
  });
}
