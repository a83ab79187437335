"use client";

import { useQuery } from "@tanstack/react-query";
import { getDeviceAutopilot } from "@/lib/actions/autopilot";
import type { Device } from "@/lib/devices/types";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/**
 * The device's Windows Autopilot record, for a Windows device registered with Autopilot that has a serial number (the
 * record is found by it). Read again with the device, so the enrollment state follows a reset.
 */
export function useDeviceAutopilot(device: Pick<Device, "id" | "serialNumber" | "autopilotEnrolled" | "operatingSystem"> | undefined) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const serialNumber = device?.serialNumber?.trim() ?? "";
  return useQuery({
    queryKey: queryKeys.deviceAutopilot(accountId, device?.id ?? ""),
    enabled: accountId !== "" && Boolean(device?.autopilotEnrolled) && serialNumber !== "",
    staleTime: 30_000,
    queryFn: async () => unwrap(await getDeviceAutopilot(await getToken(), { deviceId: device!.id, serialNumber })),
  });
}
