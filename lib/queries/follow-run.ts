"use client";

import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { monitorQueryKey } from "./device-actions-monitor";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/**
 * While a bulk run is driven its server calls go one at a time (lib/bulk/engine.ts): a re-read of the grid every
 * answer would queue behind them. So the views follow the run this long after its latest new initiation, and at once
 * when it stops.
 */
const SETTLE_MS = 5_000;

/**
 * After a bulk run initiates devices, every view of them moves on its own (issue 23, item 3): the device lists, the
 * device pages and the tenant's reset audits (the grid's and the monitor's reset status) are read again, no reload.
 */
export function useViewsFollowRun(initiated: number, driving: boolean) {
  const queryClient = useQueryClient();
  const accountId = useAccountId();
  // How many initiations the views were last read after (a run restored from storage costs one read).
  const shown = useRef(initiated);
  useEffect(() => {
    if (initiated <= shown.current) {
      shown.current = initiated;
      return;
    }
    const timer = setTimeout(
      () => {
        shown.current = initiated;
        void queryClient.invalidateQueries({ queryKey: queryKeys.deviceLists(accountId) });
        void queryClient.invalidateQueries({ queryKey: monitorQueryKey(accountId) });
        void queryClient.invalidateQueries({ queryKey: [...queryKeys.account(accountId), "devices", "detail"] });
      },
      driving ? SETTLE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [initiated, driving, queryClient, accountId]);
}
