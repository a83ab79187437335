"use client";

import { useSyncExternalStore } from "react";

/** Tailwind's `md` breakpoint: below it the left navigation folds into the menu, and the monitor shows cards. */
const NARROW_QUERY = "(max-width: 767.98px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** True on a phone-sized screen; false on the server (the table first, then cards once the browser says so). */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW_QUERY).matches, () => false);
}
