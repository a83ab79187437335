/**
 * The one Retry-After parser (docs/graph.md, "Throttling and Retry-After"): delay-seconds, fractional kept, or an
 * HTTP date relative to `nowMs`; undefined when absent, negative or unreadable. Callers round only where they word or
 * schedule the wait (lib/graph/errors.ts words whole seconds; lib/bulk/pacer.ts turns seconds into milliseconds).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}
