/**
 * Fault injection set by PUT /_emulator/faults: latency on every request, extra latency on requests that carry a write
 * (applied before the write lands), plus rules matched on method and path. A "slow" rule holds only the requests it
 * matches (a $batch as long as its slowest matching sub-request), before they are handled: a write lands at the end of
 * the wait even if the caller has gone. It slows a spec's own devices without slowing a spec running beside it.
 */

export type FaultKind = "throttle" | "throttle-no-retry-after" | "unavailable" | "timeout" | "applied-then-5xx" | "slow";
const FAULT_KINDS: readonly FaultKind[] = ["throttle", "throttle-no-retry-after", "unavailable", "timeout", "applied-then-5xx", "slow"];

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

export interface FaultConfig {
  latencyMs?: number;
  writeLatencyMs?: number;
  rules?: FaultRule[];
}

const MAX_LATENCY_MS = 120_000;

export class Faults {
  latencyMs = 0;
  writeLatencyMs = 0;
  private rules: RuleState[] = [];

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
    return { latencyMs: this.latencyMs, writeLatencyMs: this.writeLatencyMs, rules: this.rules.map((r) => ({ ...r.rule, matched: r.matched, fired: r.fired })) };
  }

  /** The first rule that fires for this request, counting matches on every rule that matches ("slow" ones aside). */
  match(method: string, path: string): FaultRule | undefined {
    let hit: FaultRule | undefined;
    for (const state of this.rules) {
      const { rule } = state;
      if (rule.fault === "slow" || !matches(rule, method, path)) continue;
      state.matched++;
      if (hit) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      if (state.matched % Math.max(1, rule.every ?? 1) !== 0) continue;
      state.fired++;
      hit = rule;
    }
    return hit;
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
      out.rules.push({
        fault: rule.fault as FaultKind,
        method: rule.method as string | undefined,
        pathContains: rule.pathContains as string | undefined,
        every: rule.every as number | undefined,
        times: rule.times as number | undefined,
        retryAfterSeconds: rule.retryAfterSeconds as number | undefined,
        ...(rule.fault === "slow" ? { delayMs: delayMs as number } : {}),
      });
    }
  }
  return out;
}
