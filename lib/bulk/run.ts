/**
 * The bulk run as a state machine over plain data, so it can be persisted, resumed and tested with fake time.
 *
 * Per device:  queued -> sent -> initiated | failed(reason) | unclear | queued (throttled sync, retried later)
 *              unclear -> (state read) -> initiated | skipped(reset already pending) | queued | failed(not found)
 *              skipped(reason) from the preflight; not-sent when the run was cancelled before it was sent.
 *
 * The rule that keeps a device from being reset twice: a device can only be sent from `queued`, and a device that was
 * sent once only returns to `queued` after a read of its state, made when nothing sent can still land
 * (lib/bulk/send-window.ts), showed no reset under way and none started since this run first sent to it (on Graph's
 * clock). An unclear answer (5xx, timeout, network error, a 429 on a wipe, no answer at all) always goes through
 * that read.
 */
import { SYNC_ACTION_NAMES } from "@/lib/devices/action-status";
import { findPendingReset, resetStartedSince } from "@/lib/devices/reset-evidence";
import { backoffDelayMs, DEFAULT_BACKOFF, retryAfterToMs, type BackoffOptions } from "./pacer";
import { msUntilFinalRead } from "./send-window";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import type { RunDeviceInput, SkippedDeviceInput } from "./types";
import type { DeviceAction } from "@/lib/devices/types";

/** 2: decisions use the server's and Graph's clocks (issuedAt, sentAfterGraph), never the browser's. */
export const RUN_SCHEMA_VERSION = 2;

export type DeviceRunStatus =
  | "queued"
  /** Written before the request leaves ("about to send"); stays until the answer is recorded. */
  | "sent"
  | "unclear"
  | "initiated"
  | "skipped"
  | "failed"
  | "not-sent";

export interface DeviceRun {
  id: string;
  name: string;
  status: DeviceRunStatus;
  warning?: string;
  /** Requests carrying this action to this device in this run, answered or not. */
  sends: number;
  /** When the first of them left, on this browser's clock: shown to the user, never used to decide. */
  firstSentAt?: number;
  /** Graph's clock (ms) before the first send left: a reset that Graph says started since is this run's. */
  sentAfterGraph?: number;
  /** The server ticket of a send whose answer has not arrived (lib/bulk/send-window.ts). */
  issuedAt?: number;
  /** State reads done to settle an unclear answer. */
  checks: number;
  /** Do not send or read before this time (ms since epoch): Retry-After or backoff. */
  notBefore?: number;
  /** Stable code for counting and CSV (skip reason, error kind, "confirmed" ...). */
  reason?: string;
  message?: string;
  /** When the outcome became final (ms since epoch). */
  settledAt?: number;
}

export type RunStatus =
  | "running"
  /** Stopped by the run itself (e.g. the session expired); resumable. */
  | "paused"
  /** The user cancelled: nothing more is sent; unclear devices are still read so the report is true. */
  | "cancelled"
  | "finished";

export interface BulkRun {
  version: typeof RUN_SCHEMA_VERSION;
  id: string;
  action: DeviceAction;
  createdAt: number;
  status: RunStatus;
  pausedReason?: string;
  devices: DeviceRun[];
}

export interface RunPolicy {
  /** Sends per device before a throttled or failing device is given up as failed. */
  maxSendsPerDevice: number;
  /** Reads per unclear device before its outcome is reported as unknown. */
  maxChecksPerDevice: number;
  /** How long to wait after an unclear answer before reading the device (let a slow write land first). */
  checkDelayMs: number;
  backoff: BackoffOptions;
}

export const DEFAULT_POLICY: RunPolicy = {
  maxSendsPerDevice: 6,
  maxChecksPerDevice: 6,
  checkDelayMs: 2_000,
  backoff: DEFAULT_BACKOFF,
};

export const FINAL_STATUSES: ReadonlySet<DeviceRunStatus> = new Set<DeviceRunStatus>([
  "initiated",
  "skipped",
  "failed",
  "not-sent",
]);

export function createRun(input: {
  id: string;
  action: DeviceAction;
  now: number;
  toSend: readonly RunDeviceInput[];
  skipped: readonly SkippedDeviceInput[];
}): BulkRun {
  const devices: DeviceRun[] = [
    ...input.toSend.map((d): DeviceRun => ({ id: d.id, name: d.name, warning: d.warning, status: "queued", sends: 0, checks: 0 })),
    ...input.skipped.map(
      (d): DeviceRun => ({
        id: d.id,
        name: d.name,
        status: "skipped",
        sends: 0,
        checks: 0,
        reason: d.reason,
        message: d.message,
        settledAt: input.now,
      }),
    ),
  ];
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.id)) throw new Error(`Device ${d.id} appears twice in one run.`);
    seen.add(d.id);
  }
  return { version: RUN_SCHEMA_VERSION, id: input.id, action: input.action, createdAt: input.now, status: "running", devices };
}

function updateDevices(run: BulkRun, ids: Iterable<string>, update: (d: DeviceRun) => DeviceRun): BulkRun {
  const wanted = new Set(ids);
  if (wanted.size === 0) return run;
  return { ...run, devices: run.devices.map((d) => (wanted.has(d.id) ? update(d) : d)) };
}

function settle(d: DeviceRun, status: "initiated" | "skipped" | "failed" | "not-sent", now: number, reason: string, message: string): DeviceRun {
  const { notBefore: _dropped, ...rest } = d;
  return { ...rest, status, reason, message, settledAt: now };
}

/** The server's ticket for a send, and Graph's clock as last seen (a lower bound of when the send reaches Graph). */
export interface SendTicket {
  issuedAt: number;
  graphTime?: number;
}

/** The "about to send" marker: persisted before the request leaves. Throws on anything but a queued device. */
export function markSent(run: BulkRun, ids: readonly string[], now: number, ticket: SendTicket): BulkRun {
  if (run.status !== "running") throw new Error(`Cannot send in a ${run.status} run.`);
  const byId = new Map(run.devices.map((d) => [d.id, d]));
  for (const id of ids) {
    const d = byId.get(id);
    if (!d || d.status !== "queued") throw new Error(`Device ${id} is ${d?.status ?? "not in this run"}, not queued: refusing to send.`);
  }
  return updateDevices(run, ids, (d) => {
    const { notBefore: _dropped, ...rest } = d;
    return {
      ...rest,
      status: "sent",
      sends: d.sends + 1,
      firstSentAt: d.firstSentAt ?? now,
      sentAfterGraph: d.sentAfterGraph ?? ticket.graphTime,
      issuedAt: ticket.issuedAt,
    };
  });
}

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
  const paused = sessionExpired && next.status === "running"
    ? { ...next, status: "paused" as const, pausedReason: "Your session has ended. Sign in again, then resume: nothing already sent will be sent again." }
    : next;
  return { run: paused, pauseMs, sessionExpired };
}

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

function alreadyPendingMessage(by: string | null): string {
  const who = by ? ` requested by ${by}` : "";
  return `A reset${who} is already pending on this device; no second reset was sent.`;
}

export type CheckVerdict =
  /** Our command is on record (or its effect is visible): it was applied. */
  | { kind: "applied"; evidence: string }
  /** A reset that started before this run first sent to the device is still under way: do not send another. */
  | { kind: "other-pending"; by: string | null }
  /** Nothing shows our command: it may be sent (again). */
  | { kind: "not-applied" };

/**
 * Decides from a device's state whether the command this run sent was applied. `sentAfterGraph` is Graph's clock
 * before the first send left; every time compared with it is Graph's own. Pure and exported for tests.
 */
export function judgeDeviceState(action: DeviceAction, read: Extract<DeviceRead, { kind: "found" }>, sentAfterGraph: number | undefined): CheckVerdict {
  const evidence = { device: read.device, audits: read.audits ?? [], recent: read.recent ?? null };
  if (action === "reset") {
    const pending = findPendingReset(evidence);
    if (pending) {
      const since = pending.since ? Date.parse(pending.since) : Number.NaN;
      if (sentAfterGraph !== undefined && !Number.isNaN(since) && since < sentAfterGraph - 1_000 && pending.source !== "console") {
        return { kind: "other-pending", by: pending.by };
      }
      return { kind: "applied", evidence: `a reset ${pending.since ? `pending since ${pending.since}` : "pending"}` };
    }
    const started = sentAfterGraph === undefined ? null : resetStartedSince(evidence, sentAfterGraph);
    if (started) return { kind: "applied", evidence: `a reset that started at ${started.since}` };
    return { kind: "not-applied" };
  }
  if (read.recent) return { kind: "applied", evidence: `a sync sent at ${read.recent.at}` };
  const recorded = sentAfterGraph === undefined ? undefined : read.device.deviceActionResults.find((r) => {
    const start = r.startDateTime ? Date.parse(r.startDateTime) : Number.NaN;
    return SYNC_ACTION_NAMES.some((name) => name.toLowerCase() === r.actionName.toLowerCase()) && start >= sentAfterGraph - 1_000;
  });
  if (recorded) return { kind: "applied", evidence: `a sync recorded at ${recorded.startDateTime}` };
  const synced = read.device.lastSyncDateTime ? Date.parse(read.device.lastSyncDateTime) : Number.NaN;
  if (sentAfterGraph !== undefined && !Number.isNaN(synced) && synced >= sentAfterGraph - 1_000) {
    return { kind: "applied", evidence: `a check-in at ${read.device.lastSyncDateTime}` };
  }
  return { kind: "not-applied" };
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
    const wait = msUntilFinalRead({ issuedAt: d.issuedAt, serverTime: serverTime ?? d.issuedAt ?? 0, busyForMs: read.busyForMs });
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

/** The user cancelled: nothing more is sent. Sent and unclear devices keep their state and are still settled by reads. */
export function cancelRun(run: BulkRun, now: number): BulkRun {
  if (run.status === "finished") return run;
  if (run.status === "cancelled" && !run.devices.some((d) => d.status === "queued")) return run;
  return {
    ...run,
    status: "cancelled",
    pausedReason: undefined,
    devices: run.devices.map((d) =>
      d.status === "queued" ? settle(d, "not-sent", now, "cancelled", "Not sent: the run was cancelled.") : d,
    ),
  };
}

/**
 * After a reload: requests that were about to leave (or had left) but have no recorded answer are unclear, and get
 * read before anything is sent again.
 */
export function prepareResume(run: BulkRun, now: number): BulkRun {
  return {
    ...run,
    status: run.status === "cancelled" || run.status === "finished" ? run.status : "running",
    pausedReason: undefined,
    devices: run.devices.map((d) =>
      d.status === "sent"
        ? { ...d, status: "unclear", reason: "interrupted", message: "The page was closed while this request was under way; checking the device.", notBefore: now }
        : d,
    ),
  };
}

/** "Retry failed only": failed devices go back to the queue (after a read, if their outcome was never known). */
export function retryFailed(run: BulkRun, now: number): BulkRun {
  return {
    ...run,
    status: "running",
    pausedReason: undefined,
    devices: run.devices.map((d): DeviceRun => {
      if (d.status !== "failed") return d;
      const { settledAt: _s, notBefore: _n, ...rest } = d;
      // Give each device its send budget again, but keep sentAfterGraph: a reset from earlier in this run still counts.
      const budget = { ...rest, sends: 0, checks: 0 };
      return d.reason === "outcome-unknown" || (d.sends > 0 && d.reason !== "not-found" && d.reason !== "forbidden-role" && d.reason !== "forbidden-consent" && d.reason !== "invalid")
        ? { ...budget, status: "unclear", message: "Checking the device before retrying.", notBefore: now }
        : { ...budget, status: "queued", message: "Retrying." };
    }),
  };
}

export function isRunComplete(run: BulkRun): boolean {
  return run.devices.every((d) => FINAL_STATUSES.has(d.status));
}

/** Marks a running run finished once every device is settled (a cancelled run stays "cancelled"). */
export function finishIfComplete(run: BulkRun): BulkRun {
  return run.status === "running" && isRunComplete(run) ? { ...run, status: "finished", pausedReason: undefined } : run;
}

/** Nothing more will happen without the user (finished, or cancelled with every device settled). */
export function isRunOver(run: BulkRun): boolean {
  return run.status === "finished" || (run.status === "cancelled" && isRunComplete(run));
}

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
