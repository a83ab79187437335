/**
 * One pipeline for every Graph call, whether it came over HTTP or inside a $batch (the token was checked before):
 * route -> injected fault -> throttle -> delegated scope -> Intune role -> body -> handler (emulator/README.md, "Graph").
 */
import { personaMay } from "../tenant";
import type { Reply } from "../http";
import type { EmulatorState } from "../state";
import { badRequest, gatewayTimeout, graphError, missingScope, roleForbidden, throttled, unavailable } from "./errors";
import { isReply, type GraphCall, type GraphOutcome } from "./call";
import type { FaultRule, Released } from "./faults";
import { ODataError } from "./odata";
import { resolve, type Route } from "./routes";

export type { GraphCall, GraphOutcome } from "./call";

/** True when the call goes to a route that changes state (wipe, syncDevice, executeAction). */
export function carriesWrite(call: GraphCall): boolean {
  const resolution = resolve(call);
  return !isReply(resolution) && resolution.route.writes !== undefined;
}

/** The answer an injected fault gives before anything else runs; applied-then-5xx answers after the handler. */
function faultOutcome(state: EmulatorState, call: GraphCall, fault: FaultRule | undefined): GraphOutcome | undefined {
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
  if (fault?.fault === "landsLater") {
    state.faults.landLater(fault, call.method, `/${call.version}${call.path}`, call, state.clock.now());
    return gatewayTimeout(call.ctx);
  }
  return undefined;
}

function throttleOutcome(state: EmulatorState, call: GraphCall, route: Route): Reply | undefined {
  const decision = state.throttler.admit(`${call.auth.tenantId}|${call.auth.appId}`, route.writes?.(call) ?? 0);
  if (decision.allowed) return undefined;
  state.counters.throttled++;
  return throttled(call.ctx, decision.retryAfterSeconds);
}

/** Scope, then Intune role, then a readable body. */
function refusal(call: GraphCall, route: Route): Reply | undefined {
  if (!route.scopes.some((s) => call.auth.scopes.has(s))) return route.scopeRefusal?.(call) ?? missingScope(route.scopes, call.ctx, call.path);
  const permission = route.permission?.(call);
  if (permission && !personaMay(call.auth.persona, permission)) return roleForbidden(permission, call.ctx, call.path);
  if (call.bodyInvalid) return badRequest("Invalid JSON. The request body could not be parsed as JSON.", call.ctx);
  return undefined;
}

function run(state: EmulatorState, call: GraphCall): GraphOutcome {
  applyDueWrites(state);
  state.fleet.settle(state.clock.now());
  const resolution = resolve(call);
  if (isReply(resolution)) return resolution;
  const { route, params } = resolution;
  const fault = state.faults.match(call.method, `/${call.version}${call.path}`, route.writes !== undefined);
  const early = faultOutcome(state, call, fault) ?? throttleOutcome(state, call, route) ?? refusal(call, route);
  if (early) return early;
  const reply = route.handle(state, call, params);
  if (fault?.fault === "applied-then-5xx" && reply.status < 400) return unavailable(call.ctx);
  return reply;
}

/** Runs one Graph call through the whole pipeline. Never throws. */
export function handleGraphCall(state: EmulatorState, call: GraphCall): GraphOutcome {
  state.counters.requests++;
  try {
    return run(state, call);
  } catch (err) {
    if (err instanceof ODataError) return badRequest(err.message.startsWith("Invalid") ? err.message : `Invalid query: ${err.message}`, call.ctx);
    return graphError(500, "InternalServerError", "An internal server error occurred.", call.ctx);
  }
}

/**
 * Applies a write that was answered before it landed ("landsLater"): the scope, role and body checks and the handler,
 * as if it had just arrived, without counting a request or meeting the throttle again. Returns the handler's status.
 */
function applyWrite(state: EmulatorState, call: GraphCall): number {
  try {
    const resolution = resolve(call);
    if (isReply(resolution)) return resolution.status;
    const refused = refusal(call, resolution.route);
    if (refused) return refused.status;
    return resolution.route.handle(state, call, resolution.params).status;
  } catch {
    return 500;
  }
}

/** Applies the "landsLater" writes the emulator clock has reached, each at the moment it was due. */
export function applyDueWrites(state: EmulatorState): void {
  for (const pending of state.faults.takeDue(state.clock.now())) {
    state.clock.at(pending.dueMs, () => {
      state.fleet.settle(pending.dueMs);
      applyWrite(state, pending.call);
    });
  }
}

/**
 * POST /_emulator/faults/release: the held writes whose path contains `pathContains` (all without it) are applied and
 * answered; the pending "landsLater" ones are applied now. Resolves once every one of them is applied.
 */
export async function releaseWrites(state: EmulatorState, pathContains: string | undefined): Promise<Released[]> {
  applyDueWrites(state);
  const { held, pending } = state.faults.release(pathContains);
  const landed = pending.map((p) => ({ method: p.method, path: p.path, status: applyWrite(state, p.call) }));
  return [...(await held), ...landed];
}
