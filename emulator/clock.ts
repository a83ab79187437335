/**
 * The emulator clock, Graph's time: real time plus an offset that POST /_emulator/clock/advance grows. Device
 * lifecycles, the daily wipe limit and the throttle windows read it, so a test that moves Graph's time moves all of them
 * together, as the console's Retry-After waits move with the page's clock.
 */
export class EmulatorClock {
  private offsetMs = 0;
  private pinnedMs: number | undefined;
  constructor(private readonly realNow: () => number = Date.now) {}
  now(): number {
    return this.pinnedMs ?? this.realNow() + this.offsetMs;
  }
  /** Runs `fn` with the clock reading `ms`: a write that lands late is applied at the moment it landed. */
  at<T>(ms: number, fn: () => T): T {
    const previous = this.pinnedMs;
    this.pinnedMs = ms;
    try {
      return fn();
    } finally {
      this.pinnedMs = previous;
    }
  }
  advance(seconds: number): number {
    this.offsetMs += Math.round(seconds * 1000);
    return this.now();
  }
  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
