import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { budgetFrom, DAILY_WINDOW_MS, nextWaveSize, planWaves, roomAt } from "./daily-limit";

const H = 3_600_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");
/** Intune's default (lib/config.ts); the functions take whatever the server is configured with. */
const LIMIT = 500;

describe("the daily wipe budget", () => {
  it("counts only the wipes of the 24 hours up to Graph's time", () => {
    const budget = budgetFrom([NOW - 25 * H, NOW - 23 * H, NOW - H, NOW], NOW, LIMIT);
    expect(budget).toMatchObject({ limit: 500, counted: 3, remaining: 497, graphTime: NOW });
    expect(budget.countedTimes).toEqual([NOW - 23 * H, NOW - H, NOW]);
  });

  it("never goes below zero", () => {
    expect(budgetFrom(Array.from({ length: 600 }, (_, i) => NOW - i * 1000), NOW, LIMIT).remaining).toBe(0);
  });
});

describe("roomAt", () => {
  it("is now when there is room", () => {
    expect(roomAt([NOW - H], 10, NOW, 500)).toBe(NOW);
  });

  it("waits for the oldest wipes to leave the window", () => {
    const times = [NOW - 20 * H, NOW - 10 * H, NOW - 5 * H];
    // Limit 3, all used: one fits when the oldest leaves, two when the second does.
    expect(roomAt(times, 1, NOW, 3)).toBe(NOW - 20 * H + DAILY_WINDOW_MS + 1000);
    expect(roomAt(times, 2, NOW, 3)).toBe(NOW - 10 * H + DAILY_WINDOW_MS + 1000);
  });

  it("never fits more than the limit", () => {
    expect(roomAt([], 501, NOW, 500)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("planWaves", () => {
  it("700 resets with nothing counted: 500 now, 200 once the first wave's wipes age out", () => {
    const waves = planWaves(700, budgetFrom([], NOW, LIMIT));
    expect(waves.map((w) => w.count)).toEqual([500, 200]);
    expect(waves[0]!.startsAt).toBe(NOW);
    expect(waves[1]!.startsAt).toBe(NOW + DAILY_WINDOW_MS + 1000);
  });

  it("a run that fits today is one wave", () => {
    expect(planWaves(120, budgetFrom([NOW - H], NOW, LIMIT))).toEqual([{ number: 1, count: 120, startsAt: NOW }]);
  });

  it("room freed by yesterday's wipes starts the second wave before the first wave's wipes age out", () => {
    // 400 wipes 20 h ago, so 100 left now; they leave the window in 4 h.
    const times = Array.from({ length: 400 }, () => NOW - 20 * H);
    const waves = planWaves(700, budgetFrom(times, NOW, LIMIT));
    expect(waves.map((w) => w.count)).toEqual([100, 400, 200]);
    expect(waves[1]!.startsAt).toBe(NOW + 4 * H + 1000);
    // The third needs 200: the 100 of the first wave and 100 of the second have to age out.
    expect(waves[2]!.startsAt).toBe(NOW + 4 * H + 1000 + DAILY_WINDOW_MS + 1000);
  });

  it("nothing left today: the first wave is empty and the next starts when room opens", () => {
    const times = Array.from({ length: 500 }, (_, i) => NOW - 23 * H + i * 1000);
    const waves = planWaves(50, budgetFrom(times, NOW, LIMIT));
    expect(waves[0]).toEqual({ number: 1, count: 0, startsAt: NOW });
    // 50 fit once the 50 oldest have left the window.
    expect(waves[1]).toEqual({ number: 2, count: 50, startsAt: NOW - 23 * H + 49_000 + DAILY_WINDOW_MS + 1000 });
  });

  it("property: waves cover every device once, never exceed the limit in any 24 h, and never start before Graph's now", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.integer({ min: 0, max: 24 * 3600 - 1 }), { maxLength: 700 }),
        (devices, limit, agesSeconds) => {
          const times = agesSeconds.map((s) => NOW - s * 1000);
          const waves = planWaves(devices, budgetFrom(times, NOW, limit));
          expect(waves.reduce((n, w) => n + w.count, 0)).toBe(devices);
          const sent = [...times];
          for (const w of waves) {
            expect(w.startsAt).toBeGreaterThanOrEqual(NOW);
            const inWindow = sent.filter((t) => t > w.startsAt - DAILY_WINDOW_MS).length;
            expect(inWindow + w.count).toBeLessThanOrEqual(Math.max(limit, inWindow));
            for (let i = 0; i < w.count; i++) sent.push(w.startsAt);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("nextWaveSize", () => {
  it("takes what is left today, no more", () => {
    expect(nextWaveSize(200, { remaining: 500 })).toBe(200);
    expect(nextWaveSize(200, { remaining: 37 })).toBe(37);
    expect(nextWaveSize(200, { remaining: 0 })).toBe(0);
  });
});
