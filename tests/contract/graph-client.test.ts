/**
 * The emulator driven through the real @microsoft/microsoft-graph-client with lib/graph's middleware chain:
 * $select, every refusal shape mapped to its kind, RetryHandler honouring Retry-After, and a 20-request $batch.
 */
import { describe, expect, it, afterEach } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { createGraphClient } from "@/lib/graph/client";
import { mapGraphError } from "@/lib/graph/errors";
import { SCOPE_NAMES } from "@/lib/auth/scopes";
import { withEmulator, type Persona } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 300 });

async function client(persona: Persona, version: "v1.0" | "beta" = "beta"): Promise<Client> {
  return createGraphClient(await emulator.token(persona), { version, graphBaseUrl: emulator.url });
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

const WIPE_BODY = { keepEnrollmentData: true, keepUserData: false };
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

afterEach(async () => {
  await emulator.control("DELETE", "/_emulator/faults");
});

describe("reading", () => {
  it("honours $select and $top", async () => {
    const graph = await client("helpdesk");
    const page = await graph.api("/deviceManagement/managedDevices").select(["id", "deviceName"]).top(5).get();
    expect(page.value).toHaveLength(5);
    for (const row of page.value as Record<string, unknown>[]) {
      expect(Object.keys(row).filter((key) => !key.startsWith("@odata")).sort()).toEqual(["deviceName", "id"]);
    }
  });

  it("leaves beta-only properties out of v1.0", async () => {
    const v1 = await (await client("helpdesk", "v1.0")).api("/deviceManagement/managedDevices").top(3).get();
    const beta = await (await client("helpdesk", "beta")).api("/deviceManagement/managedDevices").top(3).get();
    expect(v1.value[0]).not.toHaveProperty("joinType");
    expect(beta.value[0]).toHaveProperty("joinType");
  });
});

describe("refusals map to the right kind", () => {
  it("readonly wipe -> forbidden-role", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const error = await failure((await client("readonly", "v1.0")).api(`/deviceManagement/managedDevices/${device!.id}/wipe`).post(WIPE_BODY));
    expect(mapGraphError(error, { write: true })).toMatchObject({ kind: "forbidden-role" });
  });

  it("noconsent wipe -> forbidden-consent naming the scope", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const error = await failure((await client("noconsent", "v1.0")).api(`/deviceManagement/managedDevices/${device!.id}/wipe`).post(WIPE_BODY));
    const mapped = mapGraphError(error, { write: true });
    expect(mapped).toMatchObject({ kind: "forbidden-consent", missingScope: SCOPE_NAMES.privilegedOperations });
    expect(mapped.message).toContain(SCOPE_NAMES.privilegedOperations);
    expect(mapped.requestId).toBeTruthy();
  });

  it("endpoint security manager may sync but not wipe", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const graph = await client("endpointsecurity", "v1.0");
    await graph.api(`/deviceManagement/managedDevices/${device!.id}/syncDevice`).post(undefined);
    const error = await failure(graph.api(`/deviceManagement/managedDevices/${device!.id}/wipe`).post(WIPE_BODY));
    expect(mapGraphError(error).kind).toBe("forbidden-role");
  });

  it("expired and forged tokens -> unauthenticated", async () => {
    const expired = await emulator.token("helpdesk", -60);
    const valid = await emulator.token("helpdesk");
    const [header, payload, signature] = valid.split(".");
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    for (const token of [expired, forged]) {
      const graph = createGraphClient(token, { version: "beta", graphBaseUrl: emulator.url });
      const error = await failure(graph.api("/deviceManagement/managedDevices").top(1).get());
      expect(mapGraphError(error).kind).toBe("unauthenticated");
    }
  });

  it("unknown id -> not-found", async () => {
    const error = await failure((await client("helpdesk")).api(`/deviceManagement/managedDevices/${UNKNOWN_ID}`).get());
    expect(mapGraphError(error).kind).toBe("not-found");
  });

  it("malformed filter -> invalid", async () => {
    const error = await failure((await client("helpdesk")).api("/deviceManagement/managedDevices").filter("deviceName eq").get());
    expect(mapGraphError(error).kind).toBe("invalid");
  });
});

describe("throttling", () => {
  it("RetryHandler waits out Retry-After on a throttled GET, then succeeds", async () => {
    await emulator.control("PUT", "/_emulator/faults", {
      rules: [{ fault: "throttle", method: "GET", pathContains: "/managedDevices", times: 1, retryAfterSeconds: 1 }],
    });
    const before = await emulator.counters();
    const started = Date.now();
    const page = await (await client("helpdesk")).api("/deviceManagement/managedDevices").top(2).get();
    expect(page.value).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await emulator.counters()).throttled).toBe(before.throttled + 1);
  });

  it("a GET throttled without Retry-After, or answered 503, is retried with backoff and succeeds", async () => {
    await emulator.control("PUT", "/_emulator/faults", {
      rules: [
        { fault: "throttle-no-retry-after", method: "GET", pathContains: "/managedDevices", times: 1 },
        { fault: "unavailable", method: "GET", pathContains: "/managedDevices", times: 1 },
      ],
    });
    const page = await (await client("helpdesk")).api("/deviceManagement/managedDevices").top(1).get();
    expect(page.value).toHaveLength(1);
    expect(await emulator.faultsFired()).toBe(2);
  });

  it("a throttled write is not resent by the client", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    await emulator.control("DELETE", "/_emulator/counters");
    await emulator.control("PUT", "/_emulator/faults", {
      rules: [{ fault: "throttle", method: "POST", pathContains: "/syncDevice", times: 1, retryAfterSeconds: 0 }],
    });
    const error = await failure((await client("helpdesk", "v1.0")).api(`/deviceManagement/managedDevices/${device!.id}/syncDevice`).post(undefined));
    expect(mapGraphError(error, { write: true }).kind).toBe("throttled");
    const counters = await emulator.counters();
    expect(counters.syncs[device!.id] ?? 0).toBe(0);
    expect(counters.requests).toBe(1);
  });
});

describe("timeouts", () => {
  it("a wipe that never answers times out as unclear and is not resent", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    await emulator.control("DELETE", "/_emulator/counters");
    await emulator.control("PUT", "/_emulator/faults", { rules: [{ fault: "timeout", method: "POST", pathContains: "/wipe", times: 1 }] });
    const graph = createGraphClient(await emulator.token("helpdesk"), { version: "v1.0", graphBaseUrl: emulator.url, timeoutMs: 500 });
    const started = Date.now();
    const error = await failure(graph.api(`/deviceManagement/managedDevices/${device!.id}/wipe`).post(WIPE_BODY));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(mapGraphError(error, { write: true }).kind).toBe("unclear");
    expect(await emulator.faultsFired()).toBe(1);
    expect((await emulator.counters()).requests).toBe(1);
  });
});

describe("$batch", () => {
  interface BatchResponse {
    responses: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
  }

  it("answers 20 requests one by one, throttling some on their own", async () => {
    const devices = await emulator.findDevices("eligible", 20);
    expect(devices).toHaveLength(20);
    await emulator.control("DELETE", "/_emulator/counters");
    await emulator.control("PUT", "/_emulator/faults", {
      rules: [{ fault: "throttle", pathContains: "/syncDevice", every: 4, retryAfterSeconds: 2 }],
    });
    const requests = devices.map((device, index) => ({
      id: String(index + 1),
      method: "POST",
      url: `/deviceManagement/managedDevices/${device.id}/syncDevice`,
      headers: { "Content-Type": "application/json" },
      body: {},
    }));
    const batch: BatchResponse = await (await client("helpdesk", "v1.0")).api("/$batch").post({ requests });
    expect(await emulator.faultsFired()).toBe(5);
    expect(batch.responses).toHaveLength(20);
    const throttled = batch.responses.filter((response) => response.status === 429);
    const accepted = batch.responses.filter((response) => response.status === 204);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.length + accepted.length).toBe(20);
    for (const response of throttled) expect(Number(response.headers?.["Retry-After"])).toBeGreaterThan(0);
    const counters = await emulator.counters();
    const synced = Object.values(counters.syncs).reduce((sum, count) => sum + count, 0);
    expect(synced).toBe(accepted.length);
    for (const response of accepted) expect(counters.syncs[devices[Number(response.id) - 1]!.id]).toBe(1);
  });

  it("refuses a batch of more than 20 as invalid", async () => {
    const requests = Array.from({ length: 21 }, (_, index) => ({ id: String(index + 1), method: "GET", url: "/deviceManagement/managedDevices?$top=1" }));
    const error = await failure((await client("helpdesk", "v1.0")).api("/$batch").post({ requests }));
    expect(mapGraphError(error).kind).toBe("invalid");
  });
});
