"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";

/** How long a read may take before the page says so. */
export const SLOW_FETCH_MS = 15_000;

export interface SlowFetchState {
  /** The current fetch has run longer than the threshold, and the user has not chosen to keep waiting. */
  slow: boolean;
  /** How long it has run, in whole seconds, counted in steps of the threshold (15, 30, 45…). */
  seconds: number;
}

const IDLE: SlowFetchState = { slow: false, seconds: 0 };

/**
 * The clock behind useSlowFetch, apart from React so it can be tested with fake timers: `start` when a fetch begins
 * (or is replaced by a new one), `stop` when it ends, `keepWaiting` to hide the notice until then.
 */
export function createSlowFetchClock(thresholdMs = SLOW_FETCH_MS) {
  let steps = 0;
  let waiting = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let state = IDLE;
  const listeners = new Set<() => void>();
  const publish = () => {
    const next = { slow: steps > 0 && !waiting, seconds: Math.round((steps * thresholdMs) / 1000) };
    if (next.slow === state.slow && next.seconds === state.seconds) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    steps = 0;
    waiting = false;
    publish();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    getState: () => state,
    start() {
      stop();
      timer = setInterval(() => {
        steps++;
        publish();
      }, thresholdMs);
    },
    stop,
    keepWaiting() {
      waiting = true;
      publish();
    },
  };
}

/**
 * Whether a query's current fetch (`isFetching`) has been running longer than `thresholdMs`; resets when it ends.
 * `restart` counts from zero again, for a fetch replaced by a new one without isFetching ever reading false.
 */
export function useSlowFetch(isFetching: boolean, thresholdMs = SLOW_FETCH_MS) {
  const clock = useMemo(() => createSlowFetchClock(thresholdMs), [thresholdMs]);
  useEffect(() => {
    if (!isFetching) return;
    clock.start();
    return clock.stop;
  }, [clock, isFetching]);
  const state = useSyncExternalStore(clock.subscribe, clock.getState, () => IDLE);
  return {
    slow: isFetching && state.slow,
    seconds: state.seconds,
    keepWaiting: clock.keepWaiting,
    restart: () => {
      if (isFetching) clock.start();
    },
  };
}
