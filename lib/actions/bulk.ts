"use server";
/**
 * Server actions for bulk Autopilot Reset and Sync (docs/product.md, "Journey 4: reset or sync many devices"). The
 * browser drives the run (lib/bulk engine in components/bulk/use-bulk-run.ts) and calls these one at a time with a
 * fresh token; each call carries up to a write window's worth of devices (MAX_DEVICES_PER_CALL), sent to Graph as
 * $batches of 20 side by side, and never resends anything itself: an unclear answer goes back to the run, which reads
 * the device before deciding.
 */
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { checkJustification, coverageFrom, MAX_RESET_JUSTIFICATION_CHARS, resetJustification, type ApprovalCoverage } from "@/lib/devices/approval";
import { DAILY_WINDOW_MS } from "@/lib/bulk/daily-limit";
import { countRecentWipes } from "@/lib/graph/audits";
import { listApprovalPolicies } from "@/lib/graph/approvals";
import { mapGraphError, READ_AUDITS_ERRORS, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { SEND_TICKET_LIFETIME_MS } from "@/lib/bulk/send-window";
import { MAX_DEVICES_PER_CALL, type ChunkAnswer, type ReadAnswer, type ServerClock } from "@/lib/bulk/types";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import { findPendingReset } from "@/lib/devices/reset-evidence";
import { normalizeSearch } from "@/lib/devices/search";
import { readDeviceStates, readResetEvidence, sendActions, WRITE_ERRORS } from "@/lib/graph/batch";
import { listWindowsDevicesPage, readGraphClock, type DevicePage } from "@/lib/graph/devices";
import { holdDevices, mayStillSend, peekDevice, releaseAll, rememberSend, type HeldDevice } from "@/lib/server/device-guard";
import { runAction, type ActionContext } from "./define-action";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { deviceIdSchema, listWindowsDevicesSchema } from "./schemas";

const deviceIdsSchema = z
  .array(deviceIdSchema, { message: "A list of device ids is required." })
  .min(1, { message: "Select at least one device." })
  .max(MAX_DEVICES_PER_CALL, { message: `At most ${MAX_DEVICES_PER_CALL} devices per request.` })
  .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, { message: "A device appears twice in one request." });

/**
 * The run's one justification (Multi Admin Approval): checked as the dialog checks it (lib/devices/approval.ts), so
 * a 5,000-character text or one with a line break is refused here with the same sentence, and nothing is sent.
 */
const runJustificationSchema = z
  .string({ message: "The justification must be text." })
  .max(20_000, { message: "The justification is far too long." })
  .transform((raw, ctx) => {
    const checked = checkJustification(raw, MAX_RESET_JUSTIFICATION_CHARS);
    if (!checked.ok) {
      ctx.addIssue({ code: "custom", message: checked.message });
      return z.NEVER;
    }
    return checked.text;
  });

const sendBulkChunkSchema = z.object({
  action: z.enum(["reset", "sync"], { message: "The action must be reset or sync." }),
  deviceIds: deviceIdsSchema,
  /** The server's clock from the browser's latest answer (lib/bulk/send-window.ts). */
  issuedAt: z.number({ message: "A send ticket is required." }).int().positive(),
  justification: runJustificationSchema.optional(),
});

function clockOf(context: ActionContext): ServerClock {
  const graphTime = context.graphClock.latest();
  return { serverTime: Date.now(), ...(graphTime !== undefined ? { graphTime } : {}) };
}

function busyMessage(by: string | null): string {
  return `${by ? `${by} is` : "Someone is"} sending a request to this device right now; checking it before anything is sent.`;
}

/**
 * Sends Autopilot Reset (wipe, keeping enrollment) or Sync to 1..200 devices, one outcome per device.
 * Under each device's lock it first reads every signal of a reset under way (resets only) and sends nothing to a
 * device that has one, or that someone else is sending to right now. A ticket older than its lifetime is refused
 * whole: nothing is sent, so a page that was reloaded meanwhile can trust its reads (lib/bulk/send-window.ts).
 */
export async function sendBulkChunk(accessToken: string, input: unknown): Promise<ActionResult<ChunkAnswer>> {
  return runAction(
    {
      name: "sendBulkChunk",
      input: sendBulkChunkSchema,
      errors: (parsed) => WRITE_ERRORS[parsed.action],
      handler: async ({ action, deviceIds, issuedAt, justification }, context) => {
        const { caller } = context;
        const { held, busy } = await holdDevices(caller.tenantId, action, deviceIds, caller.displayName);
        try {
          const outcomes = new Map<string, SendOutcome>();
          for (const b of busy) outcomes.set(b.deviceId, { deviceId: b.deviceId, kind: "busy", busyForMs: b.busyForMs, message: busyMessage(b.by) });
          if (Date.now() > issuedAt + SEND_TICKET_LIFETIME_MS || issuedAt > Date.now() + SEND_TICKET_LIFETIME_MS) {
            for (const h of held) outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", message: "The request reached the server too late to be sent safely." });
            return { outcomes: deviceIds.map((id) => outcomes.get(id)!), ...clockOf(context) };
          }
          // Graph's own device names go into each justification (never the browser's copy).
          const names = new Map<string, string>();
          const toSend = action === "reset" ? await resetsToSend(context, held, outcomes, names) : held.filter((h) => !h.marker);
          for (const h of held) {
            if (action === "sync" && h.marker) outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "accepted", status: 204 });
            if (!outcomes.has(h.deviceId) && !toSend.includes(h)) outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", message: "Nothing was sent." });
          }
          const ready = toSend.filter((h) => {
            if (mayStillSend(h)) return true;
            outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", message: "Microsoft Graph was too slow to read this device, so nothing was sent." });
            return false;
          });
          const sentAfterGraph = context.graphClock.latest();
          if (ready.length > 0) {
            const justifications =
              action === "reset" && justification
                ? new Map(ready.map((h) => [h.deviceId, resetJustification({ id: h.deviceId, deviceName: names.get(h.deviceId) ?? "" }, justification)]))
                : undefined;
            const sent = await sendActions(context.graph, action, ready.map((h) => h.deviceId), { justifications });
            const at = new Date(context.graphClock.latest() ?? Date.now()).toISOString();
            await Promise.all(
              sent.map(async (outcome) => {
                outcomes.set(outcome.deviceId, outcome);
                const marked =
                  outcome.kind === "accepted" ? "confirmed" : outcome.kind === "unclear" ? "unclear" : outcome.kind === "throttled" && action === "reset" ? "throttled" : null;
                if (marked) await rememberSend(caller.tenantId, action, outcome.deviceId, { by: caller.displayName, at, outcome: marked });
              }),
            );
          }
          return {
            outcomes: deviceIds.map((id) => outcomes.get(id) ?? { deviceId: id, kind: "not-sent" as const, message: "Nothing was sent." }),
            ...clockOf(context),
            ...(sentAfterGraph !== undefined ? { sentAfterGraph } : {}),
          };
        } finally {
          await releaseAll(held);
        }
      },
    },
    accessToken,
    input,
  );
}

/** The held devices a reset may go to: no reset under way by any signal, and the device still there. */
async function resetsToSend(context: ActionContext, held: HeldDevice[], outcomes: Map<string, SendOutcome>, names: Map<string, string>): Promise<HeldDevice[]> {
  if (held.length === 0) return [];
  // A send of a moment ago counts until Graph shows that reset itself (it may be done already, and may be redone).
  const reads = await readResetEvidence(context.graph, held.map((h) => h.deviceId));
  const byId = new Map(reads.map((r) => [r.deviceId, r]));
  return held.filter((h) => {
    const read = byId.get(h.deviceId);
    if (!read || read.kind === "error") {
      const message = read?.kind === "error" ? read.error.message : "The device could not be read.";
      outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", message: `The device could not be checked before sending (${message.replace(/\.$/, "")}); nothing was sent.`, ...(read?.kind === "error" && read.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: read.error.retryAfterSeconds } : {}) });
      return false;
    }
    if (read.kind === "not-found") {
      outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "rejected", status: 404, error: { kind: "not-found", message: WRITE_ERRORS.reset.notFoundMessage ?? "The device no longer exists." } });
      return false;
    }
    names.set(h.deviceId, read.device.deviceName);
    const pending = findPendingReset({ device: read.device, audits: read.audits ?? [], recent: h.marker });
    if (pending) {
      outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "already-pending", by: pending.by, since: pending.since });
      return false;
    }
    return true;
  });
}

const readActionStatesSchema = z.object({
  deviceIds: deviceIdsSchema,
  action: z.enum(["reset", "sync"], { message: "The action must be reset or sync." }).optional(),
});

/**
 * Reads 1..200 devices' state: for a reset, every signal of a reset under way (state and audits), with
 * the server's word on each device's lock and recent sends, so the run decides nothing while a send may still land.
 */
export async function readActionStates(accessToken: string, input: unknown): Promise<ActionResult<ReadAnswer>> {
  return runAction(
    {
      name: "readActionStates",
      input: readActionStatesSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async ({ deviceIds, action }, context) => {
        const kind = action ?? "reset";
        const guards = await Promise.all(deviceIds.map((id) => peekDevice(context.caller.tenantId, kind, id)));
        const reads = kind === "reset" ? await readResetEvidence(context.graph, deviceIds) : await readDeviceStates(context.graph, deviceIds);
        const withGuards = reads.map((read, index): DeviceRead => {
          const guard = guards[index]!;
          if (read.kind !== "found") return read;
          return { ...read, busyForMs: guard.busyForMs, recent: guard.marker ? { by: guard.marker.by, at: guard.marker.at } : null };
        });
        return { reads: withGuards, ...clockOf(context) };
      },
    },
    accessToken,
    input,
  );
}

/** The server's clock and Graph's, for a fresh send ticket (one light Graph read). */
export async function readServerClock(accessToken: string, input?: unknown): Promise<ActionResult<ServerClock>> {
  return runAction(
    {
      name: "readServerClock",
      input: z.unknown(),
      errors: READ_DEVICES_ERRORS,
      handler: async (_input, context) => {
        await readGraphClock(context.graph);
        return clockOf(context);
      },
    },
    accessToken,
    input,
  );
}

/** What the bulk preflight needs to know of today's guardrails on wipes (docs/product.md, "Journey 4"). */
export interface BulkGuardrails extends ServerClock {
  /**
   * The tenant's wipes of the last 24 hours from remoteActionAudits, or why they could not be counted, with the daily
   * limit they count toward (lib/config.ts dailyWipeLimit).
   */
  wipes: { times: number[]; complete: boolean; graphTime: number; limit: number } | { error: ActionError };
  /** Whether a Multi Admin Approval policy covers a reset (unknown when the role may not read the policies). */
  approval: ApprovalCoverage;
}

/**
 * Today's guardrails for a bulk reset: the wipes counted toward the daily limit (beta remoteActionAudits, the last
 * 24 hours on Graph's clock) and whether an access policy puts resets behind approval. Neither read failing stops the
 * preflight: the run then learns from Graph's answers.
 */
export async function readBulkGuardrails(accessToken: string, input?: unknown): Promise<ActionResult<BulkGuardrails>> {
  return runAction(
    {
      name: "readBulkGuardrails",
      input: z.unknown(),
      errors: READ_AUDITS_ERRORS,
      handler: async (_input, context) => {
        await readGraphClock(context.graph);
        const graphNow = context.graphClock.latest() ?? Date.now();
        const [wipes, approval] = await Promise.all([
          countRecentWipes(context.graph, new Date(graphNow - DAILY_WINDOW_MS).toISOString(), context.graphBaseUrl).then(
            (read) => ({ ...read, graphTime: graphNow, limit: getConfig().dailyWipeLimit }),
            (error: unknown) => ({ error: mapGraphError(error, READ_AUDITS_ERRORS) }),
          ),
          listApprovalPolicies(context.graph, context.graphBaseUrl).then(
            (policies): ApprovalCoverage => coverageFrom(policies),
            (): ApprovalCoverage => "unknown",
          ),
        ]);
        return { wipes, approval, ...clockOf(context) };
      },
    },
    accessToken,
    input,
  );
}

/** Devices per page when resolving "all N matching": large pages, few round trips. */
const RESOLVE_PAGE_SIZE = 500;

const resolveSelectionSchema = listWindowsDevicesSchema.pick({ search: true, filters: true, cursor: true });

/**
 * One page of every Windows device matching a search and filters, for "select all N matching": the browser calls it
 * again with nextCursor until it is null (each call bounded, each with a fresh token).
 */
export async function resolveSelection(accessToken: string, input: unknown): Promise<ActionResult<DevicePage>> {
  return runAction(
    {
      name: "resolveSelection",
      input: resolveSelectionSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async (parsed, { graph, graphBaseUrl }) => {
        const search = normalizeSearch(parsed.search);
        if (!search.ok) throw new ActionFailure({ kind: "invalid", message: search.message });
        return listWindowsDevicesPage(
          graph,
          { search: search.search, filters: parsed.filters ?? {}, sort: null, cursor: parsed.cursor ?? null, pageSize: RESOLVE_PAGE_SIZE },
          graphBaseUrl,
        );
      },
    },
    accessToken,
    input,
  );
}
