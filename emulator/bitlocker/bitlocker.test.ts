import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../server";
import { testClient } from "../test-client";

let emu: RunningEmulator;
const { control, graph } = testClient(() => emu);
const KEYS = "/v1.0/informationProtection/bitlocker/recoveryKeys";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 120, seed: 41 });
});
afterAll(async () => {
  await emu.close();
});

interface Summary { id: string; azureADDeviceId: string; bitlockerKeys: number; traits: string[] }
const windows = async () => (await control<{ value: Summary[] }>("GET", "/devices?limit=1000")).value.filter((d) => !d.traits.includes("nonWindows"));
const byDevice = (persona: string, deviceId: string) => graph(persona, "GET", `${KEYS}?$filter=deviceId eq '${deviceId}'`);
const reads = async () => (await control<{ bitlockerKeyReads: Record<string, number> }>("GET", "/counters")).bitlockerKeyReads;

describe("BitLocker recovery keys", () => {
  it("gives most Windows devices one or two keys and some none, listed without the key", async () => {
    const counts = (await windows()).map((d) => d.bitlockerKeys);
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(0);
    expect(counts.filter((c) => c === 2).length).toBeGreaterThan(0);
    expect(counts.filter((c) => c === 1).length).toBeGreaterThan(counts.filter((c) => c === 0).length);
    const device = (await windows()).find((d) => d.bitlockerKeys === 2)!;
    const list = await byDevice("helpdesk", device.azureADDeviceId);
    expect(list.status).toBe(200);
    expect(list.json.value).toHaveLength(2);
    expect(list.json.value[0]).toEqual({ id: expect.any(String), createdDateTime: expect.any(String), deviceId: device.azureADDeviceId, volumeType: "operatingSystemVolume" });
    const none = (await windows()).find((d) => d.bitlockerKeys === 0)!;
    expect((await byDevice("helpdesk", none.azureADDeviceId)).json.value).toEqual([]);
    expect((await control<{ value: Summary[] }>("GET", "/devices?trait=noBitlockerKey&limit=1")).value[0]?.bitlockerKeys).toBe(0);
  });

  it("answers the key only with $select=key and BitlockerKey.Read.All, and counts each read", async () => {
    const device = (await windows()).find((d) => d.bitlockerKeys === 1)!;
    const [key] = (await byDevice("helpdesk", device.azureADDeviceId)).json.value;
    const plain = await graph("helpdesk", "GET", `${KEYS}/${key.id}`);
    expect(plain.json.key).toBeUndefined();
    expect((await reads())[device.azureADDeviceId]).toBeUndefined();
    const read = await graph("helpdesk", "GET", `${KEYS}/${key.id}?$select=key`);
    expect(read.status).toBe(200);
    expect(read.json.key).toMatch(/^(\d{6}-){7}\d{6}$/);
    expect((await reads())[device.azureADDeviceId]).toBe(1);
    const basic = (await control<{ access_token: string }>("POST", "/token", { persona: "helpdesk", scopes: ["BitlockerKey.ReadBasic.All"] })).access_token;
    const refused = await fetch(`${emu.url}${KEYS}/${key.id}?$select=key`, { headers: { Authorization: `Bearer ${basic}` } });
    expect(refused.status).toBe(403);
    expect((await reads())[device.azureADDeviceId]).toBe(1);
  });

  it("refuses a persona without a role that may read keys, a token without the scopes, and an unknown key", async () => {
    const device = (await windows()).find((d) => d.bitlockerKeys === 1)!;
    const refused = await byDevice("endpointsecurity", device.azureADDeviceId);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("Authorization_RequestDenied");
    expect((await byDevice("readonly", device.azureADDeviceId)).status).toBe(200);
    expect((await byDevice("noconsent", device.azureADDeviceId)).status).toBe(403);
    expect((await graph("helpdesk", "GET", `${KEYS}/00000000-0000-4000-8000-000000000000?$select=key`)).status).toBe(404);
    expect((await graph("helpdesk", "GET", `${KEYS}?$filter=volumeType eq 1`)).status).toBe(400);
  });
});
