/**
 * Autopilot group tags through the server action (lib/actions/group-tag.ts), lib/graph/autopilot.ts and the real
 * @microsoft/microsoft-graph-client against the emulator (docs/graph.md, "Changing the group tag").
 */
import { describe, expect, it } from "vitest";
import { changeGroupTag } from "@/lib/actions/group-tag";
import { getAutopilotRecord, updateAutopilotDeviceProperties } from "@/lib/graph/autopilot";
import { failureOf, withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 120, seed: 48 });
const updates = async () => (await emulator.control<{ autopilotPropertyUpdates: Record<string, number>; wipes: Record<string, number> }>("GET", "/_emulator/counters"));

async function eligible(skip: number) {
  const found = (await emulator.findDevices("eligible", skip + 1))[skip];
  if (!found) throw new Error("no eligible device");
  return found;
}

describe("lib/graph/autopilot: updateDeviceProperties through the real client", () => {
  it("changes the tag (204); the list reads the profile pending, then in sync once the emulator's clock moves", async () => {
    const device = await eligible(0);
    const client = await emulator.client("intuneadmin");
    const before = await getAutopilotRecord(client, device);
    if (before.kind !== "found") throw new Error("no record");
    const tag = before.record.groupTag === "Kiosk" ? "Engineering" : "Kiosk";
    await updateAutopilotDeviceProperties(client, before.record.id, { groupTag: tag, userPrincipalName: "LeeG@contoso.onmicrosoft.com" });
    const pending = await getAutopilotRecord(client, device);
    expect(pending).toMatchObject({ kind: "found", record: { groupTag: tag, profileStatus: "pending" } });
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 300 });
    expect(await getAutopilotRecord(client, device)).toMatchObject({ kind: "found", record: { groupTag: tag, profileStatus: "assignedInSync" } });
    expect((await updates()).autopilotPropertyUpdates[device.id]).toBe(1);
    expect((await updates()).wipes[device.id]).toBeUndefined();
  });

  it("surfaces Graph's 400 for a tag Intune refuses and 404 for an unknown identity", async () => {
    const client = await emulator.client("intuneadmin");
    const device = await eligible(1);
    const record = await getAutopilotRecord(client, device);
    if (record.kind !== "found") throw new Error("no record");
    expect((await failureOf(updateAutopilotDeviceProperties(client, record.record.id, { groupTag: "x".repeat(500) }))).statusCode).toBe(400);
    expect((await failureOf(updateAutopilotDeviceProperties(client, "00000000-0000-4000-8000-000000000000", { groupTag: "Kiosk" }))).statusCode).toBe(404);
  });
});

describe("changeGroupTag (server action)", () => {
  it("re-reads the device and its record, changes the tag, and refuses the same tag again", async () => {
    const device = await eligible(2);
    const token = await emulator.token("intuneadmin");
    const client = await emulator.client("intuneadmin");
    const before = await getAutopilotRecord(client, device);
    if (before.kind !== "found") throw new Error("no record");
    const tag = before.record.groupTag === "Shared-Lab" ? "Kiosk" : "Shared-Lab";
    const done = await changeGroupTag(token, { deviceId: device.id, groupTag: tag });
    expect(done.data).toEqual({ previousTag: before.record.groupTag, groupTag: tag });
    const again = await changeGroupTag(token, { deviceId: device.id, groupTag: tag });
    expect(again.error?.message).toContain("already");
    expect((await updates()).autopilotPropertyUpdates[device.id]).toBe(1);
  });

  it("refuses a hostile or 500-character tag before Graph, a role without the permission, and a token without the scope, each with a sentence", async () => {
    const device = await eligible(3);
    const long = await changeGroupTag(await emulator.token("intuneadmin"), { deviceId: device.id, groupTag: "a".repeat(500) });
    expect(long.error).toMatchObject({ kind: "invalid", message: expect.stringContaining("at most 64 characters") });
    const hostile = await changeGroupTag(await emulator.token("intuneadmin"), { deviceId: device.id, groupTag: `<img src=x onerror="1">` });
    expect(hostile.error?.message).toContain("only letters, digits");
    const role = await changeGroupTag(await emulator.token("helpdesk"), { deviceId: device.id, groupTag: "Kiosk" });
    expect(role.error?.kind).toBe("forbidden-role");
    const scope = await changeGroupTag(await emulator.token("noconsent"), { deviceId: device.id, groupTag: "Kiosk" });
    expect(scope.error).toMatchObject({ kind: "forbidden-consent", missingScope: "DeviceManagementServiceConfig.ReadWrite.All" });
    expect((await updates()).autopilotPropertyUpdates[device.id]).toBeUndefined();
  });

  it("called directly, as a modified client would: a device not registered with Autopilot and a malformed id are refused, nothing changed", async () => {
    const token = await emulator.token("intuneadmin");
    const notAutopilot = (await emulator.findDevices("notAutopilot", 1))[0];
    if (!notAutopilot) throw new Error("no notAutopilot device");
    const refused = await changeGroupTag(token, { deviceId: notAutopilot.id, groupTag: "Kiosk" });
    expect(refused.error?.message).toContain("registered with Windows Autopilot");
    const malformed = await changeGroupTag(token, { deviceId: "../../deviceManagement/managedDevices", groupTag: "Kiosk" });
    expect(malformed.error?.kind).toBe("not-found");
    expect((await updates()).autopilotPropertyUpdates[notAutopilot.id]).toBeUndefined();
  });
});
