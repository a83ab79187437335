/**
 * Intune devices-service throttling (graph-docs includes/throttling-intune-devices.md): per app per tenant, writes
 * 200 and all requests 2000 per 20 seconds. Sliding windows on the clock it is given (the emulator's: Graph's time, so
 * advancing it frees them as 20 s passing would). Retry-After is when the window has room again.
 */

const WINDOW_MS = 20_000;
const WRITE_LIMIT = 200;
const REQUEST_LIMIT = 2000;

/** Timestamps of admitted units, oldest first, in a growable ring. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(readonly limit: number, readonly windowMs: number) {}

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  used(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  /** Seconds until the window has room for one more unit; 0 when it has room now. */
  retryAfterSeconds(now: number): number {
    const used = this.used(now);
    if (used < this.limit) return 0;
    const freeingEntry = this.times[this.head + used - this.limit]!;
    return Math.max(0.001, (freeingEntry + this.windowMs - now) / 1000);
  }

  add(now: number, units = 1): void {
    for (let i = 0; i < units; i++) this.times.push(now);
  }
}

export interface ThrottleDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export class Throttler {
  private readonly windows = new Map<string, { all: SlidingWindow; writes: SlidingWindow }>();

  constructor(
    private readonly now: () => number,
    private readonly limits = { writes: WRITE_LIMIT, requests: REQUEST_LIMIT, windowMs: WINDOW_MS },
  ) {}

  private windowsFor(key: string) {
    let w = this.windows.get(key);
    if (!w) {
      w = {
        all: new SlidingWindow(this.limits.requests, this.limits.windowMs),
        writes: new SlidingWindow(this.limits.writes, this.limits.windowMs),
      };
      this.windows.set(key, w);
    }
    return w;
  }

  /**
   * Admits one request carrying `writes` write units (executeAction: one per device). A request is refused only when a
   * window is already full; a bulk call that overruns the write budget is admitted and later requests pay for it.
   */
  admit(appKey: string, writes: number): ThrottleDecision {
    const now = this.now();
    const w = this.windowsFor(appKey);
    const wait = Math.max(w.all.retryAfterSeconds(now), writes > 0 ? w.writes.retryAfterSeconds(now) : 0);
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    w.all.add(now);
    if (writes > 0) w.writes.add(now, writes);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  reset(): void {
    this.windows.clear();
  }
}
