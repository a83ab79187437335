/** windowsAutopilotDeviceIdentities: list, get and updateDeviceProperties. */
import { json, type Reply } from "../../http";
import { bump, type EmulatorState } from "../../state";
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
      // The profile assigned now; the one intended is the current tag's, which differs while a tag change catches up.
      for (const name of expand) {
        const at = name === "intendedDeploymentProfile" ? Number.POSITIVE_INFINITY : now;
        body[name] = deploymentProfileOf(row, state.resources.enrollment, state.fleet, at) ?? null;
      }
      return json(200, body);
    }
  }
  return intuneNotFound(`windowsAutopilotDeviceIdentity '${id}'`, call.ctx, call.path);
}

/** The action's parameters (graph-docs intune-enrollment-windowsautopilotdeviceidentity-updatedeviceproperties.md); beta adds the device account ones. */
const UPDATE_PARAMETERS = ["userPrincipalName", "addressableUserName", "groupTag", "displayName"];
const BETA_UPDATE_PARAMETERS = ["deviceAccountUpn", "deviceAccountPassword", "deviceFriendlyName"];

/**
 * Which group tags the emulated Intune refuses: control characters, markup and quotes, or over 256 characters. Intune's
 * own rule is UNVERIFIED (emulator/README.md, "Group tags"); the console's rule is stricter and refuses first.
 */
export function emulatorRefusesTag(tag: string): string | undefined {
  if (tag.length > 256) return "The group tag must be at most 256 characters.";
  if (/[\p{Cc}<>"'&]/u.test(tag)) return "The group tag contains characters that are not allowed.";
  return undefined;
}

/** POST .../windowsAutopilotDeviceIdentities/{id}/updateDeviceProperties: 204; the profile then catches up (fleet/group-tags.ts). */
export function updateDeviceProperties(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const raw = params[0]!;
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the windowsAutopilotDeviceIdentities segment.`, call.ctx);
  const body = call.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return badRequest("The request body of 'updateDeviceProperties' must be a JSON object.", call.ctx);
  const allowed = call.version === "beta" ? [...UPDATE_PARAMETERS, ...BETA_UPDATE_PARAMETERS] : UPDATE_PARAMETERS;
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.includes(key)) return badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'updateDeviceProperties'.`, call.ctx);
    if (value !== null && typeof value !== "string") return badRequest(`Cannot convert the literal '${String(value)}' to the expected type 'Edm.String'.`, call.ctx);
  }
  const { groupTag, userPrincipalName } = body as { groupTag?: string | null; userPrincipalName?: string | null };
  const refusal = typeof groupTag === "string" ? emulatorRefusesTag(groupTag) : undefined;
  if (refusal) return badRequest(refusal, call.ctx);
  const source = autopilotSource(state);
  for (let i = 0; i < source.length; i++) {
    const row = source.at(i);
    if (row === undefined || state.resources.autopilotId(row) !== id) continue;
    // An identity never enrolled has no record here to keep properties on (emulator/README.md, "Group tags").
    if (typeof row === "number") return badRequest("The emulator keeps properties only for identities of enrolled devices.", call.ctx);
    const now = state.clock.now();
    if (typeof groupTag === "string" && groupTag !== row.groupTag) state.fleet.groupTags.setTag(row, groupTag, now);
    if (typeof userPrincipalName === "string") state.fleet.groupTags.setUserPrincipalName(row, userPrincipalName);
    state.fleet.version++;
    state.cache.clear();
    bump(state.counters.autopilotPropertyUpdates, row.id);
    return { status: 204, headers: {} };
  }
  return intuneNotFound(`windowsAutopilotDeviceIdentity '${id}'`, call.ctx, call.path);
}
