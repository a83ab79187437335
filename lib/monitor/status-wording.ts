/**
 * The words for a reset's or sync's state, in one place: the grid's reset-status column, the device page's action
 * status panel and the device-actions monitor all speak through these, so a device reads the same everywhere.
 */
import {
  HYBRID_NOT_SUPPORTED_FIX,
  HYBRID_NOT_SUPPORTED_REASON,
  WINRE_FAILURE_FIX,
  WINRE_FAILURE_REASON,
} from "@/lib/devices/action-status";
import type { DeviceAction } from "@/lib/devices/types";

export { HYBRID_NOT_SUPPORTED_FIX, HYBRID_NOT_SUPPORTED_REASON, WINRE_FAILURE_FIX, WINRE_FAILURE_REASON };

export type ActionStateName = "none" | "pending" | "active" | "done" | "failed" | "notSupported";

export const ACTION_LABELS: Record<DeviceAction, string> = { reset: "Autopilot Reset", sync: "Sync" };

export const RESET_STATE_LABELS: Record<ActionStateName, string> = {
  none: "None",
  pending: "Reset pending",
  active: "Resetting",
  done: "Reset complete",
  failed: "Reset failed",
  notSupported: "Not supported",
};

export const SYNC_STATE_LABELS: Record<ActionStateName, string> = {
  none: "None",
  pending: "Sync pending",
  active: "Syncing",
  done: "Sync complete",
  failed: "Sync failed",
  notSupported: "Not supported",
};

/** The monitor's state filter, in the words the rows use. */
export const STATE_FILTER_LABELS: Record<Exclude<ActionStateName, "none">, string> = {
  pending: "Pending",
  active: "In progress",
  done: "Complete",
  failed: "Failed",
  notSupported: "Not supported",
};

export function stateLabel(action: DeviceAction, state: ActionStateName): string {
  return (action === "reset" ? RESET_STATE_LABELS : SYNC_STATE_LABELS)[state];
}

/** "Offline since 12 Nov 2026, 09:14: it resets when it reconnects." `since` is already formatted for the reader. */
export function offlineSentence(action: DeviceAction, since: string): string {
  return `Offline since ${since}: it ${action === "reset" ? "resets" : "syncs"} when it reconnects.`;
}

export const PENDING_RESET_HINT = "The reset starts at the next check-in. Sync to make it check in sooner.";
