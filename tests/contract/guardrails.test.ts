/**
 * Today's guardrails through the real @microsoft/microsoft-graph-client with lib/graph's middleware: a wipe under
 * Multi Admin Approval (justification header, ApprovalRequired + x-msft-approval-code, approval by another admin,
 * completion with the code, exactly one wipe applied) and the daily wipe limit.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failureOf, withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 60, seed: 8, approvalPolicy: "wipe" });
const RESET = { keepEnrollmentData: true, keepUserData: false };
const REQUESTS = "/deviceManagement/operationApprovalRequests";
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");


beforeEach(async () => {
  await emulator.control("DELETE", "/_emulator/counters");
});
afterEach(async () => {
  await emulator.control("PUT", "/_emulator/approval-policies", { preset: "wipe" });
  await emulator.control("PUT", "/_emulator/wipe-limit", { limit: null });
});

describe("Multi Admin Approval", () => {
  it("takes an Autopilot Reset from request to approval to exactly one wipe", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const wipe = `/deviceManagement/managedDevices/${device!.id}/wipe`;
    const helpdesk = await emulator.client("helpdesk");

    const bare = await failureOf(helpdesk.api(wipe).post(RESET));
    expect(bare.statusCode).toBe(400);
    expect(bare.message).toMatch(/x-msft-approval-justification/);

    const asked = await failureOf(helpdesk.api(wipe).header("x-msft-approval-justification", base64("Laptop goes to the new hire on Monday")).post(RESET));
    expect(asked.code).toBe("ApprovalRequired");
    const code = asked.headers?.get("x-msft-approval-code");
    expect(code).toMatch(/^[0-9a-f-]{36}$/);

    const mine = await (await emulator.client("helpdesk", "beta")).api(`${REQUESTS}/retrieveMyRequests()`).get();
    expect(mine.value).toEqual([expect.objectContaining({ id: code, status: "needsApproval", requestJustification: "Laptop goes to the new hire on Monday" })]);

    const early = await failureOf(helpdesk.api(wipe).header("x-msft-approval-code", code!).post(RESET));
    expect(early.statusCode).toBe(400);

    const approver = await emulator.client("approver", "beta");
    const received = await approver.api(REQUESTS).filter("status eq 'needsApproval'").get();
    expect(received.value.map((r: { id: string }) => r.id)).toContain(code);
    expect((await approver.api(`${REQUESTS}/${code}/approve`).post({ justification: "Confirmed with the manager" })).value).toBe("approved");

    await helpdesk.api(wipe).header("x-msft-approval-code", code!).post(RESET);
    const counters = await emulator.counters();
    expect(counters.wipes).toEqual({ [device!.id]: 1 });
    expect(counters).toMatchObject({ approvalRequests: 1, approvalCompletions: 1, openApprovalRequests: 0 });
    expect((await approver.api(`${REQUESTS}/${code}`).get()).status).toBe("completed");

    const replay = await failureOf(helpdesk.api(wipe).header("x-msft-approval-code", code!).post(RESET));
    expect(replay.statusCode).toBe(400);
    expect((await emulator.counters()).wipes).toEqual({ [device!.id]: 1 });
  });

  it("refuses self-approval and a second request for the same device", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const wipe = `/deviceManagement/managedDevices/${device!.id}/wipe`;
    const admin = await emulator.client("intuneadmin");
    const asked = await failureOf(admin.api(wipe).header("x-msft-approval-justification", base64("Refresh")).post(RESET));
    const code = asked.headers!.get("x-msft-approval-code")!;
    const own = await failureOf((await emulator.client("intuneadmin", "beta")).api(`${REQUESTS}/${code}/approve`).post({}));
    expect(own.statusCode).toBe(403);
    expect(own.message).toMatch(/own request/);
    const second = await failureOf((await emulator.client("helpdesk")).api(wipe).header("x-msft-approval-justification", base64("Me too")).post(RESET));
    expect(second.statusCode).toBe(409);
    expect(second.message).toMatch(/An active Approval Request already exists/);
    await (await emulator.client("intuneadmin", "beta")).api(`${REQUESTS}/cancelMyRequest`).post({ id: code });
    expect((await emulator.counters()).openApprovalRequests).toBe(0);
  });
});

describe("the daily wipe limit", () => {
  it("refuses the wipe past the limit with DailyLimitExceeded, saying when the next one can be sent", async () => {
    await emulator.control("PUT", "/_emulator/approval-policies", { preset: "none" });
    await emulator.control("PUT", "/_emulator/wipe-limit", { limit: 2 });
    await emulator.control("DELETE", "/_emulator/wipe-limit");
    const devices = await emulator.findDevices("eligible", 3);
    const graph = await emulator.client("helpdesk");
    for (const d of devices.slice(0, 2)) await graph.api(`/deviceManagement/managedDevices/${d.id}/wipe`).post(RESET);
    const refused = await failureOf(graph.api(`/deviceManagement/managedDevices/${devices[2]!.id}/wipe`).post(RESET));
    expect(refused.statusCode).toBe(400);
    expect(refused.code).toBe("DailyLimitExceeded");
    expect(refused.message).toMatch(/daily limit of 2 wipes.*next wipe can be sent then/);
    expect(Number(refused.headers?.get("Retry-After"))).toBeGreaterThan(86_000);
    expect(Object.keys((await emulator.counters()).wipes)).toHaveLength(2);
  });
});
