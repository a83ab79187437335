"use client";

import { useCallback, useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  decideApproval,
  getApprovalCoverage,
  getDeviceApproval,
  getRunApprovals,
  listApprovalRequests,
  type ApprovalCoverageResult,
  type ApprovalRequestsResult,
} from "@/lib/actions/approvals";
import { isOpenApproval, type ApprovalRequestView } from "@/lib/devices/approval";
import { awaitingApprovalDevices } from "@/lib/bulk/approval-outcome";
import type { BulkRun } from "@/lib/bulk/run";
import { latestApprovalByDevice } from "@/lib/monitor/monitor-row";
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

/** The approval requests the user may see: every request (an approver), or the caller's own (retrieveMyRequests). */
function useVisibleRequestsQueryFn() {
  const getToken = useAccessToken();
  return async (): Promise<ApprovalRequestsResult> => unwrap(await listApprovalRequests(await getToken()));
}

/** The approver page: every request (an approver), or the caller's own. */
export function useApprovalRequests() {
  const accountId = useAccountId();
  const queryFn = useVisibleRequestsQueryFn();
  return useQuery({
    queryKey: queryKeys.approvalRequests(accountId),
    enabled: accountId !== "",
    staleTime: 0,
    refetchInterval: 30_000,
    queryFn,
  });
}

/** The grid and the monitor look this often, and only while the page is visible: an approver decides elsewhere. */
export const APPROVALS_BY_DEVICE_POLL_MS = 60_000;

const NO_APPROVALS: ReadonlyMap<string, ApprovalRequestView> = new Map();

const approvalsByDevice = (result: ApprovalRequestsResult) => latestApprovalByDevice(result.requests);

/**
 * The grid's and the monitor's view of Multi Admin Approval: managedDeviceId (lower-case) to the device's newest
 * request, from the same query the Approvals page reads (one request list for all), polled slowly and only while the
 * page is visible. Nothing is read where the policies say resets are not covered.
 */
export function useApprovalsByDevice(): ReadonlyMap<string, ApprovalRequestView> {
  const accountId = useAccountId();
  const coverage = useApprovalCoverage();
  const queryFn = useVisibleRequestsQueryFn();
  const { data } = useQuery({
    queryKey: queryKeys.approvalRequests(accountId),
    enabled: accountId !== "" && coverage.data !== undefined && coverage.data.coverage !== "not-covered",
    staleTime: 30_000,
    refetchInterval: APPROVALS_BY_DEVICE_POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    retry: false,
    queryFn,
    select: approvalsByDevice,
  });
  return data ?? NO_APPROVALS;
}

/**
 * What became of a finished bulk run's approval requests (lib/bulk/approval-outcome.ts), read when the panel is shown,
 * when the window regains focus, on `refresh`, and slowly while any still waits: approvers decide elsewhere, and a
 * request expires after 3 days on Graph's clock. Nothing is read while the run is driven or when no device awaits.
 */
export function useRunApprovals(run: BulkRun | null, driving: boolean) {
  const getToken = useAccessToken();
  const accountId = useAccountId();
  const devices = run && run.action === "reset" && !driving ? awaitingApprovalDevices(run) : [];
  return useQuery({
    queryKey: [...queryKeys.runApprovals(accountId, run?.id ?? ""), devices.length],
    enabled: accountId !== "" && devices.length > 0,
    staleTime: 0,
    refetchOnWindowFocus: true,
    refetchInterval: APPROVALS_BY_DEVICE_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
    queryFn: async () => unwrap(await getRunApprovals(await getToken(), { devices })).states,
  });
}

export interface DecisionVariables {
  requestId: string;
  decision: "approve" | "reject";
  justification: string;
  /** The approver accepted that Graph does not confirm the request's device (lib/actions/approvals.ts, decideApproval). */
  approveUnconfirmedDevice?: boolean;
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
