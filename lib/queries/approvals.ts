"use client";

import { useCallback, useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { decideApproval, getApprovalCoverage, getDeviceApproval, listApprovalRequests, type ApprovalCoverageResult } from "@/lib/actions/approvals";
import { isOpenApproval } from "@/lib/devices/approval";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

/** While a device's request is open, look again this often: the approver decides elsewhere, and Intune tells no one. */
export const OPEN_APPROVAL_POLL_MS = 10_000;

/** Whether the tenant's access policies cover an Autopilot Reset (unknown when the role may not read them). */
export function useApprovalCoverage() {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.approvalCoverage(accountId),
    enabled: accountId !== "",
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await getApprovalCoverage(await getToken())),
  });
}

/**
 * Remembers, for this session, what a reset's answer taught: Multi Admin Approval covers resets (the role could not
 * read the policies, or they changed since).
 */
export function useLearnApprovalCoverage() {
  const queryClient = useQueryClient();
  const accountId = useAccountId();
  return useCallback(() => {
    queryClient.setQueryData<ApprovalCoverageResult>(queryKeys.approvalCoverage(accountId), (old) => ({
      coverage: "covered",
      policyNames: old?.policyNames ?? [],
    }));
  }, [queryClient, accountId]);
}

/** The device's newest approval request, polled while it is open. */
export function useDeviceApproval(deviceId: string) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.deviceApproval(accountId, deviceId),
    enabled: accountId !== "",
    staleTime: 0,
    queryFn: async () => unwrap(await getDeviceApproval(await getToken(), { deviceId })),
    refetchInterval: (query) => {
      const request = query.state.data?.request;
      if (query.state.error) return false;
      return request && isOpenApproval(request.status) ? OPEN_APPROVAL_POLL_MS : false;
    },
  });
}

/** The approver page: every request (an approver), or the caller's own. */
export function useApprovalRequests() {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  return useQuery({
    queryKey: queryKeys.approvalRequests(accountId),
    enabled: accountId !== "",
    staleTime: 0,
    refetchInterval: 30_000,
    queryFn: async () => unwrap(await listApprovalRequests(await getToken())),
  });
}

export interface DecisionVariables {
  requestId: string;
  decision: "approve" | "reject";
  justification: string;
}

/** Approve or reject, once per click burst (the ref is set before the first await), then every approval read refreshes. */
export function useDecideApproval() {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: async (variables: DecisionVariables) => unwrap(await decideApproval(await getToken(), variables)),
    onSettled: () => {
      inFlight.current = false;
      void queryClient.invalidateQueries({ queryKey: queryKeys.approvals(accountId) });
    },
  });
  const decideOnce = async (variables: DecisionVariables) => {
    if (inFlight.current) return null;
    inFlight.current = true;
    try {
      return { ok: true as const, data: await mutation.mutateAsync(variables) };
    } catch (error) {
      return { ok: false as const, error };
    }
  };
  return { ...mutation, decideOnce };
}
