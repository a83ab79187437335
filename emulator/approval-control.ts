/**
 * The control API for today's guardrails (no real Graph has it): Multi Admin Approval policies and requests, and the
 * daily wipe limit. Reference: emulator/README.md, "Control API".
 */
import { randomUUID } from "node:crypto";
import { json, type Reply } from "./http";
import type { EmulatorState } from "./state";
import {
  MAX_JUSTIFICATION_CHARS, POLICY_PLATFORMS, POLICY_PRESETS, POLICY_TYPES, isPolicyPreset, presetPolicies,
  type ApprovalRequest, type PolicyInput,
} from "./approval";
import { APPROVER_GROUP } from "./tenant";
import { parseDailyWipeLimit } from "./wipe-limit";
import { GUID } from "./graph/call";

const MAX_EXPIRY_SECONDS = 365 * 86_400;

function fail(status: number, message: string): Reply {
  return json(status, { error: { code: status === 404 ? "NotFound" : "BadRequest", message } });
}

const iso = (ms: number) => new Date(ms).toISOString();
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function parsePolicy(raw: unknown, n: number): PolicyInput | string {
  if (!isObject(raw)) return `policies[${n}] must be an object.`;
  for (const key of Object.keys(raw)) {
    if (!["id", "displayName", "description", "policyType", "policyPlatform", "approverGroupIds"].includes(key)) return `policies[${n}]: unknown property '${key}'.`;
  }
  const { id, displayName, description, policyType, policyPlatform, approverGroupIds } = raw;
  if (id !== undefined && (typeof id !== "string" || !GUID.test(id))) return `policies[${n}].id must be a GUID.`;
  if (typeof displayName !== "string" || displayName.trim() === "" || displayName.length > 128) return `policies[${n}].displayName must be a string of 1 to 128 characters.`;
  if (description !== undefined && (typeof description !== "string" || description.length > MAX_JUSTIFICATION_CHARS)) return `policies[${n}].description must be a string of at most 1024 characters.`;
  if (!POLICY_TYPES.includes(policyType as (typeof POLICY_TYPES)[number])) return `policies[${n}].policyType must be one of ${POLICY_TYPES.join(", ")}.`;
  if (policyPlatform !== undefined && !POLICY_PLATFORMS.includes(policyPlatform as (typeof POLICY_PLATFORMS)[number])) {
    return `policies[${n}].policyPlatform must be one of ${POLICY_PLATFORMS.join(", ")}.`;
  }
  if (approverGroupIds !== undefined && (!Array.isArray(approverGroupIds) || approverGroupIds.some((g) => typeof g !== "string" || !GUID.test(g)))) {
    return `policies[${n}].approverGroupIds must be an array of group ids (GUIDs).`;
  }
  return {
    id: (id as string | undefined)?.toLowerCase() ?? randomUUID(),
    displayName,
    description: (description as string | undefined) ?? "",
    policyType: policyType as string,
    policyPlatform: (policyPlatform as string | undefined) ?? "notApplicable",
    approverGroupIds: ((approverGroupIds as string[] | undefined) ?? [APPROVER_GROUP.id]).map((g) => g.toLowerCase()),
  };
}

/** PUT /approval-policies: {preset} or {policies} replace the set; {expirySeconds} sets the lifetime of new requests. */
function putPolicies(state: EmulatorState, body: unknown): Reply {
  if (!isObject(body)) return fail(400, "Body must be a JSON object.");
  for (const key of Object.keys(body)) if (!["preset", "policies", "expirySeconds"].includes(key)) return fail(400, `Unknown property '${key}'.`);
  if (body.preset !== undefined && body.policies !== undefined) return fail(400, "Give either preset or policies, not both.");
  if (body.preset === undefined && body.policies === undefined && body.expirySeconds === undefined) return fail(400, "Give preset, policies or expirySeconds.");
  let policies: PolicyInput[] | undefined;
  if (body.preset !== undefined) {
    if (!isPolicyPreset(body.preset)) return fail(400, `preset must be one of ${POLICY_PRESETS.join(", ")}.`);
    policies = presetPolicies(body.preset);
  }
  if (body.policies !== undefined) {
    if (!Array.isArray(body.policies) || body.policies.length > 20) return fail(400, "policies must be an array of at most 20 access policies.");
    policies = [];
    for (const [n, raw] of body.policies.entries()) {
      const p = parsePolicy(raw, n);
      if (typeof p === "string") return fail(400, p);
      policies.push(p);
    }
  }
  const expiry = body.expirySeconds;
  if (expiry !== undefined && (typeof expiry !== "number" || !Number.isFinite(expiry) || expiry < 1 || expiry > MAX_EXPIRY_SECONDS)) {
    return fail(400, `expirySeconds must be a number of seconds from 1 to ${MAX_EXPIRY_SECONDS}.`);
  }
  if (policies) state.approvals.setPolicies(policies, state.clock.now());
  if (typeof expiry === "number") state.approvals.expirySeconds = Math.round(expiry);
  state.cache.clear();
  return json(200, state.approvals.describe());
}

/** The emulator's own record of a request, with the devices and flags Graph's resource does not show. */
export function requestSummary(r: ApprovalRequest) {
  return {
    id: r.id,
    status: r.status,
    deviceIds: [...r.operation.deviceIds],
    keepEnrollmentData: r.operation.keepEnrollmentData,
    keepUserData: r.operation.keepUserData,
    bulk: r.operation.bulk,
    requestor: r.requestor.id,
    approver: r.approver?.id ?? null,
    requestDateTime: iso(r.requestMs),
    expirationDateTime: iso(r.expirationMs),
    lastModifiedDateTime: iso(r.lastModifiedMs),
    requestJustification: r.requestJustification,
    approvalJustification: r.approvalJustification,
    policyTypes: [...r.policyTypes],
  };
}

/** Control paths about approvals and the wipe limit; undefined when the path is not one of them. */
export function handleGuardrailControl(state: EmulatorState, method: string, path: string, body: unknown): Reply | undefined {
  const now = state.clock.now();
  state.approvals.settle(now);

  if (path === "/approval-policies") {
    if (method === "GET") return json(200, state.approvals.describe());
    if (method === "PUT") return putPolicies(state, body);
    if (method === "DELETE") {
      state.approvals.setPolicies([], now);
      state.cache.clear();
      return json(200, state.approvals.describe());
    }
  }

  if (path === "/approval-requests") {
    if (method === "GET") return json(200, { value: state.approvals.requests.map(requestSummary) });
    if (method === "DELETE") {
      state.approvals.clearRequests();
      return { status: 204, headers: {} };
    }
  }

  const expire = /^\/approval-requests\/([^/]+)\/expire$/.exec(path);
  if (expire && method === "POST") {
    const r = GUID.test(expire[1]!) ? state.approvals.find(expire[1]!) : undefined;
    if (!r) return fail(404, `No approval request with id '${expire[1]}'.`);
    if (r.status !== "needsApproval" && r.status !== "approved") return fail(400, `Approval request '${r.id}' is ${r.status}; only an open request can expire.`);
    r.expirationMs = now;
    state.approvals.settle(now);
    return json(200, requestSummary(r));
  }

  if (path === "/wipe-limit") {
    if (method === "GET") return json(200, state.wipeLimit.describe(now));
    if (method === "PUT") {
      if (!isObject(body) || !("limit" in body) || Object.keys(body).length !== 1) return fail(400, 'Body must be {"limit": <whole number> | null}.');
      const limit = parseDailyWipeLimit(body.limit);
      if (typeof limit === "string") return fail(400, `limit: ${limit}.`);
      state.wipeLimit.limit = limit;
      return json(200, state.wipeLimit.describe(now));
    }
    if (method === "DELETE") {
      state.wipeLimit.reset();
      return json(200, state.wipeLimit.describe(now));
    }
  }
  return undefined;
}
