"use server";
/**
 * Autopilot Reset and Sync for one device, and its action state.
 *
 * Never a duplicate reset (PRODUCT.md): the device's state is read before sending; a reset already pending or running
 * sends nothing. The Graph client never resends a write; when the answer is unclear (5xx, timeout) or throttled (Graph
 * may have applied it anyway, GRAPH.md §6), the state is read again and the reset counts as initiated only if the
 * device now shows a reset it did not show before.
 */
import { createHash } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { deriveResetStatus, resetAppearedBetween } from "@/lib/devices/action-status";
import { resetEligibility, syncEligibility } from "@/lib/devices/eligibility";
import type { Device } from "@/lib/devices/types";
import {
  PRIVILEGED_OPERATIONS_SCOPE,
  READ_DEVICES_SCOPE,
  readDeviceActionState,
  sendAutopilotReset,
  sendSyncDevice,
} from "@/lib/graph/device-actions";
import { mapGraphError, type ErrorContext } from "@/lib/graph/errors";
import type { ActionError, ActionResult } from "./result";
import { ActionFailure, deviceIdSchema, GUID_PATTERN, isPlausibleAccessToken, runAction } from "./define-action";

export interface AutopilotResetResult {
  /** initiated: sent now (or confirmed applied after an unclear answer); already-pending: nothing was sent. */
  status: "initiated" | "already-pending";
  /** When this request was made, or when the pending reset was requested. */
  requestedAt: string;
}

export interface SyncDeviceResult {
  requestedAt: string;
}

const NO_SUCH_DEVICE = "No device has this id. It may have been deleted or retired from Intune; go back to the device list.";
const deviceInput = z.object({ deviceId: deviceIdSchema });

const RESET_ERRORS: ErrorContext = {
  write: true,
  operation: "Autopilot Reset this device",
  requiredScope: PRIVILEGED_OPERATIONS_SCOPE,
  rolePermission: "Remote tasks / Wipe",
  notFoundMessage: NO_SUCH_DEVICE,
};
const SYNC_ERRORS: ErrorContext = {
  write: true,
  operation: "sync this device",
  requiredScope: PRIVILEGED_OPERATIONS_SCOPE,
  rolePermission: "Remote tasks / Sync devices",
  notFoundMessage: NO_SUCH_DEVICE,
};
const READ_ERRORS: ErrorContext = {
  operation: "read this device",
  requiredScope: READ_DEVICES_SCOPE,
  rolePermission: "Managed devices / Read",
  notFoundMessage: NO_SUCH_DEVICE,
};

async function readOrFail(graph: Client, deviceId: string): Promise<Device> {
  try {
    return await readDeviceActionState(graph, deviceId);
  } catch (error) {
    throw new ActionFailure(mapGraphError(error, READ_ERRORS));
  }
}

/** After an unclear or throttled answer to a wipe: look, never resend. */
async function confirmReset(graph: Client, deviceId: string, before: Device, answer: ActionError): Promise<ActionError | "initiated"> {
  let after: Device;
  try {
    after = await readDeviceActionState(graph, deviceId);
  } catch {
    return unclearReset(answer);
  }
  if (resetAppearedBetween(before, after)) return "initiated";
  if (answer.kind === "throttled") {
    const wait = answer.retryAfterSeconds !== undefined ? `about ${Math.max(1, answer.retryAfterSeconds)} seconds` : "a minute";
    return {
      ...answer,
      message: `Microsoft Intune is limiting requests right now and the device shows no new reset. Wait ${wait}, then try again.`,
    };
  }
  return unclearReset(answer);
}

function unclearReset(answer: ActionError): ActionError {
  return {
    kind: "unclear",
    message:
      "We couldn't confirm that Intune received the Autopilot Reset. We did not resend it; check the device's status before trying again.",
    ...(answer.requestId ? { requestId: answer.requestId } : {}),
  };
}

/**
 * Resets of the same device by the same caller still in flight on this server instance. A second call that arrives
 * while the first is between "read state" and "send" would otherwise also see no pending reset and send again (a
 * double click, a retried request). Keyed by a hash of the token, never the token itself; entries live only as long
 * as the call. Across instances the read-before-send check is what protects.
 */
const resetsInFlight = new Map<string, Promise<ActionResult<AutopilotResetResult>>>();

function inFlightKey(accessToken: string, input: unknown): string | undefined {
  const deviceId = (input as { deviceId?: unknown } | null)?.deviceId;
  if (!isPlausibleAccessToken(accessToken) || typeof deviceId !== "string" || !GUID_PATTERN.test(deviceId)) return undefined;
  return `${deviceId.toLowerCase()}:${createHash("sha256").update(accessToken).digest("base64url").slice(0, 22)}`;
}

/**
 * Autopilot Reset: POST wipe {keepEnrollmentData: true, keepUserData: false}, at most once per call, and not at all
 * when the device already has a reset pending or running (or one is being sent right now by the same caller), or it
 * cannot be Autopilot Reset (kind "invalid", the eligibility sentence).
 */
export async function autopilotReset(accessToken: string, input: unknown): Promise<ActionResult<AutopilotResetResult>> {
  const key = inFlightKey(accessToken, input);
  const running = key ? resetsInFlight.get(key) : undefined;
  if (running) {
    const first = await running;
    return first.data ? { data: { status: "already-pending", requestedAt: first.data.requestedAt } } : first;
  }
  const call = sendAutopilotResetOnce(accessToken, input);
  if (key) {
    resetsInFlight.set(key, call);
    void call.finally(() => resetsInFlight.delete(key));
  }
  return call;
}

async function sendAutopilotResetOnce(accessToken: string, input: unknown): Promise<ActionResult<AutopilotResetResult>> {
  return runAction(
    {
      name: "autopilotReset",
      input: deviceInput,
      errors: RESET_ERRORS,
      handler: async ({ deviceId }, { graph }): Promise<AutopilotResetResult> => {
        const now = new Date();
        const before = await readOrFail(graph, deviceId);
        const status = deriveResetStatus(before, now);
        if (status.state === "pending" || status.state === "active") {
          return { status: "already-pending", requestedAt: status.since ?? now.toISOString() };
        }
        const eligibility = resetEligibility(before, now);
        if (!eligibility.allowed) throw new ActionFailure({ kind: "invalid", message: eligibility.message });

        const requestedAt = new Date().toISOString();
        try {
          await sendAutopilotReset(graph, deviceId);
          return { status: "initiated", requestedAt };
        } catch (error) {
          const answer = mapGraphError(error, RESET_ERRORS);
          if (answer.kind !== "unclear" && answer.kind !== "throttled") throw new ActionFailure(answer);
          const confirmed = await confirmReset(graph, deviceId, before, answer);
          if (confirmed === "initiated") return { status: "initiated", requestedAt };
          throw new ActionFailure(confirmed);
        }
      },
    },
    accessToken,
    input,
  );
}

/** Sync: POST syncDevice once. A sync sent twice does no harm, so an unclear answer says the user may simply retry. */
export async function syncDevice(accessToken: string, input: unknown): Promise<ActionResult<SyncDeviceResult>> {
  return runAction(
    {
      name: "syncDevice",
      input: deviceInput,
      errors: SYNC_ERRORS,
      handler: async ({ deviceId }, { graph }): Promise<SyncDeviceResult> => {
        const device = await readOrFail(graph, deviceId);
        const eligibility = syncEligibility(device, new Date());
        if (!eligibility.allowed) throw new ActionFailure({ kind: "invalid", message: eligibility.message });
        const requestedAt = new Date().toISOString();
        try {
          await sendSyncDevice(graph, deviceId);
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
        return { requestedAt };
      },
    },
    accessToken,
    input,
  );
}

/** The device with its action history, for the status panel (poll it while something is pending). */
export async function getDeviceActionState(accessToken: string, input: unknown): Promise<ActionResult<Device>> {
  return runAction(
    {
      name: "getDeviceActionState",
      input: z.object({ deviceId: z.string({ message: "A device id is required." }).max(1_000, { message: NO_SUCH_DEVICE }) }),
      errors: READ_ERRORS,
      handler: async ({ deviceId }, { graph }) => {
        if (!GUID_PATTERN.test(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        return readDeviceActionState(graph, deviceId);
      },
    },
    accessToken,
    input,
  );
}
