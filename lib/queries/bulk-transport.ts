"use client";
/**
 * The bulk engine's road to the server (lib/bulk/engine.ts BulkTransport): the bulk server actions with a fresh token
 * per call, their {error} answers turned into per-device outcomes the engine records.
 */
import { readActionStates, readBulkGuardrails, readServerClock, sendBulkChunk, type BulkGuardrails } from "@/lib/actions/bulk";
import { budgetFrom } from "@/lib/bulk/daily-limit";
import type { BulkTransport } from "@/lib/bulk/engine";
import type { PlanGuardrails } from "@/lib/bulk/planner";
import { isStoreUnavailable } from "@/lib/bulk/reasons";
import type { ChunkAnswer, ReadAnswer, ServerClock } from "@/lib/bulk/types";
import type { DeviceAction } from "@/lib/devices/types";
import { recordAcceptedSyncs } from "@/lib/monitor/sync-records";
import type { ActionResult } from "@/lib/result";

export interface BulkServerActions {
  sendBulkChunk: (token: string, input: { action: DeviceAction; deviceIds: string[]; issuedAt: number; justification?: string; ticketReference?: string }) => Promise<ActionResult<ChunkAnswer>>;
  readActionStates: (token: string, input: { deviceIds: string[]; action: DeviceAction }) => Promise<ActionResult<ReadAnswer>>;
  readServerClock: (token: string) => Promise<ActionResult<ServerClock>>;
}

const DEFAULT_ACTIONS: BulkServerActions = {
  sendBulkChunk,
  readActionStates,
  readServerClock,
};

/** Turns the server actions into the engine's transport. A token that cannot be had means nothing left the browser. */
export function serverActionTransport(
  getAccessToken: () => Promise<string>,
  action: DeviceAction,
  actions: BulkServerActions = DEFAULT_ACTIONS,
  /** The run's one justification under Multi Admin Approval: each wipe carries it, prefixed with its device. */
  justification?: string,
  /** The run's ticket reference: each send's record on the server keeps it. */
  ticketReference?: string,
): BulkTransport {
  const tokenOrNull = async (): Promise<string | null> => {
    try {
      return await getAccessToken();
    } catch {
      return null;
    }
  };
  const signInAgain = { kind: "unauthenticated" as const, message: "Your session has ended. Sign in again, then resume." };
  // Nothing was read from the server's clock: an error answer carries none.
  const noClock = { serverTime: Number.NaN };
  return {
    async send(sendAction, deviceIds, ticket) {
      const token = await tokenOrNull();
      if (token === null) return { outcomes: deviceIds.map((deviceId) => ({ deviceId, kind: "rejected", status: 401, error: signInAgain })), ...noClock };
      // A thrown call (network, server restart) is left to the engine: every device of the chunk becomes unclear.
      const result = await actions.sendBulkChunk(token, {
        action: sendAction,
        deviceIds,
        issuedAt: ticket.issuedAt,
        ...(justification && sendAction === "reset" ? { justification } : {}),
        ...(ticketReference ? { ticketReference } : {}),
      });
      if (result.data) {
        if (sendAction === "sync") recordAcceptedSyncs(result.data.outcomes, result.data.graphTime);
        return result.data;
      }
      const error = result.error;
      if (error.kind === "unauthenticated" || error.kind === "invalid" || error.kind === "forbidden-role" || error.kind === "forbidden-consent") {
        // Refused before Graph was asked to act.
        return { outcomes: deviceIds.map((deviceId) => ({ deviceId, kind: "rejected", status: 0, error })), ...noClock };
      }
      if (isStoreUnavailable(error)) {
        // The server could not reach its coordination store, so it sent nothing (it sends nothing it cannot record).
        return {
          outcomes: deviceIds.map((deviceId) => ({ deviceId, kind: "not-sent", reason: "store-unavailable", message: error.message, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) })),
          ...noClock,
        };
      }
      throw new Error(error.message);
    },
    async read(deviceIds) {
      const token = await tokenOrNull();
      if (token === null) return { reads: deviceIds.map((deviceId) => ({ deviceId, kind: "error", error: signInAgain })), ...noClock };
      const result = await actions.readActionStates(token, { deviceIds, action });
      if (result.data) return result.data;
      return { reads: deviceIds.map((deviceId) => ({ deviceId, kind: "error", error: result.error })), ...noClock };
    },
    async clock() {
      const token = await tokenOrNull();
      if (token === null) throw new Error(signInAgain.message);
      const result = await actions.readServerClock(token);
      if (result.data) return result.data;
      throw new Error(result.error.message);
    },
  };
}

/**
 * Today's guardrails on wipes for the preflight and for "Start next wave": the wipes the tenant has left (counted by
 * the server from the audit log, on Graph's clock) and whether resets need approval. A read that fails leaves the
 * plan without waves, with the sentence why; the run then learns the limit from Graph's answers.
 */
export async function fetchBulkGuardrails(
  getAccessToken: () => Promise<string>,
  read: (token: string) => Promise<ActionResult<BulkGuardrails>> = readBulkGuardrails,
): Promise<PlanGuardrails> {
  let result: ActionResult<BulkGuardrails>;
  try {
    result = await read(await getAccessToken());
  } catch {
    return { budgetProblem: "The console could not reach the server to count today's wipes.", approval: "unknown" };
  }
  if (result.error) return { budgetProblem: result.error.message, approval: "unknown" };
  const { wipes, approval } = result.data;
  if ("error" in wipes) return { budgetProblem: wipes.error.message, approval };
  // The tenant's resets of the day, for a selection read without each device's audits ("all matching" in the grid).
  const byId = new Map(wipes.resets.map((r) => [r.deviceId, { at: r.at, by: r.by }]));
  return { budget: budgetFrom(wipes.times, wipes.graphTime, wipes.limit, wipes.complete), approval, recentResets: { byId, graphNow: wipes.graphTime } };
}
