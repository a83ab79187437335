/**
 * Beta Multi Admin Approval (graph-docs beta intune-rbac-operationapprovalpolicy*.md, intune-rbac-operationapprovalrequest*.md):
 * access policies (list, get), approval requests (list, get), approve / reject / cancelApproval on one request,
 * cancelMyRequest, retrieveMyRequests and retrieveRequestStatus on the collection. Who may do what is in
 * emulator/README.md, "Multi Admin Approval"; the state is emulator/approval.ts.
 */
import { INTUNE_ACTIONS, personaMay } from "../../tenant";
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { MAX_JUSTIFICATION_CHARS, type ApprovalRequest, type RequestStatus } from "../../approval";
import { badRequest, graphError, intuneNotFound, roleForbidden } from "../errors";
import { GUID, context, isReply, parseId, type GraphCall } from "../call";
import { parseSelect } from "../odata";
import { REQUEST_TYPE, policySchema, requestSchema, serializePolicy, serializeRequest } from "../resources/approval";
import { listReply } from "./list";

const APPROVAL_SOURCES = ["unknown", "adminConsole", "email", "unknownFutureValue"];
const REQUESTS = "deviceManagement/operationApprovalRequests";
const POLICIES = "deviceManagement/operationApprovalPolicies";

function settled(state: EmulatorState): EmulatorState {
  state.approvals.settle(state.clock.now());
  return state;
}

export function listPolicies(state: EmulatorState, call: GraphCall): Reply {
  const policies = settled(state).approvals.policies;
  return listReply(state, call, {
    entitySet: POLICIES,
    schema: policySchema,
    source: { length: policies.length, at: (i) => policies[i] },
    cacheKey: (filterText) => `approvalPolicies|${filterText}|${state.approvals.version}`,
    serialize: (p, select) => serializePolicy(p, select),
  });
}

export function getPolicy(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const id = parseId(params[0]!);
  if (!id) return badRequest(`Invalid key value '${params[0]}' for the operationApprovalPolicies segment: a GUID is expected.`, call.ctx);
  const p = state.approvals.policies.find((x) => x.id === id);
  if (!p) return intuneNotFound(`operationApprovalPolicy '${id}'`, call.ctx, call.path);
  const select = parseSelect(call.query.get("$select"), policySchema);
  return json(200, { "@odata.context": context(call, `${POLICIES}/$entity`), ...serializePolicy(p, select) });
}

/** All requests: the approvers' "Received requests" (route permission: Approval for Multi Admin Approval). */
export function listRequests(state: EmulatorState, call: GraphCall): Reply {
  const requests = settled(state).approvals.requests;
  return listReply(state, call, {
    entitySet: REQUESTS,
    schema: requestSchema,
    source: { length: requests.length, at: (i) => requests[i] },
    cacheKey: (filterText) => `approvalRequests|${filterText}|${state.approvals.version}`,
    serialize: (r, select) => serializeRequest(r, select),
  });
}

/** The request a key segment names, or Graph's 400/404. */
function requireRequest(state: EmulatorState, call: GraphCall, raw: string): ApprovalRequest | Reply {
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the operationApprovalRequests segment: a GUID is expected.`, call.ctx);
  const r = settled(state).approvals.find(id);
  if (!r) return intuneNotFound(`operationApprovalRequest '${id}'`, call.ctx, call.path);
  return r;
}

const isRequestor = (call: GraphCall, r: ApprovalRequest) => r.requestor.oid === call.auth.persona.oid;

/** One request: its requestor may read it, and so may whoever may approve. */
export function getRequest(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const r = requireRequest(state, call, params[0]!);
  if (isReply(r)) return r;
  if (!isRequestor(call, r) && !personaMay(call.auth.persona, INTUNE_ACTIONS.maaApprove)) return roleForbidden(INTUNE_ACTIONS.maaApprove, call.ctx, call.path);
  const select = parseSelect(call.query.get("$select"), requestSchema);
  return json(200, { "@odata.context": context(call, `${REQUESTS}/$entity`), ...serializeRequest(r, select) });
}

/** GET .../retrieveMyRequests(): the caller's own requests, oldest first. */
export function retrieveMyRequests(state: EmulatorState, call: GraphCall): Reply {
  const mine = settled(state).approvals.requests.filter((r) => isRequestor(call, r));
  return json(200, { "@odata.context": context(call, `Collection(${REQUEST_TYPE})`), value: mine.map((r) => serializeRequest(r)) });
}

function justificationOf(body: unknown, action: string, call: GraphCall): string | null | Reply {
  if (body === undefined) return null;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return badRequest(`The request body of '${action}' must be a JSON object.`, call.ctx);
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (key !== "justification" && key !== "approvalSource") {
      return badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`, call.ctx);
    }
  }
  if (b.approvalSource !== undefined && !APPROVAL_SOURCES.includes(b.approvalSource as string)) {
    return badRequest(`The value '${String(b.approvalSource)}' is not valid for parameter 'approvalSource' of type 'microsoft.graph.operationApprovalSource'.`, call.ctx);
  }
  const j = b.justification;
  if (j === undefined || j === null) return null;
  if (typeof j !== "string") return badRequest(`The parameter 'justification' of '${action}' must be a string.`, call.ctx);
  if ([...j].length > MAX_JUSTIFICATION_CHARS) return badRequest(`The justification must be no greater than ${MAX_JUSTIFICATION_CHARS} characters.`, call.ctx);
  return j;
}

const DECISIONS: Record<string, { from: RequestStatus; to: RequestStatus; verb: string }> = {
  approve: { from: "needsApproval", to: "approved", verb: "approve" },
  reject: { from: "needsApproval", to: "rejected", verb: "reject" },
  cancelapproval: { from: "approved", to: "cancelled", verb: "cancel the approval of" },
};

/** POST .../{id}/approve | reject | cancelApproval {justification?, approvalSource?}: 200 {"value": "<new status>"}. */
export function decideRequest(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const r = requireRequest(state, call, params[0]!);
  if (isReply(r)) return r;
  const action = params[1]!;
  const decision = DECISIONS[action.toLowerCase()]!;
  const justification = justificationOf(call.body, action, call);
  if (isReply(justification)) return justification;
  if (isRequestor(call, r)) {
    return graphError(403, "Forbidden", `You made approval request '${r.id}'; a requestor cannot ${decision.verb} their own request. Another approver must.`, call.ctx);
  }
  if (!state.approvals.isApproverOf(call.auth.persona, r)) {
    return graphError(403, "Forbidden", `You are not a member of an approver group of the access policy that covers approval request '${r.id}'.`, call.ctx);
  }
  if (r.status !== decision.from) {
    return badRequest(`Approval request '${r.id}' is ${r.status}; only a request that is ${decision.from} can be ${decision.to}.`, call.ctx);
  }
  state.approvals.decide(r, decision.to, state.clock.now(), call.auth.persona, justification);
  return json(200, { "@odata.context": context(call, "Edm.String"), value: decision.to });
}

/** POST .../cancelMyRequest {id}: the requestor withdraws a request not yet completed; 204. */
export function cancelMyRequest(state: EmulatorState, call: GraphCall): Reply {
  const b = call.body;
  const id = typeof b === "object" && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>).id : undefined;
  if (typeof id !== "string" || !GUID.test(id)) return badRequest("The parameter 'id' of 'cancelMyRequest' must be the id (a GUID) of an approval request.", call.ctx);
  for (const key of Object.keys(b as object)) {
    if (key !== "id") return badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'cancelMyRequest'.`, call.ctx);
  }
  const r = settled(state).approvals.find(id);
  if (!r) return intuneNotFound(`operationApprovalRequest '${id.toLowerCase()}'`, call.ctx, call.path);
  if (!isRequestor(call, r)) return graphError(403, "Forbidden", `Approval request '${r.id}' was made by another user; only its requestor can cancel it.`, call.ctx);
  if (r.status !== "needsApproval" && r.status !== "approved") {
    return badRequest(`Approval request '${r.id}' is ${r.status}; only a request that needs approval or is approved can be cancelled.`, call.ctx);
  }
  state.approvals.decide(r, "cancelled", state.clock.now());
  return { status: 204, headers: {} };
}

/**
 * POST .../retrieveRequestStatus {entityId, entityType}: whether a device (entityType "managedDevice") has an open
 * request, as operationApprovalRequestEntityStatus at the JSON root (the docs' example wraps it in "value"; UNVERIFIED).
 */
export function retrieveRequestStatus(state: EmulatorState, call: GraphCall): Reply {
  const b = (typeof call.body === "object" && call.body !== null && !Array.isArray(call.body) ? call.body : {}) as Record<string, unknown>;
  if (typeof b.entityId !== "string" || typeof b.entityType !== "string") {
    return badRequest("The parameters 'entityId' and 'entityType' of 'retrieveRequestStatus' must be strings.", call.ctx);
  }
  if (!/^(microsoft\.graph\.)?manageddevices?$/i.test(b.entityType)) {
    return badRequest(`The entityType '${b.entityType}' is not supported; the emulator knows 'managedDevice'.`, call.ctx);
  }
  const entityId = b.entityId.toLowerCase();
  const requests = settled(state).approvals.requests.filter((r) => r.operation.deviceIds.includes(entityId));
  const open = requests.find((r) => r.status === "needsApproval" || r.status === "approved");
  const latest = open ?? requests[requests.length - 1];
  return json(200, {
    "@odata.context": context(call, "microsoft.graph.operationApprovalRequestEntityStatus"),
    requestId: latest?.id ?? null,
    requestExpirationDateTime: latest ? new Date(latest.expirationMs).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    requestStatus: latest?.status ?? "unknown",
    entityLocked: open !== undefined,
  });
}
