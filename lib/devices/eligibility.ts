/**
 * Can this device be Autopilot Reset or synced, and if not, why (docs/graph.md, "When Autopilot Reset cannot work";
 * docs/product.md, "Journey 3: see why a device cannot be reset").
 * Pure and total: the device page, the grid and the bulk planner all ask the same question the same way.
 */
import { deriveResetStatus } from "./action-status";
import type { ResetSignals } from "./reset-evidence";
import { offlineDays } from "./check-in";
import type { Device, DeviceAction } from "./types";


export type ResetIneligibleReason = "not-windows" | "hybrid-joined" | "not-autopilot" | "reset-pending";
export type SyncIneligibleReason = "not-windows";

export interface Eligibility<Reason extends string> {
  allowed: boolean;
  reason?: Reason;
  warning?: "offline";
  /** One sentence for the button's tooltip or the preflight list. */
  message: string;
  /** Whole days since the last check-in, when offline. */
  offlineDays?: number;
}

export type ResetEligibility = Eligibility<ResetIneligibleReason>;
export type SyncEligibility = Eligibility<SyncIneligibleReason>;

export function isWindows(device: Pick<Device, "operatingSystem">): boolean {
  return device.operatingSystem.trim().toLowerCase() === "windows";
}

function offlineWarning(days: number, action: DeviceAction): string {
  return `This device last checked in ${days} days ago. It will ${action} when it next checks in.`;
}

export function resetEligibility(device: Device, now: Date, signals?: ResetSignals): ResetEligibility {
  if (!isWindows(device)) {
    return {
      allowed: false,
      reason: "not-windows",
      message: `Autopilot Reset is only for Windows devices; this one runs ${device.operatingSystem || "another platform"}.`,
    };
  }
  if (device.joinType === "hybridAzureADJoined") {
    return {
      allowed: false,
      reason: "hybrid-joined",
      message: "Hybrid Microsoft Entra joined devices can't be Autopilot Reset: use a full Wipe instead.",
    };
  }
  if (!device.autopilotEnrolled) {
    return {
      allowed: false,
      reason: "not-autopilot",
      message: "This device isn't registered with Windows Autopilot, so it can't be Autopilot Reset. Register it first, or use a full Wipe.",
    };
  }
  const status = deriveResetStatus(device, now, signals);
  if (status.state === "pending" || status.state === "active") {
    return {
      allowed: false,
      reason: "reset-pending",
      message:
        status.state === "active"
          ? "An Autopilot Reset is already running on this device."
          : "An Autopilot Reset is already pending for this device. Sync it to make it start sooner.",
    };
  }
  const days = offlineDays(device, now);
  if (days !== undefined) {
    return { allowed: true, warning: "offline", offlineDays: days, message: offlineWarning(days, "reset") };
  }
  return { allowed: true, message: "Autopilot Reset starts when the device next checks in with Intune." };
}

export function syncEligibility(device: Device, now: Date): SyncEligibility {
  if (!isWindows(device)) {
    return {
      allowed: false,
      reason: "not-windows",
      message: `This console syncs Windows devices only; this one runs ${device.operatingSystem || "another platform"}.`,
    };
  }
  const days = offlineDays(device, now);
  if (days !== undefined) {
    return { allowed: true, warning: "offline", offlineDays: days, message: offlineWarning(days, "sync") };
  }
  return { allowed: true, message: "Sync asks the device to check in with Intune now." };
}
