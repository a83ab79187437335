import type { DeviceFilters, DeviceSort } from "@/lib/devices/types";

export interface DeviceListParams {
  search: string;
  filters: DeviceFilters;
  sort: DeviceSort | null;
}

/**
 * Query keys, one factory: every key starts with the signed-in account, so a different admin in the same tab never
 * sees the previous one's cached answers.
 */
export const queryKeys = {
  account: (accountId: string) => ["account", accountId] as const,
  permissions: (accountId: string) => [...queryKeys.account(accountId), "permissions"] as const,
  platformCounts: (accountId: string) => [...queryKeys.account(accountId), "platform-counts"] as const,
  deviceLists: (accountId: string) => [...queryKeys.account(accountId), "devices", "list"] as const,
  deviceList: (accountId: string, params: DeviceListParams) => [...queryKeys.deviceLists(accountId), params] as const,
  device: (accountId: string, deviceId: string) => [...queryKeys.account(accountId), "devices", "detail", deviceId] as const,
  deviceActionState: (accountId: string, deviceId: string) =>
    [...queryKeys.device(accountId, deviceId), "action-state"] as const,
  deviceAutopilot: (accountId: string, deviceId: string) => [...queryKeys.device(accountId, deviceId), "autopilot"] as const,
  deviceWinre: (accountId: string, deviceId: string) => [...queryKeys.device(accountId, deviceId), "winre"] as const,
  /** The list of a device's BitLocker keys (ids, volume, date): never the keys themselves, which come from a mutation. */
  deviceBitlockerKeys: (accountId: string, deviceId: string) => [...queryKeys.device(accountId, deviceId), "bitlocker-keys"] as const,
  /** Multi Admin Approval: every approval read sits under this prefix, so a decision or a reset refreshes them all. */
  approvals: (accountId: string) => [...queryKeys.account(accountId), "approvals"] as const,
  approvalCoverage: (accountId: string) => [...queryKeys.approvals(accountId), "coverage"] as const,
  approvalRequests: (accountId: string) => [...queryKeys.approvals(accountId), "requests"] as const,
  deviceApproval: (accountId: string, deviceId: string) => [...queryKeys.approvals(accountId), "device", deviceId] as const,
  runApprovals: (accountId: string, runId: string) => [...queryKeys.approvals(accountId), "run", runId] as const,
};
