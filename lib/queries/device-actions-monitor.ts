"use client";

import { useMemo, useSyncExternalStore } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { refreshDeviceActionsMonitor } from "@/lib/actions/audits";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { useApprovalsByDevice } from "./approvals";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { buildMonitorRows, latestResetByDevice, type MonitorRow } from "@/lib/monitor/monitor-row";
import { MONITOR_MIN_INTERVAL_MS, refreshIntervalMs } from "@/lib/monitor/polling";
import { chooseWindowStart, mergeRefresh, nextRefreshQuery, type MonitorSnapshot } from "@/lib/monitor/snapshot";
import { parseSyncRecords, SYNC_RECORDS_EVENT, SYNC_RECORDS_KEY, type SyncRecord } from "@/lib/monitor/sync-records";

export function monitorQueryKey(accountId: string) {
  return [...queryKeys.account(accountId), "device-actions-monitor"] as const;
}

/**
 * The tenant's Autopilot Resets and the devices' check-ins, refreshed by itself: one server action per refresh, paced
 * so the monitor stays under its Graph budget (lib/monitor/polling), and paused while the tab is hidden. The monitor
 * page, the reset watcher and the grid's reset-status column share this one query (one set of requests for all).
 */
export function useDeviceActionsMonitor({ enabled = true }: { enabled?: boolean } = {}) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const key = monitorQueryKey(accountId);
  return useQuery({
    queryKey: key,
    enabled: enabled && accountId !== "",
    queryFn: async () => {
      const previous = queryClient.getQueryData<MonitorSnapshot>(key);
      const windowStart = chooseWindowStart(previous, new Date());
      const read = unwrap(await refreshDeviceActionsMonitor(await getToken(), nextRefreshQuery(previous, windowStart)));
      return mergeRefresh(previous, read, windowStart);
    },
    refetchInterval: (query) => (query.state.error ? 60_000 : query.state.data ? refreshIntervalMs(query.state.data.lastGraphRequests) : false),
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: false,
    staleTime: MONITOR_MIN_INTERVAL_MS,
    // Thousands of rows: deep-comparing them on every refresh costs more than it saves.
    structuralSharing: false,
  });
}

/** The newest reset audit per device, from whatever the shared query last read (never starts a read itself). */
export function useLatestResetAudits(): Map<string, DeviceActionRecord> {
  const accountId = useAccountId();
  const { data } = useQuery<MonitorSnapshot>({ queryKey: monitorQueryKey(accountId), enabled: false });
  return useMemo(() => latestResetByDevice(data?.actions ?? []), [data]);
}

function subscribeToSyncRecords(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === SYNC_RECORDS_KEY) onChange();
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener(SYNC_RECORDS_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener(SYNC_RECORDS_EVENT, onChange);
  };
}

function storedSyncText(): string | null {
  try {
    return window.localStorage.getItem(SYNC_RECORDS_KEY);
  } catch {
    return null;
  }
}

/** The syncs this browser sent (lib/monitor/sync-records), kept current across tabs. */
export function useSyncRecords(): SyncRecord[] {
  const text = useSyncExternalStore(subscribeToSyncRecords, storedSyncText, () => null);
  return useMemo(() => parseSyncRecords(text), [text]);
}

/** The monitor's rows: the audits, this browser's syncs, and the resets awaiting approval (which have no audit yet). */
export function useMonitorRows(snapshot: MonitorSnapshot | undefined, now: Date): MonitorRow[] {
  const syncs = useSyncRecords();
  const approvals = useApprovalsByDevice();
  return useMemo(
    () => (snapshot ? buildMonitorRows(snapshot.actions, syncs, snapshot.checkIns, now, approvals.values()) : []),
    [snapshot, syncs, now, approvals],
  );
}
