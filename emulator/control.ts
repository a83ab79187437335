/**
 * The control API under /_emulator/ (no real Graph has it): info, tokens, clock, devices, reseed, faults, fidelity,
 * counters; approval policies and requests and the daily wipe limit are in approval-control.ts.
 */
import { CLIENT_ID, PERSONAS, TENANT_ID, findPersona } from "./tenant";
import { json, type Reply } from "./http";
import { reseed, emptyCounters, type EmulatorState } from "./state";
import { DEVICE_KINDS, SCENARIO_KINDS, actionOf, platformOf, type DeviceRecord } from "./fleet/device";
import type { DeviceTrait } from "./fleet/fleet";
import { parseFaultConfig } from "./graph/faults";
import { parseFidelityConfig } from "./fidelity";
import { handleGuardrailControl, requestSummary } from "./approval-control";
import { handleDirectoryControl } from "./directory/control";
import { directoryOf } from "./directory/model";
import { applyDueWrites, releaseWrites } from "./graph/pipeline";
import { handleRemediationControl } from "./remediation-control";
import { keyCountOf } from "./bitlocker/keys";

/** Traits of the fleet, and the control API's own: a Windows device with no BitLocker key escrowed (bitlocker/keys.ts). */
const TRAITS: readonly string[] = [...DEVICE_KINDS, ...SCENARIO_KINDS, "pendingReset", "silentWipe", "noBitlockerKey"];
const hasTrait = (state: EmulatorState, d: DeviceRecord, trait: string) =>
  trait === "noBitlockerKey" ? platformOf(d) === "Windows" && keyCountOf(state.fleet, d) === 0 : state.fleet.hasTrait(d, trait as DeviceTrait);
const MAX_FLEET = 500_000;

function fail(status: number, message: string): Reply {
  return json(status, { error: { code: status === 404 ? "NotFound" : "BadRequest", message } });
}

const iso = (ms: number) => (ms ? new Date(ms).toISOString() : null);

function latestRequest(state: EmulatorState, deviceId: string) {
  const mine = state.approvals.requests.filter((r) => r.operation.deviceIds.includes(deviceId));
  const r = mine[mine.length - 1];
  return r ? requestSummary(r) : null;
}

function summary(state: EmulatorState, d: DeviceRecord) {
  const now = state.clock.now();
  const user = state.fleet.userOf(d);
  return {
    id: d.id,
    deviceName: d.deviceName,
    serialNumber: d.serialNumber,
    userPrincipalName: user?.userPrincipalName ?? "",
    traits: state.fleet.traits(d),
    online: d.online,
    lastSyncDateTime: iso(state.fleet.lastSyncMs(d, now)),
    nextScheduledCheckinDateTime: d.online ? iso(state.fleet.nextScheduledAfter(d, now)) : null,
    pendingCheckinDateTime: iso(d.pendingCheckinMs),
    managementState: d.managementState,
    // The emulator's own record: a silent wipe is listed here even though Graph leaves it out.
    deviceActionResults: (d.actions ?? []).map((a) => ({
      actionName: a.actionName,
      actionState: a.actionState,
      startDateTime: iso(a.startMs),
      lastUpdatedDateTime: iso(a.updatedMs),
    })),
    wipe: actionOf(d, "wipe")?.actionState ?? null,
    // The device's own WinRE, and its on-demand remediation runs (emulator/README.md, "Remediations on demand").
    winreEnabled: platformOf(d) === "Windows" ? !state.fleet.remediations.winreDisabled(d) : null,
    remediationRuns: state.fleet.remediations.states(d).map((r) => ({
      policyId: r.policyId, running: r.running, delivered: r.delivered, requestedDateTime: iso(r.requestedMs),
      lastStateUpdateDateTime: iso(r.lastStateMs), detectionState: r.detectionState, remediationState: r.remediationState,
    })),
    silentWipe: state.fleet.silentWipe(d),
    ...records(state, d),
    // The latest Multi Admin Approval request that names this device, if any.
    approvalRequest: latestRequest(state, d.id),
  };
}

/**
 * How the device's records hang together (docs/graph.md, "Records that must agree"): Intune's, the Autopilot identity
 * listed for it (null when none is), the Entra device whose deviceId is its azureADDeviceId (null when there is none),
 * and for a re-enrolled device its other record.
 */
function records(state: EmulatorState, d: DeviceRecord) {
  const fleet = state.fleet;
  const entra = directoryOf(fleet).deviceByDeviceId(fleet.azureADDeviceId(d));
  return {
    azureADDeviceId: fleet.azureADDeviceId(d),
    enrollmentProfileName: fleet.enrollmentProfileName(d),
    autopilotIdentity: fleet.hasAutopilotIdentity(d)
      ? { id: fleet.autopilotId(d), managedDeviceId: d.id, azureActiveDirectoryDeviceId: fleet.autopilotAzureADDeviceId(d), serialNumber: d.serialNumber }
      : null,
    entraDevice: entra ? { id: entra.id, deviceId: entra.deviceId } : null,
    pairedDeviceId: fleet.pairedDevice(d)?.id ?? null,
    bitlockerKeys: keyCountOf(fleet, d),
  };
}

export function info(state: EmulatorState, origin: string) {
  return {
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    authority: `${origin}/${TENANT_ID}`,
    graphBaseUrl: origin,
    personas: PERSONAS.map((p) => ({ id: p.id, displayName: p.displayName, userPrincipalName: p.userPrincipalName, role: p.role, scopes: p.scopes })),
    fleetSize: state.fleet.liveCount,
    clock: state.clock.iso(),
    seed: state.seedText,
    appOrigins: state.appOrigins,
    approvalPolicies: state.approvals.policies.map((p) => p.policyType),
    dailyWipeLimit: state.wipeLimit.limit,
    scenarioDevices: state.scenarioDevices,
  };
}

export async function handleControl(state: EmulatorState, method: string, path: string, query: URLSearchParams, body: unknown, origin: string): Promise<Reply> {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  applyDueWrites(state);
  const now = state.clock.now();
  state.fleet.settle(now);

  if (path === "/info" && method === "GET") return json(200, info(state, origin));

  if (path === "/stats" && method === "GET") {
    // With node --expose-gc, ?gc=1 collects first so heapUsed is what the emulator holds, not garbage awaiting collection.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (query.get("gc") === "1" && gc) gc();
    const mem = process.memoryUsage();
    return json(200, {
      devices: state.fleet.liveCount,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      queryCache: { hits: state.cache.hits, misses: state.cache.misses },
      requests: state.counters.requests,
    });
  }

  if (path === "/token" && method === "POST") {
    const persona = findPersona(String(b.persona ?? ""));
    if (!persona) return fail(400, `persona must be one of ${PERSONAS.map((p) => p.id).join(", ")}.`);
    const expires = b.expiresInSeconds;
    if (expires !== undefined && (typeof expires !== "number" || !Number.isFinite(expires) || expires < -86_400 || expires > 86_400)) {
      return fail(400, "expiresInSeconds must be a number of seconds (negative mints an already expired token).");
    }
    // scopes: the token's exact scp (tests of one scope's refusal); default what the persona's tokens carry now.
    const scopes = b.scopes ?? state.consents.scopes(persona);
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string" && /^[A-Za-z.]+$/.test(s))) return fail(400, "scopes must be an array of scope names.");
    const minted = await state.tokens.accessToken(persona, typeof expires === "number" ? Math.round(expires) : undefined, scopes as string[]);
    return json(200, { access_token: minted.token, token_type: "Bearer", expires_in: minted.expiresIn });
  }

  if (path === "/auth" && method === "PUT") {
    const lifetime = b.accessTokenLifetimeSeconds;
    if (typeof lifetime !== "number" || lifetime < 1 || lifetime > 86_400) return fail(400, "accessTokenLifetimeSeconds must be between 1 and 86400.");
    state.tokens.accessTokenLifetimeSeconds = Math.round(lifetime);
    return json(200, { accessTokenLifetimeSeconds: state.tokens.accessTokenLifetimeSeconds });
  }

  if (path === "/clock/advance" && method === "POST") {
    const seconds = b.seconds;
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0 || seconds > 365 * 86_400) {
      return fail(400, "seconds must be a number between 0 and 31536000 (the clock only moves forward).");
    }
    state.clock.advance(seconds);
    applyDueWrites(state);
    state.fleet.settle(state.clock.now());
    state.cache.clear();
    return json(200, { clock: state.clock.iso() });
  }

  if (path === "/devices" && method === "GET") {
    const trait = query.get("trait");
    if (trait !== null && !TRAITS.includes(trait)) return fail(400, `trait must be one of ${TRAITS.join(", ")}.`);
    const limit = Math.min(Math.max(Number(query.get("limit") ?? "20") || 20, 1), 1000);
    const offset = Math.max(Number(query.get("offset") ?? "0") || 0, 0);
    const value = [];
    let skipped = 0;
    for (const d of state.fleet.devices) {
      if (d.deleted || (trait !== null && !hasTrait(state, d, trait))) continue;
      if (skipped++ < offset) continue;
      const s = summary(state, d);
      value.push({
        id: s.id, deviceName: s.deviceName, serialNumber: s.serialNumber, userPrincipalName: s.userPrincipalName, traits: s.traits,
        ...records(state, d),
      });
      if (value.length >= limit) break;
    }
    return json(200, { value });
  }

  const deviceMatch = /^\/devices\/([^/]+)(\/checkin|\/online)?$/.exec(path);
  if (deviceMatch) {
    let id = "";
    try {
      id = decodeURIComponent(deviceMatch[1]!);
    } catch {
      return fail(400, "The device id is not valid URL encoding.");
    }
    const d = state.fleet.get(id);
    if (!d) return fail(404, `No device with id '${deviceMatch[1]}'.`);
    const action = deviceMatch[2];
    if (!action && method === "GET") return json(200, summary(state, d));
    if (!action && method === "DELETE") {
      state.fleet.delete(d);
      state.cache.clear();
      return { status: 204, headers: {} };
    }
    if (action === "/checkin" && method === "POST") {
      // An offline device cannot check in: the answer is its unchanged summary with checkedIn false.
      if (!d.online) return json(200, { ...summary(state, d), checkedIn: false });
      state.fleet.checkInNow(d, now);
      state.cache.clear();
      return json(200, { ...summary(state, d), checkedIn: true });
    }
    if (action === "/online" && method === "POST") {
      state.fleet.bringOnline(d, now);
      state.cache.clear();
      return json(200, summary(state, d));
    }
  }

  if (path === "/reseed" && method === "POST") {
    const size = b.size ?? state.fleet.size;
    if (typeof size !== "number" || !Number.isInteger(size) || size < 0 || size > MAX_FLEET) return fail(400, `size must be an integer between 0 and ${MAX_FLEET}.`);
    const seed = b.seed ?? state.seedText;
    if (typeof seed !== "string" && typeof seed !== "number") return fail(400, "seed must be a string or a number.");
    if (b.scenarioDevices !== undefined && typeof b.scenarioDevices !== "boolean") return fail(400, "scenarioDevices must be true or false.");
    if (typeof b.scenarioDevices === "boolean") state.scenarioDevices = b.scenarioDevices;
    reseed(state, size, String(seed));
    return json(200, info(state, origin));
  }

  if (path === "/faults") {
    if (method === "GET") return json(200, state.faults.describe());
    if (method === "DELETE") {
      state.faults.clear();
      return json(200, state.faults.describe());
    }
    if (method === "PUT") {
      const config = parseFaultConfig(body);
      if (typeof config === "string") return fail(400, config);
      state.faults.set(config);
      return json(200, state.faults.describe());
    }
  }

  // Atomic add and remove, so specs running side by side do not overwrite each other's rules with a GET and a PUT.
  if (path === "/faults/rules" && method === "POST") {
    const config = parseFaultConfig({ rules: b.rules });
    if (typeof config === "string") return fail(400, config);
    state.faults.add(config.rules ?? []);
    return json(200, state.faults.describe());
  }
  if (path === "/faults/rules/remove" && method === "POST") {
    const ids = b.pathContains;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string" || id === "")) return fail(400, "pathContains must be an array of non-empty strings.");
    state.faults.removeFor(ids as string[]);
    return json(200, state.faults.describe());
  }

  // Held ("hold") and pending ("landsLater") writes: applied now; answers once every one of them is.
  if (path === "/faults/release" && method === "POST") {
    const filter = b.pathContains;
    if (filter !== undefined && (typeof filter !== "string" || filter === "")) return fail(400, "pathContains must be a non-empty string.");
    const released = await releaseWrites(state, filter as string | undefined);
    state.cache.clear();
    return json(200, { released });
  }

  if (path === "/fidelity") {
    if (method === "GET") return json(200, state.fidelity.describe());
    if (method === "PUT") {
      const config = parseFidelityConfig(body);
      if (typeof config === "string") return fail(400, config);
      state.fidelity.set(config);
      state.cache.clear();
      return json(200, state.fidelity.describe());
    }
  }

  if (path === "/counters") {
    if (method === "GET") {
      const c = state.counters;
      return json(200, {
        wipes: Object.fromEntries(c.wipes), syncs: Object.fromEntries(c.syncs), remediations: Object.fromEntries(c.remediations), bitlockerKeyReads: Object.fromEntries(c.bitlockerKeyReads), autopilotPropertyUpdates: Object.fromEntries(c.autopilotPropertyUpdates), throttled: c.throttled, requests: c.requests,
        approvalRequests: c.approvalRequests, approvalCompletions: c.approvalCompletions, dailyLimitRefusals: c.dailyLimitRefusals,
        // State, not counters (DELETE /counters leaves them): the daily window and the open approval requests.
        wipesInDailyWindow: state.wipeLimit.used(now),
        openApprovalRequests: state.approvals.requests.filter((r) => r.status === "needsApproval" || r.status === "approved").length,
      });
    }
    if (method === "DELETE") {
      state.counters = emptyCounters();
      return { status: 204, headers: {} };
    }
  }

  const guardrail =
    handleGuardrailControl(state, method, path, body) ?? handleDirectoryControl(state, method, path, query) ?? handleRemediationControl(state, method, path, body);
  if (guardrail) return guardrail;

  return fail(404, `No control endpoint ${method} /_emulator${path}.`);
}
