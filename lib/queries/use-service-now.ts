"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { serviceNowOf, type SeenTime } from "@/lib/monitor/pending-for";
import type { MonitorSnapshot } from "@/lib/monitor/snapshot";
import { monitorQueryKey } from "./device-actions-monitor";
import { useAccountId } from "./use-account-id";
import { useNow } from "./use-now";

/**
 * "Now" on the service's clock (lib/monitor/pending-for.ts, serviceNowOf): the browser's time moved by the largest lead
 * of what the page read from Graph, and of the newest check-in the shared monitor query has seen (never starts a read).
 */
export function useServiceNow(everyMs: number, nudge: unknown, seen: readonly SeenTime[]): Date {
  const browserNow = useNow(everyMs, nudge);
  const accountId = useAccountId();
  const monitor = useQuery<MonitorSnapshot>({ queryKey: monitorQueryKey(accountId), enabled: false });
  const newestCheckIn = monitor.data?.newestCheckIn ?? null;
  const checkInReadAt = monitor.dataUpdatedAt;
  const key = seen.map((s) => `${s.iso ?? ""}@${s.readAtMs}`).join(",");
  return useMemo(
    () => serviceNowOf(browserNow, [...seen, { iso: newestCheckIn, readAtMs: checkInReadAt }]),
    // `key` stands for `seen`, which callers build afresh on each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [browserNow, key, newestCheckIn, checkInReadAt],
  );
}
