/**
 * The server actions against the emulator: listing, search, device, counts, permissions per persona, and the
 * never-twice guarantees of Autopilot Reset (already pending, applied-then-5xx, throttled).
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDevice, getPlatformCounts, listWindowsDevices } from "@/lib/actions/devices";
import { autopilotReset, getDeviceActionState, syncDevice, type DeviceActionState } from "@/lib/actions/device-actions";
import { getMyPermissions } from "@/lib/actions/permissions";
import type { ActionResult } from "@/lib/result";
import { deriveResetStatus } from "@/lib/devices/action-status";
import { SCOPE_NAMES } from "@/lib/auth/scopes";
import type { DevicePage } from "@/lib/graph/devices";
import { withEmulator } from "./emulator-harness";

const FLEET = 400;
const emulator = withEmulator({ fleetSize: FLEET, seed: 3 });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

/** The reset status the device page shows, from every signal the action returns. */
function statusOf(state: DeviceActionState) {
  return deriveResetStatus(state.device, new Date(), { audits: state.audits, recent: state.recentReset });
}

async function wipesOf(deviceId: string): Promise<number> {
  return (await emulator.counters()).wipes[deviceId] ?? 0;
}

afterEach(async () => {
  await emulator.control("DELETE", "/_emulator/faults");
});

describe("listWindowsDevices", () => {
  it("returns a page of Windows devices with a cursor", async () => {
    const page = data(await listWindowsDevices(await emulator.token("helpdesk"), { pageSize: 50 }));
    expect(page.devices).toHaveLength(50);
    expect(page.devices.every((device) => device.operatingSystem === "Windows")).toBe(true);
    expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(page.ignoredByGraph).toEqual([]);
  });

  it("finds a device by name, by user and by serial", async () => {
    const token = await emulator.token("helpdesk");
    const [device] = await emulator.findDevices("eligible", 1);
    for (const search of [device!.deviceName, device!.serialNumber, device!.userPrincipalName.toUpperCase()]) {
      const page = data(await listWindowsDevices(token, { search, pageSize: 100 }));
      expect(page.devices.map((row) => row.id), search).toContain(device!.id);
      expect(page.ignoredByGraph).toEqual([]);
      expect(new Set(page.devices.map((row) => row.id)).size).toBe(page.devices.length);
    }
  });

  it("answers hostile searches with results or nothing, never an error", async () => {
    const token = await emulator.token("helpdesk");
    for (const search of ["' or 1 eq 1", "o'brien", "a) or (true", "%27", "&$top=999", "\\", "()"]) {
      const page = data(await listWindowsDevices(token, { search }));
      expect(page.devices, search).toEqual([]);
    }
  });

  it("refuses a 5,000-character search with a sentence", async () => {
    const result = await listWindowsDevices(await emulator.token("helpdesk"), { search: "x".repeat(5_000) });
    expect(result.error?.kind).toBe("invalid");
    expect(result.error?.message).toMatch(/at most 200 characters/);
  });

  it("sorts through $orderby and says Graph sorted", async () => {
    const page = data(await listWindowsDevices(await emulator.token("helpdesk"), { sort: { field: "deviceName", direction: "desc" }, pageSize: 100 }));
    expect(page.sortedByGraph).toBe(true);
    const names = page.devices.map((device) => device.deviceName.toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
  });

  it("applies a filter Graph honours (compliance)", async () => {
    const page = data(await listWindowsDevices(await emulator.token("helpdesk"), { filters: { compliance: "noncompliant" }, pageSize: 20 }));
    expect(page.devices.length).toBeGreaterThan(0);
    expect(page.devices.every((device) => device.complianceState === "noncompliant")).toBe(true);
    expect(page.ignoredByGraph).toEqual([]);
  });

  it("applies a filter Graph ignores (beta joinType) here, says so, and reads on to fill the page", async () => {
    const token = await emulator.token("helpdesk");
    const seen = new Set<string>();
    let cursor: string | null = null;
    let ignored: string[] = [];
    do {
      const page: DevicePage = data(await listWindowsDevices(token, { filters: { joinType: "hybridAzureADJoined" }, pageSize: 20, cursor }));
      expect(page.devices.every((device) => device.joinType === "hybridAzureADJoined")).toBe(true);
      for (const device of page.devices) seen.add(device.id);
      ignored = [...new Set([...ignored, ...page.ignoredByGraph])];
      cursor = page.nextCursor;
    } while (cursor);
    expect(ignored).toEqual(["joinType"]);
    const hybrids = await emulator.findDevices("hybrid", 1000);
    expect(seen.size).toBe(hybrids.filter((device) => device.traits.includes("hybrid")).length);
  });

  it("refuses a cursor tampered to point elsewhere, sending nothing", async () => {
    const token = await emulator.token("helpdesk");
    const first = data(await listWindowsDevices(token, { pageSize: 10 }));
    const payload = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString("utf8"));
    payload.s.all = "http://evil.example/beta/deviceManagement/managedDevices?$skiptoken=x";
    const tampered = Buffer.from(JSON.stringify(payload)).toString("base64url");
    await emulator.control("DELETE", "/_emulator/counters");
    const result = await listWindowsDevices(token, { pageSize: 10, cursor: tampered });
    expect(result.error?.kind).toBe("invalid");
    expect((await emulator.counters()).requests).toBe(0);
  });

  it("refuses a missing or malformed token before calling Graph", async () => {
    await emulator.control("DELETE", "/_emulator/counters");
    for (const token of ["", "abc", "a.b"]) expect((await listWindowsDevices(token, {})).error?.kind).toBe("unauthenticated");
    expect((await emulator.counters()).requests).toBe(0);
  });

  it("maps an expired token to unauthenticated", async () => {
    const result = await listWindowsDevices(await emulator.token("helpdesk", -60), {});
    expect(result.error?.kind).toBe("unauthenticated");
  });
});

describe("getDevice and getPlatformCounts", () => {
  it("returns one device with its action history field", async () => {
    const [found] = await emulator.findDevices("eligible", 1);
    const device = data(await getDevice(await emulator.token("readonly"), { id: found!.id }));
    expect(device).toMatchObject({ id: found!.id, deviceName: found!.deviceName, operatingSystem: "Windows", autopilotEnrolled: true });
    expect(Array.isArray(device.deviceActionResults)).toBe(true);
  });

  it("answers not-found for an unknown or malformed id", async () => {
    const token = await emulator.token("helpdesk");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-guid", "../../users", "x".repeat(500)]) {
      const result = await getDevice(token, { id });
      expect(result.error?.kind, id).toBe("not-found");
      expect(result.error?.message).toMatch(/No device has this id/);
    }
  });

  it("counts devices per platform, adding up to the fleet", async () => {
    const counts = data(await getPlatformCounts(await emulator.token("readonly")));
    expect(counts.reduce((sum, entry) => sum + entry.count, 0)).toBe(FLEET);
    expect(counts.find((entry) => entry.platform === "Windows")!.count).toBeGreaterThan(FLEET / 2);
  });
});

describe("getMyPermissions", () => {
  it("reads each persona's role and the app's consent", async () => {
    const of = async (persona: Parameters<typeof emulator.token>[0]) => data(await getMyPermissions(await emulator.token(persona)));
    expect(await of("helpdesk")).toMatchObject({ canRead: true, canWipe: true, canSync: true, missingScopes: [] });
    expect(await of("intuneadmin")).toMatchObject({ canRead: true, canWipe: true, canSync: true });
    expect(await of("readonly")).toMatchObject({ canRead: true, canWipe: false, canSync: false, missingScopes: [] });
    expect(await of("endpointsecurity")).toMatchObject({ canRead: true, canWipe: false, canSync: true });
    expect(await of("noconsent")).toMatchObject({
      canRead: true,
      canWipe: false,
      canSync: false,
      role: { canWipe: true, canSync: true },
      missingScopes: [SCOPE_NAMES.privilegedOperations],
    });
  });
});

describe("autopilotReset", () => {
  it("initiates once, then answers already-pending without sending again; the device goes pending -> done", async () => {
    const token = await emulator.token("helpdesk");
    const [device] = await emulator.findDevices("eligible", 1);
    const first = data(await autopilotReset(token, { deviceId: device!.id }));
    expect(first.status).toBe("initiated");
    const second = data(await autopilotReset(token, { deviceId: device!.id }));
    expect(second.status).toBe("already-pending");
    expect(await wipesOf(device!.id)).toBe(1);

    const pending = data(await getDeviceActionState(token, { deviceId: device!.id }));
    expect(statusOf(pending).state).toBe("pending");
    await emulator.control("POST", `/_emulator/devices/${device!.id}/checkin`);
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 3600 });
    await emulator.control("POST", `/_emulator/devices/${device!.id}/checkin`);
    const later = data(await getDeviceActionState(token, { deviceId: device!.id }));
    expect(["active", "done"]).toContain(statusOf(later).state);
  });

  it("two people press Yes on one device in the same second: one wipe, and the second is told who sent it", async () => {
    const [megan, isaiah] = await Promise.all([emulator.token("helpdesk"), emulator.token("intuneadmin")]);
    const [, , device] = await emulator.findDevices("eligible", 3);
    await emulator.control("PUT", "/_emulator/faults", { writeLatencyMs: 1_500 });
    const [a, b] = await Promise.all([autopilotReset(megan, { deviceId: device!.id }), autopilotReset(isaiah, { deviceId: device!.id })]);
    const statuses = [data(a).status, data(b).status].sort();
    expect(statuses).toEqual(["already-pending", "initiated"]);
    const second = [data(a), data(b)].find((r) => r.status === "already-pending")!;
    expect(second.requestedBy).toMatch(/Megan Bowen|Isaiah Langer/);
    expect(await wipesOf(device!.id)).toBe(1);
  });

  it("a device whose wipe Graph leaves out of deviceActionResults is still seen as pending: no second wipe", async () => {
    const token = await emulator.token("helpdesk");
    const devices = await emulator.findDevices("silentWipe", 40);
    const device = devices.find((d) => d.traits.includes("eligible"))!;
    expect(data(await autopilotReset(token, { deviceId: device.id })).status).toBe("initiated");
    const state = data(await getDeviceActionState(token, { deviceId: device.id }));
    expect(state.device.deviceActionResults.some((r) => r.actionName === "wipe")).toBe(false);
    expect(state.audits.some((audit) => audit.state === "pending")).toBe(true);
    expect(statusOf(state).state).toBe("pending");
    // Another person, so the console's own record of the first send is not what stops it: Graph's audit is.
    expect(data(await autopilotReset(await emulator.token("intuneadmin"), { deviceId: device.id })).status).toBe("already-pending");
    expect(await wipesOf(device.id)).toBe(1);
  });

  it("a reset that has finished may be reset again by a new decision, even within the console's memory of the first", async () => {
    const token = await emulator.token("helpdesk");
    const [, , , , device] = await emulator.findDevices("eligible", 5);
    expect(data(await autopilotReset(token, { deviceId: device!.id })).status).toBe("initiated");
    await emulator.control("POST", `/_emulator/devices/${device!.id}/checkin`);
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 60 });
    expect(statusOf(data(await getDeviceActionState(token, { deviceId: device!.id }))).state).toBe("done");
    expect(data(await autopilotReset(await emulator.token("intuneadmin"), { deviceId: device!.id })).status).toBe("initiated");
    expect(await wipesOf(device!.id)).toBe(2);
  });

  it("a device with WinRE disabled ends failed, with the reason and the reagentc fix", async () => {
    const token = await emulator.token("helpdesk");
    const [device] = await emulator.findDevices("winreDisabled", 1);
    expect(data(await autopilotReset(token, { deviceId: device!.id })).status).toBe("initiated");
    await emulator.control("POST", `/_emulator/devices/${device!.id}/checkin`);
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 120 });
    const status = statusOf(data(await getDeviceActionState(token, { deviceId: device!.id })));
    expect(status.state).toBe("failed");
    expect(status.reason).toContain("0x80070032");
    expect(status.fix).toContain("reagentc.exe /enable");
  });

  it("after an applied-then-5xx answer, checks the state and reports initiated; exactly one wipe", async () => {
    const token = await emulator.token("helpdesk");
    const [, device] = await emulator.findDevices("eligible", 2);
    await emulator.control("PUT", "/_emulator/faults", { rules: [{ fault: "applied-then-5xx", method: "POST", pathContains: "/wipe", times: 1 }] });
    const result = data(await autopilotReset(token, { deviceId: device!.id }));
    expect(await emulator.faultsFired()).toBe(1);
    expect(result.status).toBe("initiated");
    expect(await wipesOf(device!.id)).toBe(1);
  });

  it("after a plain 503 that applied nothing, answers unclear and does not resend", async () => {
    const token = await emulator.token("helpdesk");
    const [, , device] = await emulator.findDevices("eligible", 3);
    await emulator.control("PUT", "/_emulator/faults", { rules: [{ fault: "unavailable", method: "POST", pathContains: "/wipe", times: 1 }] });
    const result = await autopilotReset(token, { deviceId: device!.id });
    expect(await emulator.faultsFired()).toBe(1);
    expect(result.error?.kind).toBe("unclear");
    expect(result.error?.message).toMatch(/We did not resend it/);
    expect(await wipesOf(device!.id)).toBe(0);
  });

  it("when throttled, sends once and says so", async () => {
    const token = await emulator.token("helpdesk");
    const [, , , device] = await emulator.findDevices("eligible", 4);
    await emulator.control("PUT", "/_emulator/faults", {
      rules: [{ fault: "throttle", method: "POST", pathContains: "/wipe", times: 1, retryAfterSeconds: 7 }],
    });
    const result = await autopilotReset(token, { deviceId: device!.id });
    expect(await emulator.faultsFired()).toBe(1);
    expect(result.error).toMatchObject({ kind: "throttled", retryAfterSeconds: 7 });
    expect(await wipesOf(device!.id)).toBe(0);
  });

  it("refuses ineligible devices with the eligibility sentence, sending nothing", async () => {
    const token = await emulator.token("helpdesk");
    const [hybrid] = await emulator.findDevices("hybrid", 1);
    const [notAutopilot] = await emulator.findDevices("notAutopilot", 1);
    const hybridResult = await autopilotReset(token, { deviceId: hybrid!.id });
    expect(hybridResult.error).toMatchObject({ kind: "invalid" });
    expect(hybridResult.error?.message).toMatch(/full Wipe/);
    expect((await autopilotReset(token, { deviceId: notAutopilot!.id })).error?.message).toMatch(/Autopilot/);
    expect(await wipesOf(hybrid!.id)).toBe(0);
    expect(await wipesOf(notAutopilot!.id)).toBe(0);
  });

  it("tells the role apart from consent, and sends nothing for either", async () => {
    const [, , , , device] = await emulator.findDevices("eligible", 5);
    const readonly = await autopilotReset(await emulator.token("readonly"), { deviceId: device!.id });
    expect(readonly.error?.kind).toBe("forbidden-role");
    expect(readonly.error?.message).toMatch(/Remote tasks \/ Wipe/);
    const noconsent = await autopilotReset(await emulator.token("noconsent"), { deviceId: device!.id });
    expect(noconsent.error).toMatchObject({ kind: "forbidden-consent", missingScope: SCOPE_NAMES.privilegedOperations });
    expect(await wipesOf(device!.id)).toBe(0);
  });

  it("sends one wipe for a double click (two concurrent calls)", async () => {
    const token = await emulator.token("helpdesk");
    const [, , , , , , device] = await emulator.findDevices("eligible", 7);
    const results = await Promise.all([autopilotReset(token, { deviceId: device!.id }), autopilotReset(token, { deviceId: device!.id })]);
    expect(results.map((result) => data(result).status).sort()).toEqual(["already-pending", "initiated"]);
    expect(await wipesOf(device!.id)).toBe(1);
  });

  it("refuses a malformed id as invalid and an unknown one as not-found", async () => {
    const token = await emulator.token("helpdesk");
    expect((await autopilotReset(token, { deviceId: "abc" })).error?.kind).toBe("invalid");
    expect((await autopilotReset(token, { deviceId: "00000000-0000-4000-8000-000000000000" })).error?.kind).toBe("not-found");
  });
});

describe("syncDevice", () => {
  it("sends exactly one sync", async () => {
    const [, , , , , , , device] = await emulator.findDevices("eligible", 8);
    const result = data(await syncDevice(await emulator.token("helpdesk"), { deviceId: device!.id }));
    expect(Date.parse(result.requestedAt)).not.toBeNaN();
    expect((await emulator.counters()).syncs[device!.id]).toBe(1);
  });
});
