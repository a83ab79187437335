/**
 * What a wipe meets in today's Intune before it runs (docs/graph.md, "Guardrails in today's tenants"):
 * Multi Admin Approval, when an access policy covers the device, and the tenant's daily wipe limit.
 * Used by managedDevices/{id}/wipe (v1.0 and beta, also inside $batch) and beta executeAction.
 *
 * Shapes the public sources do not settle are UNVERIFIED and live here, one constant or builder each, so a real
 * tenant's answer changes one line: clients should key on error.code and the x-msft-approval-code header, never the
 * status.
 */
import type { Reply } from "../http";
import type { EmulatorState } from "../state";
import type { DeviceRecord } from "../fleet/device";
import { platformOf } from "../fleet/device";
import { MAX_JUSTIFICATION_CHARS, type ApprovalPolicy, type ApprovalRequest, type WipeOperation } from "../approval";
import { badRequest, formatRetryAfter, graphError, type ErrorContext } from "./errors";
import { GUID, type GraphCall } from "./call";

const JUSTIFICATION_HEADER = "x-msft-approval-justification";
const APPROVAL_CODE_HEADER = "x-msft-approval-code";

/**
 * The status of the ApprovalRequired answer. UNVERIFIED: memdocs multi-admin-approval-graph-api.md (2026-05) documents
 * HTTP 403 ApprovalRequired; other copies and 2026 field reports say 412 BadRequest with the same message and header.
 * The fidelity switch approvalRequired picks one; clients should key on the x-msft-approval-code header.
 */
const APPROVAL_REQUIRED_ANSWERS = { "403": { status: 403, code: "ApprovalRequired" }, "412": { status: 412, code: "BadRequest" } } as const;
/** A second request while one is open: 409 "An active Approval Request already exists" in field reports; the code is the emulator's (UNVERIFIED). */
const ACTIVE_REQUEST_STATUS = 409;
const ACTIVE_REQUEST_CODE = "Conflict";
/** The daily wipe limit's refusal: status and code are UNVERIFIED (docs/graph.md, "Daily wipe limit": no source shows the error). */
const DAILY_LIMIT_STATUS = 400;
const DAILY_LIMIT_CODE = "DailyLimitExceeded";

/** Base64 as .NET, PowerShell, btoa and Buffer write it: standard alphabet, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The decoded justification, or the sentence a 400 carries. */
function decodeJustification(header: string): { text: string } | { error: string } {
  const value = header.trim();
  if (value === "" || !BASE64.test(value)) {
    return { error: `The '${JUSTIFICATION_HEADER}' header must be the justification encoded as Base64 (UTF-8 text).` };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "base64"));
  } catch {
    return { error: `Decoded content of '${JUSTIFICATION_HEADER}' header is not valid UTF-8 text.` };
  }
  if (text.trim() === "") return { error: `Decoded content of '${JUSTIFICATION_HEADER}' header must not be empty.` };
  if ([...text].length > MAX_JUSTIFICATION_CHARS) {
    return { error: `Decoded content of '${JUSTIFICATION_HEADER}' header must be no greater than ${MAX_JUSTIFICATION_CHARS} characters.` };
  }
  if (CONTROL_CHARACTERS.test(text)) return { error: `Decoded content of '${JUSTIFICATION_HEADER}' header must not contain control characters (line breaks, tabs, ...).` };
  return { text };
}

function approvalRequired(state: EmulatorState, r: ApprovalRequest, ctx: ErrorContext): Reply {
  const answer = APPROVAL_REQUIRED_ANSWERS[state.fidelity.approvalRequired];
  return graphError(
    answer.status,
    answer.code,
    `Approval Required. Request Approval using the request ID returned as part of the ${APPROVAL_CODE_HEADER} response header. ${APPROVAL_CODE_HEADER}: ${r.id}`,
    ctx,
    { [APPROVAL_CODE_HEADER]: r.id },
  );
}

const STATUS_SENTENCE: Record<string, string> = {
  needsApproval: "has not been approved yet",
  rejected: "was rejected",
  cancelled: "was cancelled",
  completed: "was already completed: its operation ran once and the code cannot be used again",
  expired: "has expired; send the wipe again with a justification to request a new approval",
};

/** A code that cannot complete this wipe: nothing runs. */
function codeRefusal(state: EmulatorState, call: GraphCall, code: string, op: WipeOperation): Reply {
  const r = GUID.test(code) ? state.approvals.find(code) : undefined;
  if (!r) return badRequest(`The ${APPROVAL_CODE_HEADER} '${code}' does not match any approval request.`, call.ctx);
  if (r.requestor.oid !== call.auth.persona.oid) {
    return graphError(403, "Forbidden", `Approval request '${r.id}' was made by another user; only its requestor can complete it.`, call.ctx);
  }
  if (!state.approvals.matches(r, op)) {
    return badRequest(`Approval request '${r.id}' was made for a different operation (another device, action or parameters); send the same wipe it was made for.`, call.ctx);
  }
  return badRequest(`Approval request '${r.id}' ${STATUS_SENTENCE[r.status] ?? `is ${r.status}`}; the wipe was not sent.`, call.ctx);
}

export type GateResult = { proceed: true; completes?: ApprovalRequest } | Reply;

/** Multi Admin Approval for a wipe of these devices: run it (completing an approved request, if any), or the refusal. */
export function approvalGate(state: EmulatorState, call: GraphCall, op: WipeOperation, devices: readonly DeviceRecord[]): GateResult {
  const now = state.clock.now();
  state.approvals.settle(now);
  const covering = new Map<string, ApprovalPolicy>();
  for (const d of devices) for (const p of state.approvals.coveringWipe(platformOf(d))) covering.set(p.id, p);
  if (covering.size === 0) return { proceed: true };

  const code = call.headers[APPROVAL_CODE_HEADER]?.trim();
  if (code) {
    const r = GUID.test(code) ? state.approvals.find(code) : undefined;
    if (r && r.status === "approved" && r.requestor.oid === call.auth.persona.oid && state.approvals.matches(r, op)) return { proceed: true, completes: r };
    return codeRefusal(state, call, code, op);
  }
  const header = call.headers[JUSTIFICATION_HEADER];
  if (header === undefined) return badRequest(`Header '${JUSTIFICATION_HEADER}' is required to request approval.`, call.ctx);
  const justification = decodeJustification(header);
  if ("error" in justification) return badRequest(justification.error, call.ctx);
  const open = state.approvals.openFor(op.deviceIds);
  if (open) {
    return graphError(ACTIVE_REQUEST_STATUS, ACTIVE_REQUEST_CODE, `An active Approval Request already exists for this device. Request ID: ${open.id}`, call.ctx);
  }
  const r = state.approvals.create(call.auth.persona, justification.text, op, [...covering.values()], now);
  state.counters.approvalRequests++;
  return approvalRequired(state, r, call.ctx);
}

/** The approved request ran: it is completed, and its code is spent. */
export function completeApproval(state: EmulatorState, r: ApprovalRequest | undefined): void {
  if (!r) return;
  state.approvals.decide(r, "completed", state.clock.now());
  state.counters.approvalCompletions++;
}

/** The refusal of a wipe over the daily limit, saying when the next one fits. */
export function dailyLimitRefusal(state: EmulatorState, ctx: ErrorContext): Reply {
  const now = state.clock.now();
  const at = state.wipeLimit.nextRoomAt(now);
  const seconds = Math.max(1, (at - now) / 1000);
  return graphError(
    DAILY_LIMIT_STATUS,
    DAILY_LIMIT_CODE,
    `The daily limit of ${state.wipeLimit.limit} wipes for this tenant was reached (counted over the last 24 hours). ` +
      `The oldest counted wipe leaves the window at ${new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z")}; the next wipe can be sent then.`,
    ctx,
    { "Retry-After": formatRetryAfter(seconds) },
  );
}
