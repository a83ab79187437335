/**
 * Fault injection set by PUT /_emulator/faults: latency on every request, extra latency on requests that carry a write
 * (applied before the write lands), plus rules matched on method and path. A "slow" rule holds only the requests it
 * matches (a $batch as long as its slowest matching sub-request), before they are handled: a write lands at the end of
 * the wait even if the caller has gone. It slows a spec's own devices without slowing a spec running beside it.
 *
 * Two rules let tests move time instead of waiting for an unclear write (they match writes only: wipe, syncDevice,
 * executeAction, also as $batch sub-requests):
 * - "hold": the write gets no answer until POST /_emulator/faults/release; then it is applied (and answered, if anyone
 *   still listens). A caller that gave up, or died, does not stop it: Graph would apply it too.
 * - "landsLater": the write is answered 504 GatewayTimeout at once, and applied at release or once the emulator clock
 *   is `afterMs` past its arrival, whichever comes first (on the next request, like every clock-driven change).
 * Held and pending writes outlive the rules that caught them: removing or clearing rules does not release them.
 */

export type FaultKind = "throttle" | "throttle-no-retry-after" | "unavailable" | "timeout" | "applied-then-5xx" | "slow" | "hold" | "landsLater";
const FAULT_KINDS: readonly FaultKind[] = ["throttle", "throttle-no-retry-after", "unavailable", "timeout", "applied-then-5xx", "slow", "hold", "landsLater"];
/** Rules matched outside the pipeline's first-rule-wins pass (slow, hold), or only on writes (hold, landsLater). */
const SEPARATE: readonly FaultKind[] = ["slow", "hold"];
const WRITES_ONLY: readonly FaultKind[] = ["hold", "landsLater"];
export const DEFAULT_LANDS_LATER_MS = 40_000;
const MAX_LANDS_LATER_MS = 86_400_000;

export interface FaultRule {
  fault: FaultKind;
  method?: string;
  pathContains?: string;
  /** Fire on every Nth matching request (default 1: every one). */
  every?: number;
  /** Fire at most this many times. */
  times?: number;
  retryAfterSeconds?: number;
  /** For "slow": how long a matching request is held. */
  delayMs?: number;
  /** For "landsLater": how far past its arrival the emulator clock must be before the write is applied. */
  afterMs?: number;
}

/** What a slow rule is matched on: one request, or one sub-request of a $batch. */
export interface FaultTarget {
  method: string;
  path: string;
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  fired: number;
}

/** A write a "hold" rule caught: the server waits on `released`, then applies it and calls `done`. */
export interface HeldGate {
  released: Promise<void>;
  done(status: number): void;
}

interface HeldWrite {
  method: string;
  path: string;
  arrivedMs: number;
  release(): void;
  applied: Promise<number>;
}

/** A write a "landsLater" rule answered 504; `apply` runs it (at `dueMs` on the emulator clock, or now at release). */
export interface PendingWrite {
  method: string;
  path: string;
  arrivedMs: number;
  dueMs: number;
}

interface Pending<Call> extends PendingWrite {
  call: Call;
}

export interface Released {
  method: string;
  path: string;
  /** The status the write's handler answered when it was applied (204 for a wipe that ran). */
  status: number;
}

export interface FaultConfig {
  latencyMs?: number;
  writeLatencyMs?: number;
  rules?: FaultRule[];
}

const MAX_LATENCY_MS = 120_000;

export class Faults<Call = unknown> {
  latencyMs = 0;
  writeLatencyMs = 0;
  private rules: RuleState[] = [];
  private held: HeldWrite[] = [];
  private pending: Pending<Call>[] = [];

  set(config: FaultConfig): void {
    this.latencyMs = config.latencyMs ?? 0;
    this.writeLatencyMs = config.writeLatencyMs ?? 0;
    this.rules = (config.rules ?? []).map((rule) => ({ rule, matched: 0, fired: 0 }));
  }

  clear(): void {
    this.set({});
  }

  /** Appends rules, keeping the others and their counts (specs side by side each add their own). */
  add(rules: FaultRule[]): void {
    this.rules.push(...rules.map((rule) => ({ rule, matched: 0, fired: 0 })));
  }

  /** Removes the rules aimed at these paths (a spec's own device ids), keeping everyone else's. */
  removeFor(pathContains: string[]): void {
    const gone = new Set(pathContains.map((p) => p.toLowerCase()));
    this.rules = this.rules.filter((r) => !r.rule.pathContains || !gone.has(r.rule.pathContains.toLowerCase()));
  }

  describe() {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      latencyMs: this.latencyMs,
      writeLatencyMs: this.writeLatencyMs,
      rules: this.rules.map((r) => ({ ...r.rule, matched: r.matched, fired: r.fired })),
      held: this.held.map((h) => ({ method: h.method, path: h.path, arrivedDateTime: iso(h.arrivedMs) })),
      landsLater: this.pending.map((p) => ({ method: p.method, path: p.path, arrivedDateTime: iso(p.arrivedMs), dueDateTime: iso(p.dueMs) })),
    };
  }

  /**
   * The first rule that fires for this request, counting matches on every rule that matches ("slow" and "hold" ones
   * aside; "landsLater" only for a write).
   */
  match(method: string, path: string, write: boolean): FaultRule | undefined {
    let hit: FaultRule | undefined;
    for (const state of this.rules) {
      const { rule } = state;
      if (SEPARATE.includes(rule.fault) || (!write && WRITES_ONLY.includes(rule.fault)) || !matches(rule, method, path)) continue;
      state.matched++;
      if (hit) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      if (state.matched % Math.max(1, rule.every ?? 1) !== 0) continue;
      state.fired++;
      hit = rule;
    }
    return hit;
  }

  /** A write a "hold" rule fires for is registered as held: the caller awaits `released`, applies it, then calls `done`. */
  holdFor(target: FaultTarget, now: number): HeldGate | undefined {
    let fires = false;
    for (const state of this.rules) {
      const { rule } = state;
      if (rule.fault !== "hold" || !matches(rule, target.method, target.path)) continue;
      state.matched++;
      if (fires || (rule.times !== undefined && state.fired >= rule.times)) continue;
      if (state.matched % Math.max(1, rule.every ?? 1) !== 0) continue;
      state.fired++;
      fires = true;
    }
    if (!fires) return undefined;
    let release!: () => void;
    let done!: (status: number) => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const applied = new Promise<number>((resolve) => (done = resolve));
    this.held.push({ method: target.method, path: target.path, arrivedMs: now, release, applied });
    return { released, done };
  }

  /** A write a "landsLater" rule answered: it is applied at `arrivedMs + afterMs`, or at release. */
  landLater(rule: FaultRule, method: string, path: string, call: Call, now: number): void {
    this.pending.push({ method, path, arrivedMs: now, dueMs: now + (rule.afterMs ?? DEFAULT_LANDS_LATER_MS), call });
  }

  /** The pending writes due by `now`, oldest first, taken off the list. */
  takeDue(now: number): Pending<Call>[] {
    const due = this.pending.filter((p) => p.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs);
    if (due.length) this.pending = this.pending.filter((p) => p.dueMs > now);
    return due;
  }

  /**
   * Releases the held writes and takes the pending ones whose path contains `pathContains` (every one without it).
   * Resolves once the held ones are applied, with their statuses; the pending ones are for the caller to apply.
   */
  release(pathContains: string | undefined): { held: Promise<Released[]>; pending: Pending<Call>[] } {
    const hit = (path: string) => pathContains === undefined || path.toLowerCase().includes(pathContains.toLowerCase());
    const held = this.held.filter((h) => hit(h.path));
    const pending = this.pending.filter((p) => hit(p.path));
    this.held = this.held.filter((h) => !held.includes(h));
    this.pending = this.pending.filter((p) => !pending.includes(p));
    for (const h of held) h.release();
    return { held: Promise.all(held.map(async (h) => ({ method: h.method, path: h.path, status: await h.applied }))), pending };
  }

  /** How long to hold a request whose targets these are: the longest "slow" rule that fires for any of them. */
  delayFor(targets: FaultTarget[]): number {
    let delay = 0;
    for (const state of this.rules) {
      const { rule } = state;
      if (rule.fault !== "slow" || !targets.some((t) => matches(rule, t.method, t.path))) continue;
      state.matched++;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      if (state.matched % Math.max(1, rule.every ?? 1) !== 0) continue;
      state.fired++;
      delay = Math.max(delay, rule.delayMs ?? 0);
    }
    return delay;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  return !rule.pathContains || path.toLowerCase().includes(rule.pathContains.toLowerCase());
}

/** Validates a PUT /_emulator/faults body; returns an error sentence or the config. */
export function parseFaultConfig(body: unknown): FaultConfig | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "Body must be a JSON object.";
  const b = body as Record<string, unknown>;
  const out: FaultConfig = {};
  for (const key of ["latencyMs", "writeLatencyMs"] as const) {
    if (b[key] === undefined) continue;
    if (typeof b[key] !== "number" || (b[key] as number) < 0 || (b[key] as number) > MAX_LATENCY_MS) return `${key} must be a number between 0 and ${MAX_LATENCY_MS}.`;
    out[key] = b[key] as number;
  }
  if (b.rules !== undefined) {
    if (!Array.isArray(b.rules)) return "rules must be an array.";
    out.rules = [];
    for (const r of b.rules as unknown[]) {
      if (typeof r !== "object" || r === null) return "each rule must be an object.";
      const rule = r as Record<string, unknown>;
      if (!FAULT_KINDS.includes(rule.fault as FaultKind)) return `rule.fault must be one of ${FAULT_KINDS.join(", ")}.`;
      for (const key of ["method", "pathContains"] as const) {
        if (rule[key] !== undefined && typeof rule[key] !== "string") return `rule.${key} must be a string.`;
      }
      for (const key of ["every", "times", "retryAfterSeconds"] as const) {
        if (rule[key] !== undefined && (typeof rule[key] !== "number" || (rule[key] as number) < 0)) return `rule.${key} must be a non-negative number.`;
      }
      const delayMs = rule.delayMs;
      if (rule.fault === "slow" && (typeof delayMs !== "number" || delayMs < 0 || delayMs > MAX_LATENCY_MS)) return `rule.delayMs must be a number between 0 and ${MAX_LATENCY_MS} for a slow rule.`;
      if (rule.fault !== "slow" && delayMs !== undefined) return "rule.delayMs is only for a slow rule.";
      const afterMs = rule.afterMs;
      if (afterMs !== undefined && rule.fault !== "landsLater") return "rule.afterMs is only for a landsLater rule.";
      if (afterMs !== undefined && (typeof afterMs !== "number" || afterMs < 0 || afterMs > MAX_LANDS_LATER_MS)) return `rule.afterMs must be a number between 0 and ${MAX_LANDS_LATER_MS}.`;
      out.rules.push({
        fault: rule.fault as FaultKind,
        method: rule.method as string | undefined,
        pathContains: rule.pathContains as string | undefined,
        every: rule.every as number | undefined,
        times: rule.times as number | undefined,
        retryAfterSeconds: rule.retryAfterSeconds as number | undefined,
        ...(rule.fault === "slow" ? { delayMs: delayMs as number } : {}),
        ...(afterMs !== undefined ? { afterMs: afterMs as number } : {}),
      });
    }
  }
  return out;
}
