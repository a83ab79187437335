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
import { checkJustification, coverageFrom, MAX_RESET_JUSTIFICATION_CHARS, type ApprovalCoverage } from "@/lib/devices/approval";
import { DAILY_WINDOW_MS } from "@/lib/bulk/daily-limit";
import { countRecentWipes } from "@/lib/graph/audits";
import { listApprovalPolicies } from "@/lib/graph/approvals";
import { mapGraphError, READ_AUDITS_ERRORS, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { MAX_DEVICES_PER_CALL, type ChunkAnswer, type ReadAnswer, type ServerClock } from "@/lib/bulk/types";
import type { DeviceRead } from "@/lib/graph/batch-types";
import { normalizeSearch } from "@/lib/devices/search";
import { readDeviceStates, readResetEvidence, WRITE_ERRORS } from "@/lib/graph/batch";
import { listWindowsDevicesPage, readGraphClock, type DevicePage } from "@/lib/graph/devices";
import { serverNow } from "@/lib/server/clock";
import { LockStoreUnavailableError } from "@/lib/server/device-lock";
import { peekDevice, storeQuietMs } from "@/lib/server/device-guard";
import { sendToDevices } from "@/lib/server/send/protocol";
import { lastResets } from "@/lib/server/send-notes";
import { runAction, type ActionContext } from "./define-action";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { deviceIdSchema, listWindowsDevicesSchema, ticketReferenceSchema } from "./schemas";

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
  /** Graph's clock from the browser's latest answer (lib/bulk/send-window.ts). */
  issuedAt: z.number({ message: "A send ticket is required." }).int().positive(),
  justification: runJustificationSchema.optional(),
  /** The run's ticket reference: kept in the console's record of each send, never sent to Intune but for approvals. */
  ticketReference: ticketReferenceSchema.optional(),
});

function clockOf(context: ActionContext): ServerClock {
  const graphTime = context.graphClock.latest();
  return { serverTime: serverNow(), ...(graphTime !== undefined ? { graphTime } : {}) };
}

/**
 * Sends Autopilot Reset (wipe, keeping enrollment) or Sync to 1..200 devices, one outcome per device, through the one
 * send protocol (lib/server/send/protocol.ts): the server reads and judges every device itself, so a device the
 * browser should not have asked for is refused with its reason, whoever called. A ticket older than its lifetime on
 * Graph's clock sends nothing (lib/bulk/send-window.ts).
 */
export async function sendBulkChunk(accessToken: string, input: unknown): Promise<ActionResult<ChunkAnswer>> {
  return runAction(
    {
      name: "sendBulkChunk",
      input: sendBulkChunkSchema,
      errors: (parsed) => WRITE_ERRORS[parsed.action],
      handler: async ({ action, deviceIds, issuedAt, justification, ticketReference }, context) => {
        const result = await sendToDevices(context, {
          action,
          deviceIds,
          issuedAt,
          ...(ticketReference ? { ticketReference } : {}),
          ...(action === "reset" && justification ? { approval: { justification } } : {}),
        });
        return {
          outcomes: result.outcomes,
          ...clockOf(context),
          ...(result.sentAfterGraph !== undefined ? { sentAfterGraph: result.sentAfterGraph } : {}),
          ...(result.sentAtServer !== undefined ? { sentAtServer: result.sentAtServer } : {}),
        };
      },
    },
    accessToken,
    input,
  );
}

const readActionStatesSchema = z.object({
  deviceIds: deviceIdsSchema,
  action: z.enum(["reset", "sync"], { message: "The action must be reset or sync." }).optional(),
});

/**
 * Reads 1..200 devices' state: for a reset, every signal of a reset under way (state and audits), with the server's
 * word on each device's lock and records of sends that may still land, on Graph's clock. When the coordination store
 * cannot be reached the reads still come back, without that word: the run's own record bounds its resends
 * (lib/bulk/send-window.ts), and no send gets past the store while it is down.
 */
export async function readActionStates(accessToken: string, input: unknown): Promise<ActionResult<ReadAnswer>> {
  return runAction(
    {
      name: "readActionStates",
      input: readActionStatesSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async ({ deviceIds, action }, context) => {
        const kind = action ?? "reset";
        const { tenantId } = context.caller;
        const reads = kind === "reset" ? await readResetEvidence(context.graph, deviceIds) : await readDeviceStates(context.graph, deviceIds);
        const graphNow = context.graphClock.latest() ?? serverNow();
        const guards = await Promise.all([storeQuietMs(graphNow), ...deviceIds.map((id) => peekDevice(tenantId, kind, id, graphNow))]).catch((error: unknown) => {
          if (error instanceof LockStoreUnavailableError) return null;
          throw error;
        });
        // "Recently reset" for the preflight: reported, never refused here (a person may choose it again).
        const recently = kind === "reset" ? await lastResets(tenantId, reads, graphNow) : new Map<string, { at: string; by: string | null }>();
        const withGuards = reads.map((read, index): DeviceRead => {
          if (read.kind !== "found") return read;
          const lastReset = recently.get(read.deviceId);
          const withLast = lastReset ? { ...read, lastReset } : read;
          if (!guards) return withLast;
          const quietMs = guards[0] as number;
          const guard = guards[index + 1] as Awaited<ReturnType<typeof peekDevice>>;
          return { ...withLast, busyForMs: Math.max(quietMs, guard.busyForMs), recent: guard.marker ? { by: guard.marker.by, at: guard.marker.at } : null };
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
  wipes:
    | { times: number[]; complete: boolean; graphTime: number; limit: number; resets: { deviceId: string; at: string; by: string | null }[] }
    | { error: ActionError };
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
        const graphNow = context.graphClock.latest() ?? serverNow();
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
