"use client";

import { useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { changeGroupTag, type GroupTagChanged } from "@/lib/actions/group-tag";
import { GROUP_TAG_SCOPES } from "@/lib/auth/scopes";
import { useDirectoryAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

export interface GroupTagInput {
  groupTag: string;
  userPrincipalName?: string;
}

/**
 * Changes the device's Autopilot group tag, once per Yes: the write scope is asked for only here (incremental consent,
 * docs/graph.md, "Changing the group tag"); afterwards the Autopilot record is read again, and followed while its
 * profile catches up (useDeviceAutopilot).
 */
export function useChangeGroupTag(deviceId: string) {
  const getToken = useDirectoryAccessToken(GROUP_TAG_SCOPES);
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: async (input: GroupTagInput) => unwrap(await changeGroupTag(await getToken(), { deviceId, ...input })),
    onSettled: () => {
      inFlight.current = false;
      void queryClient.invalidateQueries({ queryKey: queryKeys.deviceAutopilot(accountId, deviceId) });
    },
  });
  /** The change Graph accepted, or null (one already on its way, or refused: mutation.error says why). */
  const changeOnce = async (input: GroupTagInput): Promise<GroupTagChanged | null> => {
    if (inFlight.current) return null;
    inFlight.current = true;
    try {
      return await mutation.mutateAsync(input);
    } catch {
      return null;
    }
  };
  return { ...mutation, changeOnce };
}
