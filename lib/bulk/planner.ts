/**
 * Preflight: before anything is sent, every selected device is classified with the same eligibility rules as the
 * device page (lib/devices/eligibility): will be sent, or skipped and why. The plan feeds the confirmation dialog and
 * then the run.
 */
import { resetEligibility, syncEligibility } from "@/lib/devices/eligibility";
import type { Device, DeviceAction } from "@/lib/devices/types";
import type { RunDeviceInput, SkippedDeviceInput } from "./types";

/**
 * Above this many devices the user types the number to confirm (docs/product.md, "Journey 4: reset or sync many
 * devices").
 */
export const TYPED_CONFIRMATION_THRESHOLD = 20;
export const SAMPLE_SIZE = 5;
/**
 * A run is kept in localStorage (about 260 characters per device; browsers allow about 5 million): past this many
 * devices it could not be saved, and an unsaved run must not send. Larger selections are split by search.
 */
export const MAX_DEVICES_PER_RUN = 15_000;

/** Short labels for the dialog's "skipped because" list, by reason code. */
export const SKIP_REASON_LABELS: Record<string, string> = {
  "not-windows": "Not a Windows device",
  "hybrid-joined": "Hybrid Entra joined: needs a full Wipe",
  "not-autopilot": "Not registered with Windows Autopilot",
  "reset-pending": "A reset is already pending or running",
  "not-found": "No longer in Intune",
};

export interface BulkPlan {
  action: DeviceAction;
  toSend: RunDeviceInput[];
  skipped: SkippedDeviceInput[];
  /** Skipped devices per reason code, most frequent first. */
  skippedByReason: { reason: string; label: string; count: number }[];
  /** Devices that will be sent but have not checked in for days (the action waits for their next check-in). */
  offlineCount: number;
  /** A few device names for the dialog. */
  sample: string[];
  /** Whether the user must type the number of devices, and what. */
  typedConfirmation: { required: boolean; expected: string };
}

export function planBulkAction(
  action: DeviceAction,
  devices: readonly Device[],
  now: Date,
  /** Ids the user selected that no longer exist (a stale selection). */
  missingIds: readonly string[] = [],
): BulkPlan {
  const toSend: RunDeviceInput[] = [];
  const skipped: SkippedDeviceInput[] = [];
  const seen = new Set<string>();
  let offlineCount = 0;
  for (const device of devices) {
    if (seen.has(device.id)) continue;
    seen.add(device.id);
    const name = device.deviceName || device.id;
    const eligibility = action === "reset" ? resetEligibility(device, now) : syncEligibility(device, now);
    if (!eligibility.allowed) {
      skipped.push({ id: device.id, name, reason: eligibility.reason ?? "ineligible", message: eligibility.message });
      continue;
    }
    if (eligibility.warning === "offline") offlineCount++;
    toSend.push(eligibility.warning ? { id: device.id, name, warning: eligibility.message } : { id: device.id, name });
  }
  for (const id of missingIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    skipped.push({ id, name: id, reason: "not-found", message: "This device no longer exists in Intune (deleted since it was selected)." });
  }

  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const skippedByReason = [...counts.entries()]
    .map(([reason, count]) => ({ reason, count, label: SKIP_REASON_LABELS[reason] ?? reason }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  return {
    action,
    toSend,
    skipped,
    skippedByReason,
    offlineCount,
    sample: toSend.slice(0, SAMPLE_SIZE).map((d) => d.name),
    typedConfirmation: { required: toSend.length > TYPED_CONFIRMATION_THRESHOLD, expected: String(toSend.length) },
  };
}

/** Whether what the user typed confirms the plan ("1,234" and " 1234 " both confirm 1234). */
export function isConfirmationTyped(plan: Pick<BulkPlan, "typedConfirmation">, typed: string): boolean {
  if (!plan.typedConfirmation.required) return true;
  return typed.replace(/[\s,.'\u00a0\u202f]/g, "") === plan.typedConfirmation.expected;
}

/** Whether the confirm button may be pressed. */
export function canConfirm(plan: BulkPlan, typed: string): boolean {
  return plan.toSend.length > 0 && isConfirmationTyped(plan, typed);
}
