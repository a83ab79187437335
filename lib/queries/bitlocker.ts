"use client";

import { useQuery, useMutation } from "@tanstack/react-query";
import { listBitlockerKeys, showBitlockerKey } from "@/lib/actions/bitlocker";
import { useDirectoryAccessToken } from "@/lib/auth/use-access-token";
import { BITLOCKER_SCOPES } from "@/lib/auth/scopes";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/**
 * The device's BitLocker keys as Entra lists them (ids, volume, date; never the key), read only once the section is
 * opened: that is when the BitLocker scopes are first asked for (incremental consent, useDirectoryAccessToken).
 */
export function useBitlockerKeys(deviceId: string, opened: boolean) {
  const getToken = useDirectoryAccessToken(BITLOCKER_SCOPES);
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.deviceBitlockerKeys(accountId, deviceId),
    enabled: opened && accountId !== "",
    staleTime: 60_000,
    queryFn: async () => unwrap(await listBitlockerKeys(await getToken(), { deviceId })),
  });
}

/**
 * Reads one key: a mutation, never a query, so the key sits in no query cache; gcTime 0 drops the mutation's copy as soon
 * as nothing observes it, and the section resets it on Hide and on leaving the page.
 */
export function useShowBitlockerKey(deviceId: string) {
  const getToken = useDirectoryAccessToken(BITLOCKER_SCOPES);
  return useMutation({
    gcTime: 0,
    mutationFn: async (keyId: string) => unwrap(await showBitlockerKey(await getToken(), { deviceId, keyId })),
  });
}
