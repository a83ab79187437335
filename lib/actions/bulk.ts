"use server";
/**
 * Server actions for bulk Autopilot Reset and Sync (PRODUCT.md journey 4). The browser drives the run (lib/bulk engine
 * in components/bulk/use-bulk-run.ts) and calls these once per chunk with a fresh token; each call is one $batch of at
 * most 20 sub-requests, and never resends anything itself: an unclear answer goes back to the run, which reads the
 * device before deciding.
 */
import { z } from "zod";
import type { DeviceRead, SendOutcome } from "@/lib/bulk/types";
import { MAX_BATCH_SIZE } from "@/lib/bulk/types";
import { normalizeSearch } from "@/lib/devices/search";
import { readDeviceBatch, sendActionBatch, WRITE_ERRORS } from "@/lib/graph/batch";
import { READ_DEVICES_SCOPE } from "@/lib/graph/device-actions";
import { listWindowsDevicesPage, type DevicePage } from "@/lib/graph/devices";
import { CURSOR_MAX_LENGTH } from "@/lib/graph/cursor";
import { ActionFailure, deviceIdSchema, runAction } from "./define-action";
import type { ActionResult } from "./result";
import { deviceFiltersSchema } from "./schemas";

const deviceIdsSchema = z
  .array(deviceIdSchema, { message: "A list of device ids is required." })
  .min(1, { message: "Select at least one device." })
  .max(MAX_BATCH_SIZE, { message: `At most ${MAX_BATCH_SIZE} devices per request.` })
  .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, { message: "A device appears twice in one request." });

const sendBulkChunkSchema = z.object({
  action: z.enum(["reset", "sync"], { message: "The action must be reset or sync." }),
  deviceIds: deviceIdsSchema,
});

/** Sends Autopilot Reset (wipe, keeping enrollment) or Sync to 1..20 devices in one $batch: one outcome per device. */
export async function sendBulkChunk(accessToken: string, input: unknown): Promise<ActionResult<{ outcomes: SendOutcome[] }>> {
  const action = (input as { action?: unknown } | null)?.action === "sync" ? "sync" : "reset";
  return runAction(
    {
      name: "sendBulkChunk",
      input: sendBulkChunkSchema,
      errors: WRITE_ERRORS[action],
      handler: async (parsed, { graph }) => ({ outcomes: await sendActionBatch(graph, parsed.action, parsed.deviceIds) }),
    },
    accessToken,
    input,
  );
}

/** Reads 1..20 devices' state (action results, managementState, last check-in) in one $batch. */
export async function readActionStates(accessToken: string, input: unknown): Promise<ActionResult<{ reads: DeviceRead[] }>> {
  return runAction(
    {
      name: "readActionStates",
      input: z.object({ deviceIds: deviceIdsSchema }),
      errors: { operation: "read devices", requiredScope: READ_DEVICES_SCOPE, rolePermission: "Managed devices / Read" },
      handler: async ({ deviceIds }, { graph }) => ({ reads: await readDeviceBatch(graph, deviceIds) }),
    },
    accessToken,
    input,
  );
}

/** Devices per page when resolving "all N matching": large pages, few round trips. */
const RESOLVE_PAGE_SIZE = 500;

const resolveSelectionSchema = z.object({
  search: z.string({ message: "The search must be text." }).max(100_000, { message: "The search is far too long." }).nullish(),
  filters: deviceFiltersSchema.nullish(),
  cursor: z.string().max(CURSOR_MAX_LENGTH, { message: "This page link is not valid." }).nullish(),
});

/**
 * One page of every Windows device matching a search and filters, for "select all N matching": the browser calls it
 * again with nextCursor until it is null (each call bounded, each with a fresh token).
 */
export async function resolveSelection(accessToken: string, input: unknown): Promise<ActionResult<DevicePage>> {
  return runAction(
    {
      name: "resolveSelection",
      input: resolveSelectionSchema,
      errors: { operation: "read devices", requiredScope: READ_DEVICES_SCOPE, rolePermission: "Managed devices / Read" },
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
