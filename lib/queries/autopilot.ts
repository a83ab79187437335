"use client";

import { useQuery } from "@tanstack/react-query";
import { getDeviceAutopilot } from "@/lib/actions/autopilot";
import type { Device } from "@/lib/devices/types";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/** While a reset is under way the record is read again this often, so its enrollment state follows the reset. */
const FOLLOW_MS = 15_000;

/**
 * The device's Windows Autopilot record, for a Windows device registered with Autopilot that has a serial number (the
 * record is found by it).
 */
export function useDeviceAutopilot(
  device: Pick<Device, "id" | "serialNumber" | "autopilotEnrolled" | "operatingSystem"> | undefined,
  resetUnderWay = false,
) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const serialNumber = device?.serialNumber?.trim() ?? "";
  return useQuery({
    queryKey: queryKeys.deviceAutopilot(accountId, device?.id ?? ""),
    enabled: accountId !== "" && Boolean(device?.autopilotEnrolled) && serialNumber !== "",
    staleTime: 30_000,
    refetchInterval: resetUnderWay ? FOLLOW_MS : false,
    queryFn: async () => unwrap(await getDeviceAutopilot(await getToken(), { deviceId: device!.id, serialNumber })),
  });
}
