/**
 * The scenario set (emulator/fleet/scenario.ts) and the lists a console reads to judge it: enrollmentProfileName,
 * device preparation policies, classic deployment profiles, and the Intune, Entra and Autopilot records of one device.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { startEmulator, type RunningEmulator } from "./server";
import { testClient } from "./test-client";
import { Fleet } from "./fleet/fleet";
import { directoryOf } from "./directory/model";
import { SCENARIO_DEVICE_COUNT, STALE_LAST_CHECKIN_DAYS } from "./fleet/scenario";
import { COLLIDING_NAME, DEVICE_PREPARATION_TEMPLATE_ID } from "./fleet/enrollment";

const KEEP = { keepEnrollmentData: true, keepUserData: false };
const DAY_MS = 86_400_000;
let emu: RunningEmulator;
const { control, graph, devices } = testClient(() => emu);

interface Summary {
  id: string;
  serialNumber: string;
  deviceName: string;
  userPrincipalName: string;
  traits: string[];
  wipe: string | null;
  azureADDeviceId: string;
  enrollmentProfileName: string | null;
  autopilotIdentity: { id: string; managedDeviceId: string; azureActiveDirectoryDeviceId: string; serialNumber: string } | null;
  entraDevice: { id: string; deviceId: string } | null;
  pairedDeviceId: string | null;
}
const summary = (id: string) => control<Summary>("GET", `/devices/${id}`);
const byTrait = async (trait: string) => (await control<{ value: Summary[] }>("GET", `/devices?trait=${trait}&limit=1000`)).value;
const beta = "/beta/deviceManagement";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 300, seed: 11, silentWipes: "none" });
});
afterAll(async () => {
  await emu.close();
});

describe("the generated fleet stays as it was", () => {
  // Digests of the generated devices, the seeded groups (their generated members) and the reset history, taken before
  // the scenario set existed: every device keeps its id, name, serial, kind, user, place and history.
  const T0 = Date.UTC(2026, 10, 21, 12);
  const digest = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
  const view = (seed: number, size: number) => {
    const f = new Fleet(seed, size, T0);
    const dir = directoryOf(f);
    const generated = new Set(dir.devices.slice(0, size).map((d) => d.id));
    return {
      devices: digest(f.devices.slice(0, size).map((d) => [
        d.id, d.deviceName, d.serialNumber, d.kind, d.groupTag, d.online, d.enrolledMs - T0, f.userOf(d)?.userPrincipalName ?? "",
        f.azureADDeviceId(d), f.autopilotId(d), (d.actions ?? []).length,
      ].join("|"))),
      groups: digest(dir.groups.map((g) => `${g.id}:${g.members.filter((m) => m.kind !== "device" || generated.has(m.id)).map((m) => m.id).join(",")}`)),
      audits: digest(f.audits.map((a) => a.device.id)),
      scenario: f.devices.length - size,
    };
  };

  it("for the e2e tenant (seed 20261121, 2,500 devices) and a small one", () => {
    expect(view(20261121, 2500)).toEqual({ devices: "d850a9691dd9abb1", groups: "76becf6d701edfa5", audits: "f36cd97a3ccc2c05", scenario: SCENARIO_DEVICE_COUNT });
    expect(view(7, 300)).toEqual({ devices: "634a0f7111abd3ce", groups: "c65fe32c9948c7ea", audits: "243156fcc8216d50", scenario: SCENARIO_DEVICE_COUNT });
  });

  it("appends the same scenario devices whatever the fleet size, and none when switched off", () => {
    const ids = (f: Fleet) => f.devices.slice(f.size).map((d) => [d.id, d.serialNumber, d.kind]);
    expect(ids(new Fleet(3, 0, T0))).toEqual(ids(new Fleet(3, 1000, T0)));
    expect(new Fleet(3, 100, T0, undefined, false).devices).toHaveLength(100);
  });
});

describe("control API traits", () => {
  it("lists each kind, pairs the re-enrolled records, and marks only the current one eligible", async () => {
    const counts = Object.fromEntries(
      await Promise.all(["devicePreparation", "devicePreparationRegistered", "profileNameCollision", "reenrolled", "staleDuplicate", "entraMismatch"]
        .map(async (t) => [t, (await byTrait(t)).length])),
    );
    expect(counts).toEqual({ devicePreparation: 8, devicePreparationRegistered: 8, profileNameCollision: 4, reenrolled: 6, staleDuplicate: 6, entraMismatch: 4 });
    const current = (await byTrait("reenrolled"))[0]!;
    expect(current.traits).toEqual(["reenrolled", "eligible"]);
    const stale = await summary(current.pairedDeviceId!);
    expect(stale.traits).toEqual(["staleDuplicate"]);
    expect(stale.pairedDeviceId).toBe(current.id);
    expect(stale.serialNumber).toBe(current.serialNumber);
    expect(stale.deviceName).toBe(current.deviceName);
    expect(stale.userPrincipalName).not.toBe(current.userPrincipalName);
    for (const trait of ["devicePreparation", "devicePreparationRegistered", "profileNameCollision", "entraMismatch", "staleDuplicate"]) {
      expect((await byTrait(trait)).some((d) => d.traits.includes("eligible")), trait).toBe(false);
    }
    await expect(control("GET", "/devices?trait=nope")).rejects.toThrow(/devicePreparationRegistered/);
  });
});

describe("enrollmentProfileName", () => {
  it("is the classic profile's displayName, the device preparation policy's name, or null", async () => {
    const rows = (await graph("readonly", "GET", `${beta}/managedDevices?$select=id,enrollmentProfileName,autopilotEnrolled&$top=1000`)).json.value;
    const profileOf = new Map<string, string | null>(rows.map((r: any) => [r.id, r.enrollmentProfileName]));
    const identities = (await graph("readonly", "GET", `${beta}/windowsAutopilotDeviceIdentities?$top=1000`)).json.value;
    let tagged = 0;
    for (const identity of identities.filter((i: any) => i.managedDeviceId !== "00000000-0000-0000-0000-000000000000" && i.groupTag !== "Frontline")) {
      const one = await graph("readonly", "GET", `${beta}/windowsAutopilotDeviceIdentities/${identity.id}?$expand=deploymentProfile`);
      const name = profileOf.get(identity.managedDeviceId);
      // A registered device enrolled through device preparation (no profile assigned) carries the policy's name.
      if (one.json.deploymentProfile) {
        expect(name).toBe(one.json.deploymentProfile.displayName);
        tagged++;
      } else expect(name === null || name?.startsWith("Contoso device preparation")).toBe(true);
      if (tagged > 15) break;
    }
    expect(tagged).toBeGreaterThan(15);
    for (const id of await devices("notAutopilot", 3)) expect(profileOf.get(id)).toBeNull();
    for (const id of await devices("nonWindows", 3)) expect(profileOf.get(id)).toBeNull();
    const dp = (await byTrait("devicePreparation"))[0]!;
    expect(profileOf.get(dp.id)).toBe("Contoso device preparation - user-driven");
    const v1 = await graph("readonly", "GET", `/v1.0/deviceManagement/managedDevices/${dp.id}?$select=enrollmentProfileName`);
    expect(v1.json).toMatchObject({ id: dp.id, enrollmentProfileName: "Contoso device preparation - user-driven" });
    const entra = await graph("helpdesk", "GET", `/v1.0/devices?$filter=deviceId eq '${dp.azureADDeviceId}'&$select=deviceId,enrollmentProfileName,physicalIds`);
    expect(entra.json.value).toEqual([expect.objectContaining({ deviceId: dp.azureADDeviceId, enrollmentProfileName: "Contoso device preparation - user-driven", physicalIds: [] })]);
  });
});

describe("device preparation policies and classic profiles", () => {
  it("pages configurationPolicies by 25, and the device preparation ones are told by templateId", async () => {
    const first = await graph("readonly", "GET", `${beta}/configurationPolicies`);
    expect(first.status).toBe(200);
    expect(first.json.value).toHaveLength(25);
    expect(first.json.value[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "Windows - BitLocker", description: expect.any(String), platforms: "windows10",
      technologies: "mdm", createdDateTime: expect.any(String), lastModifiedDateTime: expect.any(String), settingCount: 12, creationSource: null,
      roleScopeTagIds: ["0"], isAssigned: true, disableEntraGroupPolicyAssignment: false,
      templateReference: { templateId: "", templateFamily: "none", templateDisplayName: null, templateDisplayVersion: null }, priorityMetaData: null,
    });
    const next = await graph("readonly", "GET", first.json["@odata.nextLink"].slice(emu.url.length));
    expect(next.json["@odata.nextLink"]).toBeUndefined();
    const all = [...first.json.value, ...next.json.value];
    expect(all).toHaveLength(27);
    const dp = all.filter((p) => p.templateReference.templateId === DEVICE_PREPARATION_TEMPLATE_ID);
    expect(dp.map((p) => p.name)).toEqual(["Contoso device preparation - user-driven", "Contoso device preparation - engineering", COLLIDING_NAME]);
    expect(dp[0]).toMatchObject({ platforms: "windows10", technologies: "enrollment", templateReference: { templateFamily: "enrollmentConfiguration" } });
    expect(next.json.value.map((p: any) => p.name)).toContain(COLLIDING_NAME);

    const selected = await graph("readonly", "GET", `${beta}/configurationPolicies?$select=name,templateReference&$top=100`);
    expect(Object.keys(selected.json.value[0])).toEqual(["id", "name", "templateReference"]);
    expect(selected.json.value).toHaveLength(27);
    const one = await graph("readonly", "GET", `${beta}/configurationPolicies/${dp[2].id}`);
    expect(one.json).toMatchObject({ id: dp[2].id, name: COLLIDING_NAME });
    expect((await graph("readonly", "GET", "/v1.0/deviceManagement/configurationPolicies")).status).toBe(404);
    // The scope: DeviceManagementConfiguration.Read.All (the noconsent persona's tenant never granted it).
    const refused = await graph("noconsent", "GET", `${beta}/configurationPolicies`);
    expect(refused.status).toBe(403);
  });

  it("lists the classic profiles; one has the name of a device preparation policy, and $expand gives the same profile", async () => {
    const list = await graph("readonly", "GET", `${beta}/windowsAutopilotDeploymentProfiles`);
    expect(list.status).toBe(200);
    expect(list.json.value.map((p: any) => p.displayName)).toEqual([
      "Contoso user-driven", "Contoso engineering", "Contoso kiosk", "Contoso shared lab", COLLIDING_NAME,
    ]);
    expect(list.json.value[0]).toMatchObject({ "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", deviceType: "windowsPc", locale: "os-default" });
    const collision = (await byTrait("profileNameCollision"))[0]!;
    const expanded = await graph("readonly", "GET", `${beta}/windowsAutopilotDeviceIdentities/${collision.autopilotIdentity!.id}?$expand=deploymentProfile`);
    expect(expanded.json.deploymentProfile).toEqual(list.json.value[4]);
    expect(collision.enrollmentProfileName).toBe(COLLIDING_NAME);
    expect((await graph("readonly", "GET", "/v1.0/deviceManagement/windowsAutopilotDeploymentProfiles")).status).toBe(404);
    const selected = await graph("readonly", "GET", `${beta}/windowsAutopilotDeploymentProfiles?$select=displayName`);
    expect(selected.json.value[0]).toEqual({ id: list.json.value[0].id, displayName: "Contoso user-driven" });
  });
});

describe("records that must agree", () => {
  const identitiesBySerial = async (serial: string) =>
    (await graph("readonly", "GET", `${beta}/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'${serial}')`)).json.value;
  const devicesBySerial = async (serial: string) =>
    (await graph("readonly", "GET", `${beta}/managedDevices?$filter=contains(serialNumber,'${serial}')&$select=id,azureADDeviceId,lastSyncDateTime,userPrincipalName,autopilotEnrolled`)).json.value;

  it("a re-enrolled device: two Intune records (the stale one first), one Autopilot identity pointing at the current one", async () => {
    const current = (await byTrait("reenrolled"))[0]!;
    const stale = await summary(current.pairedDeviceId!);
    const rows = await devicesBySerial(current.serialNumber);
    expect(rows.map((r: any) => r.id)).toEqual([stale.id, current.id]);
    const [oldRow, newRow] = rows;
    expect(oldRow.azureADDeviceId).not.toBe(newRow.azureADDeviceId);
    expect(oldRow.autopilotEnrolled).toBe(true);
    expect(oldRow.userPrincipalName).not.toBe(newRow.userPrincipalName);
    const age = (Date.now() - Date.parse(oldRow.lastSyncDateTime)) / DAY_MS;
    expect(age).toBeGreaterThan(STALE_LAST_CHECKIN_DAYS);
    expect(age).toBeLessThan(STALE_LAST_CHECKIN_DAYS + 1);
    expect(Date.now() - Date.parse(newRow.lastSyncDateTime)).toBeLessThan(8 * 3_600_000 + 1000);
    const identities = await identitiesBySerial(current.serialNumber);
    expect(identities).toHaveLength(1);
    expect(identities[0]).toMatchObject({ managedDeviceId: current.id, azureActiveDirectoryDeviceId: newRow.azureADDeviceId, serialNumber: current.serialNumber });
    // Both Entra objects exist: the stale one last signed in when its record last checked in.
    for (const row of rows) {
      const entra = await graph("helpdesk", "GET", `/v1.0/devices(deviceId='${row.azureADDeviceId}')?$select=deviceId,approximateLastSignInDateTime`);
      expect(entra.json.approximateLastSignInDateTime).toBe(row.lastSyncDateTime);
    }
  });

  it("registered device preparation devices have an identity without a profile; unregistered ones none", async () => {
    const registered = (await byTrait("devicePreparationRegistered"))[0]!;
    const [identity] = await identitiesBySerial(registered.serialNumber);
    expect(identity).toMatchObject({ managedDeviceId: registered.id, azureActiveDirectoryDeviceId: registered.azureADDeviceId, deploymentProfileAssignmentStatus: "notAssigned" });
    const row = (await graph("readonly", "GET", `${beta}/managedDevices/${registered.id}?$select=autopilotEnrolled,joinType,enrollmentProfileName`)).json;
    expect(row).toMatchObject({ autopilotEnrolled: true, joinType: "azureADJoined", enrollmentProfileName: registered.enrollmentProfileName });
    const unregistered = (await byTrait("devicePreparation"))[0]!;
    expect(await identitiesBySerial(unregistered.serialNumber)).toEqual([]);
    expect(unregistered.autopilotIdentity).toBeNull();
    expect((await graph("readonly", "GET", `${beta}/managedDevices/${unregistered.id}?$select=autopilotEnrolled`)).json.autopilotEnrolled).toBe(false);
  });

  it("an Entra mismatch: the identity names another Entra device, the only one that exists", async () => {
    const d = (await byTrait("entraMismatch"))[0]!;
    const [identity] = await identitiesBySerial(d.serialNumber);
    expect(identity.managedDeviceId).toBe(d.id);
    expect(identity.azureActiveDirectoryDeviceId).not.toBe(d.azureADDeviceId);
    expect(d.entraDevice).toBeNull();
    expect((await graph("helpdesk", "GET", `/v1.0/devices(deviceId='${d.azureADDeviceId}')`)).status).toBe(404);
    const entra = await graph("helpdesk", "GET", `/v1.0/devices?$filter=deviceId eq '${identity.azureActiveDirectoryDeviceId}'&$select=deviceId,displayName,physicalIds`);
    expect(entra.json.value).toEqual([{ id: expect.any(String), deviceId: identity.azureActiveDirectoryDeviceId, displayName: d.deviceName, physicalIds: [`[ZTDId]:${identity.id}`] }]);
  });
});

describe("what the service does with a wipe it should never have been sent", () => {
  it("a device preparation device accepts an Autopilot Reset, counts it, and ends it notSupported", async () => {
    const own = await startEmulator({ port: 0, fleetSize: 20, seed: 4, silentWipes: "none" });
    try {
      const c = testClient(() => own);
      await c.control("DELETE", "/counters");
      for (const trait of ["devicePreparation", "devicePreparationRegistered", "profileNameCollision"]) {
        const [id] = await c.devices(trait, 1);
        expect((await c.graph("helpdesk", "POST", `${beta}/managedDevices/${id}/wipe`, KEEP)).status).toBe(204);
        await c.control("POST", `/devices/${id}/checkin`);
        await c.control("POST", "/clock/advance", { seconds: 60 });
        const read = await c.graph("readonly", "GET", `${beta}/managedDevices/${id}?$select=deviceActionResults,managementState`);
        expect(read.json.deviceActionResults.find((a: any) => a.actionName === "wipe").actionState, trait).toBe("notSupported");
        expect(read.json.managementState).toBe("managed");
        expect((await c.control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id!]).toBe(1);
      }
    } finally {
      await own.close();
    }
  });

  it("a stale duplicate accepts a wipe, counts it, and never checks in again", async () => {
    const own = await startEmulator({ port: 0, fleetSize: 20, seed: 4, silentWipes: "none" });
    try {
      const c = testClient(() => own);
      const [id] = await c.devices("staleDuplicate", 1);
      const before = (await c.graph("readonly", "GET", `${beta}/managedDevices/${id}?$select=lastSyncDateTime`)).json.lastSyncDateTime;
      expect((await c.graph("helpdesk", "POST", `${beta}/managedDevices/${id}/wipe`, KEEP)).status).toBe(204);
      expect((await c.graph("helpdesk", "POST", `${beta}/managedDevices/${id}/syncDevice`)).status).toBe(204);
      expect((await c.control<{ checkedIn: boolean }>("POST", `/devices/${id}/checkin`)).checkedIn).toBe(false);
      await c.control("POST", `/devices/${id}/online`);
      await c.control("POST", "/clock/advance", { seconds: 30 * 86_400 });
      const read = await c.graph("readonly", "GET", `${beta}/managedDevices/${id}?$select=deviceActionResults,managementState,lastSyncDateTime`);
      expect(read.json.deviceActionResults.find((a: any) => a.actionName === "wipe").actionState).toBe("pending");
      expect(read.json.managementState).toBe("wipePending");
      expect(read.json.lastSyncDateTime).toBe(before);
      expect((await c.control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id!]).toBe(1);
    } finally {
      await own.close();
    }
  });
});
