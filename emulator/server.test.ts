import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
import { CLIENT_ID, TENANT_ID } from "./tenant";
import { testClient } from "./test-client";
import { SCENARIO_DEVICE_COUNT } from "./fleet/scenario";

const APP = "http://localhost:3000";
let emu: RunningEmulator;

const { control, graph, device, devices } = testClient(() => emu);

/** For tests that move the clock, reseed or switch fidelity: an emulator of their own. */
async function withEmulator(options: EmulatorOptions, run: (client: ReturnType<typeof testClient>) => Promise<void>): Promise<void> {
  const own = await startEmulator({ port: 0, appOrigins: [APP], ...options });
  try {
    await run(testClient(() => own));
  } finally {
    await own.close();
  }
}

const KEEP = { keepEnrollmentData: true, keepUserData: false };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dateOf = (headers: Headers) => Date.parse(headers.get("date") ?? "");

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 300, seed: 11, appOrigins: [APP] });
});
afterAll(async () => {
  await emu.close();
});

describe("Graph reads", () => {
  it("pages to the end with nextLink and $count agrees", async () => {
    let url = "/beta/deviceManagement/managedDevices?$filter=operatingSystem eq 'Windows'&$top=37&$count=true&$select=id,deviceName";
    const ids = new Set<string>();
    let count = -1;
    for (let i = 0; i < 50 && url; i++) {
      const { status, json } = await graph("readonly", "GET", url);
      expect(status).toBe(200);
      if (i === 0) count = json["@odata.count"];
      for (const row of json.value) {
        expect(Object.keys(row).sort()).toEqual(["deviceName", "id"]);
        ids.add(row.id);
      }
      url = json["@odata.nextLink"] ? json["@odata.nextLink"].slice(emu.url.length) : "";
    }
    expect(url).toBe("");
    expect(ids.size).toBe(count);
    expect(count).toBeGreaterThan(250);
  });

  it("answers v1.0 without beta-only properties and refuses them in $select", async () => {
    const v1 = await graph("readonly", "GET", "/v1.0/deviceManagement/managedDevices?$top=1");
    expect(v1.json.value[0]).not.toHaveProperty("joinType");
    expect(v1.json.value[0].deviceActionResults).toEqual([]);
    const bad = await graph("readonly", "GET", "/v1.0/deviceManagement/managedDevices?$select=joinType");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("BadRequest");
    const beta = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$top=1&$select=joinType,autopilotEnrolled,managementState");
    expect(beta.json.value[0]).toMatchObject({ joinType: expect.any(String), autopilotEnrolled: expect.any(Boolean), managementState: "managed" });
  });

  it("shapes bad input as Graph errors", async () => {
    const malformed = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$filter=contains(deviceName,'x'");
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "BadRequest", innerError: { "request-id": expect.any(String), date: expect.any(String) } });
    const unknown = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("ResourceNotFound");
    expect((await graph("readonly", "GET", "/beta/deviceManagement/managedDevices/not-a-guid")).status).toBe(400);
    expect((await graph("readonly", "GET", "/beta/deviceManagement/nothingHere")).json.error.code).toBe("ResourceNotFound");
    const id = await device("eligible");
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, "{nope")).status).toBe(400);
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: true, bogus: 1 })).status).toBe(400);
    const big = await graph("helpdesk", "POST", "/beta/$batch", JSON.stringify({ pad: "x".repeat(1_100_000) }));
    expect(big.status).toBe(413);
    const skip = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$skiptoken=garbage!");
    expect(skip.status).toBe(400);
  });

  it("survives hostile requests with shaped answers", async () => {
    const paths = [
      "/beta/deviceManagement/managedDevices?$filter=%E0%A4%A",
      "/beta/deviceManagement/managedDevices/%E0%A4%A",
      "/beta/deviceManagement/managedDevices?$top=99999999999999999999",
      `/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent("(".repeat(5000))}`,
      "/beta/deviceManagement/managedDevices?$select=" + "id,".repeat(2000) + "id",
      "/beta/../../etc/passwd",
      "/beta/deviceManagement/managedDevices('00000000-0000-4000-8000-000000000000')",
      "/v1.0/$batch",
    ];
    for (const p of paths) {
      const res = await graph("readonly", "GET", p);
      expect(res.status, p).toBeLessThan(500);
      if (res.status >= 400) expect(res.json.error.code, p).toEqual(expect.any(String));
    }
    for (const body of ["[]", "null", '{"requests":"x"}', '{"requests":[{"id":"1","method":"GET","url":"http://evil/x"}]}', '{"requests":[{"id":"1","method":"GET","url":"/me","dependsOn":["9"]}]}']) {
      const res = await graph("readonly", "POST", "/beta/$batch", body);
      expect(res.status, body).toBe(400);
    }
    const patched = await graph("helpdesk", "PATCH", "/beta/deviceManagement/managedDevices", {});
    expect(patched.status).toBe(405);
  });

  it("ignores filters on properties without filter support (every row comes back)", async () => {
    const all = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$count=true&$top=1");
    const ignored = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$count=true&$top=1&$filter=joinType eq 'hybridAzureADJoined'");
    expect(ignored.status).toBe(200);
    expect(ignored.json["@odata.count"]).toBe(all.json["@odata.count"]);
  });

  it("fills deviceActionResults only on a single GET with $select", async () => {
    const id = await device("eligible");
    await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`);
    const plain = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}`);
    expect(plain.json.deviceActionResults).toEqual([]);
    const selected = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults,lastSyncDateTime`);
    expect(selected.json.deviceActionResults[0]).toMatchObject({ actionName: "syncDevice", actionState: "pending" });
  });
});

describe("Autopilot identities", () => {
  it("find a device by contains(serialNumber), expand its tag's deployment profile, and read the status only from the list", async () => {
    const devices = (await control<{ value: { id: string; serialNumber: string }[] }>("GET", "/devices?trait=eligible&limit=50")).value;
    const base = "/beta/deviceManagement/windowsAutopilotDeviceIdentities";
    let seenTagged = false;
    let seenUntagged = false;
    for (const device of devices) {
      const list = await graph("readonly", "GET", `${base}?$filter=${encodeURIComponent(`contains(serialNumber,'${device.serialNumber}')`)}`);
      const row = list.json.value.find((r: any) => r.managedDeviceId === device.id);
      expect(row).toBeDefined();
      expect(row.remediationState).toBe("noRemediationRequired");
      const one = await graph("readonly", "GET", `${base}/${row.id}?$expand=deploymentProfile`);
      expect(one.json.deploymentProfileAssignmentStatus).toBe("unknown");
      if (row.groupTag) {
        seenTagged = true;
        expect(row.deploymentProfileAssignmentStatus).toBe("assignedInSync");
        expect(one.json.deploymentProfile).toMatchObject({ "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", displayName: expect.stringMatching(/^Contoso /) });
      } else {
        seenUntagged = true;
        expect(row.deploymentProfileAssignmentStatus).toBe("notAssigned");
        expect(one.json.deploymentProfile).toBeNull();
      }
    }
    expect(seenTagged && seenUntagged).toBe(true);
    const id = (await graph("readonly", "GET", `${base}?$top=1`)).json.value[0].id;
    expect((await graph("readonly", "GET", `${base}/${id}?$expand=owner`)).status).toBe(400);
    expect((await graph("readonly", "GET", `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${id}?$expand=deploymentProfile`)).status).toBe(400);
  });
});

describe("authorization", () => {
  it("refuses missing, garbage and expired tokens with 401 InvalidAuthenticationToken", async () => {
    const none = await graph(null, "GET", "/v1.0/deviceManagement/managedDevices");
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe("InvalidAuthenticationToken");
    const garbage = await graph(null, "GET", "/v1.0/deviceManagement/managedDevices", undefined, { Authorization: "Bearer abc.def.ghi" });
    expect(garbage.status).toBe(401);
    const expired = (await control<{ access_token: string }>("POST", "/token", { persona: "helpdesk", expiresInSeconds: -5 })).access_token;
    const old = await graph(null, "GET", "/v1.0/deviceManagement/managedDevices", undefined, { Authorization: `Bearer ${expired}` });
    expect(old.status).toBe(401);
    expect(old.json.error.message).toMatch(/expired/);
  });

  it("tells a missing scope from a missing Intune role", async () => {
    const id = await device("eligible");
    const scope = await graph("noconsent", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: true, keepUserData: false });
    expect(scope.status).toBe(403);
    expect(scope.json.error.code).toBe("Forbidden");
    expect(JSON.parse(scope.json.error.message).Message).toMatch(/DeviceManagementManagedDevices\.PrivilegedOperations\.All/);
    const role = await graph("endpointsecurity", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: true, keepUserData: false });
    expect(role.status).toBe(403);
    expect(role.json.error.code).toBe("UnknownError");
    expect(JSON.parse(role.json.error.message).ErrorCode).toBe("Forbidden");
    expect((await graph("endpointsecurity", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`)).status).toBe(204);
    expect((await graph("readonly", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`)).status).toBe(403);
  });

  it("reports effective permissions in the rolePermission shape", async () => {
    const res = await graph("endpointsecurity", "GET", "/beta/deviceManagement/getEffectivePermissions(scope='')");
    const ra = res.json.value[0].resourceActions[0];
    expect(ra.allowedResourceActions).toContain("Microsoft.Intune_RemoteTasks_SyncDevice");
    expect(ra.notAllowedResourceActions).toContain("Microsoft.Intune_RemoteTasks_Wipe");
  });
});

describe("actions, batch, throttling and faults", () => {
  it("records a wipe (pending, audit) and finishes it after sync + clock advance", async () => {
    const id = await device("eligible", ["silentWipe"]);
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: "true", keepUserData: "false" })).status).toBe(204);
    const state = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults,managementState`);
    expect(state.json.managementState).toBe("wipePending");
    expect(state.json.deviceActionResults.find((a: any) => a.actionName === "wipe").actionState).toBe("pending");
    const audits = await graph("readonly", "GET", `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'`);
    expect(audits.json.value[0]).toMatchObject({ action: "factoryResetKeepEnrollmentData", actionState: "pending", deviceActionCategory: "single", initiatedByUserPrincipalName: "MeganB@contoso.onmicrosoft.com" });
    await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`);
    await control("POST", "/clock/advance", { seconds: 60 });
    const done = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults,userPrincipalName,managementState`);
    expect(done.json.deviceActionResults.find((a: any) => a.actionName === "wipe").actionState).toBe("done");
    expect(done.json.userPrincipalName).toBe("");
    const counters = await control<{ wipes: Record<string, number> }>("GET", "/counters");
    expect(counters.wipes[id]).toBe(1);
  });

  it("executeAction answers the bulk result shape", async () => {
    const ids = (await control<{ value: { id: string }[] }>("GET", "/devices?trait=eligible&limit=3")).value.map((d) => d.id);
    const res = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", { actionName: "syncDevice", deviceIds: [...ids, "00000000-0000-4000-8000-000000000000"] });
    expect(res.status).toBe(200);
    // At the JSON root, as the schema's return type (fidelity bulkResultShape "root", the default).
    expect(res.json.successfulDeviceIds).toEqual(ids);
    expect(res.json.notFoundDeviceIds).toEqual(["00000000-0000-4000-8000-000000000000"]);
    expect(res.json).not.toHaveProperty("value");
    expect((await graph("helpdesk", "POST", "/v1.0/deviceManagement/managedDevices/executeAction", { actionName: "syncDevice", deviceIds: ids })).status).toBe(400);
  });

  it("limits $batch to 20 and throttles sub-requests on their own", async () => {
    const id = await device("eligible");
    const req = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/deviceManagement/managedDevices/${id}?$select=id` }));
    expect((await graph("readonly", "POST", "/beta/$batch", { requests: req(21) })).status).toBe(400);
    await control("PUT", "/faults", { rules: [{ fault: "throttle", pathContains: "/managedDevices/", every: 2, retryAfterSeconds: 2.5 }] });
    const res = await graph("readonly", "POST", "/beta/$batch", { requests: req(20) });
    await control("DELETE", "/faults");
    expect(res.status).toBe(200);
    const statuses = res.json.responses.map((r: any) => r.status);
    expect(statuses.filter((s: number) => s === 429)).toHaveLength(10);
    expect(statuses.filter((s: number) => s === 200)).toHaveLength(10);
    const throttled = res.json.responses.find((r: any) => r.status === 429);
    // Whole seconds, rounded up (RFC 9110 delay-seconds).
    expect(throttled.headers["Retry-After"]).toBe("3");
    expect(throttled.body.error.code).toBe("TooManyRequests");
  });

  it("latencyMs: the work is done at arrival and the answer waits out the rest, so answers sent side by side come back together", async () => {
    const ids = await devices("eligible", 2);
    await control("DELETE", "/counters");
    // A real second of latency (setTimeout, not the emulator clock, is what latencyMs holds): long enough that the
    // counters, read through the control API meanwhile, are seen before either answer.
    await control("PUT", "/faults", { latencyMs: 1_000 });
    try {
      let answered = 0;
      const started = performance.now();
      const writes = ids.map((id) =>
        graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP).then((r) => {
          answered++;
          return r;
        }),
      );
      await expect.poll(async () => Object.keys((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes).length, { interval: 20 }).toBe(2);
      expect(answered).toBe(0);
      const replies = await Promise.all(writes);
      expect(replies.map((r) => r.status)).toEqual([204, 204]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      await control("DELETE", "/faults");
    }
  });

  it("applied-then-5xx applies the wipe and answers 503", async () => {
    const id = await device("eligible");
    await control("DELETE", "/counters");
    await control("PUT", "/faults", { rules: [{ fault: "applied-then-5xx", method: "POST", pathContains: "/wipe", times: 1 }] });
    const first = await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: true, keepUserData: false });
    expect(first.status).toBe(503);
    expect(first.json.error.code).toBe("ServiceUnavailable");
    const second = await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: true, keepUserData: false });
    expect(second.status).toBe(204);
    await control("DELETE", "/faults");
    const counters = await control<{ wipes: Record<string, number> }>("GET", "/counters");
    expect(counters.wipes[id]).toBe(2);
  });

  it("throttles real writes at 200 per 20 s with a Retry-After", async () => {
    const other = await startEmulator({ port: 0, fleetSize: 20, seed: 3 });
    try {
      const t = (await (await fetch(`${other.url}/_emulator/token`, { method: "POST", body: JSON.stringify({ persona: "intuneadmin" }) })).json()).access_token;
      const id = (await (await fetch(`${other.url}/_emulator/devices?trait=eligible&limit=1`)).json()).value[0].id;
      const statuses: number[] = [];
      let retryAfter = "";
      for (let i = 0; i < 205; i++) {
        const res = await fetch(`${other.url}/beta/deviceManagement/managedDevices/${id}/syncDevice`, { method: "POST", headers: { Authorization: `Bearer ${t}` } });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("Retry-After") ?? "";
        await res.arrayBuffer();
      }
      expect(statuses.filter((s) => s === 204)).toHaveLength(200);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(10);
      expect(Number(retryAfter)).toBeLessThanOrEqual(20);
      // The windows run on Graph's clock: moving it past them frees them, as 20 s passing would.
      await fetch(`${other.url}/_emulator/clock/advance`, { method: "POST", body: JSON.stringify({ seconds: 20 }) });
      const after = await fetch(`${other.url}/beta/deviceManagement/managedDevices/${id}/syncDevice`, { method: "POST", headers: { Authorization: `Bearer ${t}` } });
      expect(after.status).toBe(204);
    } finally {
      await other.close();
    }
  });
});

describe("Graph's clock in the Date header", () => {
  it("stamps Graph answers with the emulator clock, not the machine's, and exposes Date to the app", async () => {
    await withEmulator({ fleetSize: 40, seed: 5, silentWipes: "none" }, async ({ control, graph, device }) => {
      const before = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$top=1", undefined, { Origin: APP });
      expect(Math.abs(dateOf(before.headers) - Date.now())).toBeLessThan(2000);
      expect(before.headers.get("access-control-expose-headers")).toMatch(/(^|, )Date(,|$)/);
      expect(before.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);

      await control("POST", "/clock/advance", { seconds: 3600 });
      const ahead = (headers: Headers) => (dateOf(headers) - Date.now()) / 1000;
      const list = await graph("readonly", "GET", "/beta/deviceManagement/managedDevices?$top=1");
      expect(ahead(list.headers)).toBeGreaterThan(3597);
      expect(ahead(list.headers)).toBeLessThan(3602);
      const batch = await graph("readonly", "POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/me" }] });
      expect(ahead(batch.headers)).toBeGreaterThan(3597);
      const refused = await graph(null, "GET", "/v1.0/deviceManagement/managedDevices");
      expect(refused.status).toBe(401);
      expect(ahead(refused.headers)).toBeGreaterThan(3597);
      expect(Math.abs(Date.parse(`${refused.json.error.innerError.date}Z`) - dateOf(refused.headers))).toBeLessThan(2000);

      const id = await device("eligible");
      const wipe = await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP);
      expect(wipe.status).toBe(204);
      const read = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults`);
      const started = Date.parse(read.json.deviceActionResults.find((a: any) => a.actionName === "wipe").startDateTime);
      expect(Math.abs(started - dateOf(wipe.headers))).toBeLessThanOrEqual(2000);
      const audits = await graph("readonly", "GET", `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'`);
      expect(Math.abs(Date.parse(audits.json.value[0].requestDateTime) - dateOf(wipe.headers))).toBeLessThanOrEqual(2000);
    });
  });
});

describe("slow writes (writeLatencyMs)", () => {
  it("holds writes before they land; reads meanwhile neither see them nor wait", async () => {
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "PUT", body: JSON.stringify({ writeLatencyMs: 120_001 }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/writeLatencyMs/);
    const id = await device("eligible", ["silentWipe"]);
    await control("DELETE", "/counters");
    expect(await control("PUT", "/faults", { writeLatencyMs: 1000 })).toEqual({ latencyMs: 0, writeLatencyMs: 1000, rules: [], held: [], landsLater: [] });
    try {
      const t0 = Date.now();
      const wipe = graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP);
      await sleep(300);
      const readStart = Date.now();
      const during = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=managementState`);
      expect(Date.now() - readStart).toBeLessThan(500);
      expect(during.json.managementState).toBe("managed");
      expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id]).toBeUndefined();
      expect((await wipe).status).toBe(204);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
      const after = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=managementState`);
      expect(after.json.managementState).toBe("wipePending");

      const timed = async (body: unknown, path = "/beta/$batch") => {
        const start = Date.now();
        const res = await graph("helpdesk", "POST", path, body);
        return { status: res.status, ms: Date.now() - start };
      };
      const reads = await timed({ requests: [{ id: "1", method: "GET", url: `/deviceManagement/managedDevices/${id}` }] });
      expect(reads.ms).toBeLessThan(500);
      const writes = await timed({ requests: [{ id: "1", method: "GET", url: `/deviceManagement/managedDevices/${id}` }, { id: "2", method: "POST", url: `/deviceManagement/managedDevices/${id}/syncDevice` }] });
      expect(writes.ms).toBeGreaterThanOrEqual(990);
      expect(writes.ms).toBeLessThan(1900);
      const bulk = await timed({ actionName: "syncDevice", deviceIds: [id] }, "/beta/deviceManagement/managedDevices/executeAction");
      expect(bulk).toMatchObject({ status: 200 });
      expect(bulk.ms).toBeGreaterThanOrEqual(990);
      expect((await control<{ syncs: Record<string, number> }>("GET", "/counters")).syncs[id]).toBe(2);
    } finally {
      expect(await control("DELETE", "/faults")).toMatchObject({ writeLatencyMs: 0 });
    }
  });

  it("applies a slow write even when the caller goes away during the wait", async () => {
    const id = await device("eligible");
    await control("DELETE", "/counters");
    await control("PUT", "/faults", { writeLatencyMs: 1000 });
    try {
      const t0 = Date.now();
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 200);
      await expect(graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP, {}, abort.signal)).rejects.toThrow();
      expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id]).toBeUndefined();
      await sleep(1500 - (Date.now() - t0));
      expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id]).toBe(1);
      expect((await control<{ managementState: string }>("GET", `/devices/${id}`)).managementState).toBe("wipePending");
    } finally {
      await control("DELETE", "/faults");
    }
  });
});

describe("slow rules (fault: slow)", () => {
  it("hold only the requests they match, a batch once for its slowest sub-request, and the write lands after the wait", async () => {
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "PUT", body: JSON.stringify({ rules: [{ fault: "slow" }] }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/delayMs/);
    const slowId = await device("eligible", ["silentWipe"]);
    const otherId = (await control<{ value: { id: string }[] }>("GET", "/devices?trait=eligible&limit=50")).value.map((d) => d.id).find((id) => id !== slowId)!;
    await control("PUT", "/faults", { rules: [{ fault: "slow", pathContains: slowId, delayMs: 1000 }] });
    try {
      const timed = async (method: string, path: string, body?: unknown) => {
        const start = Date.now();
        const res = await graph("helpdesk", method, path, body);
        return { status: res.status, ms: Date.now() - start };
      };
      const other = await timed("GET", `/beta/deviceManagement/managedDevices/${otherId}?$select=id`);
      expect(other.ms).toBeLessThan(500);
      const wipe = timed("POST", `/beta/deviceManagement/managedDevices/${slowId}/wipe`, KEEP);
      await sleep(300);
      expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[slowId] ?? 0).toBe(0);
      expect(await wipe).toMatchObject({ status: 204 });
      expect((await wipe).ms).toBeGreaterThanOrEqual(990);
      const batch = await timed("POST", "/beta/$batch", {
        requests: [
          { id: "1", method: "GET", url: `/deviceManagement/managedDevices/${otherId}` },
          { id: "2", method: "GET", url: `/deviceManagement/managedDevices/${slowId}` },
        ],
      });
      expect(batch.ms).toBeGreaterThanOrEqual(990);
      expect(batch.ms).toBeLessThan(1900);
      expect((await control<{ rules: { fired: number }[] }>("GET", "/faults")).rules[0]!.fired).toBe(2);
    } finally {
      await control("DELETE", "/faults");
    }
  });
});

describe("silent wipes (fidelity)", () => {
  type Listed = { value: { id: string; traits: string[] }[] };

  it("switches none/some/all, shows the subset as a trait and in the summary, and keeps the switch across reseed", async () => {
    await withEmulator({ fleetSize: 200, seed: 9 }, async ({ control }) => {
      expect(await control("GET", "/fidelity")).toEqual({ silentWipes: "some", bulkResultShape: "root", memberCasts: "advanced", approvalRequired: "403" });
      const some = (await control<Listed>("GET", "/devices?trait=silentWipe&limit=1000")).value;
      expect(some.length).toBeGreaterThan(30);
      expect(some.length).toBeLessThan(70);
      expect(some.some((d) => d.traits.includes("eligible"))).toBe(true);
      const loud = (await control<Listed>("GET", "/devices?trait=eligible&limit=1000")).value.find((d) => !d.traits.includes("silentWipe"))!;
      expect((await control<{ silentWipe: boolean }>("GET", `/devices/${some[0]!.id}`)).silentWipe).toBe(true);
      expect((await control<{ silentWipe: boolean }>("GET", `/devices/${loud.id}`)).silentWipe).toBe(false);

      for (const body of [{}, { silentWipes: "most" }, { silentWipes: "all", other: 1 }, []]) {
        await expect(control("PUT", "/fidelity", body), JSON.stringify(body)).rejects.toThrow(/: 400 /);
      }
      expect(await control("PUT", "/fidelity", { silentWipes: "none" })).toMatchObject({ silentWipes: "none" });
      expect((await control<Listed>("GET", "/devices?trait=silentWipe&limit=1000")).value).toHaveLength(0);
      expect(await control("PUT", "/fidelity", { silentWipes: "all" })).toMatchObject({ silentWipes: "all" });
      await control("POST", "/reseed", { size: 50 });
      expect(await control("GET", "/fidelity")).toMatchObject({ silentWipes: "all" });
      // Every device, the scenario set after the 50 generated ones included.
      expect((await control<Listed>("GET", "/devices?trait=silentWipe&limit=1000")).value).toHaveLength(50 + SCENARIO_DEVICE_COUNT);
      await control("PUT", "/fidelity", { silentWipes: "some" });
      await control("POST", "/reseed", { size: 200 });
      expect((await control<Listed>("GET", "/devices?trait=silentWipe&limit=1000")).value.map((d) => d.id)).toEqual(some.map((d) => d.id));
    });
  });

  it("a silent device's wipe does everything but show in deviceActionResults, and its audit follows the lifecycle", async () => {
    const id = (await control<Listed>("GET", "/devices?trait=silentWipe&limit=1000")).value.find((d) => d.traits.includes("eligible"))!.id;
    await control("DELETE", "/counters");
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`)).status).toBe(204);
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP)).status).toBe(204);
    const select = `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults,managementState`;
    const pending = await graph("readonly", "GET", select);
    expect(pending.json.managementState).toBe("wipePending");
    expect(pending.json.deviceActionResults.map((a: any) => a.actionName)).toEqual(["syncDevice"]);
    const autopilot = await graph("readonly", "GET", `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=managedDeviceId eq '${id}'`);
    expect(autopilot.json.value[0].enrollmentState).toBe("pendingReset");
    const audits = `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'&$orderby=requestDateTime desc&$top=50`;
    expect((await graph("readonly", "GET", audits)).json.value[0]).toMatchObject({ action: "factoryResetKeepEnrollmentData", actionState: "pending", managedDeviceId: id });
    expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id]).toBe(1);

    await control("POST", "/clock/advance", { seconds: 20 });
    expect((await graph("readonly", "GET", audits)).json.value[0].actionState).toBe("active");
    await control("POST", "/clock/advance", { seconds: 40 });
    expect((await graph("readonly", "GET", audits)).json.value[0].actionState).toBe("done");
    const done = await graph("readonly", "GET", select);
    expect(done.json.managementState).toBe("managed");
    expect(done.json.deviceActionResults).toEqual([expect.objectContaining({ actionName: "syncDevice", actionState: "done" })]);
    const summary = await control<{ silentWipe: boolean; wipe: string; deviceActionResults: { actionName: string }[] }>("GET", `/devices/${id}`);
    expect(summary).toMatchObject({ silentWipe: true, wipe: "done" });
    expect(summary.deviceActionResults.map((a) => a.actionName)).toContain("wipe");
  });

  it("leaves wipes sent in $batch and executeAction out too, and a WinRE-disabled device's audit ends failed", async () => {
    await withEmulator({ fleetSize: 60, seed: 21, silentWipes: "all" }, async ({ control, graph, device }) => {
      const eligible = await device("eligible");
      const winre = await device("winreDisabled");
      const batch = await graph("helpdesk", "POST", "/beta/$batch", { requests: [{ id: "1", method: "POST", url: `/deviceManagement/managedDevices/${eligible}/wipe`, body: KEEP, headers: { "Content-Type": "application/json" } }] });
      expect(batch.json.responses[0].status).toBe(204);
      const bulk = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", { actionName: "wipe", deviceIds: [winre], ...KEEP });
      expect(bulk.json.successfulDeviceIds).toEqual([winre]);
      for (const id of [eligible, winre]) await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/syncDevice`);
      const audit = async (id: string) => (await graph("readonly", "GET", `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'&$orderby=requestDateTime desc&$top=50`)).json.value[0];
      expect(await audit(eligible)).toMatchObject({ actionState: "pending", deviceActionCategory: "single" });
      expect(await audit(winre)).toMatchObject({ actionState: "pending", deviceActionCategory: "bulk" });
      await control("POST", "/clock/advance", { seconds: 60 });
      expect((await audit(eligible)).actionState).toBe("done");
      expect((await audit(winre)).actionState).toBe("failed");
      for (const [id, managementState] of [[eligible, "managed"], [winre, "wipeFailed"]] as const) {
        const read = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=deviceActionResults,managementState`);
        expect(read.json.managementState).toBe(managementState);
        expect(read.json.deviceActionResults.map((a: any) => a.actionName)).toEqual(["syncDevice"]);
      }
      expect(await control("GET", "/counters")).toMatchObject({ wipes: { [eligible]: 1, [winre]: 1 } });
    });
  });

  it("lists one device's audits newest first with $filter=managedDeviceId, $orderby and $top", async () => {
    await withEmulator({ fleetSize: 60, seed: 4 }, async ({ control, graph }) => {
      const [id, other] = (await control<Listed>("GET", "/devices?trait=eligible&limit=2")).value.map((d) => d.id) as [string, string];
      await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${other}/wipe`, KEEP);
      await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, KEEP);
      await control("POST", "/clock/advance", { seconds: 5 });
      await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/wipe`, { keepEnrollmentData: false, keepUserData: false });
      const res = await graph("readonly", "GET", `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id}'&$orderby=requestDateTime desc&$top=50`);
      expect(res.status).toBe(200);
      expect(res.json.value).toHaveLength(2);
      expect(res.json.value.every((a: any) => a.managedDeviceId === id)).toBe(true);
      expect(res.json.value.map((a: any) => a.action)).toEqual(["factoryReset", "factoryResetKeepEnrollmentData"]);
      expect(Date.parse(res.json.value[0].requestDateTime)).toBeGreaterThan(Date.parse(res.json.value[1].requestDateTime));
      const first = await graph("readonly", "GET", `/beta/deviceManagement/remoteActionAudits?$filter=managedDeviceId eq '${id.toUpperCase()}'&$orderby=requestDateTime desc&$top=1`);
      expect(first.json.value.map((a: any) => a.id)).toEqual([res.json.value[0].id]);
      expect(first.json["@odata.nextLink"]).toEqual(expect.any(String));
    });
  });
});

describe("Entra authority", () => {
  it("serves discovery matching the app's authority metadata", async () => {
    const doc = await (await fetch(`${emu.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`)).json();
    const authority = `${emu.url}/${TENANT_ID}`;
    expect(doc).toMatchObject({
      issuer: `${authority}/v2.0`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    });
    const keys = await (await fetch(doc.jwks_uri)).json();
    expect(keys.keys[0]).toMatchObject({ kty: "RSA", use: "sig", kid: expect.any(String) });
  });

  it("runs authorization code + PKCE, then refresh, with client_info and nonce", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const params = new URLSearchParams({
      client_id: CLIENT_ID, redirect_uri: `${APP}/`, response_type: "code", response_mode: "fragment", scope: "https://graph.microsoft.com/.default openid profile offline_access",
      state: "s1", nonce: "n1", code_challenge: challenge, code_challenge_method: "S256",
    });
    const pagesHtml = await (await fetch(`${emu.url}/${TENANT_ID}/oauth2/v2.0/authorize?${params}`)).text();
    expect(pagesHtml).toContain("Pick an account");
    expect(pagesHtml).toMatch(/<button[^>]*aria-label="Megan Bowen, /);
    const form = new URLSearchParams(params);
    form.set("persona", "helpdesk");
    const posted = await fetch(`${emu.url}/${TENANT_ID}/oauth2/v2.0/authorize`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect(posted.status).toBe(302);
    const location = new URL(posted.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${APP}/`);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get("state")).toBe("s1");
    const tokenUrl = `${emu.url}/${TENANT_ID}/oauth2/v2.0/token`;
    const redeem = (verifierToUse: string) =>
      fetch(tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: APP },
        body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: "authorization_code", code: fragment.get("code")!, redirect_uri: `${APP}/`, code_verifier: verifierToUse, scope: params.get("scope")! }),
      });
    const wrong = await redeem("x".repeat(43));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error_description).toMatch(/^AADSTS50148/);
    const ok = await redeem(verifier);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    const body = await ok.json();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600 });
    expect(JSON.parse(Buffer.from(body.client_info, "base64url").toString())).toEqual({ uid: expect.any(String), utid: TENANT_ID });
    const id = decodeJwt(body.id_token);
    expect(id).toMatchObject({ aud: CLIENT_ID, nonce: "n1", tid: TENANT_ID, iss: `${emu.url}/${TENANT_ID}/v2.0`, preferred_username: "MeganB@contoso.onmicrosoft.com" });
    const again = await redeem(verifier);
    expect((await again.json()).error).toBe("invalid_grant");
    const refreshed = await fetch(tokenUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: body.refresh_token }) });
    const rb = await refreshed.json();
    expect(rb.access_token).toBeTruthy();
    const me = await fetch(`${emu.url}/v1.0/me`, { headers: { Authorization: `Bearer ${rb.access_token}` } });
    expect((await me.json()).userPrincipalName).toBe("MeganB@contoso.onmicrosoft.com");
  });

  it("refuses unregistered redirect URIs with an error page, never a redirect", async () => {
    const res = await fetch(`${emu.url}/${TENANT_ID}/oauth2/v2.0/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent("https://evil.example/")}&response_type=code`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("AADSTS50011");
  });

  it("answers CORS preflights for app origins only", async () => {
    const ok = await fetch(`${emu.url}/v1.0/deviceManagement/managedDevices`, { method: "OPTIONS", headers: { Origin: APP, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization,sdkversion,client-request-id,retry-attempt" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/sdkversion/i);
    const other = await fetch(`${emu.url}/v1.0/deviceManagement/managedDevices`, { method: "OPTIONS", headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
