"use client";

import { useCallback, useMemo } from "react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { getDevice, getPlatformCounts, listWindowsDevices } from "@/lib/actions/devices";
import { getDeviceActionState } from "@/lib/actions/device-actions";
import { getMyPermissions } from "@/lib/actions/permissions";
import type { Device } from "@/lib/devices/types";
import { useAccessToken } from "@/lib/auth/use-access-token";
import type { ListTotal } from "@/lib/devices/list-count";
import { unwrap } from "./action-failure";
import { actionStatePollMs } from "./action-state-poll";
import { monitorQueryKey } from "./device-actions-monitor";
import { queryKeys, type DeviceListParams } from "./keys";
import { useAccountId } from "./use-account-id";

/** How many rows one server round trip brings; Graph's own page is up to 1000. */
const DEVICE_PAGE_SIZE = 100;

export function useWindowsDevices(params: DeviceListParams) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: queryKeys.deviceList(accountId, params),
    enabled: accountId !== "",
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await listWindowsDevices(await getToken(), {
          search: params.search || undefined,
          filters: params.filters,
          sort: params.sort ?? undefined,
          cursor: pageParam,
          pageSize: DEVICE_PAGE_SIZE,
        }),
      ),
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    // A new sort shows the same devices in a new order: keep the rows (and the focus on the header) until it lands.
    // A new search or filter is a different set of devices: never leave the old rows under it.
    placeholderData: (previous, previousQuery) => {
      const before = previousQuery?.queryKey[previousQuery.queryKey.length - 1] as DeviceListParams | undefined;
      return before && sameDevices(before, params) ? previous : undefined;
    },
  });

  const pages = query.data?.pages;
  const derived = useMemo(() => {
    // Graph pages can overlap when devices enrol while paging: keep the first copy of each id.
    const seen = new Set<string>();
    const devices: Device[] = [];
    const ignored = new Set<string>();
    let sortedByGraph = true;
    const total: ListTotal | null = pages?.[0]?.total ?? null;
    for (const page of pages ?? []) {
      for (const device of page.devices) {
        if (seen.has(device.id)) continue;
        seen.add(device.id);
        devices.push(device);
      }
      for (const name of page.ignoredByGraph) ignored.add(name);
      if (!page.sortedByGraph) sortedByGraph = false;
    }
    return { devices, ignoredByGraph: [...ignored], sortedByGraph, total };
  }, [pages]);

  // Refresh reads the view again from its first page (not every page loaded so far), and the reset statuses with it.
  const refresh = useCallback(() => {
    void queryClient.resetQueries({ queryKey: queryKeys.deviceList(accountId, params), exact: true });
    void queryClient.invalidateQueries({ queryKey: monitorQueryKey(accountId) });
  }, [queryClient, accountId, params]);

  return { ...query, ...derived, refresh };
}

function sameDevices(a: DeviceListParams, b: DeviceListParams): boolean {
  return a.search === b.search && JSON.stringify(Object.entries(a.filters).sort()) === JSON.stringify(Object.entries(b.filters).sort());
}

/**
 * True until the tenant's reset audits (the shared monitor query, which components/monitor/reset-watcher.tsx starts a
 * moment after sign-in) have been read once: until then a grid row that shows no reset of its own does not know yet,
 * and says "Checking…" rather than "None". A failed read ends it too (the row then says what the device itself says).
 */
export function useResetAuditsLoading(): boolean {
  const accountId = useAccountId();
  return useQuery({ queryKey: monitorQueryKey(accountId), enabled: false }).status === "pending";
}

export function usePlatformCounts() {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.platformCounts(accountId),
    enabled: accountId !== "",
    queryFn: async () => unwrap(await getPlatformCounts(await getToken())),
  });
}

export function useMyPermissions() {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.permissions(accountId),
    enabled: accountId !== "",
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await getMyPermissions(await getToken())),
  });
}

export function useDevice(deviceId: string) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.device(accountId, deviceId),
    enabled: accountId !== "",
    queryFn: async () => unwrap(await getDevice(await getToken(), { id: deviceId })),
  });
}

export function useDeviceActionState(deviceId: string) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.deviceActionState(accountId, deviceId),
    enabled: accountId !== "",
    staleTime: 0,
    queryFn: async () => unwrap(await getDeviceActionState(await getToken(), { deviceId })),
    refetchInterval: (query) => actionStatePollMs(query.state.data, query.state.error, new Date()),
  });
}
