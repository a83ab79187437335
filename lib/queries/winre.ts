"use client";

import { useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getWinreStatus, runWinreRemediation, type WinreRunResult } from "@/lib/actions/winre";
import { winreView } from "@/lib/devices/winre";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/** While a run is on its way to the device its state is read this often, so the page shows the answer soon after it lands. */
const FOLLOW_MS = 5_000;

/**
 * The device's WinRE evidence from the console's remediation package (lib/actions/winre.ts), read again every few
 * seconds while a run is on its way (the one this page asked for at `requestedAt`, or one Graph shows).
 */
export function useWinreStatus(deviceId: string, requestedAt: string | null) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.deviceWinre(accountId, deviceId),
    enabled: accountId !== "",
    staleTime: 30_000,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return false;
      return winreView(data.evidence, data.blocked !== null, requestedAt).waiting ? FOLLOW_MS : false;
    },
    queryFn: async () => unwrap(await getWinreStatus(await getToken(), { deviceId })),
  });
}

/** Runs the WinRE package on the device, at most once per click burst (the server refuses a second while one runs). */
export function useRunWinre(deviceId: string) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: async () => unwrap(await runWinreRemediation(await getToken(), { deviceId })),
    onSettled: () => {
      inFlight.current = false;
      void queryClient.invalidateQueries({ queryKey: queryKeys.deviceWinre(accountId, deviceId) });
    },
  });
  /** The run Intune accepted, or null (already under way, or refused: mutation.error says why). */
  const runOnce = async (): Promise<WinreRunResult | null> => {
    if (inFlight.current) return null;
    inFlight.current = true;
    try {
      return await mutation.mutateAsync();
    } catch {
      return null;
    }
  };
  return { ...mutation, runOnce };
}
