/**
 * Remote actions: wipe and syncDevice on one device, beta executeAction on many. Every wipe first meets Multi Admin
 * Approval and the daily wipe limit (../guardrails.ts).
 */
import { json, newId, type Reply } from "../../http";
import { bump, type EmulatorState } from "../../state";
import type { DeviceRecord } from "../../fleet/device";
import type { WipeOperation } from "../../approval";
import { badRequest, type ErrorContext } from "../errors";
import { GUID, context, isReply, type GraphCall } from "../call";
import type { ApiVersion } from "../resources";
import { approvalGate, completeApproval, dailyLimitRefusal } from "../guardrails";
import { requireDevice } from "./devices";

const BULK_ACTION_NAMES = [
  "retire", "delete", "fullScan", "quickScan", "signatureUpdate", "wipe", "customTextNotification", "rebootNow",
  "setDeviceName", "syncDevice", "deprovision", "disable", "reenable", "moveDeviceToOrganizationalUnit",
  "activateDeviceEsim", "collectDiagnostics", "initiateMobileDeviceManagementKeyRecovery",
  "initiateOnDemandProactiveRemediation",
];
/** The wipe action's parameters: v1.0 per msgraph-metadata clean_v10_metadata (2026-08); beta adds useProtectedWipe and obliterationBehavior. */
const WIPE_PARAMETERS: Record<ApiVersion, readonly string[]> = {
  "v1.0": ["keepEnrollmentData", "keepUserData", "macOsUnlockCode", "persistEsimDataPlan"],
  beta: ["keepEnrollmentData", "keepUserData", "macOsUnlockCode", "persistEsimDataPlan", "useProtectedWipe", "obliterationBehavior"],
};
const OBLITERATION_BEHAVIORS = ["default", "doNotObliterate", "obliterateWithWarning", "always", "unknownFutureValue"];
const EXECUTE_ACTION_PARAMETERS = [
  "actionName", "deviceIds", "keepEnrollmentData", "keepUserData", "persistEsimDataPlan", "notificationTitle",
  "notificationBody", "deviceName", "carrierUrl", "deprovisionReason", "organizationalUnitPath",
];

function parseBool(value: unknown, name: string, action: string, ctx: ErrorContext): boolean | Reply {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  // The admin center itself sends "true"/"false" strings (docs/graph.md, "Autopilot Reset"), and Graph accepts them.
  if (value === "true" || value === "false") return value === "true";
  return badRequest(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.Boolean' for parameter '${name}' of '${action}'.`, ctx);
}

function checkParameters(body: unknown, allowed: readonly string[], action: string, ctx: ErrorContext): Record<string, unknown> | Reply {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) return badRequest(`The request body of '${action}' must be a JSON object.`, ctx);
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) return badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`, ctx);
  }
  return body as Record<string, unknown>;
}

/** keepEnrollmentData and keepUserData of a wipe (both false when absent). */
function wipeFlags(body: Record<string, unknown>, action: string, ctx: ErrorContext): { keepEnrollmentData: boolean; keepUserData: boolean } | Reply {
  const keepEnrollmentData = parseBool(body.keepEnrollmentData, "keepEnrollmentData", action, ctx);
  if (isReply(keepEnrollmentData)) return keepEnrollmentData;
  const keepUserData = parseBool(body.keepUserData, "keepUserData", action, ctx);
  if (isReply(keepUserData)) return keepUserData;
  return { keepEnrollmentData, keepUserData };
}

/** One executed wipe: the fleet, the counters and the daily limit all see it. */
function applyWipe(state: EmulatorState, call: GraphCall, d: DeviceRecord, flags: Omit<WipeOperation, "deviceIds" | "bulk">, now: number, bulkId: string | null): void {
  state.fleet.wipe(d, flags, now, call.auth.persona.userPrincipalName, bulkId ? "bulk" : "single", bulkId);
  bump(state.counters.wipes, d.id);
  state.wipeLimit.record(now);
}

export function wipeDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const body = checkParameters(call.body, WIPE_PARAMETERS[call.version], "wipe", call.ctx);
  if (isReply(body)) return body;
  const flags = wipeFlags(body, "wipe", call.ctx);
  if (isReply(flags)) return flags;
  const obliteration = body.obliterationBehavior;
  if (obliteration !== undefined && obliteration !== null && !OBLITERATION_BEHAVIORS.includes(obliteration as string)) {
    return badRequest(`The value '${String(obliteration)}' is not valid for parameter 'obliterationBehavior' of type 'microsoft.graph.obliterationBehavior'.`, call.ctx);
  }
  const gate = approvalGate(state, call, { deviceIds: [d.id], ...flags, bulk: false }, [d]);
  if (isReply(gate)) return gate;
  const now = state.clock.now();
  if (state.wipeLimit.room(now) < 1) {
    state.counters.dailyLimitRefusals++;
    return dailyLimitRefusal(state, call.ctx);
  }
  applyWipe(state, call, d, flags, now, null);
  completeApproval(state, gate.completes);
  state.cache.clear();
  return { status: 204, headers: {} };
}

export function syncDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  state.fleet.sync(d, state.clock.now());
  bump(state.counters.syncs, d.id);
  return { status: 204, headers: {} };
}

function validateBulk(body: Record<string, unknown>, ctx: ErrorContext): { actionName: string; deviceIds: string[] } | Reply {
  const actionName = body.actionName;
  if (typeof actionName !== "string" || !BULK_ACTION_NAMES.includes(actionName)) {
    return badRequest(`The value '${String(actionName)}' is not valid for parameter 'actionName' of type 'microsoft.graph.managedDeviceRemoteAction'.`, ctx);
  }
  if (!Array.isArray(body.deviceIds) || body.deviceIds.some((id) => typeof id !== "string")) {
    return badRequest("The parameter 'deviceIds' must be an array of strings.", ctx);
  }
  return { actionName, deviceIds: body.deviceIds as string[] };
}

/**
 * A bulk wipe meets Multi Admin Approval as one call: one request for all its devices, completed by sending the same
 * executeAction (same devices, same flags) with the code. Over the daily limit, the devices past it are not wiped and
 * come back in failedDeviceIds (UNVERIFIED: emulator/README.md).
 */
export function executeAction(state: EmulatorState, call: GraphCall): Reply {
  const body = checkParameters(call.body, EXECUTE_ACTION_PARAMETERS, "executeAction", call.ctx);
  if (isReply(body)) return body;
  const bulk = validateBulk(body, call.ctx);
  if (isReply(bulk)) return bulk;
  const flags = wipeFlags(body, "executeAction", call.ctx);
  if (isReply(flags)) return flags;
  const result = { successfulDeviceIds: [] as string[], failedDeviceIds: [] as string[], notFoundDeviceIds: [] as string[], notSupportedDeviceIds: [] as string[] };
  const found = bulk.deviceIds.map((raw) => (GUID.test(raw) ? state.fleet.get(raw) : undefined));
  let completes;
  if (bulk.actionName === "wipe") {
    const devices = found.filter((d): d is DeviceRecord => d !== undefined);
    const gate = approvalGate(state, call, { deviceIds: [...new Set(devices.map((d) => d.id))], ...flags, bulk: true }, devices);
    if (isReply(gate)) return gate;
    completes = gate.completes;
  }
  const bulkId = newId();
  const now = state.clock.now();
  for (const [i, raw] of bulk.deviceIds.entries()) {
    const d = found[i];
    if (!d) {
      result.notFoundDeviceIds.push(raw);
      continue;
    }
    if (bulk.actionName === "wipe") {
      if (state.wipeLimit.room(now) < 1) {
        state.counters.dailyLimitRefusals++;
        result.failedDeviceIds.push(d.id);
        continue;
      }
      applyWipe(state, call, d, flags, now, bulkId);
      result.successfulDeviceIds.push(d.id);
    } else if (bulk.actionName === "syncDevice") {
      state.fleet.sync(d, now);
      bump(state.counters.syncs, d.id);
      result.successfulDeviceIds.push(d.id);
    } else {
      result.notSupportedDeviceIds.push(d.id);
    }
  }
  if (result.successfulDeviceIds.length > 0) completeApproval(state, completes);
  state.cache.clear();
  const odataContext = context(call, "microsoft.graph.bulkManagedDeviceActionResult");
  // The schema's return type is bulkManagedDeviceActionResult itself (Kiota reads it at the root); the docs' example
  // wraps it in "value". Fidelity switch bulkResultShape picks one (docs/graph.md, "Bulk response shape").
  if (state.fidelity.bulkResultShape === "value") return json(200, { "@odata.context": odataContext, value: result });
  return json(200, { "@odata.context": odataContext, ...result });
}
