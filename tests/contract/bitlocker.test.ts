/**
 * BitLocker recovery keys through the server actions (lib/actions/bitlocker.ts), lib/graph/bitlocker.ts and the real
 * @microsoft/microsoft-graph-client against the emulator (docs/graph.md, "BitLocker recovery keys").
 */
import { describe, expect, it } from "vitest";
import { listBitlockerKeys, showBitlockerKey } from "@/lib/actions/bitlocker";
import { listRecoveryKeys, readRecoveryKey } from "@/lib/graph/bitlocker";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 200, seed: 44 });

interface Row { id: string; azureADDeviceId: string; bitlockerKeys: number; traits: string[] }
async function windowsWith(keys: number, skip = 0): Promise<Row> {
  const all = await emulator.control<{ value: Row[] }>("GET", "/_emulator/devices?limit=1000");
  const found = all.value.filter((d) => !d.traits.includes("nonWindows") && d.bitlockerKeys === keys)[skip];
  if (!found) throw new Error(`no Windows device with ${keys} keys`);
  return found;
}
const reads = async () => (await emulator.control<{ bitlockerKeyReads: Record<string, number> }>("GET", "/_emulator/counters")).bitlockerKeyReads;

describe("lib/graph/bitlocker through the real client", () => {
  it("lists a device's keys without the key, and reads one key", async () => {
    const device = await windowsWith(2);
    const client = await emulator.client("helpdesk");
    const keys = await listRecoveryKeys(client, device.azureADDeviceId);
    expect(keys.map((k) => k.volumeType)).toEqual(["operatingSystemVolume", "fixedDataVolume"]);
    expect(JSON.stringify(keys)).not.toMatch(/\d{6}-\d{6}/);
    const read = await readRecoveryKey(client, keys[0]!.id);
    expect(read.key).toMatch(/^(\d{6}-){7}\d{6}$/);
    expect((await reads())[device.azureADDeviceId]).toBe(1);
  });
});

describe("BitLocker server actions", () => {
  it("lists and shows a key for a permitted persona, the device's azureADDeviceId taken from Intune", async () => {
    const device = await windowsWith(1);
    const token = await emulator.token("readonly");
    const list = await listBitlockerKeys(token, { deviceId: device.id });
    expect(list.data?.keys).toHaveLength(1);
    expect(list.data?.keys[0]?.deviceId).toBe(device.azureADDeviceId);
    const shown = await showBitlockerKey(token, { deviceId: device.id, keyId: list.data!.keys[0]!.id });
    expect(shown.data?.key).toMatch(/^(\d{6}-){7}\d{6}$/);
    expect((await reads())[device.azureADDeviceId]).toBe(1);
  });

  it("refuses a key of another device, an unknown key, and a device without keys says so by an empty list", async () => {
    const device = await windowsWith(1, 1);
    const other = await windowsWith(2, 1);
    const token = await emulator.token("helpdesk");
    const otherKey = (await listBitlockerKeys(token, { deviceId: other.id })).data!.keys[0]!.id;
    const foreign = await showBitlockerKey(token, { deviceId: device.id, keyId: otherKey });
    expect(foreign.error).toMatchObject({ kind: "not-found", message: expect.stringContaining("no BitLocker recovery key with this id") });
    const unknown = await showBitlockerKey(token, { deviceId: device.id, keyId: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.error?.kind).toBe("not-found");
    expect((await reads())[other.azureADDeviceId]).toBeUndefined();
    const none = await windowsWith(0);
    expect((await listBitlockerKeys(token, { deviceId: none.id })).data?.keys).toEqual([]);
    expect((await showBitlockerKey(token, { deviceId: device.id, keyId: "../me" })).error?.kind).toBe("invalid");
  });

  it("words a missing role, a missing scope and a device that is not Windows, and reads no key", async () => {
    const device = await windowsWith(1, 2);
    const role = await listBitlockerKeys(await emulator.token("endpointsecurity"), { deviceId: device.id });
    expect(role.error).toMatchObject({ kind: "forbidden-role", message: expect.stringContaining("Helpdesk Administrator") });
    const consent = await listBitlockerKeys(await emulator.token("noconsent"), { deviceId: device.id });
    expect(consent.error).toMatchObject({ kind: "forbidden-consent", message: expect.stringContaining("BitlockerKey.ReadBasic.All") });
    const basicOnly = (await emulator.control<{ access_token: string }>("POST", "/_emulator/token", {
      persona: "helpdesk", scopes: ["DeviceManagementManagedDevices.Read.All", "BitlockerKey.ReadBasic.All"],
    })).access_token;
    const keyId = (await listBitlockerKeys(basicOnly, { deviceId: device.id })).data!.keys[0]!.id;
    const noKeyScope = await showBitlockerKey(basicOnly, { deviceId: device.id, keyId });
    expect(noKeyScope.error).toMatchObject({ kind: "forbidden-consent", message: expect.stringContaining("BitlockerKey.Read.All") });
    expect((await reads())[device.azureADDeviceId]).toBeUndefined();
    const [mac] = await emulator.findDevices("nonWindows", 1);
    expect((await listBitlockerKeys(await emulator.token("helpdesk"), { deviceId: mac!.id })).error?.message).toContain("Windows devices only");
  });
});
