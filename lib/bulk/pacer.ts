/**
 * Paces writes to Intune's documented limit (docs/graph.md, "Throttling and Retry-After"): 200 writes per 20 s per
 * app per tenant.
 *
 * Two rules at once:
 * - a sliding-window log (at most `windowCapacity` writes in any `windowMs`), which is the limit itself;
 * - a token bucket (`ratePerSecond`, burst `burst`) that refills at the window's average rate.
 * The burst is the whole window: a fresh window admits 200 writes at once, so a lab of 150 goes out in one round trip
 * instead of 15 s of pacing; a larger run then sends a window's worth each time the oldest writes age out, which is
 * the limit's own floor ((ceil(N / 200) - 1) x 20 s). The bucket keeps a run that was paused or throttled from
 * bursting again before the budget has had time to refill.
 * A 429 pauses every send until its Retry-After has passed: the budget is shared by the whole app, so any other write
 * sent meanwhile would be throttled too.
 *
 * Pure: every method takes the current time in milliseconds; nothing here reads a clock or sleeps.
 */

export interface PacerOptions {
  windowCapacity: number;
  windowMs: number;
  /**
   * Added to the window on our side: the server measures arrival times, we measure send times, and a request sent
   * a little later than an earlier one may arrive a little earlier.
   */
  windowMarginMs: number;
  ratePerSecond: number;
  burst: number;
}

export const INTUNE_WRITE_LIMIT: PacerOptions = {
  windowCapacity: 200,
  windowMs: 20_000,
  windowMarginMs: 250,
  ratePerSecond: 10,
  burst: 200,
};

export interface PacerState {
  /** Send times (ms) of the writes still inside the window, oldest first. */
  sent: number[];
  tokens: number;
  tokensAt: number;
  pausedUntil: number;
}

export function createPacer(now: number, options: PacerOptions = INTUNE_WRITE_LIMIT): PacerState {
  return { sent: [], tokens: options.burst, tokensAt: now, pausedUntil: 0 };
}

function refill(state: PacerState, now: number, options: PacerOptions): PacerState {
  const effectiveWindow = options.windowMs + options.windowMarginMs;
  const sent = state.sent.filter((t) => t > now - effectiveWindow);
  const elapsed = Math.max(0, now - state.tokensAt);
  const tokens = Math.min(options.burst, state.tokens + (elapsed * options.ratePerSecond) / 1000);
  return { ...state, sent, tokens, tokensAt: Math.max(now, state.tokensAt) };
}

/** How many writes may be sent right now. */
export function available(state: PacerState, now: number, options: PacerOptions = INTUNE_WRITE_LIMIT): number {
  if (now < state.pausedUntil) return 0;
  const s = refill(state, now, options);
  return Math.max(0, Math.min(Math.floor(s.tokens + 1e-9), options.windowCapacity - s.sent.length));
}

/**
 * The earliest time at which `count` writes may be sent together (count is capped at burst and window capacity,
 * so the answer always exists).
 */
export function earliestTimeFor(
  state: PacerState,
  count: number,
  now: number,
  options: PacerOptions = INTUNE_WRITE_LIMIT,
): number {
  const want = Math.max(1, Math.min(count, options.burst, options.windowCapacity));
  const start = Math.max(now, state.pausedUntil);
  const s = refill(state, start, options);
  const missingTokens = want - s.tokens;
  const tokenTime = missingTokens <= 1e-9 ? start : s.tokensAt + Math.ceil((missingTokens * 1000) / options.ratePerSecond);
  // The window admits `want` more once enough of the oldest sends have aged out.
  const overflow = s.sent.length + want - options.windowCapacity;
  const effectiveWindow = options.windowMs + options.windowMarginMs;
  const windowTime = overflow <= 0 ? start : (s.sent[overflow - 1] as number) + effectiveWindow;
  return Math.max(start, tokenTime, windowTime);
}

/** Records `count` writes sent at `now`. Callers check `available` first; overdrawing is a bug. */
export function recordSends(
  state: PacerState,
  count: number,
  now: number,
  options: PacerOptions = INTUNE_WRITE_LIMIT,
): PacerState {
  if (count > available(state, now, options)) {
    throw new Error(`Pacer overdrawn: ${count} writes requested, ${available(state, now, options)} available.`);
  }
  const s = refill(state, now, options);
  return { ...s, tokens: s.tokens - count, sent: [...s.sent, ...Array<number>(count).fill(now)] };
}

/**
 * The writes `recordSends` logged at `loggedAt` (when the browser asked) really left the server at `leftAt`, after the
 * server's own pre-send reads: the window counts from there, and the margin covers their way to Graph as before.
 * Logged at the ask alone, a chunk whose reads took longer than the margin reopened the window early, and under load
 * the next wave met a 429 and its Retry-After (6 s in a 300-device bench run). Moves every write logged at `loggedAt`
 * to `leftAt` (never earlier).
 */
export function leftAt(state: PacerState, loggedAt: number, left: number): PacerState {
  if (left <= loggedAt || !state.sent.includes(loggedAt)) return state;
  const sent = state.sent.map((t) => (t === loggedAt ? left : t)).sort((a, b) => a - b);
  return { ...state, sent };
}

/** A 429 told us to wait: nothing is sent before `now + retryAfterMs`. */
export function pauseFor(state: PacerState, retryAfterMs: number, now: number): PacerState {
  return { ...state, pausedUntil: Math.max(state.pausedUntil, now + retryAfterMs) };
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000 };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) for a throttle or outage that came without Retry-After.
 * `attempt` counts from 1; `random` is in [0, 1) (injected so tests are deterministic).
 */
export function backoffDelayMs(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  // Never less than half the ceiling, so a retry storm cannot collapse to zero delay.
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 0.999999));
}

/** Retry-After in seconds (fractional allowed) to milliseconds; undefined for a missing or nonsensical value. */
export function retryAfterToMs(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value) || value < 0) return undefined;
  return Math.ceil(value * 1000);
}
