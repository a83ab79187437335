"use client";

import { useState, useSyncExternalStore } from "react";
import dynamic from "next/dynamic";
import { WindowsDevicesView, type BulkBarSlotProps } from "./windows-devices-view";
import { isEmptySelection } from "@/lib/devices/selection";

/**
 * The bulk-action code (bar, preflight, run engine, results) is about 65 KB gzipped: loaded only once the admin selects
 * a device, or when a bulk run saved by an earlier page is waiting to resume, so the grid's first load stays in budget.
 */
const BulkActions = dynamic(() => import("@/components/bulk/bulk-actions").then((module) => module.BulkActions), {
  ssr: false,
  loading: () => null,
});

/** Key prefix of a saved bulk run (lib/bulk/persistence.ts runStorageKey); read here without loading that module. */
const BULK_RUN_KEY_PREFIX = "autopilot-console:bulk-run:";

function hasSavedBulkRun(): boolean {
  try {
    for (let index = 0; index < window.localStorage.length; index++) {
      if (window.localStorage.key(index)?.startsWith(BULK_RUN_KEY_PREFIX)) return true;
    }
  } catch {
    // Storage disabled: nothing can have been saved.
  }
  return false;
}

/** A saved run appears only through this page's own bulk code, which is loaded by then: nothing to listen to. */
function subscribeToNothing(): () => void {
  return () => undefined;
}

function LazyBulkBar(props: BulkBarSlotProps) {
  // Once mounted it stays mounted: clearing the selection must not tear down a run in progress.
  const [wanted, setWanted] = useState(false);
  const saved = useSyncExternalStore(subscribeToNothing, hasSavedBulkRun, () => false);
  if (!wanted && (saved || !isEmptySelection(props.selection))) setWanted(true);
  return wanted ? <BulkActions {...props} /> : null;
}

/** Windows devices grid with bulk Autopilot Reset and Sync in its bulkBar slot. */
export function WindowsDevicesWithLazyBulk() {
  return <WindowsDevicesView bulkBar={(props) => <LazyBulkBar {...props} />} />;
}
