/**
 * The Graph surface: one pipeline for every call, whether it came over HTTP or inside a $batch.
 * Order: route -> injected fault -> throttle -> delegated scope -> Intune role -> body -> handler.
 */
import { INTUNE_ACTIONS, SCOPES, allowedActions, personaMay, type IntuneAction } from "../tenant";
import type { VerifiedAccessToken } from "../entra/tokens";
import { json, newId, type Reply } from "../http";
import { bump, type EmulatorState } from "../state";
import type { DeviceRecord } from "../fleet/device";
import {
  badRequest, graphError, intuneNotFound, missingScope, roleForbidden, throttled, unavailable, type ErrorContext,
} from "./errors";
import { ODataError, compileFilter, parseOrderBy, parseSelect, parseTop } from "./odata";
import { decodeSkipToken, encodeSkipToken, page, type RowSource } from "./paging";
import { DEVICE_NAVIGATION, type ApiVersion, type AutopilotRow } from "./resources";

export interface GraphCall {
  method: string;
  version: ApiVersion;
  /** Decoded path after the version, e.g. /deviceManagement/managedDevices. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  bodyInvalid: boolean;
  origin: string;
  ctx: ErrorContext;
  auth: VerifiedAccessToken;
}

export type GraphOutcome = Reply | { timeout: true };

interface Route {
  method: string;
  pattern: RegExp;
  versions?: ApiVersion[];
  /** Any one of these delegated scopes is enough. */
  scopes: string[];
  permission?: (call: GraphCall) => IntuneAction | undefined;
  writes?: (call: GraphCall) => number;
  handle: (state: EmulatorState, call: GraphCall, params: string[]) => Reply;
}

const DEVICE_READ = [SCOPES.read, SCOPES.readWrite];
const PRIVILEGED = [SCOPES.privileged];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE = 1000;

const BULK_ACTION_NAMES = [
  "retire", "delete", "fullScan", "quickScan", "signatureUpdate", "wipe", "customTextNotification", "rebootNow",
  "setDeviceName", "syncDevice", "deprovision", "disable", "reenable", "moveDeviceToOrganizationalUnit",
  "activateDeviceEsim", "collectDiagnostics", "initiateMobileDeviceManagementKeyRecovery",
  "initiateOnDemandProactiveRemediation",
];

function context(call: GraphCall, entitySet: string): string {
  return `${call.origin}/${call.version}/$metadata#${entitySet}`;
}

function nextLink(call: GraphCall, position: number): string {
  const parts: string[] = [];
  for (const [key, value] of call.query) {
    if (key === "$skiptoken") continue;
    parts.push(`${key}=${encodeURIComponent(value).replace(/%24/g, "$")}`);
  }
  parts.push(`$skiptoken=${encodeSkipToken(position)}`);
  return `${call.origin}/${call.version}${call.path}?${parts.join("&")}`;
}

function parseId(raw: string): string | undefined {
  const m = /^\('?([^')]*)'?\)$/.exec(raw) ?? /^(.*)$/.exec(raw);
  const id = m?.[1] ?? "";
  return GUID.test(id) ? id.toLowerCase() : undefined;
}

function requireDevice(state: EmulatorState, call: GraphCall, raw: string): DeviceRecord | Reply {
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the managedDevices segment: a GUID is expected.`, call.ctx);
  const d = state.fleet.get(id);
  if (!d) return intuneNotFound(`managedDevice '${id}'`, call.ctx, call.path);
  return d;
}

const isReply = (x: unknown): x is Reply => typeof x === "object" && x !== null && "status" in x && "headers" in x;

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

// ---- handlers ----

function listDevices(state: EmulatorState, call: GraphCall): Reply {
  const schema = state.resources.deviceSchemas[call.version];
  const filterText = call.query.get("$filter");
  const filter = compileFilter(filterText, schema);
  const orderBy = parseOrderBy(call.query.get("$orderby"), schema);
  const select = parseSelect(call.query.get("$select"), schema, DEVICE_NAVIGATION);
  const top = parseTop(call.query.get("$top"), MAX_PAGE) ?? MAX_PAGE;
  const position = decodeSkipToken(call.query.get("$skiptoken"));
  const wantCount = call.query.get("$count") === "true";
  const now = state.clock.now();
  const fleet = state.fleet;
  const source: RowSource<DeviceRecord> = {
    length: fleet.devices.length,
    at: (i) => {
      const d = fleet.devices[i];
      return d && !d.deleted ? d : undefined;
    },
  };
  const result = page(
    { source, schema, filter, orderBy, top, position, wantCount, now, cacheKey: `devices|${call.version}|${filterText ?? ""}|${fleet.version}` },
    state.cache,
  );
  const body: Record<string, unknown> = { "@odata.context": context(call, `deviceManagement/managedDevices${select ? `(${select.join(",")})` : ""}`) };
  if (result.count !== undefined) body["@odata.count"] = result.count;
  body.value = result.rows.map((d) => state.resources.serializeDevice(d, { version: call.version, select, singleWithSelect: false, now }));
  if (result.nextPosition !== undefined) body["@odata.nextLink"] = nextLink(call, result.nextPosition);
  return json(200, body);
}

function countDevices(state: EmulatorState, call: GraphCall): Reply {
  const schema = state.resources.deviceSchemas[call.version];
  const filterText = call.query.get("$filter");
  const filter = compileFilter(filterText, schema);
  const fleet = state.fleet;
  const result = page(
    {
      source: { length: fleet.devices.length, at: (i) => (fleet.devices[i]?.deleted ? undefined : fleet.devices[i]) },
      schema, filter, orderBy: [], top: 0, position: 0, wantCount: true, now: state.clock.now(),
      cacheKey: `devices|${call.version}|${filterText ?? ""}|${fleet.version}`,
    },
    state.cache,
  );
  return { status: 200, headers: { "Content-Type": "text/plain" }, body: String(result.count ?? 0) };
}

function getDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const select = parseSelect(call.query.get("$select"), state.resources.deviceSchemas[call.version], DEVICE_NAVIGATION);
  const body = state.resources.serializeDevice(d, { version: call.version, select, singleWithSelect: select !== undefined, now: state.clock.now() });
  return json(200, { "@odata.context": context(call, `deviceManagement/managedDevices${select ? `(${select.join(",")})` : ""}/$entity`), ...body });
}

function wipeDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const body = checkParameters(call.body, ["keepEnrollmentData", "keepUserData", "macOsUnlockCode", "persistEsimDataPlan", "useProtectedWipe"], "wipe", call.ctx);
  if (isReply(body)) return body;
  const keepEnrollmentData = parseBool(body.keepEnrollmentData, "keepEnrollmentData", "wipe", call.ctx);
  if (isReply(keepEnrollmentData)) return keepEnrollmentData;
  const keepUserData = parseBool(body.keepUserData, "keepUserData", "wipe", call.ctx);
  if (isReply(keepUserData)) return keepUserData;
  state.fleet.wipe(d, { keepEnrollmentData, keepUserData }, state.clock.now(), call.auth.persona.userPrincipalName, "single", null);
  bump(state.counters.wipes, d.id);
  state.cache.clear();
  return { status: 204, headers: {} };
}

function syncDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  state.fleet.sync(d, state.clock.now());
  bump(state.counters.syncs, d.id);
  return { status: 204, headers: {} };
}

function executeAction(state: EmulatorState, call: GraphCall): Reply {
  const body = checkParameters(call.body, ["actionName", "deviceIds", "keepEnrollmentData", "keepUserData", "persistEsimDataPlan", "notificationTitle", "notificationBody", "deviceName", "carrierUrl", "deprovisionReason", "organizationalUnitPath"], "executeAction", call.ctx);
  if (isReply(body)) return body;
  const actionName = body.actionName;
  if (typeof actionName !== "string" || !BULK_ACTION_NAMES.includes(actionName)) {
    return badRequest(`The value '${String(actionName)}' is not valid for parameter 'actionName' of type 'microsoft.graph.managedDeviceRemoteAction'.`, call.ctx);
  }
  if (!Array.isArray(body.deviceIds) || body.deviceIds.some((id) => typeof id !== "string")) {
    return badRequest("The parameter 'deviceIds' must be an array of strings.", call.ctx);
  }
  const keepEnrollmentData = parseBool(body.keepEnrollmentData, "keepEnrollmentData", "executeAction", call.ctx);
  if (isReply(keepEnrollmentData)) return keepEnrollmentData;
  const keepUserData = parseBool(body.keepUserData, "keepUserData", "executeAction", call.ctx);
  if (isReply(keepUserData)) return keepUserData;
  const result = { successfulDeviceIds: [] as string[], failedDeviceIds: [] as string[], notFoundDeviceIds: [] as string[], notSupportedDeviceIds: [] as string[] };
  const bulkId = newId();
  const now = state.clock.now();
  for (const raw of body.deviceIds as string[]) {
    const d = GUID.test(raw) ? state.fleet.get(raw) : undefined;
    if (!d) {
      result.notFoundDeviceIds.push(raw);
      continue;
    }
    if (actionName === "wipe") {
      state.fleet.wipe(d, { keepEnrollmentData, keepUserData }, now, call.auth.persona.userPrincipalName, "bulk", bulkId);
      bump(state.counters.wipes, d.id);
      result.successfulDeviceIds.push(d.id);
    } else if (actionName === "syncDevice") {
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

function autopilotSource(state: EmulatorState): RowSource<AutopilotRow> {
  const fleet = state.fleet;
  const n = fleet.devices.length;
  return {
    length: n + fleet.orphanAutopilotCount(),
    at: (i) => {
      if (i >= n) return i - n;
      const d = fleet.devices[i]!;
      if (d.deleted) return undefined;
      return d.kind === "notAutopilot" || d.kind === "nonWindows" || (d.kind === "hybrid" && !d.hybridAutopilot) ? undefined : d;
    },
  };
}

function listAutopilot(state: EmulatorState, call: GraphCall): Reply {
  const schema = state.resources.autopilotSchema;
  const filterText = call.query.get("$filter");
  const filter = compileFilter(filterText, schema);
  const select = parseSelect(call.query.get("$select"), schema);
  const top = parseTop(call.query.get("$top"), MAX_PAGE) ?? MAX_PAGE;
  const now = state.clock.now();
  const result = page(
    {
      source: autopilotSource(state), schema, filter, orderBy: parseOrderBy(call.query.get("$orderby"), schema), top,
      position: decodeSkipToken(call.query.get("$skiptoken")), wantCount: call.query.get("$count") === "true", now,
      cacheKey: `autopilot|${call.version}|${filterText ?? ""}|${state.fleet.version}`,
    },
    state.cache,
  );
  const body: Record<string, unknown> = { "@odata.context": context(call, "deviceManagement/windowsAutopilotDeviceIdentities") };
  if (result.count !== undefined) body["@odata.count"] = result.count;
  body.value = result.rows.map((r) => state.resources.serializeAutopilot(r, call.version, now, select));
  if (result.nextPosition !== undefined) body["@odata.nextLink"] = nextLink(call, result.nextPosition);
  return json(200, body);
}

function getAutopilot(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const raw = params[0]!;
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the windowsAutopilotDeviceIdentities segment.`, call.ctx);
  const source = autopilotSource(state);
  const now = state.clock.now();
  for (let i = 0; i < source.length; i++) {
    const row = source.at(i);
    if (row !== undefined && state.resources.autopilotId(row) === id) {
      const select = parseSelect(call.query.get("$select"), state.resources.autopilotSchema);
      return json(200, { "@odata.context": context(call, "deviceManagement/windowsAutopilotDeviceIdentities/$entity"), ...state.resources.serializeAutopilot(row, call.version, now, select) });
    }
  }
  return intuneNotFound(`windowsAutopilotDeviceIdentity '${id}'`, call.ctx, call.path);
}

function listAudits(state: EmulatorState, call: GraphCall): Reply {
  const schema = state.resources.auditSchema;
  const filterText = call.query.get("$filter");
  const filter = compileFilter(filterText, schema);
  const select = parseSelect(call.query.get("$select"), schema);
  const top = parseTop(call.query.get("$top"), MAX_PAGE) ?? MAX_PAGE;
  const audits = state.fleet.audits;
  const result = page(
    {
      source: { length: audits.length, at: (i) => audits[i] }, schema, filter, orderBy: parseOrderBy(call.query.get("$orderby"), schema), top,
      position: decodeSkipToken(call.query.get("$skiptoken")), wantCount: call.query.get("$count") === "true", now: state.clock.now(),
      // Audit states move with the clock, so audit queries are never served from cache across versions.
      cacheKey: `audits|${filterText ?? ""}|${state.fleet.version}|${audits.length}`,
    },
    state.cache,
  );
  const body: Record<string, unknown> = { "@odata.context": context(call, "deviceManagement/remoteActionAudits") };
  if (result.count !== undefined) body["@odata.count"] = result.count;
  body.value = result.rows.map((a) => state.resources.serializeAudit(a, select));
  if (result.nextPosition !== undefined) body["@odata.nextLink"] = nextLink(call, result.nextPosition);
  return json(200, body);
}

function effectivePermissions(state: EmulatorState, call: GraphCall): Reply {
  const allowed = [...allowedActions(call.auth.persona)];
  const notAllowed = Object.values(INTUNE_ACTIONS).filter((a) => !allowed.includes(a));
  const permission: Record<string, unknown> = { "@odata.type": "microsoft.graph.rolePermission" };
  if (call.version === "beta") permission.actions = allowed;
  permission.resourceActions = [
    { "@odata.type": "microsoft.graph.resourceAction", allowedResourceActions: allowed, notAllowedResourceActions: notAllowed },
  ];
  return json(200, { "@odata.context": context(call, "Collection(microsoft.graph.rolePermission)"), value: [permission] });
}

function me(_state: EmulatorState, call: GraphCall): Reply {
  const p = call.auth.persona;
  const [givenName, surname] = p.displayName.split(" ");
  return json(200, {
    "@odata.context": context(call, "users/$entity"),
    id: p.oid, displayName: p.displayName, userPrincipalName: p.userPrincipalName, mail: p.userPrincipalName,
    givenName: givenName ?? null, surname: surname ?? null, jobTitle: p.role, businessPhones: [], mobilePhone: null,
    officeLocation: null, preferredLanguage: "en-US",
  });
}

const DEVICE_SEGMENT = "/deviceManagement/managedDevices";
const ID = "([^/]+)";

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/deviceManagement\/managedDevices$/i, scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.devicesRead, handle: listDevices },
  { method: "GET", pattern: /^\/deviceManagement\/managedDevices\/\$count$/i, scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.devicesRead, handle: countDevices },
  {
    method: "POST", pattern: /^\/deviceManagement\/managedDevices\/(?:microsoft\.graph\.)?executeAction$/i, versions: ["beta"], scopes: PRIVILEGED,
    permission: (call) => ((call.body as { actionName?: unknown } | undefined)?.actionName === "wipe" ? INTUNE_ACTIONS.wipe : INTUNE_ACTIONS.sync),
    writes: (call) => {
      const ids = (call.body as { deviceIds?: unknown } | undefined)?.deviceIds;
      return Array.isArray(ids) ? Math.max(1, ids.length) : 1;
    },
    handle: executeAction,
  },
  { method: "POST", pattern: new RegExp(`^${DEVICE_SEGMENT}/${ID}/(?:microsoft\\.graph\\.)?wipe$`, "i"), scopes: PRIVILEGED, permission: () => INTUNE_ACTIONS.wipe, writes: () => 1, handle: wipeDevice },
  { method: "POST", pattern: new RegExp(`^${DEVICE_SEGMENT}/${ID}/(?:microsoft\\.graph\\.)?syncDevice$`, "i"), scopes: PRIVILEGED, permission: () => INTUNE_ACTIONS.sync, writes: () => 1, handle: syncDevice },
  { method: "GET", pattern: new RegExp(`^${DEVICE_SEGMENT}/${ID}$`, "i"), scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.devicesRead, handle: getDevice },
  { method: "GET", pattern: /^\/deviceManagement\/windowsAutopilotDeviceIdentities$/i, scopes: [SCOPES.serviceConfigRead, SCOPES.serviceConfigReadWrite], permission: () => INTUNE_ACTIONS.autopilotRead, handle: listAutopilot },
  { method: "GET", pattern: /^\/deviceManagement\/windowsAutopilotDeviceIdentities\/([^/]+)$/i, scopes: [SCOPES.serviceConfigRead, SCOPES.serviceConfigReadWrite], permission: () => INTUNE_ACTIONS.autopilotRead, handle: getAutopilot },
  { method: "GET", pattern: /^\/deviceManagement\/remoteActionAudits$/i, versions: ["beta"], scopes: DEVICE_READ, permission: () => INTUNE_ACTIONS.auditRead, handle: listAudits },
  { method: "GET", pattern: /^\/deviceManagement\/(?:microsoft\.graph\.)?getEffectivePermissions(?:\(scope='[^']*'\))?$/i, scopes: [SCOPES.rbacRead, SCOPES.rbacReadWrite], handle: effectivePermissions },
  { method: "GET", pattern: /^\/me$/i, scopes: [SCOPES.userRead, "User.ReadWrite", "User.Read.All", "User.ReadBasic.All", "Directory.Read.All"], handle: me },
];

type Resolution = { route: Route; params: string[] } | Reply;

function resolve(call: GraphCall): Resolution {
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

/** True when the call goes to a route that changes state (wipe, syncDevice, executeAction). */
export function carriesWrite(call: GraphCall): boolean {
  const resolution = resolve(call);
  return !isReply(resolution) && resolution.route.writes !== undefined;
}

/** Runs one Graph call through the whole pipeline. Never throws. */
export function handleGraphCall(state: EmulatorState, call: GraphCall): GraphOutcome {
  state.counters.requests++;
  try {
    state.fleet.settle(state.clock.now());
    const resolution = resolve(call);
    if (isReply(resolution)) return resolution;
    const { route, params } = resolution;

    const fault = state.faults.match(call.method, `/${call.version}${call.path}`);
    if (fault?.fault === "throttle") {
      state.counters.throttled++;
      return throttled(call.ctx, fault.retryAfterSeconds ?? 1);
    }
    if (fault?.fault === "throttle-no-retry-after") {
      state.counters.throttled++;
      return throttled(call.ctx, undefined);
    }
    if (fault?.fault === "unavailable") return unavailable(call.ctx);
    if (fault?.fault === "timeout") return { timeout: true };

    const decision = state.throttler.admit(`${call.auth.tenantId}|${call.auth.appId}`, route.writes?.(call) ?? 0);
    if (!decision.allowed) {
      state.counters.throttled++;
      return throttled(call.ctx, decision.retryAfterSeconds);
    }

    if (!route.scopes.some((s) => call.auth.scopes.has(s))) return missingScope(route.scopes, call.ctx, call.path);
    const permission = route.permission?.(call);
    if (permission && !personaMay(call.auth.persona, permission)) return roleForbidden(permission, call.ctx, call.path);
    if (call.bodyInvalid) return badRequest("Invalid JSON. The request body could not be parsed as JSON.", call.ctx);

    const reply = route.handle(state, call, params);
    if (fault?.fault === "applied-then-5xx" && reply.status < 400) return unavailable(call.ctx);
    return reply;
  } catch (err) {
    if (err instanceof ODataError) return badRequest(err.message.startsWith("Invalid") ? err.message : `Invalid query: ${err.message}`, call.ctx);
    return graphError(500, "InternalServerError", "An internal server error occurred.", call.ctx);
  }
}

