// Over 300 lines: the per-device state machine and its transitions, kept whole so every transition is checked together.
/**
 * The bulk run as a state machine over plain data, so it can be persisted, resumed and tested with fake time.
 *
 * Per device:  queued -> sent -> initiated | failed(reason) | unclear | queued (throttled sync, retried later)
 *              unclear -> (state read) -> initiated | skipped(reset already pending) | queued | failed(not found)
 *              skipped(reason) from the preflight; not-sent when the run was cancelled before it was sent.
 *              waiting: not sent, held for a later wave under Intune's daily wipe limit (planned, or refused by the
 *              limit: nothing was applied); only the user's "Start next wave" puts it back in the queue.
 *              awaiting-approval: Multi Admin Approval holds it (an approval request was opened, or one already was);
 *              nothing was applied, and nothing in this run sends it again.
 *
 * The rule that keeps a device from being reset twice: a device can only be sent from `queued`, and a device that was
 * sent once only returns to `queued` after a read of its state, made when nothing sent can still land
 * (lib/bulk/send-window.ts), showed no reset under way and none started since this run first sent to it (on Graph's
 * clock). An unclear answer (5xx, timeout, network error, a 429 on a wipe, no answer at all) always goes through
 * that read, and the run itself keeps the send's ticket (`issuedAt`, Graph's time) until a read is final by it: the
 * run bounds its own resends from its own record, whatever the server remembers.
 *
 * The rule that keeps every report true: "initiated" is said only for a device this run may have reached (`reached`:
 * a send of this run may have been applied); a reset under way on a device this run never reached is someone else's,
 * and the device is skipped, naming who sent it and when.
 *
 * This file holds the run's data and the transitions the user starts (create, cancel, resume, retry); Graph's answers
 * move it in lib/bulk/answers.ts, the read's verdict is lib/bulk/verdict.ts, and the counts shown are lib/bulk/summary.ts.
 */
import type { DeviceAction } from "@/lib/devices/types";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./pacer";
import type { RunDeviceInput, SkippedDeviceInput, SourceLine } from "./types";

/**
 * 3: tickets (issuedAt) are Graph's time and stay until a final read; `reached`; stored compactly
 * (lib/bulk/persistence.ts). 2: decisions use the server's and Graph's clocks, never the browser's.
 */
export const RUN_SCHEMA_VERSION = 3;

export type DeviceRunStatus =
  | "queued"
  /** Written before the request leaves ("about to send"); stays until the answer is recorded. */
  | "sent"
  | "unclear"
  | "initiated"
  | "skipped"
  | "failed"
  | "not-sent"
  /** Held for a later wave by the daily wipe limit: nothing was applied (reason "next-wave" or "daily-limit"). */
  | "waiting"
  /** Behind Multi Admin Approval: nothing was applied (reason "approval-required" or "approval-open"). Final. */
  | "awaiting-approval";

export interface DeviceRun {
  id: string;
  name: string;
  status: DeviceRunStatus;
  warning?: string;
  /** The line of the user's list that named the device, when the run started from a list. */
  sourceLine?: SourceLine;
  /** As Intune had them at the preflight, for the results CSV. */
  serialNumber?: string;
  primaryUser?: string;
  /** Requests carrying this action to this device in this run, answered or not. */
  sends: number;
  /** When the first of them left, on this browser's clock: shown to the user, never used to decide. */
  firstSentAt?: number;
  /**
   * Graph's clock (ms) before the first send that may have reached Graph left (before that, the latest send's): a
   * reset that Graph says started since is this run's.
   */
  sentAfterGraph?: number;
  /**
   * The ticket (Graph's time, lib/bulk/send-window.ts) of a send whose answer was unclear or never came; kept until a
   * read that is final by it, and dropped on a definite answer.
   */
  issuedAt?: number;
  /**
   * A send of this run may have reached Graph and been applied (accepted, unclear, throttled wipe, no answer). Never
   * unset: a reset under way on a device without it is not this run's.
   */
  reached?: boolean;
  /** State reads done to settle an unclear answer. */
  checks: number;
  /** Do not send or read before this time (ms since epoch): Retry-After or backoff. */
  notBefore?: number;
  /** Stable code for counting and CSV (skip reason, error kind, "confirmed" ...). */
  reason?: string;
  message?: string;
  /** When the outcome became final (ms since epoch). */
  settledAt?: number;
  /** For awaiting-approval: the approval request Intune opened (its x-msft-approval-code). */
  approvalRequestId?: string;
  /**
   * While unclear: when the latest read said a read would be final (its wait on Graph's clock, added to this browser's
   * time of that read). Only for the panel's estimate (lib/bulk/estimate.ts), never used to decide.
   */
  finalReadAt?: number;
}

export type RunStatus =
  | "running"
  /** Stopped by the run itself (e.g. the session expired); resumable. */
  | "paused"
  /** The user cancelled: nothing more is sent; unclear devices are still read so the report is true. */
  | "cancelled"
  /** The wave is done; devices wait for the daily wipe limit until the user starts the next wave. */
  | "waiting"
  | "finished";

export interface BulkRun {
  version: typeof RUN_SCHEMA_VERSION;
  id: string;
  action: DeviceAction;
  createdAt: number;
  status: RunStatus;
  pausedReason?: string;
  devices: DeviceRun[];
  /** The run's one justification under Multi Admin Approval (lib/devices/approval.ts checks it). */
  justification?: string;
  /** Who pressed Yes: their user principal name, for the results and their CSV ("Initiated by"). */
  startedBy?: string;
  /** The ticket reference given at Yes (lib/devices/ticket-reference.ts): in the results, their CSV and each send's record. */
  ticketReference?: string;
  /** Paused because Graph asked for a justification the run did not have: the panel asks for one. */
  needsJustification?: boolean;
  /** The waves planned at the preflight (lib/bulk/daily-limit.ts): sizes and start times on Graph's clock. */
  waves?: { count: number; startsAt: number }[];
  /** When the daily limit said the next wipe fits again (Graph's clock, ms): from its Retry-After. */
  limitUntil?: number;
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

const FINAL_STATUSES: ReadonlySet<DeviceRunStatus> = new Set<DeviceRunStatus>([
  "initiated",
  "skipped",
  "failed",
  "not-sent",
  "awaiting-approval",
]);

const NEXT_WAVE_MESSAGE = "Not sent yet: waiting for Intune's daily wipe limit. It goes in a later wave, when you start it.";

export function createRun(input: {
  id: string;
  action: DeviceAction;
  now: number;
  toSend: readonly RunDeviceInput[];
  skipped: readonly SkippedDeviceInput[];
  /** Devices of `toSend` sent now (the first wave); the rest wait for a later one. All of them when absent. */
  firstWave?: number;
  waves?: { count: number; startsAt: number }[];
  justification?: string;
  startedBy?: string;
  ticketReference?: string;
}): BulkRun {
  const firstWave = input.firstWave ?? input.toSend.length;
  const about = (d: RunDeviceInput) => ({
    ...(d.sourceLine ? { sourceLine: d.sourceLine } : {}),
    ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
    ...(d.primaryUser ? { primaryUser: d.primaryUser } : {}),
  });
  const devices: DeviceRun[] = [
    ...input.toSend.map((d, index): DeviceRun =>
      index < firstWave
        ? { id: d.id, name: d.name, warning: d.warning, ...about(d), status: "queued", sends: 0, checks: 0 }
        : { id: d.id, name: d.name, warning: d.warning, ...about(d), status: "waiting", sends: 0, checks: 0, reason: "next-wave", message: NEXT_WAVE_MESSAGE },
    ),
    ...input.skipped.map(
      (d): DeviceRun => ({
        id: d.id,
        name: d.name,
        ...about(d),
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
  return finishIfComplete({
    version: RUN_SCHEMA_VERSION,
    id: input.id,
    action: input.action,
    createdAt: input.now,
    status: "running",
    devices,
    ...(input.waves && input.waves.length > 1 ? { waves: input.waves } : {}),
    ...(input.justification ? { justification: input.justification } : {}),
    ...(input.startedBy ? { startedBy: input.startedBy } : {}),
    ...(input.ticketReference ? { ticketReference: input.ticketReference } : {}),
  });
}

/** Shared by the transitions here and in lib/bulk/answers.ts. */
export function updateDevices(run: BulkRun, ids: Iterable<string>, update: (d: DeviceRun) => DeviceRun): BulkRun {
  const wanted = new Set(ids);
  if (wanted.size === 0) return run;
  return { ...run, devices: run.devices.map((d) => (wanted.has(d.id) ? update(d) : d)) };
}

export function settle(d: DeviceRun, status: "initiated" | "skipped" | "failed" | "not-sent" | "awaiting-approval", now: number, reason: string, message: string): DeviceRun {
  const { notBefore: _dropped, ...rest } = d;
  return { ...rest, status, reason, message, settledAt: now };
}

/**
 * A send's ticket: Graph's clock as of the browser's latest answer from the server (lib/bulk/send-window.ts), so also a
 * lower bound of when the send reaches Graph.
 */
export interface SendTicket {
  issuedAt: number;
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
      // Frozen once a send may have reached Graph: a reset since then is this run's, whichever send it came from.
      sentAfterGraph: d.reached ? (d.sentAfterGraph ?? ticket.issuedAt) : ticket.issuedAt,
      issuedAt: ticket.issuedAt,
    };
  });
}

/** The user cancelled: nothing more is sent. Sent and unclear devices keep their state and are still settled by reads. */
export function cancelRun(run: BulkRun, now: number): BulkRun {
  if (run.status === "finished") return run;
  if (run.status === "cancelled" && !run.devices.some((d) => d.status === "queued" || d.status === "waiting")) return run;
  return {
    ...run,
    status: "cancelled",
    pausedReason: undefined,
    devices: run.devices.map((d) =>
      d.status === "queued" || d.status === "waiting" ? settle(d, "not-sent", now, "cancelled", "Not sent: the run was cancelled.") : d,
    ),
  };
}

/**
 * "Start next wave": the user asks for the devices waiting on the daily limit, up to `room` of them (what the server
 * counted as left today), in their order. Nothing moves when there is no room; the rest keep waiting.
 */
export function startNextWave(run: BulkRun, room: number): BulkRun {
  if (run.status !== "waiting" || room <= 0) return run;
  let left = Math.floor(room);
  const { limitUntil: _spent, ...rest } = run;
  return {
    ...rest,
    status: "running",
    pausedReason: undefined,
    devices: run.devices.map((d): DeviceRun => {
      if (d.status !== "waiting" || left <= 0) return d;
      left--;
      const { notBefore: _n, ...device } = d;
      // A new wave is a new decision: the send budget starts again; sentAfterGraph stays (an earlier send still counts).
      return { ...device, status: "queued", sends: 0, checks: 0, reason: undefined, message: "In this wave." };
    }),
  };
}

/** After Graph asked for a justification: the run's one justification, and carry on. */
export function withJustification(run: BulkRun, justification: string): BulkRun {
  return { ...run, justification, needsJustification: false };
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
        ? { ...d, status: "unclear", reached: true, reason: "interrupted", message: "The page was closed while this request was under way; checking the device.", notBefore: now }
        : d,
    ),
  };
}

/** Not sent for a reason that may pass (the store, a read, a colleague's request): "Retry failed only" takes it too. */
export function isRetryable(d: Pick<DeviceRun, "status" | "reason">): boolean {
  return d.status === "failed" || (d.status === "not-sent" && d.reason !== "cancelled");
}

/**
 * "Retry failed only": failed devices, and devices not sent for a reason that may have passed, go back to the queue;
 * after a read first when a send of this run may have reached them.
 */
export function retryFailed(run: BulkRun, now: number): BulkRun {
  return {
    ...run,
    status: "running",
    pausedReason: undefined,
    devices: run.devices.map((d): DeviceRun => {
      if (!isRetryable(d)) return d;
      const { settledAt: _s, notBefore: _n, ...rest } = d;
      // Give each device its send budget again, but keep sentAfterGraph: a reset from earlier in this run still counts.
      const budget = { ...rest, sends: 0, checks: 0 };
      return d.reached
        ? { ...budget, status: "unclear", message: "Checking the device before retrying.", notBefore: now }
        : { ...budget, status: "queued", message: "Retrying." };
    }),
  };
}

function isRunComplete(run: BulkRun): boolean {
  return run.devices.every((d) => FINAL_STATUSES.has(d.status));
}

/**
 * Marks a running run finished once every device is settled (a cancelled run stays "cancelled"), or "waiting" when
 * all that is left waits for the daily wipe limit (nothing is under way then: sent and unclear devices are neither).
 */
export function finishIfComplete(run: BulkRun): BulkRun {
  if (run.status !== "running") return run;
  if (isRunComplete(run)) return { ...run, status: "finished", pausedReason: undefined };
  if (run.devices.every((d) => d.status === "waiting" || FINAL_STATUSES.has(d.status))) return { ...run, status: "waiting", pausedReason: undefined };
  return run;
}

/** Nothing more will happen without the user (finished, or cancelled with every device settled). */
export function isRunOver(run: BulkRun): boolean {
  return run.status === "finished" || (run.status === "cancelled" && isRunComplete(run));
}

