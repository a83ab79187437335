/**
 * Can this device be Autopilot Reset or synced, and if not, why (docs/graph.md, "When Autopilot Reset cannot work";
 * docs/product.md, "Journey 3: see why a device cannot be reset").
 * Pure and total: the device page, the grid and the bulk planner all ask the same question the same way.
 */
import { deriveResetStatus } from "./action-status";
import type { ResetSignals } from "./reset-evidence";
import { offlineDays } from "./check-in";
import { formatWhen } from "./format";
import type { Provisioning } from "./provisioning";
import type { RecordsVerdict } from "./records";
import type { Device, DeviceAction } from "./types";

/** Why a device must never take an Autopilot Reset (or a sync, for not-windows): the server refuses these. */
export const REFUSAL_REASONS = [
  "not-windows",
  "hybrid-joined",
  "not-autopilot",
  "device-preparation",
  "not-current-record",
  "records-disagree",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export type ResetIneligibleReason = RefusalReason | "reset-pending";
export type SyncIneligibleReason = "not-windows";

export interface Eligibility<Reason extends string> {
  allowed: boolean;
  reason?: Reason;
  warning?: "offline";
  /** One sentence for the button's tooltip or the preflight list. */
  message: string;
  /** Whole days since the last check-in, when offline. */
  offlineDays?: number;
  /** Further sentences a person should read before saying Yes (Windows 10; how the device was provisioned is unknown). */
  notes?: string[];
  /** For not-current-record: the Intune record the device uses now. */
  currentDeviceId?: string;
}

/**
 * What only a fuller read knows: how the device was provisioned (lib/devices/provisioning.ts) and whether its records
 * agree (lib/devices/records.ts). The server always has both before a reset; a page passes what it has read.
 */
export interface ResetFacts {
  provisioning?: Provisioning;
  records?: RecordsVerdict;
}

export type ResetEligibility = Eligibility<ResetIneligibleReason>;
export type SyncEligibility = Eligibility<SyncIneligibleReason>;

export function isWindows(device: Pick<Device, "operatingSystem">): boolean {
  return device.operatingSystem.trim().toLowerCase() === "windows";
}

/** One sentence for an offline device: when it last checked in, and that the action waits for it (Sync cannot hurry it). */
function offlineWarning(device: Device, now: Date, action: DeviceAction): string {
  return `This device last checked in ${formatWhen(device.lastSyncDateTime, now)} and looks offline: it will ${action} when it next checks in, which only it can bring about.`;
}

/** Windows 10 ended support on 2025-10-14; Intune still allows it (docs/graph.md, "Windows 10"). Builds below 22000. */
export function isWindows10(device: Pick<Device, "operatingSystem" | "osVersion">): boolean {
  const match = /^10\.0\.(\d+)/.exec(device.osVersion?.trim() ?? "");
  return isWindows(device) && match !== null && Number(match[1]) < 22_000;
}

/** What Windows 10 means for a reset, after "runs" (one device's note, and a run's count in lib/bulk/planner.ts). */
export const WINDOWS_10_FACT =
  "Windows 10, which reached end of support on 14 October 2025: Intune allows an Autopilot Reset, but does not guarantee it works.";

export const WINDOWS_10_NOTE = `This device runs ${WINDOWS_10_FACT}`;

export function resetEligibility(device: Device, now: Date, signals?: ResetSignals, facts: ResetFacts = {}): ResetEligibility {
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
  if (facts.provisioning?.by === "device-preparation") {
    return { allowed: false, reason: "device-preparation", message: facts.provisioning.message };
  }
  if (!device.autopilotEnrolled) {
    return {
      allowed: false,
      reason: "not-autopilot",
      message: "This device isn't registered with Windows Autopilot, so it can't be Autopilot Reset. Register it first, or use a full Wipe.",
    };
  }
  if (facts.records && !facts.records.agree) {
    return {
      allowed: false,
      reason: facts.records.reason,
      message: facts.records.message,
      ...(facts.records.reason === "not-current-record" && facts.records.currentDeviceId ? { currentDeviceId: facts.records.currentDeviceId } : {}),
    };
  }
  const status = deriveResetStatus(device, now, signals);
  const days = offlineDays(device, now);
  if (status.state === "pending" || status.state === "active") {
    return {
      allowed: false,
      reason: "reset-pending",
      message:
        status.state === "active"
          ? "An Autopilot Reset is already running on this device."
          : days !== undefined
            ? "An Autopilot Reset is already pending for this device; it starts when the device is back online and checks in."
            : "An Autopilot Reset is already pending for this device. Sync it to make it start sooner.",
    };
  }
  const notes = [
    ...(isWindows10(device) ? [WINDOWS_10_NOTE] : []),
    ...(facts.provisioning?.by === "unknown" ? [facts.provisioning.message] : []),
  ];
  const withNotes = notes.length > 0 ? { notes } : {};
  if (days !== undefined) {
    return { allowed: true, warning: "offline", offlineDays: days, message: offlineWarning(device, now, "reset"), ...withNotes };
  }
  return { allowed: true, message: "Autopilot Reset starts when the device next checks in with Intune.", ...withNotes };
}

/**
 * What to do instead, for a device Autopilot Reset cannot take (docs/product.md, "Journey 3"): one sentence, and
 * whether the device's page in the Intune admin center is where to do it (lib/devices/admin-center.ts). A pending reset
 * needs none: its message says what to do.
 */
export function resetNextStep(reason: ResetIneligibleReason): { text: string; inAdminCenter: boolean } | undefined {
  switch (reason) {
    case "not-windows":
      return { text: "Use the actions for its platform on its page in the Intune admin center.", inAdminCenter: true };
    case "hybrid-joined":
      return {
        text: "Wipe it from its page in the Intune admin center (a full Wipe, which removes its enrollment too). After a full wipe a hybrid joined device can take up to 24 hours to be ready to deploy again.",
        inAdminCenter: true,
      };
    case "not-autopilot":
      return {
        text: "Register it with Windows Autopilot (import its hardware hash in the Intune admin center under Devices > Enrollment > Windows Autopilot), then reset it here; or wipe it from its page in the admin center.",
        inAdminCenter: true,
      };
    case "device-preparation":
      return {
        text: "Wipe it from its page in the Intune admin center instead. After a wipe the device comes back through device preparation with new Intune and Microsoft Entra records.",
        inAdminCenter: true,
      };
    case "not-current-record":
      return { text: "Open the device's current Intune record and reset it from there; this stale record can be deleted in the Intune admin center.", inAdminCenter: false };
    case "records-disagree":
      return {
        text: "Check the device's Intune, Microsoft Entra and Windows Autopilot records in the Intune admin center, and fix or remove the one that does not match before resetting it.",
        inAdminCenter: true,
      };
    case "reset-pending":
      return undefined;
  }
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
    return { allowed: true, warning: "offline", offlineDays: days, message: offlineWarning(device, now, "sync") };
  }
  return { allowed: true, message: "Sync asks the device to check in with Intune now." };
}
