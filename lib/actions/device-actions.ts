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
import { settledApproval } from "@/lib/devices/approval";
import { codeRefusalSentence } from "@/lib/devices/approval-refusal";
import type { ResetEvidence } from "@/lib/devices/reset-evidence";
import { isDeviceId } from "@/lib/devices/ids";
import type { Device, DeviceAction, RecentReset, ResetAudit } from "@/lib/devices/types";
import { getApprovalRequest, retrieveDeviceRequestStatus } from "@/lib/graph/approvals";
import { readDeviceAudits } from "@/lib/graph/audits";
import type { SendOutcome } from "@/lib/graph/batch-types";
import { readDeviceActionState } from "@/lib/graph/device-actions";
import { mapGraphError, NO_SUCH_DEVICE, READ_DEVICES_ERRORS, WRITE_ERRORS_BASE, type ErrorContext } from "@/lib/graph/errors";
import { serverNow } from "@/lib/server/clock";
import { peekDevice } from "@/lib/server/device-guard";
import { readSendNotes } from "@/lib/server/send-notes";
import { deviceHistory, type HistoryEntry } from "@/lib/devices/history";
import { sendToDevices, type SendRequest, type SendResult } from "@/lib/server/send/protocol";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { runAction, type ActionContext } from "./define-action";
import { approvalIdSchema, resetJustificationSchema } from "./approval-schemas";
import { deviceIdSchema, ticketReferenceSchema } from "./schemas";

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
  /**
   * Every reset and sync of the last 30 days, newest first: Intune's audits merged with this console's records
   * (lib/devices/history.ts). `consoleRecords` is false when those records could not be read (the audits alone).
   */
  history: { entries: HistoryEntry[]; consoleRecords: boolean };
}

const deviceInput = z.object({ deviceId: deviceIdSchema });
/**
 * A reset under Multi Admin Approval carries either what the requester wrote (the server puts the device prefix in
 * front: lib/devices/approval.ts) to ask for approval, or the approved request's id to complete it; never both.
 */
const resetInput = deviceInput
  .extend({ justification: resetJustificationSchema.optional(), approvalCode: approvalIdSchema.optional(), ticketReference: ticketReferenceSchema.optional() })
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

function graphNow(context: ActionContext): string {
  return new Date(context.graphClock.latest() ?? serverNow()).toISOString();
}

/**
 * Sends through the one protocol (lib/server/send/protocol.ts); while a colleague's send to this device is under way
 * right now (their lock, not a record of an earlier send), waits for it, bounded, and asks again: their send then
 * counts as this one.
 */
async function sendOnce(context: ActionContext, request: SendRequest): Promise<{ outcome: SendOutcome; result: SendResult }> {
  const deadline = serverNow() + WAIT_FOR_COLLEAGUE_MS;
  for (;;) {
    const result = await sendToDevices(context, request);
    const outcome = result.outcomes[0]!;
    const lockedByColleague = outcome.kind === "busy" && !result.devices.has(outcome.deviceId);
    if (!lockedByColleague || serverNow() + Math.min(outcome.busyForMs, 1_000) > deadline) return { outcome, result };
    await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.busyForMs, 500)));
  }
}

/** A refusal or a send that did not happen, as the action's error (the same words the bulk results use). */
function failureOf(outcome: SendOutcome, action: DeviceAction): ActionFailure {
  switch (outcome.kind) {
    case "refused":
      return new ActionFailure({ kind: "invalid", message: outcome.nextStep ? `${outcome.message} ${outcome.nextStep}` : outcome.message });
    case "not-sent":
      return new ActionFailure({
        kind: "unavailable",
        message: outcome.message,
        ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
      });
    case "busy": {
      const said = outcome.message.replace(/;.*$/, "").replace(/\.$/, "");
      // Said once: a busy answer may already say nothing was sent ("… may still reach Intune, so nothing was sent").
      const then = /nothing was sent/i.test(said) ? "Check the device's status in a minute." : "Nothing was sent; check the device's status in a minute.";
      return new ActionFailure({ kind: "unclear", message: `${said}. ${then}` });
    }
    case "rejected":
      return new ActionFailure(outcome.error);
    case "unclear":
    case "throttled":
      return new ActionFailure(
        action === "reset"
          ? unclearReset(
              outcome.kind === "throttled"
                ? { kind: "throttled", message: "", ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}) }
                : { kind: "unclear", message: outcome.message, ...(outcome.requestId ? { requestId: outcome.requestId } : {}) },
            )
          : { kind: "unclear", message: "We couldn't confirm that Intune received the sync. A second sync does no harm, so you can try again." },
      );
    default:
      return new ActionFailure({ kind: "unavailable", message: "Nothing was sent." });
  }
}

/**
 * Autopilot Reset: POST wipe {keepEnrollmentData: true, keepUserData: false}, at most once per decision, and not at
 * all when the device already has a reset under way by any signal, or the server's own read says it cannot or must
 * not take one (kind "invalid", the reason and what to do instead).
 */
export async function autopilotReset(accessToken: string, input: unknown): Promise<ActionResult<AutopilotResetResult>> {
  return runAction(
    {
      name: "autopilotReset",
      input: resetInput,
      errors: RESET_ERRORS,
      handler: async ({ deviceId, justification, approvalCode, ticketReference }, context): Promise<AutopilotResetResult> => {
        const approval = approvalCode ? { code: approvalCode } : justification !== undefined ? { justification } : undefined;
        const { outcome } = await sendOnce(context, {
          action: "reset",
          deviceIds: [deviceId],
          ...(approval ? { approval } : {}),
          ...(ticketReference ? { ticketReference } : {}),
        });
        if (outcome.kind === "accepted") return { status: "initiated", requestedAt: graphNow(context) };
        if (outcome.kind === "already-pending") return { status: "already-pending", requestedAt: outcome.since ?? graphNow(context), requestedBy: outcome.by };
        if (outcome.kind === "rejected") {
          // Multi Admin Approval: nothing ran, and the request Intune opened is the answer.
          if (outcome.error.kind === "approval-required" && outcome.error.approvalRequestId) {
            return { status: "approval-requested", approvalRequestId: outcome.error.approvalRequestId, requestedAt: graphNow(context) };
          }
          if (approvalCode && (outcome.error.kind === "invalid" || outcome.error.kind === "forbidden-role")) {
            throw new ActionFailure(await explainCodeRefusal(context, deviceId, approvalCode, outcome.error));
          }
        }
        throw failureOf(outcome, "reset");
      },
    },
    accessToken,
    input,
  );
}

/**
 * Intune refused the approval code (403 or 400): read the request and the device's own request, and say which it was
 * (not the caller's request, another device's code, or the request's status); else Intune's refusal as it came.
 */
async function explainCodeRefusal(context: ActionContext, deviceId: string, code: string, answer: ActionError): Promise<ActionError> {
  const [request, status] = await Promise.all([
    getApprovalRequest(context.graph, code, context.caller.userId).catch(() => null),
    retrieveDeviceRequestStatus(context.graph, deviceId).catch(() => undefined),
  ]);
  const nowMs = context.graphClock.latest() ?? serverNow();
  const sentence = codeRefusalSentence({ request: request && settledApproval(request, nowMs), deviceRequestId: status === undefined ? undefined : (status?.requestId ?? null) });
  if (sentence) return { ...answer, kind: "invalid", message: sentence };
  if (answer.kind !== "invalid") return answer;
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
        const { outcome, result } = await sendOnce(context, { action: "sync", deviceIds: [deviceId] });
        if (outcome.kind !== "accepted") throw failureOf(outcome, "sync");
        const colleague = result.recent.get(deviceId);
        return colleague && result.sentAfterGraph === undefined ? { requestedAt: colleague.at, requestedBy: colleague.by } : { requestedAt: graphNow(context) };
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
        const evidence = await readEvidence(context.graph, deviceId);
        const now = context.graphClock.latest() ?? serverNow();
        const [reset, sync, records] = await Promise.all([
          peekDevice(tenantId, "reset", deviceId, now),
          peekDevice(tenantId, "sync", deviceId, now),
          // History only: a store that cannot be read leaves the audits, and the page says so.
          readSendNotes(tenantId, deviceId).catch(() => null),
        ]);
        const busy = reset.busyForMs > 0 ? { action: "reset" as const, ...reset } : sync.busyForMs > 0 ? { action: "sync" as const, ...sync } : null;
        return {
          device: evidence.device,
          audits: [...evidence.audits],
          inFlight: busy ? { action: busy.action, by: busy.by, busyForMs: busy.busyForMs } : null,
          recentReset: reset.marker ? { by: reset.marker.by, at: reset.marker.at } : null,
          history: { entries: deviceHistory({ audits: evidence.audits, records: records ?? [], now }), consoleRecords: records !== null },
        };
      },
    },
    accessToken,
    input,
  );
}
