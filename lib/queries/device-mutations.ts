"use client";

import { useCallback, useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { autopilotReset, syncDevice, type AutopilotResetResult } from "@/lib/actions/device-actions";
import { usePrivilegedAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { sendOnlyIfCurrent } from "./decision";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";
import type { DeviceAction } from "@/lib/devices/types";

/** What one click brought: the answer, or the error (also on mutation.error); null when a send was already under way. */
export type SendAnswer<T> = { ok: true; data: T } | { ok: false; error: unknown } | null;

/**
 * A device action that is sent at most once per click burst: the ref is set synchronously before the first await,
 * so a second click that lands before React re-renders (and disables the button) finds it set and does nothing.
 */
function useOnceMutation<T, V = void>(deviceId: string, action: DeviceAction, send: (token: string, variables: V) => Promise<T>) {
  const getToken = usePrivilegedAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    // Never paused for the network: a Yes pressed offline is answered now, never sent whenever the network returns.
    networkMode: "always",
    mutationFn: async ({ variables, decidedAt }: { variables: V; decidedAt: number }) => {
      sendOnlyIfCurrent(action, decidedAt);
      const token = await getToken({ deviceId, action });
      sendOnlyIfCurrent(action, decidedAt);
      return send(token, variables);
    },
    onSettled: () => {
      inFlight.current = false;
      // Not awaited: the mutation settles when the server action answers, not after every refetch it causes
      // (under slow Graph those took minutes more, and the dialog said "Sending…" all that time).
      void queryClient.invalidateQueries({ queryKey: queryKeys.device(accountId, deviceId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.deviceLists(accountId) });
      if (action === "reset") void queryClient.invalidateQueries({ queryKey: queryKeys.approvals(accountId) });
    },
  });
  const sendOnce = async (variables: V): Promise<SendAnswer<T>> => {
    if (inFlight.current) return null;
    inFlight.current = true;
    try {
      return { ok: true, data: await mutation.mutateAsync({ variables, decidedAt: performance.now() }) };
    } catch (error) {
      return { ok: false, error };
    }
  };
  return { ...mutation, sendOnce };
}

/**
 * What a reset carries under Multi Admin Approval: what the requester wrote, to ask for approval (the server adds the
 * device prefix), or the approved request's id, to complete it. Nothing: a plain reset.
 */
export type ResetVariables = { justification?: string; approvalCode?: string; ticketReference?: string } | undefined;

export function useAutopilotReset(deviceId: string) {
  return useOnceMutation<AutopilotResetResult, ResetVariables>(deviceId, "reset", async (token, variables) =>
    unwrap(await autopilotReset(token, { deviceId, ...variables })),
  );
}

export function useSyncDevice(deviceId: string) {
  return useOnceMutation(deviceId, "sync", async (token) => unwrap(await syncDevice(token, { deviceId })));
}

/**
 * A Sync of any device, for list rows (the monitor's nudge): throws the action's failure. The caller keeps one send
 * per device in flight; the token asks for PrivilegedOperations (incremental consent).
 */
export function useSendSync() {
  const getToken = usePrivilegedAccessToken();
  return useCallback(async (deviceId: string) => unwrap(await syncDevice(await getToken(), { deviceId })), [getToken]);
}
