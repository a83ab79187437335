/** Remote actions: wipe and syncDevice on one device, beta executeAction on many. */
import { json, newId, type Reply } from "../../http";
import { bump, type EmulatorState } from "../../state";
import { badRequest, type ErrorContext } from "../errors";
import { GUID, context, isReply, type GraphCall } from "../call";
import { requireDevice } from "./devices";

const BULK_ACTION_NAMES = [
  "retire", "delete", "fullScan", "quickScan", "signatureUpdate", "wipe", "customTextNotification", "rebootNow",
  "setDeviceName", "syncDevice", "deprovision", "disable", "reenable", "moveDeviceToOrganizationalUnit",
  "activateDeviceEsim", "collectDiagnostics", "initiateMobileDeviceManagementKeyRecovery",
  "initiateOnDemandProactiveRemediation",
];
const WIPE_PARAMETERS = ["keepEnrollmentData", "keepUserData", "macOsUnlockCode", "persistEsimDataPlan", "useProtectedWipe"];
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

export function wipeDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const body = checkParameters(call.body, WIPE_PARAMETERS, "wipe", call.ctx);
  if (isReply(body)) return body;
  const flags = wipeFlags(body, "wipe", call.ctx);
  if (isReply(flags)) return flags;
  state.fleet.wipe(d, flags, state.clock.now(), call.auth.persona.userPrincipalName, "single", null);
  bump(state.counters.wipes, d.id);
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

export function executeAction(state: EmulatorState, call: GraphCall): Reply {
  const body = checkParameters(call.body, EXECUTE_ACTION_PARAMETERS, "executeAction", call.ctx);
  if (isReply(body)) return body;
  const bulk = validateBulk(body, call.ctx);
  if (isReply(bulk)) return bulk;
  const flags = wipeFlags(body, "executeAction", call.ctx);
  if (isReply(flags)) return flags;
  const result = { successfulDeviceIds: [] as string[], failedDeviceIds: [] as string[], notFoundDeviceIds: [] as string[], notSupportedDeviceIds: [] as string[] };
  const bulkId = newId();
  const now = state.clock.now();
  for (const raw of bulk.deviceIds) {
    const d = GUID.test(raw) ? state.fleet.get(raw) : undefined;
    if (!d) {
      result.notFoundDeviceIds.push(raw);
      continue;
    }
    if (bulk.actionName === "wipe") {
      state.fleet.wipe(d, flags, now, call.auth.persona.userPrincipalName, "bulk", bulkId);
      bump(state.counters.wipes, d.id);
      result.successfulDeviceIds.push(d.id);
    } else if (bulk.actionName === "syncDevice") {
      state.fleet.sync(d, now);
      bump(state.counters.syncs, d.id);
      result.successfulDeviceIds.push(d.id);
    } else {
      result.notSupportedDeviceIds.push(d.id);
    }
  }
  state.cache.clear();
  return json(200, { "@odata.context": context(call, "microsoft.graph.bulkManagedDeviceActionResult"), value: result });
}
