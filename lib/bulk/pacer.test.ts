import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  available,
  backoffDelayMs,
  createPacer,
  earliestTimeFor,
  INTUNE_WRITE_LIMIT,
  pauseFor,
  recordSends,
  retryAfterToMs,
} from "./pacer";

describe("pacer", () => {
  it("starts with one batch of burst and refills at 10 per second", () => {
    let p = createPacer(0);
    expect(available(p, 0)).toBe(20);
    p = recordSends(p, 20, 0);
    expect(available(p, 0)).toBe(0);
    expect(available(p, 999)).toBe(9);
    expect(available(p, 1000)).toBe(10);
    expect(earliestTimeFor(p, 20, 0)).toBe(2000);
  });

  it("refuses to be overdrawn", () => {
    const p = recordSends(createPacer(0), 20, 0);
    expect(() => recordSends(p, 1, 0)).toThrow(/overdrawn/);
  });

  it("sends 300 writes in about 30 s when always used as soon as allowed", () => {
    let p = createPacer(0);
    let now = 0;
    let sent = 0;
    while (sent < 300) {
      const want = Math.min(20, 300 - sent);
      now = earliestTimeFor(p, want, now);
      p = recordSends(p, want, now);
      sent += want;
    }
    // The last batch leaves at 28 s (plus the window margin once the 20 s window binds).
    expect(now).toBeGreaterThanOrEqual(28_000);
    expect(now).toBeLessThanOrEqual(29_000);
  });

  it("a 429 pause stops everything until Retry-After has passed", () => {
    let p = createPacer(0);
    p = pauseFor(p, 3000, 100);
    expect(available(p, 3099)).toBe(0);
    expect(available(p, 3100)).toBe(20);
    expect(earliestTimeFor(p, 5, 200)).toBe(3100);
  });

  it("never exceeds 200 writes in any 20 s window nor the steady rate, whatever the timing (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ advance: fc.integer({ min: 0, max: 3000 }), want: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 400 }),
        (steps) => {
          let p = createPacer(0);
          let now = 0;
          const sends: number[] = [];
          for (const step of steps) {
            now += step.advance;
            const n = Math.min(step.want, available(p, now));
            if (n > 0) {
              p = recordSends(p, n, now);
              for (let i = 0; i < n; i++) sends.push(now);
            }
            // earliestTimeFor must really be a time at which the send is allowed
            const t = earliestTimeFor(p, step.want, now);
            expect(t).toBeGreaterThanOrEqual(now);
            expect(available(p, t)).toBeGreaterThanOrEqual(Math.min(step.want, 20));
          }
          for (let i = 0; i < sends.length; i++) {
            const start = sends[i]!;
            const inWindow = sends.filter((t) => t >= start && t < start + INTUNE_WRITE_LIMIT.windowMs).length;
            expect(inWindow).toBeLessThanOrEqual(200);
            const inTwoSeconds = sends.filter((t) => t >= start && t < start + 2000).length;
            expect(inTwoSeconds).toBeLessThanOrEqual(20 + 20);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("backoff", () => {
  it("doubles per attempt, stays within [ceiling/2, ceiling], and is capped", () => {
    expect(backoffDelayMs(1, 0)).toBe(500);
    expect(backoffDelayMs(1, 0.999999)).toBeLessThanOrEqual(1000);
    expect(backoffDelayMs(3, 0)).toBe(2000);
    expect(backoffDelayMs(30, 0.5)).toBeLessThanOrEqual(60_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = backoffDelayMs(attempt, r);
        const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it("reads Retry-After seconds, fractional too, and rejects nonsense", () => {
    expect(retryAfterToMs(1.5)).toBe(1500);
    expect(retryAfterToMs(0)).toBe(0);
    expect(retryAfterToMs(undefined)).toBeUndefined();
    expect(retryAfterToMs(-1)).toBeUndefined();
    expect(retryAfterToMs(Number.NaN)).toBeUndefined();
  });
});
