/**
 * Reading a device's deviceActionResults. Which actionName an Autopilot Reset records is UNVERIFIED (docs/graph.md), so
 * wipe, factoryResetKeepEnrollmentData and automaticRedeployment all count as a reset.
 */
import type { DeviceActionResult } from "./types";

/** remoteActionAudits actions that are an Autopilot Reset (UNVERIFIED which one Intune records: docs/graph.md). */
export const AUTOPILOT_RESET_AUDIT_ACTIONS: readonly string[] = ["factoryResetKeepEnrollmentData", "automaticRedeployment"];
/** deviceActionResults names of a reset: the wipe this console sends, or either Autopilot Reset name. */
export const RESET_ACTION_NAMES: readonly string[] = ["wipe", ...AUTOPILOT_RESET_AUDIT_ACTIONS];
export const SYNC_ACTION_NAMES: readonly string[] = ["syncDevice", "sync"];
/**
 * Audit actions that block a new reset: an Autopilot Reset, or a full wipe (factoryReset), which resets the device
 * too. The monitor does not label a full wipe "Autopilot Reset", so it reads AUTOPILOT_RESET_AUDIT_ACTIONS instead.
 */
export const RESET_AUDIT_ACTIONS: readonly string[] = [...AUTOPILOT_RESET_AUDIT_ACTIONS, "factoryReset"];

export function isActionNamed(names: readonly string[], actionName: string): boolean {
  return names.some((name) => name.toLowerCase() === actionName.toLowerCase());
}

/** A time in ms, or -Infinity for none (sorts first). */
export function timeOf(value: string | null | undefined): number {
  if (!value) return Number.NEGATIVE_INFINITY;
  const time = Date.parse(value);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** The most recently started result among those matching; ties go to the most recently updated. */
export function latestActionResult(results: readonly DeviceActionResult[], names: readonly string[]): DeviceActionResult | undefined {
  let latest: DeviceActionResult | undefined;
  for (const result of results.filter((r) => isActionNamed(names, r.actionName))) {
    if (
      !latest ||
      timeOf(result.startDateTime) > timeOf(latest.startDateTime) ||
      (timeOf(result.startDateTime) === timeOf(latest.startDateTime) &&
        timeOf(result.lastUpdatedDateTime) > timeOf(latest.lastUpdatedDateTime))
    ) {
      latest = result;
    }
  }
  return latest;
}
