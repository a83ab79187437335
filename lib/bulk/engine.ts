// Over 300 lines: the engine's loop (pacing, saving before each send, reads before resends) in one place, for its property tests.
/**
 * Drives a bulk run: picks what to send or read next, paces the writes, records every answer, and persists the run
 * before each send and after each answer. The I/O (Graph, storage, clock, sleep) is injected, so the same engine runs
 * in the browser (components/bulk/use-bulk-run.ts, through server actions) and in unit tests (fake time, a simulated
 * Graph).
 *
 * One call at a time, each as large as the write window allows: Next dispatches a client's server actions one after
 * another (node_modules/next/dist/docs/01-app/02-guides/server-actions.md, "Sequential dispatch on the client"), so a
 * second call would only queue behind the first, its send ticket ageing there. The parallelism lives inside a call
 * (lib/graph/batch.ts sends its $batches side by side).
 */
import {
  available,
  createPacer,
  earliestTimeFor,
  INTUNE_WRITE_LIMIT,
  leftAt,
  pauseFor,
  recordSends,
  type PacerOptions,
  type PacerState,
} from "./pacer";
import { applyChecks, applySendFailure, applySendOutcomes } from "./answers";
import { RunNotSavedError } from "./persistence";
import { cancelRun, DEFAULT_POLICY, finishIfComplete, markSent, type BulkRun, type RunPolicy } from "./run";
import { TICKET_REFRESH_MS } from "./send-window";
import { estimateRun, readAttempt, sendAttempt, type Attempt, type RunEstimate } from "./estimate";
import type { DeviceRead } from "@/lib/graph/batch-types";
import { MAX_DEVICES_PER_CALL, type ChunkAnswer, type ReadAnswer, type ServerClock } from "./types";
import type { DeviceAction } from "@/lib/devices/types";

/** The most a call is asked ahead of its window (see BulkRunEngine.learnLead). */
const MAX_LEAD_MS = 3_000;

export interface BulkTransport {
  /**
   * Writes to 1..MAX_DEVICES_PER_CALL devices on a ticket (Graph's time, lib/bulk/send-window.ts). Throwing means:
   * nothing is known about any of them.
   */
  send(action: DeviceAction, deviceIds: string[], ticket: { issuedAt: number }): Promise<ChunkAnswer>;
  /** One read of 1..MAX_DEVICES_PER_CALL device states. Throwing means: every read failed. */
  read(deviceIds: string[]): Promise<ReadAnswer>;
  /** The server's and Graph's clocks now, for a fresh send ticket (its graphTime). */
  clock(): Promise<ServerClock>;
}

export interface EngineOptions {
  now: () => number;
  /** Resolves after `ms`, or earlier when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /**
   * Called synchronously before a send leaves and after every answer; must throw if it cannot save. A run that cannot
   * be saved sends nothing more: the engine finishes what is under way and stops with a RunNotSavedError.
   */
  persist: (run: BulkRun) => void;
  onChange?: (run: BulkRun) => void;
  /** A clock that only moves forward (performance.now in the browser), for how old the server's last word is. */
  monotonic?: () => number;
  pacer?: PacerOptions;
  policy?: RunPolicy;
  /** Calls (send, read or clock) under way at once: 1 in the browser, where more would only queue. */
  maxCallsInFlight?: number;
  /** Devices per send or read call, 1..MAX_DEVICES_PER_CALL. */
  devicesPerCall?: number;
}

export type NextStep =
  | { kind: "send"; deviceIds: string[] }
  /** A send is ready but the server ticket is missing or stale: fetch a fresh one first. */
  | { kind: "clock" }
  | { kind: "read"; deviceIds: string[] }
  | { kind: "wait"; until: number | null }
  | { kind: "done" };

/**
 * What to do next, given the run, the pacer and what is under way. Reads first (they settle unclear devices and cost
 * no write budget), then sends, else wait until the earliest time something becomes possible (null: until an answer
 * arrives).
 */
export function nextStep(
  run: BulkRun,
  pacer: PacerState,
  now: number,
  inFlight: { sends: number; reads: number; readingIds: ReadonlySet<string>; clock?: "fresh" | "stale" | "fetching" },
  limits: { maxCallsInFlight: number; devicesPerCall: number; pacer: PacerOptions; leadMs?: (devices: number) => number },
): NextStep {
  let earliest: number | null = null;
  const consider = (t: number) => {
    earliest = earliest === null ? t : Math.min(earliest, t);
  };
  const calls = inFlight.sends + inFlight.reads + (inFlight.clock === "fetching" ? 1 : 0);
  const mayCall = calls < limits.maxCallsInFlight;

  const unclear = run.devices.filter((d) => d.status === "unclear" && !inFlight.readingIds.has(d.id));
  const readyToRead = unclear.filter((d) => (d.notBefore ?? 0) <= now);
  if (readyToRead.length > 0 && mayCall) {
    return { kind: "read", deviceIds: readyToRead.slice(0, limits.devicesPerCall).map((d) => d.id) };
  }
  for (const d of unclear) if ((d.notBefore ?? 0) > now) consider(d.notBefore!);

  if (run.status === "running") {
    const queued = run.devices.filter((d) => d.status === "queued");
    const ready = queued.filter((d) => (d.notBefore ?? 0) <= now);
    if (ready.length > 0 && mayCall) {
      const want = Math.min(limits.devicesPerCall, ready.length);
      // A call asked `lead` early: its writes leave the server after its reads, as the window opens (BulkRunEngine).
      const lead = limits.leadMs?.(want) ?? 0;
      const canSend = available(pacer, now + lead, limits.pacer);
      if (canSend >= want) {
        if (inFlight.clock === "stale") return { kind: "clock" };
        if (inFlight.clock !== "fetching") return { kind: "send", deviceIds: ready.slice(0, want).map((d) => d.id) };
      } else {
        consider(earliestTimeFor(pacer, want, now + lead, limits.pacer) - lead);
      }
    }
    for (const d of queued) if ((d.notBefore ?? 0) > now) consider(Math.max(d.notBefore!, pacer.pausedUntil));
  }

  const anythingOpen = inFlight.sends > 0 || inFlight.reads > 0 || inFlight.clock === "fetching" || earliest !== null;
  if (!anythingOpen) return { kind: "done" };
  return { kind: "wait", until: earliest };
}

export class BulkRunEngine {
  private run: BulkRun;
  private pacer: PacerState;
  private readonly options: Required<Omit<EngineOptions, "onChange">> & Pick<EngineOptions, "onChange">;
  /** Graph's time in the server's latest answer that had it, and when (monotonic) that answer arrived: the ticket. */
  private clock: { graphTime: number; at: number } | null = null;
  private fetchingClock = false;
  private lastAnswerAt: number;
  private wakeController = new AbortController();
  /** A save that failed (storage full, another tab took the run over): the engine stops sending. */
  private fatal: unknown = undefined;
  /** The page that drives the run has gone (stop()): nothing new is started. */
  private stopped = false;
  /** The loop has ended: nothing more is recorded, so a later answer cannot overwrite what a new engine saves. */
  private closed = false;
  private sends = 0;
  private reads = 0;
  private readonly readingIds = new Set<string>();
  private running = false;
  /** Each answered call's size and time from its ask to its writes leaving the server (see leadFor). */
  private readonly askToWrites: { devices: number; ms: number }[] = [];
  /** The latest calls to Graph, answered or failed, for the panel's estimate (lib/bulk/estimate.ts). */
  private recent: Attempt[] = [];

  constructor(
    run: BulkRun,
    private readonly transport: BulkTransport,
    options: EngineOptions,
  ) {
    this.run = run;
    this.options = {
      pacer: INTUNE_WRITE_LIMIT,
      policy: DEFAULT_POLICY,
      maxCallsInFlight: 1,
      devicesPerCall: MAX_DEVICES_PER_CALL,
      monotonic: () => (typeof performance !== "undefined" ? performance.now() : Date.now()),
      ...options,
    };
    this.lastAnswerAt = this.options.monotonic();
    if (this.options.devicesPerCall < 1 || this.options.devicesPerCall > MAX_DEVICES_PER_CALL) {
      throw new Error(`devicesPerCall must be 1..${MAX_DEVICES_PER_CALL}`);
    }
    this.pacer = createPacer(this.options.now(), this.options.pacer);
  }

  get state(): BulkRun {
    return this.run;
  }

  /** How long requests have been under way with no answer from the server (0 when nothing is under way). */
  msWithoutAnswer(): number {
    if (this.sends === 0 && this.reads === 0 && !this.fetchingClock) return 0;
    return Math.max(0, this.options.monotonic() - this.lastAnswerAt);
  }

  /** The panel's one estimate, at the pace this engine really keeps (lib/bulk/estimate.ts). */
  estimate(): RunEstimate {
    return estimateRun({
      now: this.options.now(),
      devices: this.run.devices,
      pacer: this.pacer,
      pacerOptions: this.options.pacer,
      recent: this.recent,
      msWithoutAnswer: this.msWithoutAnswer(),
    });
  }

  private attempted(attempt: Attempt): void {
    this.recent = [...this.recent.slice(-9), attempt];
  }

  /** Records an answer's clocks; true when it carried Graph's time (a ticket). */
  private heard(clock: ServerClock): boolean {
    const at = this.options.monotonic();
    this.lastAnswerAt = at;
    const graphTime = clock.graphTime;
    if (graphTime === undefined || !Number.isFinite(graphTime)) return false;
    // The latest answer's, even a second behind the one before (Graph's front ends): any ticket the server checks is
    // safe (lib/bulk/send-window.ts); this one is only the freshest.
    this.clock = { graphTime, at };
    return true;
  }

  private clockState(): "fresh" | "stale" | "fetching" {
    if (this.fetchingClock) return "fetching";
    if (!this.clock || this.options.monotonic() - this.clock.at > TICKET_REFRESH_MS) return "stale";
    return "fresh";
  }

  /** Stops sending; answers under way are still recorded and unclear devices still read, so the report is true. */
  cancel(): void {
    this.update(cancelRun(this.run, this.options.now()));
    this.poke();
  }

  private poke(): void {
    this.wakeController.abort();
    this.wakeController = new AbortController();
  }

  /**
   * Stops starting anything (the page that drives the run is going away): answers under way are still recorded and
   * saved, and the loop then ends with the run as it stands, to be resumed later.
   */
  stop(): void {
    this.stopped = true;
    this.poke();
  }

  /**
   * The page that drives the run came back before the loop wound down (stop() then the same tab shows it again): go
   * on as if it had never left. False once the loop has ended: then the run is resumed as any interrupted run.
   */
  carryOn(): boolean {
    if (this.closed || !this.running) return false;
    this.stopped = false;
    this.poke();
    return true;
  }

  private settled(run: BulkRun): BulkRun {
    // Answers that arrive after a cancel must not put a device back in the queue.
    return finishIfComplete(run.status === "cancelled" ? cancelRun(run, this.options.now()) : run);
  }

  private save(run: BulkRun): boolean {
    try {
      this.options.persist(run);
      return true;
    } catch (error) {
      this.fatal ??= new RunNotSavedError(error);
      this.poke();
      return false;
    }
  }

  /**
   * Records an answer: shown and kept in memory even when it cannot be saved (the page then says what happened), and
   * saved; a save that fails stops the engine. Returns whether it was saved.
   */
  private update(run: BulkRun): boolean {
    if (this.closed) return false;
    this.run = this.settled(run);
    this.options.onChange?.(this.run);
    return this.save(this.run);
  }

  /** Runs until every device is settled, the run is paused (session ended) or cancelled and settled. */
  async start(): Promise<BulkRun> {
    if (this.running) throw new Error("This run is already being driven.");
    this.running = true;
    try {
      this.update(this.run);
      for (let guard = 0; guard < 10_000_000; guard++) {
        if (this.fatal !== undefined || this.stopped) {
          // Nothing new starts; what is under way is still recorded (a resume reads any device whose answer is missing).
          if (this.sends > 0 || this.reads > 0 || this.fetchingClock) {
            await this.options.sleep(60_000, this.wakeController.signal);
            continue;
          }
          if (this.fatal !== undefined) throw this.fatal;
          return this.run;
        }
        if (this.run.status === "paused" && this.sends === 0 && this.reads === 0) return this.run;
        const now = this.options.now();
        const step =
          this.run.status === "paused"
            ? ({ kind: "wait", until: null } as const)
            : nextStep(this.run, this.pacer, now, { sends: this.sends, reads: this.reads, readingIds: this.readingIds, clock: this.clockState() }, {
                maxCallsInFlight: this.options.maxCallsInFlight,
                devicesPerCall: this.options.devicesPerCall,
                pacer: this.options.pacer,
                leadMs: (devices: number) => this.leadFor(devices),
              });
        if (step.kind === "done") {
          this.update(this.run);
          if (this.fatal !== undefined) continue;
          return this.run;
        }
        if (step.kind === "send") {
          this.launchSend(step.deviceIds, now);
          continue;
        }
        if (step.kind === "read") {
          this.launchRead(step.deviceIds);
          continue;
        }
        if (step.kind === "clock") {
          this.launchClock();
          continue;
        }
        const signal = this.wakeController.signal;
        const ms = step.until === null ? 60_000 : Math.max(0, step.until - now);
        await this.options.sleep(ms, signal);
      }
      throw new Error("Bulk run loop did not converge.");
    } finally {
      this.running = false;
      this.closed = true;
    }
  }

  private launchClock(): void {
    this.fetchingClock = true;
    void this.transport
      .clock()
      .then(
        (clock) => {
          // An answer without Graph's time gives no ticket: ask again in a moment rather than at once.
          if (!this.heard(clock)) return this.options.sleep(2_000, new AbortController().signal);
        },
        () => {
          // No ticket, no send: wait a little and ask again.
          this.clock = null;
          return this.options.sleep(2_000, new AbortController().signal);
        },
      )
      .finally(() => {
        this.fetchingClock = false;
        this.poke();
      });
  }

  /**
   * How long a call of `devices` devices is asked before its window opens: the shortest time any call of this run with
   * no more devices took from its ask to its writes leaving the server (the server reads every device first, so a
   * larger call takes no less). Its writes then leave as the window opens instead of a round of reads later (docs/graph.md,
   * "Throttling and Retry-After"); a call faster than every such one is all that can reach Graph early, and by
   * little (the pacer's margin). None known: no lead. Capped: a slow call teaches nothing.
   */
  private leadFor(devices: number): number {
    let lead: number | undefined;
    for (const sample of this.askToWrites) if (sample.devices <= devices) lead = Math.min(lead ?? Infinity, sample.ms);
    return Math.min(lead ?? 0, MAX_LEAD_MS);
  }

  private learnLead(devices: number, askToWritesMs: number): void {
    if (Number.isFinite(askToWritesMs) && askToWritesMs >= 0) this.askToWrites.push({ devices, ms: askToWritesMs });
  }

  private launchSend(deviceIds: string[], now: number): void {
    const clock = this.clock;
    if (!clock) return;
    const ticket = { issuedAt: clock.graphTime };
    // Persisted before the request leaves: a reload from here on treats these devices as unclear. No save, no send,
    // and the devices stay queued here too.
    const marked = this.settled(markSent(this.run, deviceIds, now, ticket));
    if (!this.save(marked)) return;
    this.run = marked;
    this.options.onChange?.(this.run);
    // The writes are logged where they are expected to leave (after the server's reads), and moved once known.
    const loggedAt = now + this.leadFor(deviceIds.length);
    this.pacer = recordSends(this.pacer, deviceIds.length, loggedAt, this.options.pacer);
    this.sends++;
    const action = this.run.action;
    void this.transport
      .send(action, deviceIds, { issuedAt: ticket.issuedAt })
      .then(
        (answer) => {
          this.heard(answer);
          this.attempted(sendAttempt(answer.outcomes));
          const at = this.options.now();
          // When the writes left the server, on this page's clock: the answer less the server's time since they left.
          const sinceLeft = answer.sentAtServer !== undefined ? answer.serverTime - answer.sentAtServer : Number.NaN;
          if (Number.isFinite(sinceLeft)) {
            const left = at - Math.max(0, sinceLeft);
            this.pacer = leftAt(this.pacer, loggedAt, left);
            this.learnLead(deviceIds.length, left - now);
          } else {
            this.pacer = leftAt(this.pacer, loggedAt, at);
          }
          const result = applySendOutcomes(this.run, deviceIds, answer.outcomes, at, this.options.random, this.options.policy, answer.sentAfterGraph);
          if (result.pauseMs !== undefined) this.pacer = pauseFor(this.pacer, result.pauseMs, at);
          if (result.ticketExpired) this.clock = null;
          this.update(result.run);
        },
        () => {
          // The request left, but its answer never reached this page (a reload, a dropped connection, a server restart).
          const message = "No answer reached this page (it was reloaded, or the connection dropped).";
          this.attempted(sendAttempt(null));
          this.pacer = leftAt(this.pacer, loggedAt, this.options.now());
          this.update(applySendFailure(this.run, deviceIds, message, this.options.now(), this.options.policy));
        },
      )
      .finally(() => {
        this.sends--;
        this.poke();
      });
  }

  private launchRead(deviceIds: string[]): void {
    this.reads++;
    for (const id of deviceIds) this.readingIds.add(id);
    void this.transport
      .read(deviceIds)
      .then(
        (answer) => {
          this.heard(answer);
          this.attempted(readAttempt(answer.reads));
          const byId = new Map(answer.reads.map((r) => [r.deviceId, r]));
          const complete: DeviceRead[] = deviceIds.map(
            (id) =>
              byId.get(id) ?? { deviceId: id, kind: "error", error: { kind: "unavailable", message: "Graph's answer did not mention this device." } },
          );
          this.update(applyChecks(this.run, complete, this.options.now(), this.options.random, this.options.policy, answer.graphTime));
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : "The read failed.";
          this.attempted(readAttempt(null));
          const reads: DeviceRead[] = deviceIds.map((id) => ({ deviceId: id, kind: "error", error: { kind: "unavailable", message } }));
          this.update(applyChecks(this.run, reads, this.options.now(), this.options.random, this.options.policy));
        },
      )
      .finally(() => {
        this.reads--;
        for (const id of deviceIds) this.readingIds.delete(id);
        this.poke();
      });
  }
}

/** Real-time sleep that an AbortSignal cuts short (no rejection: the loop just re-evaluates). */
export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
