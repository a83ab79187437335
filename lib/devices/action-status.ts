/**
 * What happened to the last Autopilot Reset and Sync of a device, from what Graph tells us (docs/graph.md, "The device
 * record" and "Status after the 204").
 *
 * A single-device GET with $select=deviceActionResults carries the action history; a LIST response carries it empty,
 * and then beta managementState (wipePending, ...) is all there is. Which actionName an Autopilot Reset records is
 * UNVERIFIED, so wipe, factoryResetKeepEnrollmentData and automaticRedeployment all count as a reset.
 */
import { latestActionResult, RESET_ACTION_NAMES, SYNC_ACTION_NAMES, timeOf } from "./action-results";
import { offlineDays } from "./check-in";
import { findPendingReset, newestResetAudit, type ResetSignals } from "./reset-evidence";
import type { ActionState, Device } from "./types";



export type ResetState = "none" | "pending" | "active" | "done" | "failed" | "notSupported";
export type SyncState = "none" | "pending" | "done" | "failed";

export interface ActionStatus<State extends string> {
  state: State;
  /** When the action was requested (startDateTime). */
  since?: string;
  /** The device's last check-in with Intune. */
  lastCheckIn?: string;
  /** Set when the device has not checked in for more than the offline threshold: its last check-in. */
  offlineSince?: string;
  /** For failed / notSupported: what went wrong, one sentence. */
  reason?: string;
  /** For failed / notSupported: what to do about it, one sentence. */
  fix?: string;
  /** Who asked for it, where Graph's audit or this console knows. */
  requestedBy?: string;
}

export type ResetStatus = ActionStatus<ResetState>;
export type SyncStatus = ActionStatus<SyncState>;

export const WINRE_FAILURE_REASON =
  "The device could not start the reset; most often the Windows Recovery Environment (WinRE) is disabled (0x80070032).";
export const WINRE_FAILURE_FIX = "Run reagentc.exe /enable on the device, then reset it again.";
export const HYBRID_NOT_SUPPORTED_REASON = "Autopilot Reset is not supported on hybrid Microsoft Entra joined devices.";
export const HYBRID_NOT_SUPPORTED_FIX = "Use a full Wipe instead.";
const NOT_AUTOPILOT_NOT_SUPPORTED_REASON = "Intune could not Autopilot Reset this device because it isn't registered with Windows Autopilot.";
const NOT_AUTOPILOT_NOT_SUPPORTED_FIX = "Register the device with Windows Autopilot and reset it again, or use a full Wipe.";
const NOT_SUPPORTED_REASON = "Intune reported that Autopilot Reset is not supported on this device.";
const NOT_SUPPORTED_FIX =
  "Check that it runs Windows 10 version 1809 or later, is Microsoft Entra joined and registered with Autopilot; otherwise use a full Wipe.";

/** Why Intune answered notSupported, worded for this device (docs/graph.md, "When Autopilot Reset cannot work"). */
function notSupported(device: Device): Pick<ResetStatus, "state" | "reason" | "fix"> {
  if (device.joinType === "hybridAzureADJoined") {
    return { state: "notSupported", reason: HYBRID_NOT_SUPPORTED_REASON, fix: HYBRID_NOT_SUPPORTED_FIX };
  }
  if (!device.autopilotEnrolled) {
    return { state: "notSupported", reason: NOT_AUTOPILOT_NOT_SUPPORTED_REASON, fix: NOT_AUTOPILOT_NOT_SUPPORTED_FIX };
  }
  return { state: "notSupported", reason: NOT_SUPPORTED_REASON, fix: NOT_SUPPORTED_FIX };
}

function checkInFields(device: Device, now: Date): Pick<ResetStatus, "lastCheckIn" | "offlineSince"> {
  const fields: Pick<ResetStatus, "lastCheckIn" | "offlineSince"> = {};
  if (device.lastSyncDateTime) fields.lastCheckIn = device.lastSyncDateTime;
  if (device.lastSyncDateTime && offlineDays(device, now) !== undefined) fields.offlineSince = device.lastSyncDateTime;
  return fields;
}

function failed(device: Device): Pick<ResetStatus, "state" | "reason" | "fix"> {
  if (device.joinType === "hybridAzureADJoined" || !device.autopilotEnrolled) return notSupported(device);
  return { state: "failed", reason: WINRE_FAILURE_REASON, fix: WINRE_FAILURE_FIX };
}

/** A reset in `state` as the console words it; undefined for none/canceled (look further). */
function fromActionState(device: Device, state: ActionState, fields: Omit<ResetStatus, "state">): ResetStatus | undefined {
  switch (state) {
    case "pending":
    case "active":
    case "done":
      return { state, ...fields };
    case "failed":
      return { ...fields, ...failed(device) };
    case "notSupported":
      return { ...fields, ...notSupported(device) };
    default:
      return undefined;
  }
}

/**
 * The device's latest Autopilot Reset, from every signal: deviceActionResults, remoteActionAudits (often the only
 * record of a wipe in real tenants), managementState, and a send this console made a moment ago.
 */
export function deriveResetStatus(device: Device, now: Date, signals: ResetSignals = { audits: [] }): ResetStatus {
  const base = checkInFields(device, now);
  const pending = findPendingReset({ device, ...signals });
  const result = latestActionResult(device.deviceActionResults, RESET_ACTION_NAMES);
  const audit = newestResetAudit(signals.audits);
  const by = (who: string | null | undefined) => (who ? { requestedBy: who } : {});
  if (pending && pending.source !== "deviceActionResults") {
    const since = pending.since ?? undefined;
    const active = audit && audit.requestedAt === pending.since && audit.state === "active";
    return { state: active ? "active" : "pending", ...base, ...(since ? { since } : {}), ...by(pending.by) };
  }
  // The newer of the device's own record and the audit tells how the last reset ended.
  if (audit && (!result || timeOf(audit.requestedAt) > timeOf(result.startDateTime) + 1_000)) {
    const since = audit.requestedAt ?? undefined;
    const status = fromActionState(device, audit.state, { ...base, ...(since ? { since } : {}), ...by(audit.initiatedBy) });
    if (status) return status;
  }
  if (result) {
    const since = result.startDateTime ?? undefined;
    const matching = audit && audit.requestedAt && since && Math.abs(timeOf(audit.requestedAt) - timeOf(since)) <= 1_000 ? audit : undefined;
    const status = fromActionState(device, result.actionState, { ...(since ? { ...base, since } : base), ...by(matching?.initiatedBy) });
    if (status) return status;
  }
  // No action history (a LIST row, or a device never reset): managementState is the only signal.
  switch (device.managementState) {
    case "wipeFailed":
      return { ...base, ...failed(device) };
    default:
      return { state: "none", ...base };
  }
}

/**
 * A sync is done once the device's last check-in moves past the time it was requested (docs/graph.md, "When a sync is
 * done").
 * requestedAt: when this console sent a sync the device history does not (yet) show.
 */
export function deriveSyncStatus(device: Device, now: Date, requestedAt?: string | null): SyncStatus {
  const base = checkInFields(device, now);
  const result = latestActionResult(device.deviceActionResults, SYNC_ACTION_NAMES);
  const resultStart = result?.startDateTime ?? undefined;
  const since = [resultStart, requestedAt ?? undefined]
    .filter((value): value is string => Boolean(value))
    .sort((a, b) => timeOf(b) - timeOf(a))[0];
  if (!since) return { state: "none", ...base };
  const checkedInSince = timeOf(device.lastSyncDateTime) > timeOf(since);
  if (result?.actionState === "failed" && resultStart === since) {
    return { state: "failed", since, ...base, reason: "The device did not accept the sync.", fix: "Check that it is powered on and online, then sync it again." };
  }
  if (checkedInSince || (result?.actionState === "done" && resultStart === since)) return { state: "done", since, ...base };
  return { state: "pending", since, ...base };
}
