/** windowsAutopilotDeviceIdentities: list and get. */
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { badRequest, intuneNotFound } from "../errors";
import { context, parseId, type GraphCall } from "../call";
import { parseSelect } from "../odata";
import type { RowSource } from "../paging";
import type { AutopilotRow } from "../resources";
import { deploymentProfileOf } from "../resources/autopilot";
import { listReply } from "./list";

/** Managed devices registered with Autopilot, then the identities never enrolled. */
function autopilotSource(state: EmulatorState): RowSource<AutopilotRow> {
  const fleet = state.fleet;
  const n = fleet.devices.length;
  return {
    length: n + fleet.orphanAutopilotCount(),
    at: (i) => {
      if (i >= n) return i - n;
      const d = fleet.devices[i]!;
      return d.deleted || !fleet.hasAutopilotIdentity(d) ? undefined : d;
    },
  };
}

export function listAutopilot(state: EmulatorState, call: GraphCall): Reply {
  return listReply(state, call, {
    entitySet: "deviceManagement/windowsAutopilotDeviceIdentities",
    schema: state.resources.autopilotSchema,
    source: autopilotSource(state),
    cacheKey: (filterText) => `autopilot|${call.version}|${filterText}|${state.fleet.version}`,
    serialize: (r, select, now) => state.resources.serializeAutopilot(r, call.version, now, select),
  });
}

const EXPANDABLE = ["deploymentProfile", "intendedDeploymentProfile"];

/** beta $expand of the two profile relationships; v1.0 has neither. */
function parseExpand(call: GraphCall): string[] | Reply {
  const text = call.query.get("$expand");
  if (!text) return [];
  const names = text.split(",").map((name) => name.trim());
  for (const name of names) {
    if (call.version !== "beta" || !EXPANDABLE.includes(name)) {
      return badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.windowsAutopilotDeviceIdentity'.`, call.ctx);
    }
  }
  return names;
}

/**
 * One identity. Its beta deploymentProfileAssignmentStatus reads "unknown" here while the list has the real value, as
 * reported of the service (microsoft-graph-docs-contrib#5985); the list is where the console reads it.
 */
export function getAutopilot(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const raw = params[0]!;
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the windowsAutopilotDeviceIdentities segment.`, call.ctx);
  const expand = parseExpand(call);
  if (!Array.isArray(expand)) return expand;
  const source = autopilotSource(state);
  const now = state.clock.now();
  for (let i = 0; i < source.length; i++) {
    const row = source.at(i);
    if (row !== undefined && state.resources.autopilotId(row) === id) {
      const select = parseSelect(call.query.get("$select"), state.resources.autopilotSchema);
      const body: Record<string, unknown> = { "@odata.context": context(call, "deviceManagement/windowsAutopilotDeviceIdentities/$entity"), ...state.resources.serializeAutopilot(row, call.version, now, select) };
      if ("deploymentProfileAssignmentStatus" in body) body.deploymentProfileAssignmentStatus = "unknown";
      // The profile assigned now is also the one intended: the emulated tenant has no assignment in flight.
      for (const name of expand) body[name] = deploymentProfileOf(row, state.resources.enrollment) ?? null;
      return json(200, body);
    }
  }
  return intuneNotFound(`windowsAutopilotDeviceIdentity '${id}'`, call.ctx, call.path);
}
