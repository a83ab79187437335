"use client";

import { useEffect, useRef } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getDeviceAutopilot } from "@/lib/actions/autopilot";
import { profileCatchUp } from "@/lib/devices/group-tag";
import type { Device } from "@/lib/devices/types";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/** While a reset is under way the record is read again this often, so its enrollment state follows the reset. */
const FOLLOW_MS = 15_000;
/** While the deployment profile catches up with a group tag change, the record is read this often. */
const CATCH_UP_MS = 5_000;

/**
 * The device's Windows Autopilot record, for a Windows device registered with Autopilot that has a serial number (the
 * record is found by it). `resetState` is the page's reset status ("none", "pending", "active", "done", ...): while a
 * reset is under way the record is followed, and whenever the status moves the record is read again at once, so the
 * card's enrollment state never contradicts the page (issue 23, item 3: "Reset complete" beside "Reset pending").
 */
export function useDeviceAutopilot(
  device: Pick<Device, "id" | "serialNumber" | "autopilotEnrolled" | "operatingSystem"> | undefined,
  resetState = "none",
) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const serialNumber = device?.serialNumber?.trim() ?? "";
  const resetUnderWay = resetState === "pending" || resetState === "active";
  const deviceId = device?.id ?? "";
  const seen = useRef(resetState);
  useEffect(() => {
    if (seen.current === resetState) return;
    seen.current = resetState;
    void queryClient.invalidateQueries({ queryKey: queryKeys.deviceAutopilot(accountId, deviceId) });
  }, [resetState, queryClient, accountId, deviceId]);
  return useQuery({
    queryKey: queryKeys.deviceAutopilot(accountId, device?.id ?? ""),
    enabled: accountId !== "" && Boolean(device?.autopilotEnrolled) && serialNumber !== "",
    staleTime: 30_000,
    // Followed while a reset is under way, and while the profile catches up with a new group tag.
    refetchInterval: (query) => {
      if (resetUnderWay) return FOLLOW_MS;
      const data = query.state.data;
      return data?.kind === "found" && profileCatchUp(data.record).kind === "catching-up" ? CATCH_UP_MS : false;
    },
    queryFn: async () => unwrap(await getDeviceAutopilot(await getToken(), { deviceId: device!.id, serialNumber })),
  });
}
