import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  available,
  backoffDelayMs,
  createPacer,
  earliestTimeFor,
  INTUNE_WRITE_LIMIT,
  leftAt,
  pauseFor,
  recordSends,
  retryAfterToMs,
} from "./pacer";

describe("pacer", () => {
  it("starts with the whole window as its burst and refills at 10 per second", () => {
    let p = createPacer(0);
    expect(available(p, 0)).toBe(200);
    p = recordSends(p, 20, 0);
    expect(available(p, 0)).toBe(180);
    // The bucket is full again; the window still counts the 20.
    expect(available(p, 2000)).toBe(180);
    p = recordSends(p, 180, 2000);
    // The window binds: 200 sent within 20 s; the first 20 age out at 20 s plus the margin.
    expect(available(p, 20_000)).toBe(0);
    expect(earliestTimeFor(p, 20, 2000)).toBe(20_250);
  });

  it("measures a chunk's window from when its writes left the server, not from the ask (the server reads first)", () => {
    // Asked at 1,000 ms; the server read for 1.4 s, and the writes left at 2,400 ms.
    const sent = recordSends(createPacer(0), 200, 1_000);
    expect(earliestTimeFor(sent, 100, 1_000)).toBe(21_250);
    const landed = leftAt(sent, 1_000, 2_400);
    expect(earliestTimeFor(landed, 100, 2_400)).toBe(22_650);
    expect(available(landed, 21_500)).toBe(0);
    // Other chunks' writes keep their times, and the log stays in order.
    const two = recordSends(recordSends(createPacer(0), 50, 1_000), 50, 1_500);
    expect(leftAt(two, 1_000, 3_000).sent).toEqual([...Array<number>(50).fill(1_500), ...Array<number>(50).fill(3_000)]);
    // An answer "before" the send (a clock step) changes nothing.
    expect(leftAt(sent, 1_000, 900)).toBe(sent);
  });

  it("refuses to be overdrawn", () => {
    const p = recordSends(createPacer(0), 200, 0);
    expect(() => recordSends(p, 1, 0)).toThrow(/overdrawn/);
  });

  it("sends N writes at the window's own floor, (ceil(N / 200) - 1) x 20 s, when used as soon as allowed", () => {
    for (const [total, floorMs] of [[150, 0], [300, 20_000], [1000, 80_000]] as const) {
      let p = createPacer(0);
      let now = 0;
      let sent = 0;
      while (sent < total) {
        const want = Math.min(200, total - sent);
        now = earliestTimeFor(p, want, now);
        p = recordSends(p, want, now);
        sent += want;
      }
      // Plus the window margin each time the window binds.
      expect(now, `${total} writes`).toBeGreaterThanOrEqual(floorMs);
      expect(now, `${total} writes`).toBeLessThanOrEqual(floorMs + 250 * Math.max(0, Math.ceil(total / 200) - 1));
    }
  });

  it("a 429 pause stops everything until Retry-After has passed", () => {
    let p = createPacer(0);
    p = pauseFor(p, 3000, 100);
    expect(available(p, 3099)).toBe(0);
    expect(available(p, 3100)).toBe(200);
    expect(earliestTimeFor(p, 5, 200)).toBe(3100);
  });

  it("never exceeds 200 writes in any 20 s window, whatever the timing (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ advance: fc.integer({ min: 0, max: 3000 }), want: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 400 }),
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
            expect(available(p, t)).toBeGreaterThanOrEqual(step.want);
          }
          for (let i = 0; i < sends.length; i++) {
            const start = sends[i]!;
            const inWindow = sends.filter((t) => t >= start && t < start + INTUNE_WRITE_LIMIT.windowMs).length;
            expect(inWindow).toBeLessThanOrEqual(200);
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
