import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSlowFetchClock, SLOW_FETCH_MS } from "./use-slow-fetch";

describe("slow fetch clock", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("says nothing before the threshold, then counts in steps of it", () => {
    const clock = createSlowFetchClock();
    clock.start();
    vi.advanceTimersByTime(SLOW_FETCH_MS - 1);
    expect(clock.getState()).toEqual({ slow: false, seconds: 0 });
    vi.advanceTimersByTime(1);
    expect(clock.getState()).toEqual({ slow: true, seconds: 15 });
    vi.advanceTimersByTime(SLOW_FETCH_MS);
    expect(clock.getState()).toEqual({ slow: true, seconds: 30 });
  });

  it("resets when the fetch ends, and a new fetch starts from zero", () => {
    const clock = createSlowFetchClock(1_000);
    clock.start();
    vi.advanceTimersByTime(3_000);
    expect(clock.getState().slow).toBe(true);
    clock.stop();
    expect(clock.getState()).toEqual({ slow: false, seconds: 0 });
    vi.advanceTimersByTime(5_000);
    expect(clock.getState().slow).toBe(false);
    clock.start();
    vi.advanceTimersByTime(999);
    expect(clock.getState().slow).toBe(false);
    vi.advanceTimersByTime(1);
    expect(clock.getState()).toEqual({ slow: true, seconds: 1 });
  });

  it("keeps quiet for the rest of the fetch once the user keeps waiting, not for the next one", () => {
    const clock = createSlowFetchClock(1_000);
    clock.start();
    vi.advanceTimersByTime(1_000);
    clock.keepWaiting();
    vi.advanceTimersByTime(10_000);
    expect(clock.getState().slow).toBe(false);
    clock.stop();
    clock.start();
    vi.advanceTimersByTime(1_000);
    expect(clock.getState().slow).toBe(true);
  });

  it("starting again while running counts from zero (a retried fetch)", () => {
    const clock = createSlowFetchClock(1_000);
    clock.start();
    vi.advanceTimersByTime(2_500);
    clock.start();
    expect(clock.getState().slow).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(clock.getState()).toEqual({ slow: true, seconds: 1 });
  });

  it("tells subscribers only when what it shows changes", () => {
    const clock = createSlowFetchClock(1_000);
    const listener = vi.fn();
    const unsubscribe = clock.subscribe(listener);
    clock.start();
    vi.advanceTimersByTime(999);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_001);
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    clock.stop();
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
