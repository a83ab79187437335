"use client";

import { useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { autopilotReset, syncDevice } from "@/lib/actions/device-actions";
import type { PendingActionKind } from "@/lib/auth/pending-action";
import { usePrivilegedAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/**
 * A device action that is sent at most once per click burst: the ref is set synchronously before the first await,
 * so a second click that lands before React re-renders (and disables the button) finds it set and does nothing.
 */
function useOnceMutation<T>(deviceId: string, action: PendingActionKind, send: (token: string) => Promise<T>) {
  const getToken = usePrivilegedAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: async () => send(await getToken({ deviceId, action })),
    onSettled: async () => {
      inFlight.current = false;
      await queryClient.invalidateQueries({ queryKey: queryKeys.device(accountId, deviceId) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.deviceLists(accountId) });
    },
  });
  const sendOnce = async (): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    try {
      return await mutation.mutateAsync();
    } catch {
      return undefined; // The error is on mutation.error for the UI to word.
    }
  };
  return { ...mutation, sendOnce };
}

export function useAutopilotReset(deviceId: string) {
  return useOnceMutation(deviceId, "reset", async (token) => unwrap(await autopilotReset(token, { deviceId })));
}

export function useSyncDevice(deviceId: string) {
  return useOnceMutation(deviceId, "sync", async (token) => unwrap(await syncDevice(token, { deviceId })));
}
