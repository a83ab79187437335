/**
 * Starts the emulator in-process for a contract test file, on a free port, and points lib/config at it for that file
 * only (the environment is restored afterwards). Also: tokens per persona, and the /_emulator control API.
 *
 * Unlike `npm run emulator` (Intune's 500), the harness starts without a daily wipe limit unless a file asks for one
 * (`dailyWipeLimit`, or PUT /_emulator/wipe-limit), so scale tests can send thousands of resets in one emulator day.
 */
import { afterAll, beforeAll } from "vitest";
import type { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { startEmulator } from "@/emulator/server";
import { createGraphClient } from "@/lib/graph/client";

export type Persona = "helpdesk" | "readonly" | "endpointsecurity" | "intuneadmin" | "noconsent" | "approver";

export interface Counters {
  wipes: Record<string, number>;
  syncs: Record<string, number>;
  throttled: number;
  requests: number;
  approvalRequests: number;
  approvalCompletions: number;
  dailyLimitRefusals: number;
  wipesInDailyWindow: number;
  openApprovalRequests: number;
}

export interface Harness {
  url: string;
  token(persona: Persona, expiresInSeconds?: number): Promise<string>;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  findDevices(trait: string, limit?: number): Promise<{ id: string; deviceName: string; serialNumber: string; userPrincipalName: string; traits: string[] }[]>;
  counters(): Promise<Counters>;
  /** How many times the fault rules set by PUT /_emulator/faults have fired, in total. */
  faultsFired(): Promise<number>;
  /** The console's own Graph client (lib/graph/client.ts) under `persona`'s token. */
  client(persona: Persona, version?: "v1.0" | "beta"): Promise<Client>;
}

/** The GraphError a call that must fail threw. */
export async function failureOf(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error("expected the request to fail");
}

const ENV_KEYS = ["EMULATOR_URL", "ENTRA_CLIENT_ID", "ENTRA_TENANT_ID", "GRAPH_BASE_URL"] as const;

/** Call at the top of a test file. The returned object is filled in beforeAll. */
export function withEmulator(options: {
  fleetSize: number;
  seed?: number;
  approvalPolicy?: "none" | "wipe" | "deviceAction";
  dailyWipeLimit?: number | null;
  /** The emulator's scenario set after the generated fleet (emulator/README.md, "The scenario set"); off unless asked. */
  scenarioDevices?: boolean;
}): Harness {
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};
  let emulator: { url: string; close(): Promise<void> | void } | undefined;
  const tokens = new Map<string, string>();

  const harness: Harness = {
    url: "",
    async client(persona, version = "v1.0") {
      return createGraphClient(await harness.token(persona), { version, graphBaseUrl: harness.url });
    },
    async token(persona, expiresInSeconds) {
      const key = `${persona}:${expiresInSeconds ?? ""}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const minted = await harness.control<{ access_token: string }>("POST", "/_emulator/token", {
        persona,
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      });
      tokens.set(key, minted.access_token);
      return minted.access_token;
    },
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${harness.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async findDevices(trait, limit = 5) {
      const found = await harness.control<{ value: Awaited<ReturnType<Harness["findDevices"]>> }>(
        "GET",
        `/_emulator/devices?trait=${encodeURIComponent(trait)}&limit=${limit}`,
      );
      return found.value;
    },
    counters() {
      return harness.control("GET", "/_emulator/counters");
    },
    async faultsFired() {
      const faults = await harness.control<{ rules: { fired: number }[] }>("GET", "/_emulator/faults");
      return faults.rules.reduce((sum, rule) => sum + rule.fired, 0);
    },
  };

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    delete process.env.ENTRA_CLIENT_ID;
    delete process.env.ENTRA_TENANT_ID;
    delete process.env.GRAPH_BASE_URL;
    const started = await startEmulator({
      port: 0, host: "127.0.0.1", fleetSize: options.fleetSize, seed: options.seed ?? 7,
      approvalPolicy: options.approvalPolicy, dailyWipeLimit: options.dailyWipeLimit ?? null, scenarioDevices: options.scenarioDevices ?? false,
    });
    emulator = started;
    harness.url = started.url.replace(/\/+$/, "");
    process.env.EMULATOR_URL = harness.url;
  });

  afterAll(async () => {
    await emulator?.close();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  return harness;
}
