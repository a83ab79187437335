/** Multi Admin Approval in the emulator: policies, the justification header, requests, decisions, completion, expiry. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { base64, testClient } from "./test-client";

let emu: RunningEmulator;
const { control, graph, devices } = testClient(() => emu);
const AUTOPILOT_RESET = { keepEnrollmentData: true, keepUserData: false };
const wipe = (id: string, version = "beta") => `/${version}/deviceManagement/managedDevices/${id}/wipe`;
const REQUESTS = "/beta/deviceManagement/operationApprovalRequests";
const justify = (text = "Ticket 4711: laptop handed to a new starter") => ({ "x-msft-approval-justification": base64(text) });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 60, seed: 21, silentWipes: "none", approvalPolicy: "wipe" });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control("DELETE", "/approval-requests");
  await control("PUT", "/approval-policies", { preset: "wipe", expirySeconds: 3 * 86_400 });
  await control("DELETE", "/counters");
});

/** A wipe asked for with a justification: the request it created. */
async function request(persona: string, id: string): Promise<string> {
  const res = await graph(persona, "POST", wipe(id), AUTOPILOT_RESET, justify());
  expect(res.status).toBe(403);
  return res.headers.get("x-msft-approval-code")!;
}

describe("access policies", () => {
  it("lists and gets the policy for Intune Administrator and the approver; Help Desk Operator may not read them", async () => {
    const list = await graph("approver", "GET", "/beta/deviceManagement/operationApprovalPolicies");
    expect(list.status).toBe(200);
    expect(list.json.value).toHaveLength(1);
    expect(list.json.value[0]).toMatchObject({
      "@odata.type": "#microsoft.graph.operationApprovalPolicy", policyType: "deviceWipe", policyPlatform: "windows10AndLater",
      approverGroupIds: ["5c0e7d3a-2b4f-4e61-9a8d-1f3b5c7e9a02"],
    });
    expect(Date.parse(list.json.value[0].lastModifiedDateTime)).not.toBeNaN();
    const one = await graph("intuneadmin", "GET", `/beta/deviceManagement/operationApprovalPolicies/${list.json.value[0].id}`);
    expect(one.json.displayName).toBe(list.json.value[0].displayName);
    const helpdesk = await graph("helpdesk", "GET", "/beta/deviceManagement/operationApprovalPolicies");
    expect(helpdesk.status).toBe(403);
    expect(JSON.parse(helpdesk.json.error.message).ErrorCode).toBe("Forbidden");
    expect((await graph("intuneadmin", "GET", "/v1.0/deviceManagement/operationApprovalPolicies")).status).toBe(404);
  });

  it("is off by default and configurable through the control API", async () => {
    const plain = await startEmulator({ port: 0, fleetSize: 12, seed: 2 });
    try {
      const c = testClient(() => plain);
      const [id] = await c.devices("eligible");
      expect((await c.graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET)).status).toBe(204);
      expect((await c.control<{ policies: unknown[] }>("GET", "/approval-policies")).policies).toEqual([]);
      for (const body of [{}, { preset: "some" }, { policies: [{ displayName: "x", policyType: "nope" }] }, { preset: "wipe", policies: [] }, { expirySeconds: 0 }]) {
        await expect(c.control("PUT", "/approval-policies", body), JSON.stringify(body)).rejects.toThrow(/: 400 /);
      }
      await c.control("PUT", "/approval-policies", { policies: [{ displayName: "Mac wipes", policyType: "deviceWipe", policyPlatform: "macOS" }] });
      // A policy for another platform does not cover a Windows device.
      expect((await c.graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET)).status).toBe(204);
      await c.control("PUT", "/approval-policies", { preset: "deviceAction" });
      expect((await c.graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET)).status).toBe(400);
      await c.control("DELETE", "/approval-policies");
      expect((await c.graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET)).status).toBe(204);
    } finally {
      await plain.close();
    }
  });
});

describe("a covered wipe", () => {
  it("without the justification header is refused as 400 saying the header is required, and nothing runs", async () => {
    const [id] = await devices("eligible");
    for (const version of ["v1.0", "beta"]) {
      const res = await graph("helpdesk", "POST", wipe(id!, version), AUTOPILOT_RESET);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toBe("Header 'x-msft-approval-justification' is required to request approval.");
    }
    expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes).toEqual({});
  });

  it("refuses a justification that is not Base64, too long, empty or has control characters", async () => {
    const [id] = await devices("eligible");
    const cases: [string, RegExp][] = [
      ["plain text, not base64!", /Base64/],
      [base64("x".repeat(1025)), /no greater than 1024 characters/],
      [base64("   "), /must not be empty/],
      [base64("line one\nline two"), /control characters/],
      [Buffer.from([0xff, 0xfe]).toString("base64"), /UTF-8/],
    ];
    for (const [header, message] of cases) {
      const res = await graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET, { "x-msft-approval-justification": header });
      expect(res.status, header).toBe(400);
      expect(res.json.error.message).toMatch(message);
    }
    expect((await graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET, justify("é".repeat(1024)))).status).toBe(403);
  });

  it("with a justification creates a request and answers ApprovalRequired with x-msft-approval-code; a second one is 409", async () => {
    const [id] = await devices("eligible");
    const res = await graph("helpdesk", "POST", wipe(id!, "v1.0"), AUTOPILOT_RESET, justify());
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("ApprovalRequired");
    const code = res.headers.get("x-msft-approval-code")!;
    expect(code).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.error.message).toContain(`x-msft-approval-code: ${code}`);
    expect(res.json.error.innerError["request-id"]).toBeTruthy();

    const got = await graph("helpdesk", "GET", `${REQUESTS}/${code}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      "@odata.type": "#microsoft.graph.operationApprovalRequest", id: code, status: "needsApproval", approver: null,
      requestJustification: "Ticket 4711: laptop handed to a new starter", approvalJustification: null,
      requestor: { user: { id: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e21", displayName: "Megan Bowen" } },
      requiredOperationApprovalPolicyTypes: ["deviceWipe"],
    });
    expect(Date.parse(got.json.expirationDateTime) - Date.parse(got.json.requestDateTime)).toBe(3 * 86_400_000);

    const again = await graph("intuneadmin", "POST", wipe(id!), AUTOPILOT_RESET, justify("again"));
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/^An active Approval Request already exists/);
    expect(again.json.error.message).toContain(code);
    const counters = await control<{ wipes: Record<string, number>; approvalRequests: number; openApprovalRequests: number }>("GET", "/counters");
    expect(counters).toMatchObject({ wipes: {}, approvalRequests: 1, openApprovalRequests: 1 });
  });

  it("sent inside $batch carries the header per sub-request and answers the code in the sub-response headers", async () => {
    const [a, b] = await devices("eligible", 2);
    const batch = await graph("helpdesk", "POST", "/v1.0/$batch", {
      requests: [
        { id: "1", method: "POST", url: `/deviceManagement/managedDevices/${a}/wipe`, body: AUTOPILOT_RESET, headers: { "Content-Type": "application/json", ...justify() } },
        { id: "2", method: "POST", url: `/deviceManagement/managedDevices/${b}/wipe`, body: AUTOPILOT_RESET, headers: { "Content-Type": "application/json" } },
      ],
    });
    const [first, second] = batch.json.responses;
    expect(first).toMatchObject({ status: 403, body: { error: { code: "ApprovalRequired" } } });
    expect(first.headers["x-msft-approval-code"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.status).toBe(400);
  });

  it("in a bulk executeAction creates one request for all its devices, completed by the same call with the code", async () => {
    const ids = await devices("eligible", 3);
    const body = { actionName: "wipe", deviceIds: ids, ...AUTOPILOT_RESET };
    const asked = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", body, justify());
    expect(asked.json.error.code).toBe("ApprovalRequired");
    const code = asked.headers.get("x-msft-approval-code")!;
    expect((await graph("approver", "POST", `${REQUESTS}/${code}/approve`, { justification: "ok" })).status).toBe(200);
    const partial = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", { ...body, deviceIds: ids.slice(0, 2) }, { "x-msft-approval-code": code });
    expect(partial.status).toBe(400);
    const done = await graph("helpdesk", "POST", "/beta/deviceManagement/managedDevices/executeAction", body, { "x-msft-approval-code": code });
    expect(done.json.successfulDeviceIds).toEqual(ids);
    const counters = await control<{ wipes: Record<string, number> }>("GET", "/counters");
    expect(Object.values(counters.wipes)).toEqual([1, 1, 1]);
  });
});

describe("deciding and completing", () => {
  it("the requester cannot approve their own request; an approver can; the requester completes it exactly once", async () => {
    const [id] = await devices("eligible");
    const code = await request("intuneadmin", id!);
    const own = await graph("intuneadmin", "POST", `${REQUESTS}/${code}/approve`, { justification: "me" });
    expect(own.status).toBe(403);
    expect(own.json.error.message).toMatch(/cannot approve their own request/);
    // Help Desk Operator has no Approval permission at all.
    expect((await graph("helpdesk", "POST", `${REQUESTS}/${code}/approve`, {})).json.error.code).toBe("UnknownError");
    expect((await graph("approver", "POST", `${REQUESTS}/${code}/approve`, { approvalJustification: "x" })).status).toBe(400);

    const approved = await graph("approver", "POST", `${REQUESTS}/${code}/approve`, { justification: "Checked with the user's manager", approvalSource: "adminConsole" });
    expect(approved.status).toBe(200);
    expect(approved.json.value).toBe("approved");
    const got = (await graph("approver", "GET", `${REQUESTS}/${code}`)).json;
    expect(got).toMatchObject({ status: "approved", approvalJustification: "Checked with the user's manager", approver: { user: { displayName: "Johanna Lorenz" } } });
    expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes).toEqual({});

    // Someone else cannot spend the code; a different body is a different operation.
    expect((await graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET, { "x-msft-approval-code": code })).status).toBe(403);
    expect((await graph("intuneadmin", "POST", wipe(id!), { keepEnrollmentData: false }, { "x-msft-approval-code": code })).status).toBe(400);

    const done = await graph("intuneadmin", "POST", wipe(id!, "v1.0"), AUTOPILOT_RESET, { "x-msft-approval-code": code });
    expect(done.status).toBe(204);
    const replay = await graph("intuneadmin", "POST", wipe(id!), AUTOPILOT_RESET, { "x-msft-approval-code": code });
    expect(replay.status).toBe(400);
    expect(replay.json.error.message).toMatch(/already completed/);
    const counters = await control<{ wipes: Record<string, number>; approvalCompletions: number }>("GET", "/counters");
    expect(counters.wipes).toEqual({ [id!]: 1 });
    expect(counters.approvalCompletions).toBe(1);
    expect((await graph("intuneadmin", "GET", `${REQUESTS}/${code}`)).json.status).toBe("completed");
    const state = await graph("readonly", "GET", `/beta/deviceManagement/managedDevices/${id}?$select=managementState`);
    expect(state.json.managementState).toBe("wipePending");
  });

  it("codes that do not fit run nothing: unknown, another device, not yet approved, rejected, cancelled, expired", async () => {
    const [a, b, c, d, e] = await devices("eligible", 5);
    const refuse = async (id: string, code: string, message: RegExp) => {
      const res = await graph("helpdesk", "POST", wipe(id), AUTOPILOT_RESET, { "x-msft-approval-code": code });
      expect(res.status, message.source).toBe(400);
      expect(res.json.error.message).toMatch(message);
    };
    await refuse(a!, "00000000-0000-4000-8000-000000000000", /does not match any approval request/);
    await refuse(a!, "not-a-guid", /does not match any approval request/);
    const pending = await request("helpdesk", a!);
    await refuse(a!, pending, /has not been approved yet/);
    await refuse(b!, pending, /different operation/);

    const rejected = await request("helpdesk", b!);
    const rejection = await graph("approver", "POST", `${REQUESTS}/${rejected}/reject`, { justification: "Wrong device" });
    expect(rejection.json.value).toBe("rejected");
    await refuse(b!, rejected, /was rejected/);
    // A rejected request is closed: a new one may be asked for.
    expect((await graph("helpdesk", "POST", wipe(b!), AUTOPILOT_RESET, justify())).status).toBe(403);

    const withdrawn = await request("helpdesk", c!);
    expect((await graph("approver", "POST", `${REQUESTS}/cancelMyRequest`, { id: withdrawn })).status).toBe(403);
    expect((await graph("helpdesk", "POST", `${REQUESTS}/cancelMyRequest`, { id: withdrawn })).status).toBe(204);
    await refuse(c!, withdrawn, /was cancelled/);

    const revoked = await request("helpdesk", d!);
    await graph("approver", "POST", `${REQUESTS}/${revoked}/approve`, {});
    expect((await graph("approver", "POST", `${REQUESTS}/${revoked}/cancelApproval`, { justification: "Changed my mind" })).json.value).toBe("cancelled");
    await refuse(d!, revoked, /was cancelled/);

    const expired = await request("helpdesk", e!);
    await graph("approver", "POST", `${REQUESTS}/${expired}/approve`, {});
    await control("POST", `/approval-requests/${expired}/expire`);
    await refuse(e!, expired, /has expired/);
    expect((await graph("approver", "POST", `${REQUESTS}/${expired}/approve`, {})).status).toBe(400);
    expect((await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes).toEqual({});
  });

  it("expires open requests on the emulator clock after the configured time", async () => {
    await control("PUT", "/approval-policies", { expirySeconds: 3600 });
    const [id] = await devices("eligible");
    const code = await request("helpdesk", id!);
    const got = (await graph("helpdesk", "GET", `${REQUESTS}/${code}`)).json;
    expect(Date.parse(got.expirationDateTime) - Date.parse(got.requestDateTime)).toBe(3600_000);
    await control("POST", "/clock/advance", { seconds: 3601 });
    expect((await graph("helpdesk", "GET", `${REQUESTS}/${code}`)).json.status).toBe("expired");
    expect((await graph("helpdesk", "POST", wipe(id!), AUTOPILOT_RESET, justify())).status).toBe(403);
  });
});

describe("reading requests", () => {
  it("lists with $filter on status or requestId for approvers, and retrieveMyRequests / retrieveRequestStatus for the requester", async () => {
    const [a, b] = await devices("eligible", 2);
    const first = await request("helpdesk", a!);
    const second = await request("intuneadmin", b!);
    await graph("approver", "POST", `${REQUESTS}/${second}/approve`, {});

    expect((await graph("helpdesk", "GET", REQUESTS)).status).toBe(403);
    const all = await graph("approver", "GET", REQUESTS);
    expect(all.json.value.map((r: { id: string }) => r.id)).toEqual([first, second]);
    const needs = await graph("approver", "GET", `${REQUESTS}?$filter=status eq 'needsApproval'`);
    expect(needs.json.value.map((r: { id: string }) => r.id)).toEqual([first]);
    const byCode = await graph("intuneadmin", "GET", `${REQUESTS}?$filter=requestId eq '${second}'`);
    expect(byCode.json.value).toHaveLength(1);
    expect(byCode.json.value[0]).not.toHaveProperty("requestId");
    expect((await graph("approver", "GET", `${REQUESTS}?$filter=status eq 'maybe'`)).status).toBe(400);

    const mine = await graph("helpdesk", "GET", `${REQUESTS}/retrieveMyRequests()`);
    expect(mine.json.value.map((r: { id: string }) => r.id)).toEqual([first]);
    // Someone else's request is not readable by a requester without the Approval permission.
    expect((await graph("helpdesk", "GET", `${REQUESTS}/${second}`)).status).toBe(403);

    const status = await graph("helpdesk", "POST", `${REQUESTS}/retrieveRequestStatus`, { entityId: a, entityType: "managedDevice" });
    expect(status.json).toMatchObject({ requestId: first, requestStatus: "needsApproval", entityLocked: true });
    const none = await graph("helpdesk", "POST", `${REQUESTS}/retrieveRequestStatus`, { entityId: "00000000-0000-4000-8000-000000000000", entityType: "managedDevice" });
    expect(none.json).toMatchObject({ requestId: null, requestStatus: "unknown", entityLocked: false });

    expect((await control<{ approvalRequest: { id: string; status: string } }>("GET", `/devices/${b}`)).approvalRequest).toMatchObject({ id: second, status: "approved" });
    const emulatorView = await control<{ value: { id: string; deviceIds: string[]; requestor: string }[] }>("GET", "/approval-requests");
    expect(emulatorView.value.map((r) => [r.id, r.deviceIds, r.requestor])).toEqual([[first, [a], "helpdesk"], [second, [b], "intuneadmin"]]);
  });

  it("keeps policies across a reseed and forgets the requests", async () => {
    const [id] = await devices("eligible");
    await request("helpdesk", id!);
    await control("POST", "/reseed", {});
    expect((await control<{ value: unknown[] }>("GET", "/approval-requests")).value).toEqual([]);
    expect((await control<{ policies: unknown[] }>("GET", "/approval-policies")).policies).toHaveLength(1);
  });
});
