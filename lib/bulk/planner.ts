/**
 * Preflight: before anything is sent, every selected device is classified with the same eligibility rules as the
 * device page (lib/devices/eligibility): will be sent, or skipped and why. The plan feeds the confirmation dialog and
 * then the run.
 */
import { resetEligibility, syncEligibility, WINDOWS_10_FACT, WINDOWS_10_NOTE } from "@/lib/devices/eligibility";
import type { Device, DeviceAction } from "@/lib/devices/types";
import { checkJustification, MAX_RESET_JUSTIFICATION_CHARS, type ApprovalCoverage } from "@/lib/devices/approval";
import { planWaves, type Wave, type WipeBudget } from "./daily-limit";
import { groupSkipped, type SkippedGroup } from "./reasons";
import type { RunDeviceInput, SkippedDeviceInput } from "./types";

/**
 * Above this many devices the user types the number to confirm (docs/product.md, "Journey 4: reset or sync many
 * devices").
 */
export const TYPED_CONFIRMATION_THRESHOLD = 20;
export const SAMPLE_SIZE = 5;
/**
 * A run is kept in localStorage (about 111 characters per device with its serial number, primary user and list line,
 * 120 mid-run: lib/bulk/persistence.ts; Chromium allows 5,242,880 per origin, shared by every account on the PC): at
 * this many devices a run takes about a third of that, and an unsaved run must not send. Larger selections are split
 * by search.
 */
export const MAX_DEVICES_PER_RUN = 15_000;


export interface BulkPlan {
  action: DeviceAction;
  toSend: RunDeviceInput[];
  skipped: SkippedDeviceInput[];
  /** Skipped devices per reason code, most frequent first, each group with its devices by name. */
  skippedByReason: SkippedGroup[];
  /** Devices that will be sent but have not checked in for days (the action waits for their next check-in). */
  offlineCount: number;
  /** Devices a reset will be sent to that run Windows 10: allowed, not guaranteed (lib/devices/eligibility.ts). */
  windows10Count: number;
  /** A few device names for the dialog. */
  sample: string[];
  /** Whether the user must type the number of devices, and what (the first wave's size). */
  typedConfirmation: { required: boolean; expected: string };
  /** Devices sent when the user says Yes: today's part under the daily wipe limit; all of toSend when absent. */
  firstWave?: number;
  /** A reset larger than what is left today, in waves (lib/bulk/daily-limit.ts); one wave otherwise. */
  waves?: Wave[];
  /** What the tenant has left today, when the server could count it (resets only). */
  budget?: WipeBudget;
  /** Why the wipes could not be counted, when they could not (resets only). */
  budgetProblem?: string;
  /** Whether a Multi Admin Approval policy covers these resets: the dialog then asks for one justification. */
  approval?: ApprovalCoverage;
  /** Devices reset in the last 24 hours, each with its sentence and whether the person ticked it again (resets only). */
  recentlyReset?: { id: string; name: string; sentence: string; included: boolean }[];
}

/** Today's guardrails on wipes, as the server read them before the preflight. */
export interface PlanGuardrails {
  budget?: WipeBudget;
  budgetProblem?: string;
  approval?: ApprovalCoverage;
  /**
   * Devices reset in the last 24 hours (Graph's clock; the server read their audits and this console's records), and
   * the ones the person ticked again: the others are skipped as "recently-reset" (docs/product.md, "Recently reset").
   */
  recentResets?: { byId: ReadonlyMap<string, { at: string; by: string | null }>; graphNow: number; includeAnyway?: ReadonlySet<string> };
}

/** "3 h ago", "25 min ago", "just now": how long before `now` a reset was asked for. */
export function agoText(at: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** "Reset 3 h ago by Adele Vance." The preflight's sentence for a device reset in the last 24 hours. */
export function recentlyResetSentence(last: { at: string; by: string | null }, now: number): string {
  return `Reset ${agoText(last.at, now)}${last.by ? ` by ${last.by}` : ""}.`;
}

export function planBulkAction(
  action: DeviceAction,
  devices: readonly Device[],
  now: Date,
  /** Ids the user selected that no longer exist (a stale selection). */
  missingIds: readonly string[] = [],
  guardrails: PlanGuardrails = {},
): BulkPlan {
  const toSend: RunDeviceInput[] = [];
  const skipped: SkippedDeviceInput[] = [];
  const seen = new Set<string>();
  let offlineCount = 0;
  let windows10Count = 0;
  for (const device of devices) {
    if (seen.has(device.id)) continue;
    seen.add(device.id);
    const about = {
      id: device.id,
      name: device.deviceName || device.id,
      ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
      ...(device.userPrincipalName ? { primaryUser: device.userPrincipalName } : {}),
    };
    const eligibility = action === "reset" ? resetEligibility(device, now) : syncEligibility(device, now);
    if (!eligibility.allowed) {
      skipped.push({ ...about, reason: eligibility.reason ?? "ineligible", message: eligibility.message });
      continue;
    }
    const last = action === "reset" ? guardrails.recentResets?.byId.get(device.id) : undefined;
    if (last && !guardrails.recentResets?.includeAnyway?.has(device.id)) {
      skipped.push({ ...about, reason: "recently-reset", message: `${recentlyResetSentence(last, guardrails.recentResets!.graphNow)} Left out unless you tick it again.` });
      continue;
    }
    if (eligibility.warning === "offline") offlineCount++;
    if (action === "reset" && eligibility.notes?.includes(WINDOWS_10_NOTE)) windows10Count++;
    toSend.push(eligibility.warning ? { ...about, warning: eligibility.message } : about);
  }
  for (const id of missingIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    skipped.push({ id, name: id, reason: "not-found", message: "This device no longer exists in Intune (deleted since it was selected)." });
  }

  const skippedByReason = groupSkipped(skipped);
  const recent = guardrails.recentResets;
  const recentlyReset =
    action === "reset" && recent
      ? devices.flatMap((d) => {
          const last = recent.byId.get(d.id);
          return last ? [{ id: d.id, name: d.deviceName || d.id, sentence: recentlyResetSentence(last, recent.graphNow), included: recent.includeAnyway?.has(d.id) ?? false }] : [];
        })
      : [];

  const isReset = action === "reset";
  const budget = isReset ? guardrails.budget : undefined;
  const waves: Wave[] = budget ? planWaves(toSend.length, budget) : toSend.length > 0 ? [{ number: 1, count: toSend.length, startsAt: Number.NaN }] : [];
  const firstWave = waves[0]?.count ?? 0;
  return {
    action,
    toSend,
    skipped,
    skippedByReason,
    offlineCount,
    windows10Count,
    sample: toSend.slice(0, SAMPLE_SIZE).map((d) => d.name),
    typedConfirmation: { required: firstWave > TYPED_CONFIRMATION_THRESHOLD, expected: String(firstWave) },
    firstWave,
    waves,
    ...(budget ? { budget } : {}),
    ...(isReset && guardrails.budgetProblem ? { budgetProblem: guardrails.budgetProblem } : {}),
    approval: isReset ? (guardrails.approval ?? "unknown") : "not-covered",
    ...(recentlyReset.length > 0 ? { recentlyReset } : {}),
  };
}

/**
 * Said as soon as a selection is known to be larger than one run takes: from Graph's count before any device is read
 * (`exact`), or once more devices than that have been read.
 */
export function tooManyForOneRunSentence(count: number, exact: boolean): string {
  const many = exact ? count.toLocaleString("en") : `More than ${MAX_DEVICES_PER_RUN.toLocaleString("en")}`;
  return `${many} devices are selected; one bulk run takes at most ${MAX_DEVICES_PER_RUN.toLocaleString("en")}. Narrow the search or filters and run it in parts.`;
}

/** "3 of them have not checked in for days: the reset waits for their next check-in." */
export function offlinePlanSentence(plan: Pick<BulkPlan, "action" | "offlineCount">): string {
  const n = plan.offlineCount;
  const verb = plan.action === "reset" ? "reset" : "sync";
  return n === 1
    ? `1 of them has not checked in for days: the ${verb} waits for its next check-in.`
    : `${n.toLocaleString("en")} of them have not checked in for days: the ${verb} waits for their next check-in.`;
}

/** The Windows 10 note for a run: how many of the devices it resets run Windows 10, and what that means. */
export function windows10PlanSentence(plan: Pick<BulkPlan, "windows10Count">): string {
  const n = plan.windows10Count;
  const who = n === 1 ? "1 of them runs" : `${n.toLocaleString("en")} of them run`;
  return `${who} ${WINDOWS_10_FACT}`;
}

/** The justification's problem, when the plan needs one (null: fine, or none needed). */
export function justificationProblem(plan: Pick<BulkPlan, "approval">, justification: string): string | null {
  if (plan.approval !== "covered") {
    // Optional where the policy is unknown; when given it must still be one Intune accepts.
    if (justification.trim() === "") return null;
  }
  const checked = checkJustification(justification, MAX_RESET_JUSTIFICATION_CHARS);
  return checked.ok ? null : checked.message;
}

/** Whether what the user typed confirms the plan ("1,234" and " 1234 " both confirm 1234). */
export function isConfirmationTyped(plan: Pick<BulkPlan, "typedConfirmation">, typed: string): boolean {
  if (!plan.typedConfirmation.required) return true;
  return typed.replace(/[\s,.'\u00a0\u202f]/g, "") === plan.typedConfirmation.expected;
}

/** Whether the confirm button may be pressed: something to send (now or in a later wave), the count, the justification. */
export function canConfirm(plan: BulkPlan, typed: string, justification = ""): boolean {
  return plan.toSend.length > 0 && isConfirmationTyped(plan, typed) && justificationProblem(plan, justification) === null;
}
