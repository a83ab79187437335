/**
 * Finding the devices a ticket names (docs/product.md, "Journey 7: start from what the ticket names"): the one module
 * that speaks Graph for it. Each value is a GET sub-request of a JSON $batch (20 per $batch, docs/graph.md, "JSON
 * batching"), several $batches side by side (p-limit, as lib/graph/batch.ts does for bulk reads):
 *
 *   intune-id  GET /deviceManagement/managedDevices/{id}
 *   entra-id   GET /deviceManagement/managedDevices?$filter=azureADDeviceId eq '<guid>'
 *   serial     GET /deviceManagement/managedDevices?$filter=serialNumber eq '<s>'
 *   name       GET /deviceManagement/managedDevices?$filter=deviceName eq '<n>'
 *
 * Quotes are doubled (OData's escape), though lib/devices/ticket-lines.ts refuses anything that reads as OData before
 * it gets here. A value's lookups are tried in order: the next only when the one before found nothing. Rows that do not
 * match the value are dropped and said (Graph drops a filter it does not support and answers every device).
 *
 * A long list is cheaper read the other way round: the tenant's whole device list, 1,000 a page
 * (docs/graph.md, "Querying the device list"), is about 100 requests for 100,000 devices where 5,000 values cost 5,000
 * lookups or more. `scanDevicesPage` reads it a page at a time with only the fields the matching and the preflight
 * need; lib/devices/ticket-answers.ts matches the rows by the same rules as the lookups.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import pLimit from "p-limit";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import type { ActionError } from "@/lib/result";
import type { Device } from "@/lib/devices/types";
import { isGuid } from "@/lib/devices/ids";
import type { LookupKind } from "@/lib/devices/ticket-lines";
import { LOOKUP_FIELD, matchesLookup, MAX_MATCHES_PER_LOOKUP } from "@/lib/devices/ticket-answers";
import { MAX_BATCH_SIZE } from "./batch-types";
import type { BatchSubRequest, BatchSubResponse } from "./batch";
import { checkedGraphLink } from "./cursor";
import { DEVICE_DETAIL_SELECT, MANAGED_DEVICES_PATH, mapManagedDevice } from "./devices";
import { mapGraphError, READ_DEVICES_ERRORS } from "./errors";
import { parseRetryAfter } from "./retry-after";

/** A value to find, with the lookups still to try, in order. */
export interface LookupRequest {
  key: string;
  value: string;
  lookups: readonly LookupKind[];
}

export type LookupAnswer =
  /** One or more devices matched by `by` (more than one: the user picks). */
  | { key: string; kind: "found"; by: LookupKind; devices: Device[] }
  /** Every lookup answered, none matched. */
  | { key: string; kind: "not-found"; tried: LookupKind[] }
  /** A lookup could not be answered (throttled, unavailable, refused): the caller may ask again. */
  | { key: string; kind: "error"; error: ActionError };

/** $batch POSTs kept under way at once: at most 200 lookups in flight, a tenth of Intune's 2,000 requests per 20 s. */
const PARALLEL_BATCHES = 10;
/** Rows a filter lookup reads: a duplicate name is shown in full up to here. */
const FILTER_TOP = MAX_MATCHES_PER_LOOKUP;

const LIST_SELECT = DEVICE_DETAIL_SELECT.filter((field) => field !== "deviceActionResults").join(",");
const FILTER_FIELD: Record<Exclude<LookupKind, "intune-id">, keyof Device & string> = {
  "entra-id": LOOKUP_FIELD["entra-id"],
  serial: LOOKUP_FIELD.serial,
  name: LOOKUP_FIELD.name,
};

/** OData's string literal: quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The relative URL (in a $batch, beta) of one lookup. */
export function lookupUrl(kind: LookupKind, value: string): string {
  if (kind === "intune-id") {
    if (!isGuid(value)) throw new TypeError("An Intune device id must be a GUID.");
    return `${MANAGED_DEVICES_PATH}/${value.toLowerCase()}?$select=${DEVICE_DETAIL_SELECT.join(",")}`;
  }
  if (kind === "entra-id" && !isGuid(value)) throw new TypeError("An Entra device id must be a GUID.");
  const filter = encodeURIComponent(`${FILTER_FIELD[kind]} eq ${odataString(value)}`);
  return `${MANAGED_DEVICES_PATH}?$filter=${filter}&$select=${LIST_SELECT}&$top=${FILTER_TOP}`;
}

export interface LookupStep {
  key: string;
  value: string;
  kind: LookupKind;
}

/** The $batch body for 1..20 lookups; sub-request ids "1".."20" in order. */
export function buildLookupBatch(steps: readonly LookupStep[]): { requests: BatchSubRequest[] } {
  if (steps.length < 1 || steps.length > MAX_BATCH_SIZE) throw new RangeError(`A batch carries 1 to ${MAX_BATCH_SIZE} lookups; got ${steps.length}.`);
  return { requests: steps.map((step, index) => ({ id: String(index + 1), method: "GET", url: lookupUrl(step.kind, step.value) })) };
}

/** What one lookup came back as, before the next lookup kind is tried. */
export type StepAnswer = { kind: "found"; devices: Device[] } | { kind: "none" } | { kind: "error"; error: ActionError };

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const record = headers as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? record[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function subError(sub: BatchSubResponse, status: number) {
  const body = (sub.body && typeof sub.body === "object" ? sub.body : {}) as { error?: { code?: unknown; message?: unknown } };
  const retryAfter = header(sub.headers, "Retry-After");
  return {
    statusCode: status,
    code: typeof body.error?.code === "string" ? body.error.code : undefined,
    message: typeof body.error?.message === "string" ? body.error.message : undefined,
    headers: retryAfter !== undefined ? { "Retry-After": retryAfter } : {},
  };
}

function matches(step: LookupStep, device: Device): boolean {
  return matchesLookup(step.kind, step.value, device);
}

/** Judges each sub-response of a lookup batch. Pure. */
export function parseLookupBatch(steps: readonly LookupStep[], body: unknown, nowMs: number = Date.now()): StepAnswer[] {
  const responses = body && typeof body === "object" ? (body as { responses?: unknown }).responses : undefined;
  const byId = new Map<string, BatchSubResponse>();
  if (Array.isArray(responses)) for (const sub of responses as BatchSubResponse[]) if (sub && (typeof sub.id === "string" || typeof sub.id === "number")) byId.set(String(sub.id), sub);
  return steps.map((step, index): StepAnswer => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
    if (!sub || !Number.isInteger(status)) return { kind: "error", error: { kind: "unavailable", message: "Graph's batch answer had no result for this value." } };
    if (status === 404 && step.kind === "intune-id") return { kind: "none" };
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(header(sub.headers, "Retry-After"), nowMs);
      return { kind: "error", error: { kind: "throttled", message: "Microsoft Graph asked the console to slow down.", ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
    }
    if (status < 200 || status >= 300 || !sub.body || typeof sub.body !== "object") {
      return { kind: "error", error: mapGraphError(subError(sub, status), READ_DEVICES_ERRORS) };
    }
    const rows = step.kind === "intune-id" ? [sub.body as ManagedDevice] : (((sub.body as { value?: unknown }).value ?? []) as ManagedDevice[]);
    if (!Array.isArray(rows)) return { kind: "error", error: { kind: "unavailable", message: "Graph's answer for this value was not a list." } };
    const devices = rows.map(mapManagedDevice);
    const kept = devices.filter((device) => matches(step, device));
    if (kept.length < devices.length && kept.length === 0 && devices.length >= FILTER_TOP) {
      // Graph answered devices that do not match: it dropped the filter, so "none" would be a guess.
      return { kind: "error", error: { kind: "unavailable", message: `Microsoft Graph did not filter by ${FILTER_FIELD[step.kind as Exclude<LookupKind, "intune-id">]}, so this value could not be looked up.` } };
    }
    return kept.length > 0 ? { kind: "found", devices: kept } : { kind: "none" };
  });
}

async function lookupBatch(client: Client, steps: readonly LookupStep[]): Promise<StepAnswer[]> {
  let response: unknown;
  try {
    response = await client.api("/$batch").version("beta").post(buildLookupBatch(steps));
  } catch (error) {
    const mapped = mapGraphError(error, READ_DEVICES_ERRORS);
    return steps.map(() => ({ kind: "error", error: mapped }));
  }
  return parseLookupBatch(steps, response);
}

async function inParallelBatches(client: Client, steps: readonly LookupStep[]): Promise<StepAnswer[]> {
  const chunks: LookupStep[][] = [];
  for (let i = 0; i < steps.length; i += MAX_BATCH_SIZE) chunks.push(steps.slice(i, i + MAX_BATCH_SIZE));
  const limit = pLimit(PARALLEL_BATCHES);
  return (await Promise.all(chunks.map((chunk) => limit(() => lookupBatch(client, chunk))))).flat();
}

/**
 * Finds each value's devices: its first lookup for every value at once, then its next lookup for the values still
 * unfound, and so on. Answers in the order given, with the Graph requests made (each sub-request counts toward
 * Intune's 2,000 per 20 s; the browser paces its calls by it).
 */
export async function lookupDevices(client: Client, requests: readonly LookupRequest[]): Promise<{ answers: LookupAnswer[]; graphRequests: number }> {
  const answers = new Map<string, LookupAnswer>();
  const tried = new Map<string, LookupKind[]>();
  let pending = [...requests];
  let graphRequests = 0;
  for (let round = 0; pending.length > 0; round++) {
    const steps = pending.map((r) => ({ key: r.key, value: r.value, kind: r.lookups[round]! }));
    graphRequests += steps.length;
    const results = await inParallelBatches(client, steps);
    const next: LookupRequest[] = [];
    results.forEach((result, index) => {
      const request = pending[index]!;
      const step = steps[index]!;
      tried.set(request.key, [...(tried.get(request.key) ?? []), step.kind]);
      if (result.kind === "found") answers.set(request.key, { key: request.key, kind: "found", by: step.kind, devices: result.devices });
      else if (result.kind === "error") answers.set(request.key, { key: request.key, kind: "error", error: result.error });
      else if (round + 1 < request.lookups.length) next.push(request);
      else answers.set(request.key, { key: request.key, kind: "not-found", tried: tried.get(request.key)! });
    });
    pending = next;
  }
  return { answers: requests.map((r) => answers.get(r.key)!), graphRequests };
}

/** Devices per page of the scan: Graph's largest page of managed devices. */
export const SCAN_PAGE_SIZE = 1000;
/**
 * What a scan reads of each device: the fields the lookups match on, and what the preflight shows and judges a reset
 * by (lib/devices/eligibility.ts: platform, join type, Autopilot, management state, last check-in; and the primary
 * user of a choice among several). A third of the grid's fields, so a page of 1,000 stays small.
 */
export const SCAN_SELECT = [
  "id",
  "deviceName",
  "serialNumber",
  "azureADDeviceId",
  "operatingSystem",
  "joinType",
  "autopilotEnrolled",
  "managementState",
  "lastSyncDateTime",
  "userPrincipalName",
] as const;
/** The path a scan's nextLink must have (lib/graph/cursor.ts checks it before it is followed). */
export const SCAN_LINK_PATH = `/beta${MANAGED_DEVICES_PATH}`;

/** How many managed devices the tenant has (one request, $count=true: docs/graph.md, "Counting devices"), or null when Graph does not say. */
export async function countManagedDevices(client: Client): Promise<number | null> {
  const page = (await client
    .api(MANAGED_DEVICES_PATH)
    .version("beta")
    .header("ConsistencyLevel", "eventual")
    .count(true)
    .select(["id"])
    .top(1)
    .get()) as { "@odata.count"?: unknown };
  const count = page["@odata.count"];
  return typeof count === "number" && Number.isInteger(count) && count >= 0 ? count : null;
}

/**
 * One page of the tenant's device list: the first (`link` null) or the one a nextLink named, already checked by
 * lib/graph/cursor.ts. Answers the devices and the next page's checked link (null after the last).
 */
export async function scanDevicesPage(client: Client, link: string | null, graphBaseUrl: string): Promise<{ devices: Device[]; next: string | null }> {
  const page = (link
    ? await client.api(link.slice("/beta".length)).version("beta").get()
    : await client.api(MANAGED_DEVICES_PATH).version("beta").select([...SCAN_SELECT]).top(SCAN_PAGE_SIZE).get()) as { value?: unknown; "@odata.nextLink"?: unknown };
  if (!Array.isArray(page.value)) throw new TypeError("Graph's page of devices was not a list.");
  const nextLink = page["@odata.nextLink"];
  return {
    devices: (page.value as ManagedDevice[]).map(mapManagedDevice),
    next: typeof nextLink === "string" && nextLink !== "" ? checkedGraphLink(nextLink, graphBaseUrl, SCAN_LINK_PATH) : null,
  };
}
