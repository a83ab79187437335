/**
 * The emulator clock: real time plus an offset that POST /_emulator/clock/advance grows. Device lifecycles read it;
 * throttling deliberately does not (it uses real time, so advancing the clock never frees a throttle window).
 */
export class EmulatorClock {
  private offsetMs = 0;
  constructor(private readonly realNow: () => number = Date.now) {}
  now(): number {
    return this.realNow() + this.offsetMs;
  }
  advance(seconds: number): number {
    this.offsetMs += Math.round(seconds * 1000);
    return this.now();
  }
  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
