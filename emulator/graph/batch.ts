/**
 * JSON batching (graph-docs concepts/json-batching.md): POST /$batch with at most 20 requests. The batch itself counts
 * as one request for throttling; each sub-request then runs through the full pipeline on its own (its own fault rules,
 * throttle decision, scope and role checks), so a throttled sub-request comes back as status 429 with Retry-After in
 * its headers. A sub-request hit by the "timeout" fault answers 504 (the batch as a whole still completes).
 * dependsOn: a request whose dependency failed (status >= 400) answers 424 Failed Dependency.
 * The writeLatencyMs fault holds a batch with at least one write sub-request once, before any sub-request runs; a
 * "slow" rule holds it as long as its slowest matching sub-request asks. A write sub-request a "hold" rule catches is
 * applied at its release, the others at once; the batch answers when the last one is applied.
 */
import type { VerifiedAccessToken } from "../entra/tokens";
import { json, type Reply } from "../http";
import type { EmulatorState } from "../state";
import type { FaultTarget, HeldGate } from "./faults";
import { badRequest, gatewayTimeout, graphError, throttled, type ErrorContext } from "./errors";
import { carriesWrite, handleGraphCall, type GraphCall } from "./pipeline";
import { headerRecord } from "./call";
import type { ApiVersion } from "./resources";

const MAX_BATCH_REQUESTS = 20;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export interface BatchInput {
  version: ApiVersion;
  body: unknown;
  bodyInvalid: boolean;
  origin: string;
  ctx: ErrorContext;
  auth: VerifiedAccessToken;
}

interface SubRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

function validate(body: unknown, ctx: ErrorContext): SubRequest[] | Reply {
  if (typeof body !== "object" || body === null || !Array.isArray((body as { requests?: unknown }).requests)) {
    return badRequest("Invalid batch payload format: the body must be an object with a 'requests' array.", ctx);
  }
  const requests = (body as { requests: unknown[] }).requests;
  if (requests.length === 0) return badRequest("Invalid batch payload format: 'requests' is empty.", ctx);
  if (requests.length > MAX_BATCH_REQUESTS) return badRequest(`The number of requests in the batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`, ctx);
  const seen = new Set<string>();
  const out: SubRequest[] = [];
  for (const raw of requests) {
    if (typeof raw !== "object" || raw === null) return badRequest("Invalid batch payload format: each request must be an object.", ctx);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "") return badRequest("Invalid batch payload format: every request needs a non-empty string 'id'.", ctx);
    if (seen.has(r.id)) return badRequest(`Invalid batch payload format: request id '${r.id}' is used more than once.`, ctx);
    seen.add(r.id);
    if (typeof r.method !== "string" || !METHODS.includes(r.method.toUpperCase())) return badRequest(`Invalid batch payload format: request '${r.id}' has an invalid method.`, ctx);
    if (typeof r.url !== "string" || r.url === "" || /^[a-z]+:\/\//i.test(r.url)) return badRequest(`Invalid batch payload format: request '${r.id}' must have a relative url.`, ctx);
    if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== "string" || !seen.has(d) || d === r.id))) {
      return badRequest(`Invalid batch payload format: request '${r.id}' depends on an unknown or later request.`, ctx);
    }
    if (r.headers !== undefined && (typeof r.headers !== "object" || r.headers === null || Array.isArray(r.headers))) {
      return badRequest(`Invalid batch payload format: request '${r.id}' has headers that are not an object.`, ctx);
    }
    out.push({
      id: r.id, method: r.method.toUpperCase(), url: r.url, body: r.body, dependsOn: r.dependsOn as string[] | undefined,
      headers: headerRecord(r.headers as Record<string, unknown> | undefined),
    });
  }
  return out;
}

function subCall(sub: SubRequest, input: BatchInput, ctx: ErrorContext): GraphCall {
  const relative = sub.url.startsWith("/") ? sub.url : `/${sub.url}`;
  const q = relative.indexOf("?");
  let path = q >= 0 ? relative.slice(0, q) : relative;
  try {
    path = decodeURIComponent(path).replace(/\/+$/, "");
  } catch {
    path = "/";
  }
  return {
    method: sub.method,
    version: input.version,
    path,
    query: new URLSearchParams(q >= 0 ? relative.slice(q + 1) : ""),
    body: sub.body,
    bodyInvalid: false,
    headers: sub.headers ?? {},
    origin: input.origin,
    ctx,
    auth: input.auth,
  };
}

/** The method and full path of each sub-request of a (valid) batch, for the "slow" fault rules. */
export function batchTargets(input: BatchInput): FaultTarget[] {
  if (input.bodyInvalid) return [];
  const requests = validate(input.body, input.ctx);
  return Array.isArray(requests) ? requests.map((sub) => ({ method: sub.method, path: `/${input.version}${subCall(sub, input, input.ctx).path}` })) : [];
}

/** True when a (valid) batch has at least one sub-request that changes state. */
export function batchCarriesWrite(input: BatchInput): boolean {
  if (input.bodyInvalid) return false;
  const requests = validate(input.body, input.ctx);
  return Array.isArray(requests) && requests.some((sub) => carriesWrite(subCall(sub, input, input.ctx)));
}

export async function handleBatch(state: EmulatorState, input: BatchInput): Promise<Reply> {
  const { ctx } = input;
  state.counters.requests++;
  const decision = state.throttler.admit(`${input.auth.tenantId}|${input.auth.appId}`, 0);
  if (!decision.allowed) {
    state.counters.throttled++;
    return throttled(ctx, decision.retryAfterSeconds);
  }
  if (input.bodyInvalid) return badRequest("Invalid JSON. The request body could not be parsed as JSON.", ctx);
  const requests = validate(input.body, ctx);
  if (!Array.isArray(requests)) return requests;

  const statusById = new Map<string, number>();
  const responses: ({ id: string; status: number; headers: Record<string, string>; body?: unknown } | undefined)[] = [];
  const subCtxOf = (): ErrorContext => ({ requestId: ctx.requestId, clientRequestId: ctx.clientRequestId, date: ctx.date });
  const answer = (k: number, sub: SubRequest, reply: Reply) => {
    statusById.set(sub.id, reply.status);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(reply.headers)) if (key !== "Content-Length") headers[key] = value;
    responses[k] = { id: sub.id, status: reply.status, headers, ...(reply.body !== undefined ? { body: reply.body } : {}) };
  };
  const runSub = (sub: SubRequest, call: GraphCall): Reply => {
    if (sub.dependsOn?.some((dep) => (statusById.get(dep) ?? 0) >= 400)) {
      return graphError(424, "FailedDependency", "The request depends on a request that failed.", call.ctx);
    }
    const outcome = handleGraphCall(state, call);
    return "timeout" in outcome ? gatewayTimeout(call.ctx) : outcome;
  };

  // A write a "hold" rule catches waits for its release while the others run; a request that depends on a held one
  // (or on one that waits) runs after them, in order.
  const held: { k: number; sub: SubRequest; call: GraphCall; gate: HeldGate }[] = [];
  const waiting = new Set<string>();
  const later: number[] = [];
  for (const [k, sub] of requests.entries()) {
    if (sub.dependsOn?.some((dep) => waiting.has(dep))) {
      waiting.add(sub.id);
      later.push(k);
      continue;
    }
    const call = subCall(sub, input, subCtxOf());
    const gate = carriesWrite(call) ? state.faults.holdFor({ method: call.method, path: `/${call.version}${call.path}` }, state.clock.now()) : undefined;
    if (gate) {
      waiting.add(sub.id);
      held.push({ k, sub, call, gate });
      continue;
    }
    answer(k, sub, runSub(sub, call));
  }
  await Promise.all(held.map(async ({ k, sub, call, gate }) => {
    await gate.released;
    let status = 500;
    try {
      const reply = runSub(sub, call);
      status = reply.status;
      answer(k, sub, reply);
    } finally {
      gate.done(status);
    }
  }));
  for (const k of later) {
    const sub = requests[k]!;
    answer(k, sub, runSub(sub, subCall(sub, input, subCtxOf())));
  }
  return json(200, { responses });
}
