/** The route table: which path, method and version each handler answers, with its scopes, Intune permission and writes. */
import { INTUNE_ACTIONS, SCOPES, type IntuneAction } from "../tenant";
import type { Reply } from "../http";
import type { EmulatorState } from "../state";
import { badRequest, graphError } from "./errors";
import { parseId, type GraphCall } from "./call";
import type { ApiVersion } from "./resources";
import { countDevices, getDevice, listDevices } from "./handlers/devices";
import { executeAction, syncDevice, wipeDevice } from "./handlers/actions";
import { getAutopilot, listAutopilot, updateDeviceProperties } from "./handlers/autopilot";
import { getAudit, listAudits } from "./handlers/audits";
import { getConfigurationPolicy, getProfile, listConfigurationPolicies, listProfiles } from "./handlers/enrollment";
import { effectivePermissions, me } from "./handlers/tenant";
import {
  cancelMyRequest, decideRequest, getPolicy, getRequest, listPolicies, listRequests, retrieveMyRequests, retrieveRequestStatus,
} from "./handlers/approvals";
import { DIRECTORY_ROUTES } from "../directory/routes";
import { BITLOCKER_ROUTES } from "../bitlocker/routes";
import { initiateOnDemandRemediation, listDeviceScriptStates, listHealthScripts } from "./handlers/remediations";

export interface Route {
  method: string;
  pattern: RegExp;
  versions?: ApiVersion[];
  /** Any one of these delegated scopes is enough. */
  scopes: string[];
  permission?: (call: GraphCall) => IntuneAction | undefined;
  /** How many writes the call counts for throttling; absent on reads. */
  writes?: (call: GraphCall) => number;
  handle: (state: EmulatorState, call: GraphCall, params: string[]) => Reply;
  /** The answer when the token has none of `scopes` (default: Intune's 403 Forbidden naming them). */
  scopeRefusal?: (call: GraphCall) => Reply;
}

const DEVICE_READ = [SCOPES.read, SCOPES.readWrite];
const SERVICE_CONFIG_READ = [SCOPES.serviceConfigRead, SCOPES.serviceConfigReadWrite];
/** graph-docs beta intune-deviceconfigv2-devicemanagementconfigurationpolicy-list.md. */
const CONFIG_READ = [SCOPES.configRead, SCOPES.configReadWrite];
const PROFILES = "^/deviceManagement/windowsAutopilotDeploymentProfiles";
const CONFIG_POLICIES = "^/deviceManagement/configurationPolicies";
const PRIVILEGED = [SCOPES.privileged];
const DEVICE_SEGMENT = "/deviceManagement/managedDevices";
const ID = "([^/]+)";

const devicesRead = () => INTUNE_ACTIONS.devicesRead;
/** Multi Admin Approval: graph-docs beta intune-rbac-operationapproval* name these four delegated scopes. */
const MAA_SCOPES = [SCOPES.configRead, SCOPES.configReadWrite, SCOPES.rbacRead, SCOPES.rbacReadWrite];
const POLICIES = "^/deviceManagement/operationApprovalPolicies";
const REQUESTS = "^/deviceManagement/operationApprovalRequests";
const fn = (name: string, parens = false) => `/(?:microsoft\\.graph\\.)?${name}${parens ? "(?:\\(\\))?" : ""}$`;

/** POST .../{id}/<action>, with or without the microsoft.graph. namespace. */
const deviceAction = (action: string) => new RegExp(`^${DEVICE_SEGMENT}/${ID}/(?:microsoft\\.graph\\.)?${action}$`, "i");

function bulkPermission(call: GraphCall): IntuneAction {
  return (call.body as { actionName?: unknown } | undefined)?.actionName === "wipe" ? INTUNE_ACTIONS.wipe : INTUNE_ACTIONS.sync;
}

/** executeAction counts one write per device. */
function bulkWrites(call: GraphCall): number {
  const ids = (call.body as { deviceIds?: unknown } | undefined)?.deviceIds;
  return Array.isArray(ids) ? Math.max(1, ids.length) : 1;
}

/**
 * Remediations (docs/graph.md, "Remediations on demand (WinRE)"): packages need DeviceManagementScripts.* since
 * September 2025; the on-demand action's documented scopes are the two read scopes; a device's script states are a
 * managedDevice navigation, read with the device scopes (UNVERIFIED: emulator/README.md).
 */
const SCRIPTS_READ = [SCOPES.scriptsRead, SCOPES.scriptsReadWrite];
const RUN_REMEDIATION_SCOPES = [SCOPES.read, SCOPES.readWrite, SCOPES.configRead];

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/deviceManagement\/deviceHealthScripts$/i, versions: ["beta"], scopes: SCRIPTS_READ, permission: () => INTUNE_ACTIONS.configRead, handle: listHealthScripts },
  {
    method: "GET", pattern: new RegExp(`^${DEVICE_SEGMENT}/${ID}/deviceHealthScriptStates$`, "i"), versions: ["beta"], scopes: DEVICE_READ,
    permission: devicesRead, handle: listDeviceScriptStates,
  },
  {
    method: "POST", pattern: deviceAction("initiateOnDemandProactiveRemediation"), versions: ["beta"], scopes: RUN_REMEDIATION_SCOPES,
    permission: () => INTUNE_ACTIONS.runRemediation, writes: () => 1, handle: initiateOnDemandRemediation,
  },
  { method: "GET", pattern: /^\/deviceManagement\/managedDevices$/i, scopes: DEVICE_READ, permission: devicesRead, handle: listDevices },
  { method: "GET", pattern: /^\/deviceManagement\/managedDevices\/\$count$/i, scopes: DEVICE_READ, permission: devicesRead, handle: countDevices },
  {
    method: "POST", pattern: /^\/deviceManagement\/managedDevices\/(?:microsoft\.graph\.)?executeAction$/i, versions: ["beta"], scopes: PRIVILEGED,
    permission: bulkPermission, writes: bulkWrites, handle: executeAction,
  },
  { method: "POST", pattern: deviceAction("wipe"), scopes: PRIVILEGED, permission: () => INTUNE_ACTIONS.wipe, writes: () => 1, handle: wipeDevice },
  { method: "POST", pattern: deviceAction("syncDevice"), scopes: PRIVILEGED, permission: () => INTUNE_ACTIONS.sync, writes: () => 1, handle: syncDevice },
  { method: "GET", pattern: new RegExp(`^${DEVICE_SEGMENT}/${ID}$`, "i"), scopes: DEVICE_READ, permission: devicesRead, handle: getDevice },
  { method: "GET", pattern: /^\/deviceManagement\/windowsAutopilotDeviceIdentities$/i, scopes: SERVICE_CONFIG_READ, permission: () => INTUNE_ACTIONS.autopilotRead, handle: listAutopilot },
  { method: "GET", pattern: /^\/deviceManagement\/windowsAutopilotDeviceIdentities\/([^/]+)$/i, scopes: SERVICE_CONFIG_READ, permission: () => INTUNE_ACTIONS.autopilotRead, handle: getAutopilot },
  // graph-docs intune-enrollment-windowsautopilotdeviceidentity-updatedeviceproperties.md: the ReadWrite scope only.
  {
    method: "POST", pattern: /^\/deviceManagement\/windowsAutopilotDeviceIdentities\/([^/]+)\/(?:microsoft\.graph\.)?updateDeviceProperties$/i,
    scopes: [SCOPES.serviceConfigReadWrite], permission: () => INTUNE_ACTIONS.autopilotUpdate, writes: () => 1, handle: updateDeviceProperties,
  },
  // Beta only: v1.0's deviceManagement has neither navigation property (msgraph-metadata clean_v10_metadata, 2026-08).
  { method: "GET", pattern: new RegExp(`${PROFILES}$`, "i"), versions: ["beta"], scopes: SERVICE_CONFIG_READ, permission: () => INTUNE_ACTIONS.autopilotRead, handle: listProfiles },
  { method: "GET", pattern: new RegExp(`${PROFILES}/${ID}$`, "i"), versions: ["beta"], scopes: SERVICE_CONFIG_READ, permission: () => INTUNE_ACTIONS.autopilotRead, handle: getProfile },
  { method: "GET", pattern: new RegExp(`${CONFIG_POLICIES}$`, "i"), versions: ["beta"], scopes: CONFIG_READ, permission: () => INTUNE_ACTIONS.configRead, handle: listConfigurationPolicies },
  { method: "GET", pattern: new RegExp(`${CONFIG_POLICIES}/${ID}$`, "i"), versions: ["beta"], scopes: CONFIG_READ, permission: () => INTUNE_ACTIONS.configRead, handle: getConfigurationPolicy },
  { method: "GET", pattern: /^\/deviceManagement\/remoteActionAudits$/i, versions: ["beta"], scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.auditRead, handle: listAudits },
  { method: "GET", pattern: /^\/deviceManagement\/remoteActionAudits\/([^/]+)$/i, versions: ["beta"], scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.auditRead, handle: getAudit },
  { method: "GET", pattern: /^\/deviceManagement\/(?:microsoft\.graph\.)?getEffectivePermissions(?:\((?:scope='[^']*')?\))?$/i, scopes: [SCOPES.rbacRead, SCOPES.rbacReadWrite], handle: effectivePermissions },
  { method: "GET", pattern: new RegExp(`${POLICIES}$`, "i"), versions: ["beta"], scopes: MAA_SCOPES, permission: () => INTUNE_ACTIONS.maaReadPolicy, handle: listPolicies },
  { method: "GET", pattern: new RegExp(`${POLICIES}/${ID}$`, "i"), versions: ["beta"], scopes: MAA_SCOPES, permission: () => INTUNE_ACTIONS.maaReadPolicy, handle: getPolicy },
  { method: "GET", pattern: new RegExp(`${REQUESTS}${fn("retrieveMyRequests", true)}`, "i"), versions: ["beta"], scopes: MAA_SCOPES, handle: retrieveMyRequests },
  { method: "POST", pattern: new RegExp(`${REQUESTS}${fn("cancelMyRequest")}`, "i"), versions: ["beta"], scopes: MAA_SCOPES, handle: cancelMyRequest },
  { method: "POST", pattern: new RegExp(`${REQUESTS}${fn("retrieveRequestStatus")}`, "i"), versions: ["beta"], scopes: MAA_SCOPES, handle: retrieveRequestStatus },
  { method: "GET", pattern: new RegExp(`${REQUESTS}$`, "i"), versions: ["beta"], scopes: MAA_SCOPES, permission: () => INTUNE_ACTIONS.maaApprove, handle: listRequests },
  { method: "GET", pattern: new RegExp(`${REQUESTS}/${ID}$`, "i"), versions: ["beta"], scopes: MAA_SCOPES, handle: getRequest },
  {
    method: "POST", pattern: new RegExp(`${REQUESTS}/${ID}/(?:microsoft\\.graph\\.)?(approve|reject|cancelApproval)$`, "i"), versions: ["beta"], scopes: MAA_SCOPES,
    permission: () => INTUNE_ACTIONS.maaApprove, handle: decideRequest,
  },
  { method: "GET", pattern: /^\/me$/i, scopes: [SCOPES.userRead, "User.ReadWrite", "User.Read.All", "User.ReadBasic.All", "Directory.Read.All"], handle: me },
  ...DIRECTORY_ROUTES,
  ...BITLOCKER_ROUTES,
];

export type Resolution = { route: Route; params: string[] } | Reply;

/** The route a call goes to, or the 400/404/405 Graph answers when there is none. */
export function resolve(call: GraphCall): Resolution {
  let methodMismatch = false;
  let badKey: string | undefined;
  for (const route of ROUTES) {
    const m = route.pattern.exec(call.path);
    if (!m) continue;
    if (route.versions && !route.versions.includes(call.version)) continue;
    if (route.method !== call.method) {
      methodMismatch = true;
      badKey ??= m.slice(1).find((p) => !parseId(p));
      continue;
    }
    return { route, params: m.slice(1) };
  }
  // e.g. POST v1.0 .../managedDevices/executeAction: v1.0 has no such action, so the segment reads as a (malformed) key.
  if (badKey !== undefined) return badRequest(`Invalid key value '${badKey}': a GUID is expected.`, call.ctx);
  if (methodMismatch) return graphError(405, "BadRequest", `The HTTP method '${call.method}' is not allowed for the requested resource.`, call.ctx);
  const segment = call.path.split("/").filter(Boolean).pop() ?? "";
  return graphError(404, "ResourceNotFound", `Resource not found for the segment '${segment}'.`, call.ctx);
}
