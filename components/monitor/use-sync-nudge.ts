"use client";

import { useCallback, useRef, useState } from "react";
import { useMsal } from "@azure/msal-react";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { actionPermission, type Permission } from "@/lib/auth/permissions";
import { useGrantedScopes } from "@/lib/auth/use-access-token";
import { recordSync } from "@/lib/monitor/sync-records";
import { toActionError } from "@/lib/queries/action-failure";
import { useMyPermissions } from "@/lib/queries/devices";
import { useSendSync } from "@/lib/queries/device-mutations";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";

export function useSyncPermission(): Permission {
  const permissions = useMyPermissions();
  const grantedScopes = useGrantedScopes();
  return actionPermission("sync", permissions.data, grantedScopes);
}

/**
 * Sync one pending device from a row (monitor or grid): sent once per click burst, remembered for the monitor
 * (Sync is not in the audit log), and answered with a toast.
 */
export function useSyncNudge() {
  const sendSync = useSendSync();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const { instance } = useMsal();
  const inFlight = useRef(new Set<string>());
  const [sending, setSending] = useState<ReadonlySet<string>>(new Set());

  const send = useCallback(
    async (deviceId: string, deviceName: string) => {
      if (inFlight.current.has(deviceId)) return;
      inFlight.current.add(deviceId);
      setSending(new Set(inFlight.current));
      try {
        const { requestedAt } = await sendSync(deviceId);
        recordSync({ deviceId, deviceName, requestedAt, initiatedBy: instance.getActiveAccount()?.username ?? null });
        toast.success(`Sync sent to ${deviceName}. It checks in with Intune when it is next online.`);
        void queryClient.invalidateQueries({ queryKey: queryKeys.device(accountId, deviceId) });
      } catch (error) {
        toast.error(`Sync of ${deviceName} was not sent`, { description: toActionError(error).message });
      } finally {
        inFlight.current.delete(deviceId);
        setSending(new Set(inFlight.current));
      }
    },
    [sendSync, instance, queryClient, accountId],
  );
  return { send, sending };
}
