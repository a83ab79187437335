/**
 * Fault injection set by PUT /_emulator/faults: latency on every request, extra latency on requests that carry a write
 * (applied before the write lands), plus rules matched on method and path.
 */

export type FaultKind = "throttle" | "throttle-no-retry-after" | "unavailable" | "timeout" | "applied-then-5xx";
const FAULT_KINDS: readonly FaultKind[] = ["throttle", "throttle-no-retry-after", "unavailable", "timeout", "applied-then-5xx"];

export interface FaultRule {
  fault: FaultKind;
  method?: string;
  pathContains?: string;
  /** Fire on every Nth matching request (default 1: every one). */
  every?: number;
  /** Fire at most this many times. */
  times?: number;
  retryAfterSeconds?: number;
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

  describe() {
    return { latencyMs: this.latencyMs, writeLatencyMs: this.writeLatencyMs, rules: this.rules.map((r) => ({ ...r.rule, matched: r.matched, fired: r.fired })) };
  }

  /** The first rule that fires for this request, counting matches on every rule that matches. */
  match(method: string, path: string): FaultRule | undefined {
    let hit: FaultRule | undefined;
    for (const state of this.rules) {
      const { rule } = state;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.pathContains && !path.toLowerCase().includes(rule.pathContains.toLowerCase())) continue;
      state.matched++;
      if (hit) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      if (state.matched % Math.max(1, rule.every ?? 1) !== 0) continue;
      state.fired++;
      hit = rule;
    }
    return hit;
  }
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
      out.rules.push({
        fault: rule.fault as FaultKind,
        method: rule.method as string | undefined,
        pathContains: rule.pathContains as string | undefined,
        every: rule.every as number | undefined,
        times: rule.times as number | undefined,
        retryAfterSeconds: rule.retryAfterSeconds as number | undefined,
      });
    }
  }
  return out;
}
