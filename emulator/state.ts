/** Everything one emulator instance holds; reseed swaps the fleet and what is derived from it. */
import { EmulatorClock } from "./clock";
import { TokenService } from "./entra/tokens";
import { Fleet } from "./fleet/fleet";
import { seedNumber } from "./fleet/generate";
import { Fidelity, type SilentWipes } from "./fidelity";
import { Faults } from "./graph/faults";
import type { GraphCall } from "./graph/call";
import { QueryCache } from "./graph/paging";
import { Resources } from "./graph/resources";
import { Throttler } from "./graph/throttle";
import { Approvals, type PolicyPreset } from "./approval";
import { Consents } from "./entra/consent";
import { DailyWipeLimit, DEFAULT_DAILY_WIPE_LIMIT } from "./wipe-limit";
import { HealthScripts } from "./remediations";

export interface Counters {
  wipes: Map<string, number>;
  syncs: Map<string, number>;
  /** On-demand remediation runs accepted, per device (never counted as wipes). */
  remediations: Map<string, number>;
  /** BitLocker recovery keys read ($select=key answered), per Entra deviceId (the managed device's azureADDeviceId). */
  bitlockerKeyReads: Map<string, number>;
  /** updateDeviceProperties calls answered 204, per managed device id (never counted as wipes). */
  autopilotPropertyUpdates: Map<string, number>;
  throttled: number;
  requests: number;
  /** Multi Admin Approval requests a covered wipe created, and wipes that completed one. */
  approvalRequests: number;
  approvalCompletions: number;
  /** Wipes (devices) refused because the daily wipe limit was reached. */
  dailyLimitRefusals: number;
}

export interface EmulatorState {
  clock: EmulatorClock;
  fleet: Fleet;
  resources: Resources;
  tokens: TokenService;
  /** Scopes personas consented to themselves (incremental consent); outlives reseeds. */
  consents: Consents;
  throttler: Throttler;
  faults: Faults<GraphCall>;
  /** Outlives reseeds: the fleet holds this same object. */
  fidelity: Fidelity;
  /** Multi Admin Approval: policies outlive reseeds, requests do not. */
  approvals: Approvals;
  /** Remediation script packages and the Remediations licence; outlive reseeds. */
  healthScripts: HealthScripts;
  /** The daily wipe limit: the limit outlives reseeds, the wipes counted do not. */
  wipeLimit: DailyWipeLimit;
  counters: Counters;
  cache: QueryCache;
  appOrigins: string[];
  seedText: string;
  /** Whether fleets (this one and reseeded ones) end with the scenario set; outlives reseeds. */
  scenarioDevices: boolean;
}

export function emptyCounters(): Counters {
  return { wipes: new Map(), syncs: new Map(), remediations: new Map(), bitlockerKeyReads: new Map(), autopilotPropertyUpdates: new Map(), throttled: 0, requests: 0, approvalRequests: 0, approvalCompletions: 0, dailyLimitRefusals: 0 };
}

export interface StateOptions {
  fleetSize: number;
  seed: string;
  appOrigins: string[];
  silentWipes?: SilentWipes;
  approvalPolicy?: PolicyPreset;
  /** null: no limit. */
  dailyWipeLimit?: number | null;
  /** Append the scenario set (fleet/scenario.ts) after the generated devices; default true. */
  scenarioDevices?: boolean;
}

export async function createState(options: StateOptions): Promise<EmulatorState> {
  const clock = new EmulatorClock();
  const fidelity = new Fidelity(options.silentWipes);
  const scenarioDevices = options.scenarioDevices ?? true;
  const fleet = new Fleet(seedNumber(options.seed), options.fleetSize, clock.now(), fidelity, scenarioDevices);
  return {
    clock,
    fleet,
    resources: new Resources(fleet),
    tokens: await TokenService.create(),
    consents: new Consents(),
    throttler: new Throttler(() => clock.now()),
    faults: new Faults<GraphCall>(),
    fidelity,
    approvals: new Approvals(options.approvalPolicy ?? "none", clock.now()),
    healthScripts: new HealthScripts(clock.now()),
    wipeLimit: new DailyWipeLimit(options.dailyWipeLimit === undefined ? DEFAULT_DAILY_WIPE_LIMIT : options.dailyWipeLimit),
    counters: emptyCounters(),
    cache: new QueryCache(),
    appOrigins: options.appOrigins,
    seedText: options.seed,
    scenarioDevices,
  };
}

export function reseed(state: EmulatorState, size: number, seed: string): void {
  state.fleet = new Fleet(seedNumber(seed), size, state.clock.now(), state.fidelity, state.scenarioDevices);
  state.resources = new Resources(state.fleet);
  state.seedText = seed;
  state.cache.clear();
  state.counters = emptyCounters();
  state.throttler.reset();
  state.approvals.clearRequests();
  state.wipeLimit.reset();
}

export function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
