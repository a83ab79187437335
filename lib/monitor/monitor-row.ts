/**
 * One row of the device-actions monitor, built from an audit record (resets) or from a sync this console sent (Sync
 * is not in the audits: docs/graph.md, "When a sync is done"), plus the device's last check-in.
 */
import type { ResetStatus } from "@/lib/devices/action-status";
import { offlineDays } from "@/lib/devices/check-in";
import type { Device, DeviceAction } from "@/lib/devices/types";
import type { DeviceActionRecord } from "@/lib/graph/audits";
import type { SyncRecord } from "./sync-records";
import {
  HYBRID_NOT_SUPPORTED_FIX,
  HYBRID_NOT_SUPPORTED_REASON,
  WINRE_FAILURE_FIX,
  WINRE_FAILURE_REASON,
  type ActionStateName,
} from "./status-wording";

export interface MonitorRow {
  key: string;
  source: "audit" | "console";
  action: DeviceAction;
  /** The raw remoteAction (factoryResetKeepEnrollmentData, automaticRedeployment) or "syncDevice". */
  actionName: string;
  deviceId: string | null;
  deviceName: string;
  state: ActionStateName;
  initiatedBy: string | null;
  requestedAt: string | null;
  lastCheckIn: string | null;
  /** Set while pending when the device has not checked in for days: its last check-in. */
  offlineSince?: string;
  reason?: string;
  fix?: string;
  bulk: boolean;
}

export interface KnownCheckIn {
  deviceName: string | null;
  lastSyncDateTime: string | null;
}

export function isInFlight(state: ActionStateName): boolean {
  return state === "pending" || state === "active";
}

export function resetStateOfAudit(record: Pick<DeviceActionRecord, "state">): ActionStateName {
  switch (record.state) {
    case "pending":
    case "active":
    case "done":
    case "failed":
    case "notSupported":
      return record.state;
    default:
      // none, canceled, unknownFutureValue: nothing is under way.
      return "none";
  }
}

function reasonFor(state: ActionStateName): Pick<MonitorRow, "reason" | "fix"> {
  if (state === "failed") return { reason: WINRE_FAILURE_REASON, fix: WINRE_FAILURE_FIX };
  if (state === "notSupported") return { reason: HYBRID_NOT_SUPPORTED_REASON, fix: HYBRID_NOT_SUPPORTED_FIX };
  return {};
}

function offlineFields(state: ActionStateName, lastCheckIn: string | null, now: Date): Pick<MonitorRow, "offlineSince"> {
  if (state !== "pending" || !lastCheckIn) return {};
  return offlineDays({ lastSyncDateTime: lastCheckIn }, now) !== undefined ? { offlineSince: lastCheckIn } : {};
}

export function rowFromAudit(record: DeviceActionRecord, checkIn: KnownCheckIn | undefined, now: Date): MonitorRow {
  const state = resetStateOfAudit(record);
  const lastCheckIn = checkIn?.lastSyncDateTime ?? null;
  return {
    key: `audit:${record.id}`,
    source: "audit",
    action: "reset",
    actionName: record.action,
    deviceId: record.deviceId,
    deviceName: record.deviceName ?? checkIn?.deviceName ?? record.deviceId ?? "Unknown device",
    state,
    initiatedBy: record.initiatedBy,
    requestedAt: record.requestedAt,
    lastCheckIn,
    ...offlineFields(state, lastCheckIn, now),
    ...reasonFor(state),
    bulk: record.category === "bulk",
  };
}

/**
 * A sync is done once the device's last check-in moves past the time it was requested (docs/graph.md, "When a sync is
 * done").
 */
export function rowFromSync(record: SyncRecord, checkIn: KnownCheckIn | undefined, now: Date): MonitorRow {
  const lastCheckIn = checkIn?.lastSyncDateTime ?? null;
  const done = lastCheckIn !== null && Date.parse(lastCheckIn) > Date.parse(record.requestedAt);
  const state: ActionStateName = done ? "done" : "pending";
  return {
    key: `sync:${record.deviceId}:${record.requestedAt}`,
    source: "console",
    action: "sync",
    actionName: "syncDevice",
    deviceId: record.deviceId,
    deviceName: record.deviceName ?? checkIn?.deviceName ?? record.deviceId,
    state,
    initiatedBy: record.initiatedBy,
    requestedAt: record.requestedAt,
    lastCheckIn,
    ...offlineFields(state, lastCheckIn, now),
    bulk: false,
  };
}

const timeOf = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);

/** Every row, newest request first. */
export function buildMonitorRows(
  actions: readonly DeviceActionRecord[],
  syncs: readonly SyncRecord[],
  checkIns: Readonly<Record<string, KnownCheckIn>>,
  now: Date,
): MonitorRow[] {
  const rows: MonitorRow[] = [];
  for (const record of actions) rows.push(rowFromAudit(record, record.deviceId ? checkIns[record.deviceId] : undefined, now));
  for (const sync of syncs) rows.push(rowFromSync(sync, checkIns[sync.deviceId], now));
  return rows.sort((a, b) => timeOf(b.requestedAt) - timeOf(a.requestedAt) || a.key.localeCompare(b.key));
}

/** The newest reset audit of each device. */
export function latestResetByDevice(actions: readonly DeviceActionRecord[]): Map<string, DeviceActionRecord> {
  const latest = new Map<string, DeviceActionRecord>();
  for (const record of actions) {
    if (!record.deviceId || record.kind !== "reset") continue;
    const seen = latest.get(record.deviceId);
    if (!seen || timeOf(record.requestedAt) > timeOf(seen.requestedAt)) latest.set(record.deviceId, record);
  }
  return latest;
}

/**
 * The grid's reset status for a device: a LIST row carries no action history (docs/graph.md, "Action history
 * (deviceActionResults)"), only managementState, so the tenant's audit log (which the monitor already reads) fills in
 * active, done and not supported. A status with a start time (a single-device read) is compared by time with the audit;
 * the newer request wins, the device on a tie.
 */
export function reconcileResetStatus(fromDevice: ResetStatus, audit: DeviceActionRecord | undefined, device: Pick<Device, "joinType">): ResetStatus {
  if (!audit) return fromDevice;
  const state = resetStateOfAudit(audit);
  if (state === "none") return fromDevice;
  if (fromDevice.since && timeOf(fromDevice.since) >= timeOf(audit.requestedAt)) return fromDevice;
  const status: ResetStatus = { state };
  if (audit.requestedAt) status.since = audit.requestedAt;
  if (fromDevice.lastCheckIn) status.lastCheckIn = fromDevice.lastCheckIn;
  if (state === "pending" && fromDevice.offlineSince) status.offlineSince = fromDevice.offlineSince;
  if (state === "failed" && device.joinType === "hybridAzureADJoined") {
    return { ...status, state: "notSupported", reason: HYBRID_NOT_SUPPORTED_REASON, fix: HYBRID_NOT_SUPPORTED_FIX };
  }
  const words = reasonFor(state);
  if (words.reason) status.reason = words.reason;
  if (words.fix) status.fix = words.fix;
  return status;
}
