"use server";
/**
 * Autopilot Reset and Sync for one device, and its action state.
 *
 * Never a duplicate reset: the server takes the device's lock (lib/server/device-guard.ts), so whoever else presses
 * Yes on this device, in any tab or on any instance, waits; then it reads every signal of a reset under way
 * (lib/devices/reset-evidence.ts) and sends nothing when one shows. The Graph client never resends a write; when the
 * answer is unclear (5xx, timeout) or throttled (Graph may have applied it anyway; docs/graph.md), the device is read
 * again and the reset counts as initiated only if Graph now shows one; otherwise a marker keeps everyone from sending
 * until the write can no longer land.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { resetJustification } from "@/lib/devices/approval";
import { findPendingReset, resetStartedSince, type ResetEvidence } from "@/lib/devices/reset-evidence";
import { resetEligibility, syncEligibility } from "@/lib/devices/eligibility";
import { isDeviceId } from "@/lib/devices/ids";
import type { Device, DeviceAction, RecentReset, ResetAudit } from "@/lib/devices/types";
import { readDeviceAudits } from "@/lib/graph/audits";
import { readDeviceActionState, sendAutopilotReset, sendSyncDevice, type ResetApproval } from "@/lib/graph/device-actions";
import { mapGraphError, NO_SUCH_DEVICE, READ_DEVICES_ERRORS, WRITE_ERRORS_BASE, type ErrorContext } from "@/lib/graph/errors";
import { holdDevices, mayStillSend, peekDevice, releaseAll, rememberSend, type HeldDevice } from "@/lib/server/device-guard";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { runAction, type ActionContext } from "./define-action";
import { approvalIdSchema, resetJustificationSchema } from "./approval-schemas";
import { deviceIdSchema } from "./schemas";

export interface AutopilotResetResult {
  /**
   * initiated: sent now (or confirmed applied after an unclear answer); already-pending: nothing was sent;
   * approval-requested: Multi Admin Approval covers it, nothing ran, and Intune opened `approvalRequestId`.
   */
  status: "initiated" | "already-pending" | "approval-requested";
  /** For approval-requested: the request's id (Intune's x-msft-approval-code). */
  approvalRequestId?: string;
  /** When this request was made, or when the pending reset was requested (Graph's clock where it says). */
  requestedAt: string;
  /** Who requested the pending reset, where Graph's audit or this console knows. */
  requestedBy?: string | null;
}

export interface SyncDeviceResult {
  requestedAt: string;
  /** Set when someone had just sent a sync to this device, so nothing new was sent. */
  requestedBy?: string | null;
}

/** The device, its reset audits, and what this console's servers know of requests to it right now. */
export interface DeviceActionState {
  device: Device;
  audits: ResetAudit[];
  /** A reset or sync being sent to the device right now (or whose unclear answer may still land). */
  inFlight: { action: DeviceAction; by: string | null; busyForMs: number } | null;
  /** A reset this console sent a moment ago, which Graph may not show yet. */
  recentReset: RecentReset | null;
}

const deviceInput = z.object({ deviceId: deviceIdSchema });
/**
 * A reset under Multi Admin Approval carries either what the requester wrote (the server puts the device prefix in
 * front: lib/devices/approval.ts) to ask for approval, or the approved request's id to complete it; never both.
 */
const resetInput = deviceInput
  .extend({ justification: resetJustificationSchema.optional(), approvalCode: approvalIdSchema.optional() })
  .refine((input) => !(input.justification !== undefined && input.approvalCode !== undefined), {
    message: "A reset either asks for approval or completes an approved request, not both.",
  });
/** How long a second person's Yes waits for the first person's send to finish before it is told to look later. */
const WAIT_FOR_COLLEAGUE_MS = 45_000;

const RESET_ERRORS: ErrorContext = { ...WRITE_ERRORS_BASE.reset, notFoundMessage: NO_SUCH_DEVICE };
const SYNC_ERRORS: ErrorContext = { ...WRITE_ERRORS_BASE.sync, notFoundMessage: NO_SUCH_DEVICE };
const READ_ERRORS: ErrorContext = { ...READ_DEVICES_ERRORS, operation: "read this device", notFoundMessage: NO_SUCH_DEVICE };

/** The device's state and its reset audits; a role that may not read audits leaves only the other signals. */
async function readEvidence(graph: Client, deviceId: string): Promise<ResetEvidence & { device: Device }> {
  try {
    const [device, audits] = await Promise.all([
      readDeviceActionState(graph, deviceId),
      readDeviceAudits(graph, deviceId).catch((error: unknown) => {
        if (mapGraphError(error, READ_ERRORS).kind === "forbidden-role") return [];
        throw error;
      }),
    ]);
    return { device, audits };
  } catch (error) {
    throw new ActionFailure(mapGraphError(error, READ_ERRORS));
  }
}

/** Waits (bounded) for a colleague's send to this device to finish, then holds the device's lock. */
async function holdOrWait(context: ActionContext, action: DeviceAction, deviceId: string): Promise<HeldDevice> {
  const { tenantId, displayName } = context.caller;
  const deadline = Date.now() + WAIT_FOR_COLLEAGUE_MS;
  for (;;) {
    const { held, busy } = await holdDevices(tenantId, action, [deviceId], displayName);
    if (held[0]) return held[0];
    const other = busy[0];
    if (!other || Date.now() + Math.min(other.busyForMs, 1_000) > deadline) {
      const who = other?.by ?? "Someone";
      const what = action === "reset" ? "an Autopilot Reset" : "a sync";
      throw new ActionFailure({
        kind: "unclear",
        message: `${who} is sending ${what} to this device right now, and Intune has not answered yet. Nothing was sent; check the device's status in a minute.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(other.busyForMs, 500)));
  }
}

function graphNow(context: ActionContext): string {
  return new Date(context.graphClock.latest() ?? Date.now()).toISOString();
}

/**
 * Autopilot Reset: POST wipe {keepEnrollmentData: true, keepUserData: false}, at most once per decision, and not at
 * all when the device already has a reset under way by any signal, or it cannot be Autopilot Reset (kind "invalid",
 * the eligibility sentence).
 */
export async function autopilotReset(accessToken: string, input: unknown): Promise<ActionResult<AutopilotResetResult>> {
  return runAction(
    {
      name: "autopilotReset",
      input: resetInput,
      errors: RESET_ERRORS,
      handler: async ({ deviceId, justification, approvalCode }, context): Promise<AutopilotResetResult> => {
        const held = await holdOrWait(context, "reset", deviceId);
        try {
          // A send of a moment ago counts until Graph shows that reset itself (it may be done already, and may be redone).
          const before = await readEvidence(context.graph, deviceId);
          const pending = findPendingReset({ ...before, recent: held.marker });
          if (pending) return { status: "already-pending", requestedAt: pending.since ?? graphNow(context), requestedBy: pending.by };
          const eligibility = resetEligibility(before.device, new Date());
          if (!eligibility.allowed) throw new ActionFailure({ kind: "invalid", message: eligibility.message });
          if (!mayStillSend(held)) {
            throw new ActionFailure({ kind: "unavailable", message: "Microsoft Graph was too slow to read the device, so nothing was sent. Try again in a minute." });
          }
          const approval: ResetApproval | undefined = approvalCode
            ? { code: approvalCode }
            : justification !== undefined
              ? { justification: resetJustification(before.device, justification) }
              : undefined;
          return await sendResetOnce(context, deviceId, approval);
        } finally {
          await releaseAll([held]);
        }
      },
    },
    accessToken,
    input,
  );
}

async function sendResetOnce(context: ActionContext, deviceId: string, approval?: ResetApproval): Promise<AutopilotResetResult> {
  const { tenantId, displayName } = context.caller;
  const sentAfterGraph = context.graphClock.latest();
  const remember = (outcome: "confirmed" | "throttled" | "unclear") => rememberSend(tenantId, "reset", deviceId, { by: displayName, at: graphNow(context), outcome });
  try {
    await sendAutopilotReset(context.graph, deviceId, approval);
  } catch (error) {
    const answer = mapGraphError(error, RESET_ERRORS);
    // Multi Admin Approval: nothing ran, so no send marker; the request Intune opened is the answer.
    if (answer.kind === "approval-required" && answer.approvalRequestId) {
      return { status: "approval-requested", approvalRequestId: answer.approvalRequestId, requestedAt: graphNow(context) };
    }
    if (approval && "code" in approval && answer.kind === "invalid") throw new ActionFailure(codeRefused(answer));
    if (answer.kind !== "unclear" && answer.kind !== "throttled") throw new ActionFailure(answer);
    // Look, never resend: a reset Graph shows now (under way, or started since the send) is this one.
    const after = await readEvidence(context.graph, deviceId).catch(() => undefined);
    const shown = after && (findPendingReset(after) ?? (sentAfterGraph !== undefined ? resetStartedSince(after, sentAfterGraph) : null));
    if (shown) {
      await remember("confirmed");
      return { status: "initiated", requestedAt: graphNow(context) };
    }
    await remember(answer.kind === "throttled" ? "throttled" : "unclear");
    throw new ActionFailure(unclearReset(answer));
  }
  await remember("confirmed");
  return { status: "initiated", requestedAt: graphNow(context) };
}

/** Intune refused the approval code (400): the request is no longer approved (expired, rejected, cancelled, completed). */
function codeRefused(answer: ActionError): ActionError {
  return {
    ...answer,
    message:
      "Intune did not accept the approval for this reset: the request may have expired, been cancelled or already been completed. Nothing was sent; the page now shows where the request stands.",
  };
}

function unclearReset(answer: ActionError): ActionError {
  if (answer.kind === "throttled") {
    return {
      ...answer,
      message:
        "Microsoft Intune is limiting requests right now and the device shows no new reset. Nothing more was sent; wait a minute, check the device's status, then try again.",
    };
  }
  return {
    kind: "unclear",
    message:
      "We couldn't confirm that Intune received the Autopilot Reset. We did not resend it; check the device's status in a minute before trying again.",
    ...(answer.requestId ? { requestId: answer.requestId } : {}),
  };
}

/** Sync: POST syncDevice once; a colleague's sync of a moment ago counts as this one. */
export async function syncDevice(accessToken: string, input: unknown): Promise<ActionResult<SyncDeviceResult>> {
  return runAction(
    {
      name: "syncDevice",
      input: deviceInput,
      errors: SYNC_ERRORS,
      handler: async ({ deviceId }, context): Promise<SyncDeviceResult> => {
        const held = await holdOrWait(context, "sync", deviceId);
        try {
          if (held.marker) return { requestedAt: held.marker.at, requestedBy: held.marker.by };
          const { device } = await readEvidence(context.graph, deviceId);
          const eligibility = syncEligibility(device, new Date());
          if (!eligibility.allowed) throw new ActionFailure({ kind: "invalid", message: eligibility.message });
          try {
            await sendSyncDevice(context.graph, deviceId);
          } catch (error) {
            const answer = mapGraphError(error, SYNC_ERRORS);
            if (answer.kind === "unclear") {
              throw new ActionFailure({
                ...answer,
                message: "We couldn't confirm that Intune received the sync. A second sync does no harm, so you can try again.",
              });
            }
            throw new ActionFailure(answer);
          }
          const requestedAt = graphNow(context);
          await rememberSend(context.caller.tenantId, "sync", deviceId, { by: context.caller.displayName, at: requestedAt, outcome: "confirmed" });
          return { requestedAt };
        } finally {
          await releaseAll([held]);
        }
      },
    },
    accessToken,
    input,
  );
}

/** The device with its action history, for the status panel (poll it while something is pending). */
export async function getDeviceActionState(accessToken: string, input: unknown): Promise<ActionResult<DeviceActionState>> {
  return runAction(
    {
      name: "getDeviceActionState",
      input: z.object({ deviceId: z.string({ message: "A device id is required." }).max(1_000, { message: NO_SUCH_DEVICE }) }),
      errors: READ_ERRORS,
      handler: async ({ deviceId }, context): Promise<DeviceActionState> => {
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        const { tenantId } = context.caller;
        const [evidence, reset, sync] = await Promise.all([
          readEvidence(context.graph, deviceId),
          peekDevice(tenantId, "reset", deviceId),
          peekDevice(tenantId, "sync", deviceId),
        ]);
        const busy = reset.busyForMs > 0 ? { action: "reset" as const, ...reset } : sync.busyForMs > 0 ? { action: "sync" as const, ...sync } : null;
        return {
          device: evidence.device,
          audits: [...evidence.audits],
          inFlight: busy ? { action: busy.action, by: busy.by, busyForMs: busy.busyForMs } : null,
          recentReset: reset.marker ? { by: reset.marker.by, at: reset.marker.at } : null,
        };
      },
    },
    accessToken,
    input,
  );
}
