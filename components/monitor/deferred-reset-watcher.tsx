"use client";

import { useEffect, useState } from "react";
import dynamic from "next/dynamic";
import { QuietBoundary } from "@/components/ui/quiet-boundary";

/** The watcher's code (the monitor's query, its rows and wording) loads after the page's own first answers. */
const ResetWatcher = dynamic(() => import("./reset-watcher").then((module) => module.ResetWatcher), { ssr: false });

/**
 * Server actions from one page run one at a time, so the watcher's first (largest) read waits until the page has had
 * its own first answers; its code loads then too.
 */
const LOAD_AFTER_MS = 4_000;

const LOAD_NOW_EVENT = "arc:load-reset-watcher";

/**
 * A page whose own first answer is in and that waits for the tenant's audits (the Windows grid's Reset status column)
 * asks for the watcher now instead of after LOAD_AFTER_MS: its rows say "Checking…" until then (issue 23, item 8).
 */
export function loadResetWatcherNow() {
  window.dispatchEvent(new Event(LOAD_NOW_EVENT));
}

/** The reset watcher (./reset-watcher.tsx), kept out of every page's first load. */
export function DeferredResetWatcher() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const now = () => setReady(true);
    const timer = setTimeout(now, LOAD_AFTER_MS);
    window.addEventListener(LOAD_NOW_EVENT, now);
    return () => {
      clearTimeout(timer);
      window.removeEventListener(LOAD_NOW_EVENT, now);
    };
  }, []);
  // Loading it can fail (the server restarting just then): the page goes on without its notices until the next load.
  return ready ? (
    <QuietBoundary name="reset watcher">
      <ResetWatcher />
    </QuietBoundary>
  ) : null;
}
