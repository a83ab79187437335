// Over 300 lines: the $batch builders and parsers for reads and writes, one place that speaks JSON batching.
/**
 * JSON batching for bulk work (docs/graph.md, "JSON batching"): up to 20 wipe or syncDevice sub-requests in one
 * POST /$batch, and up to 20 device-state reads in another. Every sub-response is judged on its own (a sub-request is
 * throttled on its own, and the SDK retries none of them); the $batch POST itself is never resent by the client
 * (lib/graph/client.ts retries GET only), because it carries writes.
 *
 * A bulk call covers up to a write window's worth of devices (lib/bulk/types.ts MAX_DEVICES_PER_CALL): its $batches
 * go out side by side (`inParallelBatches`), so one server action is one Graph round trip however many devices it
 * carries. Next dispatches a client's server actions one at a time, so the parallelism has to live here.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import pLimit from "p-limit";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import type { ActionError } from "@/lib/result";
import { MAX_BATCH_SIZE, type DeviceRead, type SendOutcome } from "./batch-types";
import { isDeviceId } from "@/lib/devices/ids";
import type { DeviceAction, ResetAudit } from "@/lib/devices/types";
import type { RemoteActionAudit } from "@microsoft/microsoft-graph-types-beta";
import { deviceAuditsFrom, deviceAuditsUrl } from "./audits";
import { AUTOPILOT_RESET_BODY } from "./device-actions";
import { DEVICE_DETAIL_SELECT, MANAGED_DEVICES_PATH, mapManagedDevice } from "./device-record";
import { mapGraphError, READ_DEVICES_ERRORS, WRITE_ERRORS_BASE, type ErrorContext } from "./errors";
import { parseRetryAfter } from "./retry-after";
import { encodeJustificationHeader } from "@/lib/devices/approval";

const APPROVAL_JUSTIFICATION_HEADER = "x-msft-approval-justification";
const APPROVAL_CODE_HEADER = "x-msft-approval-code";

export interface BatchSubRequest {
  id: string;
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchSubResponse {
  id?: unknown;
  status?: unknown;
  headers?: unknown;
  body?: unknown;
}

const DELETED_SINCE_SELECTED = "This device no longer exists in Intune (deleted since it was selected).";

export const WRITE_ERRORS: Record<DeviceAction, ErrorContext> = {
  reset: { ...WRITE_ERRORS_BASE.reset, notFoundMessage: DELETED_SINCE_SELECTED },
  sync: { ...WRITE_ERRORS_BASE.sync, notFoundMessage: DELETED_SINCE_SELECTED },
};

function checkIds(deviceIds: readonly string[]): void {
  if (deviceIds.length < 1 || deviceIds.length > MAX_BATCH_SIZE) {
    throw new RangeError(`A batch carries 1 to ${MAX_BATCH_SIZE} devices; got ${deviceIds.length}.`);
  }
  if (new Set(deviceIds).size !== deviceIds.length) throw new RangeError("A device appears twice in one batch.");
  for (const id of deviceIds) if (!isDeviceId(id)) throw new TypeError("A managed device id must be a GUID.");
}

/** What a write batch carries besides the devices. */
export interface ActionBatchOptions {
  /**
   * Per device, the justification a Multi Admin Approval policy asks for (lib/devices/approval.ts resetJustification),
   * sent Base64 in `x-msft-approval-justification` (docs/graph.md, "Multi Admin Approval"). A wipe no policy covers
   * runs as before whatever it carries.
   */
  justifications?: ReadonlyMap<string, string>;
}

/** The $batch body for an action on 1..20 devices; sub-request ids are "1".."20" in device order. */
export function buildActionBatch(action: DeviceAction, deviceIds: readonly string[], options: ActionBatchOptions = {}): { requests: BatchSubRequest[] } {
  checkIds(deviceIds);
  return {
    requests: deviceIds.map((deviceId, index) =>
      action === "reset"
        ? {
            id: String(index + 1),
            method: "POST",
            url: `${MANAGED_DEVICES_PATH}/${deviceId}/wipe`,
            headers: {
              "Content-Type": "application/json",
              ...(options.justifications?.has(deviceId) ? { [APPROVAL_JUSTIFICATION_HEADER]: encodeJustificationHeader(options.justifications.get(deviceId)!) } : {}),
            },
            body: AUTOPILOT_RESET_BODY,
          }
        : { id: String(index + 1), method: "POST", url: `${MANAGED_DEVICES_PATH}/${deviceId}/syncDevice` },
    ),
  };
}

/** The $batch body reading 1..20 devices' state (beta: managementState; a single GET fills deviceActionResults). */
export function buildReadBatch(deviceIds: readonly string[]): { requests: BatchSubRequest[] } {
  checkIds(deviceIds);
  const select = DEVICE_DETAIL_SELECT.join(",");
  return {
    requests: deviceIds.map((deviceId, index) => ({
      id: String(index + 1),
      method: "GET",
      url: `${MANAGED_DEVICES_PATH}/${deviceId}?$select=${select}`,
    })),
  };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const record = headers as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? record[key] : undefined;
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

interface GraphErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
}

/** A sub-response's error in the shape mapGraphError reads (statusCode, code, message, headers, requestId). */
export function subResponseError(sub: BatchSubResponse, status: number) {
  const body = (sub.body && typeof sub.body === "object" ? sub.body : {}) as GraphErrorBody;
  const inner = body.error?.innerError ?? body.error?.innererror ?? {};
  const requestId = typeof inner["request-id"] === "string" ? (inner["request-id"] as string) : headerValue(sub.headers, "request-id");
  const headers: Record<string, string> = {};
  // The guardrails read these (lib/graph/errors.ts): the daily limit's Retry-After and the approval request's code.
  for (const name of ["Retry-After", APPROVAL_CODE_HEADER]) {
    const value = headerValue(sub.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return {
    statusCode: status,
    code: typeof body.error?.code === "string" ? body.error.code : undefined,
    message: typeof body.error?.message === "string" ? body.error.message : undefined,
    requestId,
    headers,
  };
}

export function responsesById(body: unknown): Map<string, BatchSubResponse> {
  const responses = body && typeof body === "object" ? (body as { responses?: unknown }).responses : undefined;
  const map = new Map<string, BatchSubResponse>();
  if (!Array.isArray(responses)) return map;
  for (const sub of responses as BatchSubResponse[]) {
    if (sub && typeof sub === "object" && (typeof sub.id === "string" || typeof sub.id === "number")) map.set(String(sub.id), sub);
  }
  return map;
}

/** Judges each sub-response of a write batch. Pure. */
export function parseActionBatchResponse(action: DeviceAction, deviceIds: readonly string[], body: unknown, nowMs: number = Date.now()): SendOutcome[] {
  const byId = responsesById(body);
  return deviceIds.map((deviceId, index): SendOutcome => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
    if (!sub || !Number.isInteger(status)) {
      return { deviceId, kind: "unclear", message: "Graph's batch answer had no result for this device." };
    }
    if (status >= 200 && status < 300) return { deviceId, kind: "accepted", status };
    const error = subResponseError(sub, status);
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(headerValue(sub.headers, "Retry-After"), nowMs);
      return {
        deviceId,
        kind: "throttled",
        status,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(error.requestId ? { requestId: error.requestId } : {}),
      };
    }
    if (status >= 500 || status === 408) {
      return {
        deviceId,
        kind: "unclear",
        status,
        message: `Microsoft Graph answered HTTP ${status} for this device.`,
        ...(error.requestId ? { requestId: error.requestId } : {}),
      };
    }
    return { deviceId, kind: "rejected", status, error: mapGraphError(error, WRITE_ERRORS[action]) };
  });
}

/** Judges each sub-response of a read batch. Pure. */
export function parseReadBatchResponse(deviceIds: readonly string[], body: unknown): DeviceRead[] {
  const byId = responsesById(body);
  return deviceIds.map((deviceId, index): DeviceRead => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
    if (!sub || !Number.isInteger(status)) {
      return { deviceId, kind: "error", error: { kind: "unavailable", message: "Graph's batch answer had no result for this device." } };
    }
    if (status >= 200 && status < 300 && sub.body && typeof sub.body === "object") {
      return { deviceId, kind: "found", device: mapManagedDevice(sub.body as ManagedDevice) };
    }
    if (status === 404) return { deviceId, kind: "not-found" };
    return { deviceId, kind: "error", error: mapGraphError(subResponseError(sub, status), READ_DEVICES_ERRORS) };
  });
}

/** The whole $batch failed (no sub-responses): the same answer for every device of it. */
export function outcomesForFailedBatch(action: DeviceAction, deviceIds: readonly string[], error: unknown): SendOutcome[] {
  const mapped: ActionError = mapGraphError(error, WRITE_ERRORS[action]);
  return deviceIds.map((deviceId): SendOutcome => {
    if (mapped.kind === "throttled") {
      return { deviceId, kind: "throttled", status: 429, ...(mapped.retryAfterSeconds !== undefined ? { retryAfterSeconds: mapped.retryAfterSeconds } : {}) };
    }
    if (mapped.kind === "unclear" || mapped.kind === "unavailable") {
      return { deviceId, kind: "unclear", message: mapped.message, ...(mapped.requestId ? { requestId: mapped.requestId } : {}) };
    }
    const status = typeof (error as { statusCode?: unknown })?.statusCode === "number" ? (error as { statusCode: number }).statusCode : 0;
    return { deviceId, kind: "rejected", status, error: mapped };
  });
}

/**
 * Sends one action to 1..20 devices in one POST /$batch (v1.0, like the single-device reset). Never throws for a
 * Graph or network failure: every device gets an outcome.
 */
async function sendActionBatch(client: Client, action: DeviceAction, deviceIds: readonly string[], options: ActionBatchOptions = {}): Promise<SendOutcome[]> {
  const body = buildActionBatch(action, deviceIds, options);
  let response: unknown;
  try {
    response = await client.api("/$batch").version("v1.0").post(body);
  } catch (error) {
    return outcomesForFailedBatch(action, deviceIds, error);
  }
  return parseActionBatchResponse(action, deviceIds, response);
}

/** Reads 1..20 devices' state in one POST /$batch (beta). Never throws for a Graph or network failure. */
async function readDeviceBatch(client: Client, deviceIds: readonly string[]): Promise<DeviceRead[]> {
  const body = buildReadBatch(deviceIds);
  let response: unknown;
  try {
    response = await client.api("/$batch").version("beta").post(body);
  } catch (error) {
    const mapped = mapGraphError(error, READ_DEVICES_ERRORS);
    return deviceIds.map((deviceId) => ({ deviceId, kind: "error", error: mapped }));
  }
  return parseReadBatchResponse(deviceIds, response);
}

/**
 * Each device's newest reset audits, in one POST /$batch (beta). A device whose audits cannot be read gets an error,
 * except when the role may not read audits at all (forbidden): then it gets none, and the other signals decide.
 */
async function readAuditBatch(client: Client, deviceIds: readonly string[]): Promise<Map<string, ResetAudit[] | ActionError>> {
  checkIds(deviceIds);
  const body = { requests: deviceIds.map((deviceId, index) => ({ id: String(index + 1), method: "GET", url: deviceAuditsUrl(deviceId) })) };
  const result = new Map<string, ResetAudit[] | ActionError>();
  let response: unknown;
  try {
    response = await client.api("/$batch").version("beta").post(body);
  } catch (error) {
    const mapped = mapGraphError(error, READ_DEVICES_ERRORS);
    for (const id of deviceIds) result.set(id, mapped.kind === "forbidden-role" ? [] : mapped);
    return result;
  }
  const byId = responsesById(response);
  deviceIds.forEach((deviceId, index) => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
    if (sub && status >= 200 && status < 300) {
      result.set(deviceId, deviceAuditsFrom(deviceId, sub.body as { value?: RemoteActionAudit[] }));
      return;
    }
    const error: ActionError = sub && Number.isInteger(status)
      ? mapGraphError(subResponseError(sub, status), READ_DEVICES_ERRORS)
      : { kind: "unavailable", message: "Graph's batch answer had no result for this device." };
    result.set(deviceId, error.kind === "forbidden-role" ? [] : error);
  });
  return result;
}

/** Devices' state and reset audits together: every signal of a reset under way (lib/devices/reset-evidence.ts). */
export async function readResetEvidence(client: Client, deviceIds: readonly string[]): Promise<DeviceRead[]> {
  return inParallelBatches(deviceIds, (chunk) => readResetEvidenceBatch(client, chunk));
}

/** Any number of devices' state, in $batches of 20 side by side. */
export async function readDeviceStates(client: Client, deviceIds: readonly string[]): Promise<DeviceRead[]> {
  return inParallelBatches(deviceIds, (chunk) => readDeviceBatch(client, chunk));
}

/** One action to any number of devices, in $batches of 20 side by side; one outcome per device, in order. */
export async function sendActions(client: Client, action: DeviceAction, deviceIds: readonly string[], options: ActionBatchOptions = {}): Promise<SendOutcome[]> {
  return inParallelBatches(deviceIds, (chunk) => sendActionBatch(client, action, chunk, options));
}

/**
 * $batch POSTs one call keeps under way at once: ten carry a whole 200-write window (and, for reads, ten state and ten
 * audit batches), few enough that one console never floods a tenant's connection budget.
 */
const PARALLEL_BATCHES = 10;

export async function inParallelBatches<T>(deviceIds: readonly string[], run: (chunk: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < deviceIds.length; i += MAX_BATCH_SIZE) chunks.push(deviceIds.slice(i, i + MAX_BATCH_SIZE));
  const limit = pLimit(PARALLEL_BATCHES);
  return (await Promise.all(chunks.map((chunk) => limit(() => run(chunk))))).flat();
}

async function readResetEvidenceBatch(client: Client, deviceIds: readonly string[]): Promise<DeviceRead[]> {
  const [reads, audits] = await Promise.all([readDeviceBatch(client, deviceIds), readAuditBatch(client, deviceIds)]);
  return reads.map((read): DeviceRead => {
    if (read.kind !== "found") return read;
    const found = audits.get(read.deviceId);
    if (!found || !Array.isArray(found)) {
      return { deviceId: read.deviceId, kind: "error", error: found ?? { kind: "unavailable", message: "The device's audit could not be read." } };
    }
    return { ...read, audits: found };
  });
}
