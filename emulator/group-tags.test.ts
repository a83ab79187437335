import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { testClient } from "./test-client";
import { PROFILE_CATCH_UP_MS } from "./fleet/group-tags";

let emu: RunningEmulator;
const { control, graph } = testClient(() => emu);
const IDENTITIES = "/beta/deviceManagement/windowsAutopilotDeviceIdentities";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 80, seed: 18 });
});
afterAll(async () => {
  await emu.close();
});

interface Row { id: string; managedDeviceId: string; groupTag: string; deploymentProfileAssignmentStatus: string; userPrincipalName: string }

async function identityOf(deviceId: string): Promise<Row> {
  const { serialNumber } = await control<{ serialNumber: string }>("GET", `/devices/${deviceId}`);
  const list = await graph("intuneadmin", "GET", `${IDENTITIES}?$filter=contains(serialNumber,'${serialNumber}')`);
  return (list.json.value as Row[]).find((r) => r.managedDeviceId === deviceId)!;
}
const updates = async () => (await control<{ autopilotPropertyUpdates: Record<string, number>; wipes: Record<string, number> }>("GET", "/counters"));
const update = (persona: string, id: string, body: unknown) => graph(persona, "POST", `${IDENTITIES}/${id}/updateDeviceProperties`, body);

describe("updateDeviceProperties", () => {
  it("changes the tag at once; the profile stays the old one, pending, until the emulator's clock passes the catch-up delay", async () => {
    const deviceId = (await control<{ value: { id: string; traits: string[] }[] }>("GET", "/devices?trait=eligible&limit=1")).value[0]!.id;
    const before = await identityOf(deviceId);
    expect(before.deploymentProfileAssignmentStatus).toBe("assignedInSync");
    const newTag = before.groupTag === "Kiosk" ? "Engineering" : "Kiosk";
    const answer = await update("intuneadmin", before.id, { groupTag: newTag, userPrincipalName: "LeeG@contoso.onmicrosoft.com" });
    expect(answer.status).toBe(204);
    const pending = await identityOf(deviceId);
    expect(pending).toMatchObject({ groupTag: newTag, deploymentProfileAssignmentStatus: "pending", userPrincipalName: "LeeG@contoso.onmicrosoft.com" });
    const detail = await graph("intuneadmin", "GET", `${IDENTITIES}/${before.id}?$expand=deploymentProfile,intendedDeploymentProfile`);
    expect(detail.json.deploymentProfile.displayName).not.toBe(detail.json.intendedDeploymentProfile.displayName);
    expect(detail.json.intendedDeploymentProfile.displayName).toBe(newTag === "Kiosk" ? "Contoso kiosk" : "Contoso engineering");
    await control("POST", "/clock/advance", { seconds: PROFILE_CATCH_UP_MS / 1000 });
    expect((await identityOf(deviceId)).deploymentProfileAssignmentStatus).toBe("assignedInSync");
    const counters = await updates();
    expect(counters.autopilotPropertyUpdates[deviceId]).toBe(1);
    expect(counters.wipes[deviceId]).toBeUndefined();
  });

  it("refuses a tag Intune refuses (400), an unknown identity (404), a role without the permission and a token without the scope", async () => {
    const deviceId = (await control<{ value: { id: string }[] }>("GET", "/devices?trait=eligible&limit=2")).value[1]!.id;
    const row = await identityOf(deviceId);
    expect((await update("intuneadmin", row.id, { groupTag: "x".repeat(500) })).status).toBe(400);
    expect((await update("intuneadmin", row.id, { groupTag: '<script>"' })).status).toBe(400);
    expect((await update("intuneadmin", row.id, { groupTag: "Kiosk", serialNumber: "1" })).status).toBe(400);
    expect((await update("intuneadmin", "00000000-0000-4000-8000-000000000000", { groupTag: "Kiosk" })).status).toBe(404);
    expect((await update("helpdesk", row.id, { groupTag: "Kiosk" })).status).toBe(403);
    expect((await update("noconsent", row.id, { groupTag: "Kiosk" })).status).toBe(403);
    expect((await identityOf(deviceId)).groupTag).toBe(row.groupTag);
    expect((await updates()).autopilotPropertyUpdates[deviceId]).toBeUndefined();
  });
});
