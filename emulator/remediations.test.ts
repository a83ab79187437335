import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { testClient } from "./test-client";
import { WINRE_PACKAGE_ID, WINRE_PACKAGE_NAME } from "./remediations";

let emu: RunningEmulator;
const { control, graph, device } = testClient(() => emu);
const KEEP = { keepEnrollmentData: true, keepUserData: false };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 120, seed: 41, silentWipes: "none" });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await control("POST", "/reseed", {});
  await control("PUT", "/remediations", { preset: "present", licensed: true });
});

const run = (persona: string, id: string, scriptPolicyId = WINRE_PACKAGE_ID) =>
  graph(persona, "POST", `/beta/deviceManagement/managedDevices/${id}/initiateOnDemandProactiveRemediation`, { scriptPolicyId });
const states = async (id: string) => (await graph("helpdesk", "GET", `/beta/deviceManagement/managedDevices/${id}/deviceHealthScriptStates`)).json.value;

describe("remediation packages", () => {
  it("lists the WinRE package under DeviceManagementScripts.Read.All, and refuses a token without it", async () => {
    const list = await graph("helpdesk", "GET", "/beta/deviceManagement/deviceHealthScripts");
    expect(list.status).toBe(200);
    expect(list.json.value.filter((s: { displayName: string }) => s.displayName === WINRE_PACKAGE_NAME)).toHaveLength(1);
    expect((await graph("noconsent", "GET", "/beta/deviceManagement/deviceHealthScripts")).json.error.message).toContain("DeviceManagementScripts.Read.All");
    expect((await graph("helpdesk", "GET", "/v1.0/deviceManagement/deviceHealthScripts")).status).toBe(404);
  });
  it("can be removed, renamed or published twice", async () => {
    await control("PUT", "/remediations", { preset: "duplicate" });
    const names = (await graph("helpdesk", "GET", "/beta/deviceManagement/deviceHealthScripts")).json.value.map((s: { displayName: string }) => s.displayName);
    expect(names.filter((n: string) => n === WINRE_PACKAGE_NAME)).toHaveLength(2);
  });
});

describe("initiateOnDemandProactiveRemediation", () => {
  it("enables WinRE on a WinRE-disabled device at its next check-in, after which its reset succeeds", async () => {
    const id = await device("winreDisabled");
    expect(await states(id)).toEqual([]);
    expect((await run("helpdesk", id)).status).toBe(204);
    expect((await states(id))[0]).toMatchObject({ policyId: WINRE_PACKAGE_ID, detectionState: "pending", lastStateUpdateDateTime: "0001-01-01T00:00:00Z" });
    await control("POST", "/clock/advance", { seconds: 5 * 60 });
    const [after] = await states(id);
    expect(after).toMatchObject({ detectionState: "fail", remediationState: "success" });
    expect(JSON.parse(after.preRemediationDetectionScriptOutput)["Windows RE status"]).toBe("Disabled");
    expect(JSON.parse(after.postRemediationDetectionScriptOutput)["Windows RE status"]).toBe("Enabled");
    expect(await control("GET", "/counters")).toMatchObject({ remediations: { [id]: 1 }, wipes: {} });
    expect((await graph("helpdesk", "POST", `/v1.0/deviceManagement/managedDevices/${id}/wipe`, KEEP)).status).toBe(204);
    await graph("helpdesk", "POST", `/v1.0/deviceManagement/managedDevices/${id}/syncDevice`);
    await control("POST", "/clock/advance", { seconds: 120 });
    expect(await control("GET", `/devices/${id}`)).toMatchObject({ wipe: "done", winreEnabled: true });
  });
  it("reports success and skips the remediation when WinRE is enabled; a run is no wipe and no audit", async () => {
    const id = await device("eligible");
    const audits = (await graph("helpdesk", "GET", "/beta/deviceManagement/remoteActionAudits")).json.value.length;
    await run("helpdesk", id);
    await control("POST", "/clock/advance", { seconds: 5 * 60 });
    expect((await states(id))[0]).toMatchObject({ detectionState: "success", remediationState: "skipped" });
    expect((await graph("helpdesk", "GET", "/beta/deviceManagement/remoteActionAudits")).json.value.length).toBe(audits);
  });
  it("never reports from an offline device", async () => {
    const id = await device("offline");
    await run("helpdesk", id);
    await control("POST", "/clock/advance", { seconds: 3600 });
    expect((await states(id))[0]).toMatchObject({ detectionState: "pending" });
  });
  it("can fail: a script error, or a remediation that does not enable WinRE", async () => {
    const [a, b] = [await device("winreDisabled"), (await control<{ value: { id: string }[] }>("GET", "/devices?trait=winreDisabled&limit=2")).value[1]!.id];
    await control("POST", `/devices/${a}/remediation-outcome`, { outcome: "scriptError" });
    await control("POST", `/devices/${b}/remediation-outcome`, { outcome: "remediationFailed" });
    await run("helpdesk", a);
    await run("helpdesk", b);
    await control("POST", "/clock/advance", { seconds: 5 * 60 });
    expect((await states(a))[0]).toMatchObject({ detectionState: "scriptError" });
    expect((await states(b))[0]).toMatchObject({ detectionState: "fail", remediationState: "remediationFailed" });
    expect(await control("GET", `/devices/${b}`)).toMatchObject({ winreEnabled: false });
    await control("POST", `/devices/${a}/remediation-outcome`, { outcome: "normal" });
  });
  it("refuses a role without Run remediation, an unlicensed tenant, an unknown package and a bad body", async () => {
    const id = await device("eligible");
    expect((await run("readonly", id)).json.error.message).toContain("RunRemediation");
    await control("PUT", "/remediations", { licensed: false });
    const unlicensed = await run("helpdesk", id);
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.json.error.message).toContain("licensed");
    await control("PUT", "/remediations", { licensed: true });
    expect((await run("helpdesk", id, "00000000-0000-0000-0000-000000000000")).status).toBe(400);
    expect((await graph("helpdesk", "POST", `/beta/deviceManagement/managedDevices/${id}/initiateOnDemandProactiveRemediation`, { scriptPolicyId: WINRE_PACKAGE_ID, extra: 1 })).status).toBe(400);
    expect(await control("GET", "/counters")).toMatchObject({ remediations: {} });
  });
});
