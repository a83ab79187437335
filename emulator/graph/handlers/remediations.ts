/**
 * Remediations on demand (beta): the tenant's script packages, a device's script states, and
 * initiateOnDemandProactiveRemediation (docs/graph.md, "Remediations on demand (WinRE)").
 */
import { json, type Reply } from "../../http";
import { bump, type EmulatorState } from "../../state";
import { platformOf, type DeviceRecord } from "../../fleet/device";
import type { RunState } from "../../fleet/remediation-runs";
import { badRequest, licenceForbidden } from "../errors";
import { context, isReply, type GraphCall } from "../call";
import { requireDevice } from "./devices";

const iso = (ms: number) => new Date(ms).toISOString();
const NEVER = "0001-01-01T00:00:00Z";

export function listHealthScripts(state: EmulatorState, call: GraphCall): Reply {
  const value = state.healthScripts.list().map((s) => state.healthScripts.serialize(s));
  return json(200, { "@odata.context": context(call, "deviceManagement/deviceHealthScripts"), value });
}

function serializeState(state: EmulatorState, d: DeviceRecord, run: RunState): Record<string, unknown> {
  const script = state.healthScripts.get(run.policyId);
  const user = state.fleet.userOf(d);
  return {
    "@odata.type": "#microsoft.graph.deviceHealthScriptPolicyState",
    // "A concatenation of the MT sideCar policy Id and Intune device Id" (the beta schema's description).
    id: `${run.policyId}_${d.id}`,
    deviceId: d.id,
    policyId: run.policyId,
    userName: user?.displayName ?? "",
    deviceName: d.deviceName,
    policyName: script?.displayName ?? "",
    osVersion: d.osVersion,
    detectionState: run.running ? "pending" : run.detectionState,
    lastStateUpdateDateTime: run.lastStateMs ? iso(run.lastStateMs) : NEVER,
    expectedStateUpdateDateTime: NEVER,
    lastSyncDateTime: iso(state.fleet.lastSyncMs(d, state.clock.now())),
    preRemediationDetectionScriptOutput: run.preOutput,
    preRemediationDetectionScriptError: run.preError,
    remediationScriptError: run.remediationError,
    postRemediationDetectionScriptOutput: run.postOutput,
    postRemediationDetectionScriptError: "",
    remediationState: run.remediationState,
    assignmentFilterIds: [],
  };
}

export function listDeviceScriptStates(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const value = state.fleet.remediations.states(d).map((run) => serializeState(state, d, run));
  return json(200, { "@odata.context": context(call, `deviceManagement/managedDevices('${d.id}')/deviceHealthScriptStates`), value });
}

export function initiateOnDemandRemediation(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const body = call.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return badRequest("The request body of 'initiateOnDemandProactiveRemediation' must be a JSON object.", call.ctx);
  for (const key of Object.keys(body)) {
    if (key !== "scriptPolicyId") return badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'initiateOnDemandProactiveRemediation'.`, call.ctx);
  }
  const policyId = (body as { scriptPolicyId?: unknown }).scriptPolicyId;
  if (typeof policyId !== "string" || policyId === "") return badRequest("The parameter 'scriptPolicyId' is required.", call.ctx);
  if (!state.healthScripts.licensed) return licenceForbidden(call.ctx, call.path);
  const script = state.healthScripts.get(policyId);
  if (!script) return badRequest(`No script package with id '${policyId}'.`, call.ctx);
  if (platformOf(d) !== "Windows") return badRequest("Run remediation is supported on Windows devices only.", call.ctx);
  state.fleet.runRemediation(d, script.id, script.winre, state.clock.now());
  bump(state.counters.remediations, d.id);
  state.cache.clear();
  return { status: 204, headers: {} };
}
