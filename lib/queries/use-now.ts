"use client";

import { useEffect, useState } from "react";

/**
 * The browser's time, refreshed every `everyMs` and whenever `nudge` changes (fresh data deserves a fresh "now"), so
 * ages and "pending for" move on without a read.
 */
export function useNow(everyMs: number, nudge?: unknown): Date {
  const [now, setNow] = useState(() => new Date());
  const [lastNudge, setLastNudge] = useState(nudge);
  if (nudge !== lastNudge) {
    setLastNudge(nudge);
    setNow(new Date());
  }
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
