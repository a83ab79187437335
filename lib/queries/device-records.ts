"use client";

import { useQuery } from "@tanstack/react-query";
import { getDeviceRecords, getProvisioningNames } from "@/lib/actions/device-records";
import type { Device } from "@/lib/devices/types";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

export const provisioningNamesKey = (accountId: string) => [...queryKeys.account(accountId), "provisioning-names"] as const;
/** Under the device's key: reading the device again (Refresh, after a reset) reads its records again too. */
export const deviceRecordsKey = (accountId: string, deviceId: string) => [...queryKeys.device(accountId, deviceId), "records"] as const;

/** A tenant has tens of profiles and policies, and they change rarely: read once per visit, shared by grid and page. */
const NAMES_STALE_MS = 10 * 60_000;

/** The tenant's Autopilot profile and device preparation policy names (lib/devices/provisioning.ts). */
export function useProvisioningNames(enabled = true) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: provisioningNamesKey(accountId),
    enabled: enabled && accountId !== "",
    staleTime: NAMES_STALE_MS,
    queryFn: async () => unwrap(await getProvisioningNames(await getToken(), {})),
  });
}

/** The other Intune records with the device's serial, and whether its Autopilot record agrees (Windows devices). */
export function useDeviceRecords(device: Pick<Device, "id" | "operatingSystem"> | undefined) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: deviceRecordsKey(accountId, device?.id ?? ""),
    enabled: accountId !== "" && device !== undefined && device.operatingSystem.trim().toLowerCase() === "windows",
    queryFn: async () => unwrap(await getDeviceRecords(await getToken(), { deviceId: device!.id })),
  });
}
