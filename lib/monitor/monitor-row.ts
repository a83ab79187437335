// Over 300 lines: every kind of monitor row (reset, sync, approval) and how they merge, built in one place.
/**
 * One row of the device-actions monitor, built from an audit record (resets) or from a sync this console sent (Sync
 * is not in the audits: docs/graph.md, "When a sync is done"), plus the device's last check-in.
 */
import { AUTOPILOT_RESET_AUDIT_ACTIONS } from "@/lib/devices/action-results";
import type { ResetStatus } from "@/lib/devices/action-status";
import { isOpenApproval, latestRequestForDevice, type ApprovalRequestView, type ApprovalStatus } from "@/lib/devices/approval";
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
  type MonitorStateName,
} from "./status-wording";

/** A reset behind Multi Admin Approval, as a monitor row carries it (docs/product.md, "Journey 8"). */
export interface MonitorApproval {
  requestId: string;
  status: ApprovalStatus;
  expiresAt: string | null;
  /** What the requester wrote (the device prefix removed). */
  justification: string;
}

export interface MonitorRow {
  key: string;
  /** audit: Intune's audit log; console: a sync sent from this browser; approval: a reset request awaiting approval (no audit yet). */
  source: "audit" | "console" | "approval";
  action: DeviceAction;
  /** The raw remoteAction (factoryResetKeepEnrollmentData, automaticRedeployment) or "syncDevice". */
  actionName: string;
  deviceId: string | null;
  deviceName: string;
  state: MonitorStateName;
  initiatedBy: string | null;
  /** The ticket reference given at Yes, from this console's record of the send (docs/product.md, "Ticket reference"). */
  ticketReference?: string;
  requestedAt: string | null;
  lastCheckIn: string | null;
  /** Set while pending when the device has not checked in for days: its last check-in. */
  offlineSince?: string;
  reason?: string;
  fix?: string;
  /**
   * Graph's deviceActionCategory says the action was one "for a set of devices" (docs/graph.md, "Across the tenant
   * (remoteActionAudits)"). False says nothing either way: a bulk run of this console is audited one device per call.
   */
  bulk: boolean;
  /** On a sync row: the reset row this sync hurried (sent while that reset waited), which shows it instead. */
  nudgeOf?: string;
  /** On a reset row: the newest sync this browser sent to hurry it. */
  syncSentAt?: string;
  /** Set on an approval row: the request and where it stands. */
  approval?: MonitorApproval;
}

export interface KnownCheckIn {
  deviceName: string | null;
  lastSyncDateTime: string | null;
}

export function isInFlight(state: MonitorStateName): boolean {
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
    ...(record.ticketReference ? { ticketReference: record.ticketReference } : {}),
    requestedAt: record.requestedAt,
    lastCheckIn,
    ...offlineFields(state, lastCheckIn, now),
    ...reasonFor(state),
    bulk: record.category === "bulk" || record.bulkActionId !== null,
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

/**
 * A decided request (rejected, expired, cancelled) stays in view this long after its decision, so the requester sees
 * how it ended; then it is history the Approvals page keeps.
 */
export const RECENT_APPROVAL_MS = 24 * 3_600_000;

/** When a request stopped being open: its decision, or its expiry, or (when Graph says neither) when it was made. */
function decidedAt(request: Pick<ApprovalRequestView, "status" | "lastModifiedAt" | "expiresAt" | "requestedAt">): number {
  if (request.status === "expired") return timeOf(request.expiresAt) || timeOf(request.lastModifiedAt) || timeOf(request.requestedAt);
  return timeOf(request.lastModifiedAt) || timeOf(request.requestedAt);
}

/**
 * Whether a device's newest request is worth showing in the grid and the monitor: open (awaiting approval, or approved
 * and not yet completed), or decided within RECENT_APPROVAL_MS. A completed request is not: its reset is in the audit
 * log. A request this console did not make names no device, and an unknown status says nothing.
 */
export function showsApproval(request: ApprovalRequestView, now: Date): boolean {
  if (!request.device) return false;
  if (isOpenApproval(request.status)) return true;
  if (request.status !== "rejected" && request.status !== "expired" && request.status !== "cancelled") return false;
  return now.getTime() - decidedAt(request) <= RECENT_APPROVAL_MS;
}

/** Each device's newest request, by its justification's prefix (lower-case managedDeviceId), as latestRequestForDevice picks it. */
export function latestApprovalByDevice(requests: readonly ApprovalRequestView[]): ReadonlyMap<string, ApprovalRequestView> {
  const grouped = new Map<string, ApprovalRequestView[]>();
  for (const request of requests) {
    const deviceId = request.device?.deviceId;
    if (!deviceId) continue;
    const list = grouped.get(deviceId);
    if (list) list.push(request);
    else grouped.set(deviceId, [request]);
  }
  const byDevice = new Map<string, ApprovalRequestView>();
  for (const [deviceId, list] of grouped) {
    const latest = latestRequestForDevice(list, deviceId);
    if (latest) byDevice.set(deviceId, latest);
  }
  return byDevice;
}

/**
 * A reset awaiting approval has no audit record yet (nothing was sent), so the monitor adds its own row: requested when
 * the request was made, initiated by its requestor. Null for a request not worth showing (showsApproval).
 */
export function rowFromApproval(request: ApprovalRequestView, checkIn: KnownCheckIn | undefined, now: Date): MonitorRow | null {
  if (!request.device || !showsApproval(request, now)) return null;
  return {
    key: `approval:${request.id}`,
    source: "approval",
    action: "reset",
    // No audit exists yet: the action an Autopilot Reset records once it runs.
    actionName: AUTOPILOT_RESET_AUDIT_ACTIONS[0]!,
    deviceId: request.device.deviceId,
    deviceName: checkIn?.deviceName ?? request.device.deviceName,
    state: isOpenApproval(request.status) ? "awaitingApproval" : "none",
    initiatedBy: request.requestor.displayName,
    requestedAt: request.requestedAt,
    lastCheckIn: checkIn?.lastSyncDateTime ?? null,
    bulk: false,
    approval: { requestId: request.id, status: request.status, expiresAt: request.expiresAt, justification: request.device.text },
  };
}

/**
 * What the grid's reset-status column says of a device's approval request, or null to show the reset status: only
 * while no reset is pending or under way, and only when the request is newer than the reset the status knows of.
 */
export function gridApproval(request: ApprovalRequestView | undefined, reset: Pick<ResetStatus, "state" | "since">, now: Date): ApprovalRequestView | null {
  if (!request || !showsApproval(request, now)) return null;
  if (isInFlight(reset.state)) return null;
  if (reset.state !== "none" && reset.since && timeOf(reset.since) > timeOf(request.requestedAt)) return null;
  return request;
}

/**
 * How long after a reset's request a sync still counts as hurrying it once the reset has finished. Graph keeps no time
 * at which a reset left "pending", and an online device picks a reset up at its next check-in (docs/graph.md, "Autopilot
 * Reset"), so a sync sent within a day of the request was sent while it waited. While the reset is still under way, any
 * later sync hurries it.
 */
export const NUDGE_AFTER_RESET_MS = 24 * 3_600_000;

/**
 * Syncs sent to hurry a reset ("Sync all pending", a row's Sync) belong to that reset: each such sync row gets
 * `nudgeOf`, and the reset row `syncSentAt`, so one waiting device is one pending row, not two.
 */
function attachNudges(resetRows: readonly MonitorRow[], syncRows: readonly MonitorRow[]): void {
  const resetsByDevice = new Map<string, MonitorRow[]>();
  for (const row of resetRows) {
    if (!row.deviceId) continue;
    const id = row.deviceId.toLowerCase();
    const list = resetsByDevice.get(id);
    if (list) list.push(row);
    else resetsByDevice.set(id, [row]);
  }
  for (const sync of syncRows) {
    const sentAt = timeOf(sync.requestedAt);
    let reset: MonitorRow | undefined;
    for (const candidate of resetsByDevice.get(sync.deviceId?.toLowerCase() ?? "") ?? []) {
      const at = timeOf(candidate.requestedAt);
      if (at <= sentAt && (!reset || at > timeOf(reset.requestedAt))) reset = candidate;
    }
    if (!reset || !(isInFlight(reset.state) || sentAt - timeOf(reset.requestedAt) <= NUDGE_AFTER_RESET_MS)) continue;
    sync.nudgeOf = reset.key;
    if (!reset.syncSentAt || sentAt > timeOf(reset.syncSentAt)) reset.syncSentAt = sync.requestedAt!;
  }
}

/** Every row, newest request first; `approvals` are the devices' newest requests (one per device). */
export function buildMonitorRows(
  actions: readonly DeviceActionRecord[],
  syncs: readonly SyncRecord[],
  checkIns: Readonly<Record<string, KnownCheckIn>>,
  now: Date,
  approvals: Iterable<ApprovalRequestView> = [],
): MonitorRow[] {
  const rows: MonitorRow[] = [];
  for (const record of actions) rows.push(rowFromAudit(record, record.deviceId ? checkIns[record.deviceId] : undefined, now));
  const syncRows = syncs.map((sync) => rowFromSync(sync, checkIns[sync.deviceId], now));
  attachNudges(rows, syncRows);
  rows.push(...syncRows);
  for (const request of approvals) {
    const row = rowFromApproval(request, request.device ? checkIns[request.device.deviceId] : undefined, now);
    if (row) rows.push(row);
  }
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

/**
 * Where a row comes from, in the Action column's second line and the CSV. An audit Graph does not call bulk is only
 * "from the audit log": Graph's "single" means one device per call, and a bulk run of this console sends one call per
 * device, so "single device" would mislabel it.
 */
export function rowOrigin(row: Pick<MonitorRow, "source" | "bulk">): string {
  if (row.source === "console") return "Sent from this browser";
  if (row.source === "approval") return "Approval request";
  return row.bulk ? "Bulk action" : "Audit log";
}
