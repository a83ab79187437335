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
 *
 * This file holds the run's data and the transitions the user starts (create, cancel, resume, retry); Graph's answers
 * move it in lib/bulk/answers.ts, the read's verdict is lib/bulk/verdict.ts, and the counts shown are lib/bulk/summary.ts.
 */
import type { DeviceAction } from "@/lib/devices/types";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./pacer";
import type { RunDeviceInput, SkippedDeviceInput } from "./types";

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

/** Shared by the transitions here and in lib/bulk/answers.ts. */
export function updateDevices(run: BulkRun, ids: Iterable<string>, update: (d: DeviceRun) => DeviceRun): BulkRun {
  const wanted = new Set(ids);
  if (wanted.size === 0) return run;
  return { ...run, devices: run.devices.map((d) => (wanted.has(d.id) ? update(d) : d)) };
}

export function settle(d: DeviceRun, status: "initiated" | "skipped" | "failed" | "not-sent", now: number, reason: string, message: string): DeviceRun {
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

