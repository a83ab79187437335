/** The daily wipe limit: a sliding 24 hours of the emulator clock, per tenant, over single, $batch and bulk wipes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { base64, testClient } from "./test-client";
import { DAY_MS, DailyWipeLimit, parseDailyWipeLimit } from "./wipe-limit";

describe("DailyWipeLimit", () => {
  it("counts over a sliding day and says when the next wipe fits", () => {
    const limit = new DailyWipeLimit(2);
    limit.record(1_000);
    limit.record(5_000);
    expect(limit.room(6_000)).toBe(0);
    expect(limit.nextRoomAt(6_000)).toBe(1_000 + DAY_MS);
    expect(limit.room(1_000 + DAY_MS)).toBe(1);
    expect(new DailyWipeLimit(null).room(0)).toBe(Infinity);
  });

  it("parses the environment's and the control API's values", () => {
    expect(parseDailyWipeLimit("500")).toBe(500);
    expect(parseDailyWipeLimit(0)).toBe(0);
    expect(parseDailyWipeLimit("none")).toBeNull();
    expect(parseDailyWipeLimit(null)).toBeNull();
    for (const bad of ["lots", -1, 1.5, "1e3", 2_000_000]) expect(typeof parseDailyWipeLimit(bad)).toBe("string");
  });
});

let emu: RunningEmulator;
const { control, graph, devices } = testClient(() => emu);
const RESET = { keepEnrollmentData: true, keepUserData: false };
const wipe = (id: string) => `/v1.0/deviceManagement/managedDevices/${id}/wipe`;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 120, seed: 33, silentWipes: "none" });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control("DELETE", "/wipe-limit");
  await control("DELETE", "/approval-policies");
  await control("DELETE", "/counters");
});

describe("the daily wipe limit", () => {
  it("defaults to 500 and is set through the control API", async () => {
    expect(await control("GET", "/wipe-limit")).toMatchObject({ limit: 500, used: 0, windowSeconds: 86_400 });
    for (const body of [{}, { limit: -1 }, { limit: "many" }, { limit: 3, other: 1 }]) {
      await expect(control("PUT", "/wipe-limit", body), JSON.stringify(body)).rejects.toThrow(/: 400 /);
    }
    expect(await control("PUT", "/wipe-limit", { limit: null })).toMatchObject({ limit: null });
  });

  it("refuses the wipe past the limit, saying when the oldest counted wipe leaves the window; a day later it fits again", async () => {
    await control("PUT", "/wipe-limit", { limit: 3 });
    const ids = await devices("eligible", 4);
    expect((await graph("helpdesk", "POST", wipe(ids[0]!), RESET)).status).toBe(204);
    const firstAt = Date.parse((await control<{ clock: string }>("GET", "/info")).clock);
    await control("POST", "/clock/advance", { seconds: 600 });
    expect((await graph("helpdesk", "POST", wipe(ids[1]!), { keepEnrollmentData: false })).status).toBe(204);
    // A duplicate wipe of a device in flight is accepted, so it counts too; a sync does not.
    expect((await graph("helpdesk", "POST", wipe(ids[1]!), RESET)).status).toBe(204);
    expect((await graph("helpdesk", "POST", `/v1.0/deviceManagement/managedDevices/${ids[2]}/syncDevice`)).status).toBe(204);

    const refused = await graph("helpdesk", "POST", wipe(ids[3]!), RESET);
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("DailyLimitExceeded");
    expect(refused.json.error.message).toMatch(/daily limit of 3 wipes/);
    const leaves = /leaves the window at (\S+);/.exec(refused.json.error.message)![1]!;
    expect(Math.abs(Date.parse(leaves) - (firstAt + DAY_MS))).toBeLessThan(2_000);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(86_400 - 700);
    const counters = await control<{ wipes: Record<string, number>; dailyLimitRefusals: number; wipesInDailyWindow: number }>("GET", "/counters");
    expect(counters.wipes[ids[3]!]).toBeUndefined();
    expect(counters).toMatchObject({ dailyLimitRefusals: 1, wipesInDailyWindow: 3 });

    await control("POST", "/clock/advance", { seconds: 86_400 - 600 });
    expect((await graph("helpdesk", "POST", wipe(ids[3]!), RESET)).status).toBe(204);
  });

  it("judges each wipe of a $batch on its own: those past the limit refuse individually", async () => {
    await control("PUT", "/wipe-limit", { limit: 5 });
    const ids = await devices("eligible", 20);
    const requests = ids.map((id, i) => ({ id: String(i + 1), method: "POST", url: `/deviceManagement/managedDevices/${id}/wipe`, body: RESET, headers: { "Content-Type": "application/json" } }));
    const batch = await graph("helpdesk", "POST", "/v1.0/$batch", { requests });
    const statuses = batch.json.responses.map((r: { status: number }) => r.status);
    expect(statuses).toEqual([...Array(5).fill(204), ...Array(15).fill(400)]);
    expect(batch.json.responses[5].body.error.code).toBe("DailyLimitExceeded");
    expect(batch.json.responses[5].headers["Retry-After"]).toMatch(/^\d+$/);
    const counters = await control<{ wipes: Record<string, number>; dailyLimitRefusals: number }>("GET", "/counters");
    expect(Object.keys(counters.wipes).sort()).toEqual(ids.slice(0, 5).sort());
    expect(counters.dailyLimitRefusals).toBe(15);
  });

  it("puts executeAction's devices past the limit in failedDeviceIds", async () => {
    await control("PUT", "/wipe-limit", { limit: 2 });
    const ids = await devices("eligible", 4);
    const res = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", { actionName: "wipe", deviceIds: ids, ...RESET });
    expect(res.json).toMatchObject({ successfulDeviceIds: ids.slice(0, 2), failedDeviceIds: ids.slice(2) });
  });

  it("counts a wipe completed through Multi Admin Approval, not the request; a completion over the limit keeps the request approved", async () => {
    await control("PUT", "/approval-policies", { preset: "wipe" });
    await control("PUT", "/wipe-limit", { limit: 1 });
    const [a, b] = await devices("eligible", 2);
    const asked = await graph("helpdesk", "POST", wipe(a!), RESET, { "x-msft-approval-justification": base64("Reset for a new starter") });
    const code = asked.headers.get("x-msft-approval-code")!;
    expect((await control<{ used: number }>("GET", "/wipe-limit")).used).toBe(0);
    await graph("approver", "POST", `/beta/deviceManagement/operationApprovalRequests/${code}/approve`, {});
    await control("DELETE", "/approval-policies");
    expect((await graph("helpdesk", "POST", wipe(b!), RESET)).status).toBe(204);
    await control("PUT", "/approval-policies", { preset: "wipe" });
    const over = await graph("helpdesk", "POST", wipe(a!), RESET, { "x-msft-approval-code": code });
    expect(over.json.error.code).toBe("DailyLimitExceeded");
    expect((await graph("helpdesk", "GET", `/beta/deviceManagement/operationApprovalRequests/${code}`)).json.status).toBe("approved");
    await control("PUT", "/wipe-limit", { limit: 2 });
    expect((await graph("helpdesk", "POST", wipe(a!), RESET, { "x-msft-approval-code": code })).status).toBe(204);
    expect((await control<{ used: number }>("GET", "/wipe-limit")).used).toBe(2);
  });
});
