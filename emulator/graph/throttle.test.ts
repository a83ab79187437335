import { describe, expect, it } from "vitest";
import { SlidingWindow, Throttler } from "./throttle";

describe("Intune throttling windows", () => {
  it("admits 200 writes per 20 s, then answers with the time the window frees", () => {
    let now = 1_000;
    const throttler = new Throttler(() => now);
    for (let i = 0; i < 200; i++) {
      expect(throttler.admit("app", 1).allowed).toBe(true);
      now += 10; // 200 writes over 2 s
    }
    const refused = throttler.admit("app", 1);
    expect(refused.allowed).toBe(false);
    // The first write (at t=1000) leaves the window at t=21000; now is 3000.
    expect(refused.retryAfterSeconds).toBeCloseTo(18, 2);
    now = 21_001;
    expect(throttler.admit("app", 1).allowed).toBe(true);
  });

  it("keeps reads flowing when writes are exhausted, up to 2000 requests", () => {
    let now = 0;
    const throttler = new Throttler(() => now);
    for (let i = 0; i < 200; i++) throttler.admit("app", 1);
    expect(throttler.admit("app", 1).allowed).toBe(false);
    expect(throttler.admit("app", 0).allowed).toBe(true);
    for (let i = 0; i < 1799; i++) expect(throttler.admit("app", 0).allowed).toBe(true);
    const refused = throttler.admit("app", 0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeCloseTo(20, 1);
  });

  it("keeps windows per app", () => {
    const throttler = new Throttler(() => 0);
    for (let i = 0; i < 200; i++) throttler.admit("one", 1);
    expect(throttler.admit("one", 1).allowed).toBe(false);
    expect(throttler.admit("two", 1).allowed).toBe(true);
  });

  it("counts a bulk call as one write per device and makes later calls wait for the overrun", () => {
    let now = 0;
    const throttler = new Throttler(() => now);
    expect(throttler.admit("app", 250).allowed).toBe(true);
    const refused = throttler.admit("app", 1);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeCloseTo(20, 2);
    now = 20_001;
    expect(throttler.admit("app", 1).allowed).toBe(true);
  });

  it("slides: entries leave one by one", () => {
    const w = new SlidingWindow(3, 1000);
    w.add(0);
    w.add(100);
    w.add(200);
    expect(w.retryAfterSeconds(500)).toBeCloseTo(0.5, 3);
    expect(w.retryAfterSeconds(950)).toBeCloseTo(0.05, 3);
    expect(w.retryAfterSeconds(1000)).toBe(0);
    expect(w.used(1150)).toBe(1);
  });
});
