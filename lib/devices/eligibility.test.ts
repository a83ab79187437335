import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FIXTURE_NOW, makeDevice } from "./device-fixture";
import { OFFLINE_THRESHOLD_DAYS } from "./check-in";
import { resetEligibility, syncEligibility } from "./eligibility";
import type { Device } from "./types";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(FIXTURE_NOW.getTime() - days * DAY).toISOString();

describe("resetEligibility", () => {
  it("allows an online Entra joined Autopilot Windows device", () => {
    const result = resetEligibility(makeDevice(), FIXTURE_NOW);
    expect(result).toMatchObject({ allowed: true });
    expect(result.reason).toBeUndefined();
    expect(result.warning).toBeUndefined();
  });

  it("refuses a non-Windows device and names its platform", () => {
    const result = resetEligibility(makeDevice({ operatingSystem: "iOS" }), FIXTURE_NOW);
    expect(result).toMatchObject({ allowed: false, reason: "not-windows" });
    expect(result.message).toContain("iOS");
  });

  it("refuses a hybrid joined device and points to a full wipe", () => {
    const result = resetEligibility(makeDevice({ joinType: "hybridAzureADJoined" }), FIXTURE_NOW);
    expect(result).toMatchObject({ allowed: false, reason: "hybrid-joined" });
    expect(result.message).toBe("Hybrid Microsoft Entra joined devices can't be Autopilot Reset: use a full Wipe instead.");
  });

  it("refuses a device not registered with Autopilot", () => {
    expect(resetEligibility(makeDevice({ autopilotEnrolled: false }), FIXTURE_NOW)).toMatchObject({
      allowed: false,
      reason: "not-autopilot",
    });
  });

  it("refuses when a reset is already pending (from history or from managementState)", () => {
    const fromHistory = makeDevice({
      deviceActionResults: [{ actionName: "wipe", actionState: "pending", startDateTime: daysAgo(1), lastUpdatedDateTime: null }],
    });
    const fromList = makeDevice({ managementState: "wipePending" });
    const active = makeDevice({
      deviceActionResults: [{ actionName: "automaticRedeployment", actionState: "active", startDateTime: daysAgo(0.1), lastUpdatedDateTime: null }],
    });
    for (const device of [fromHistory, fromList, active]) {
      expect(resetEligibility(device, FIXTURE_NOW)).toMatchObject({ allowed: false, reason: "reset-pending" });
    }
  });

  it("allows a device whose earlier reset is done or failed", () => {
    const done = makeDevice({
      deviceActionResults: [{ actionName: "wipe", actionState: "done", startDateTime: daysAgo(3), lastUpdatedDateTime: daysAgo(2) }],
    });
    expect(resetEligibility(done, FIXTURE_NOW).allowed).toBe(true);
  });

  it("allows an offline device with a warning and the number of days", () => {
    const result = resetEligibility(makeDevice({ lastSyncDateTime: daysAgo(12.5) }), FIXTURE_NOW);
    expect(result).toMatchObject({ allowed: true, warning: "offline", offlineDays: 12 });
    expect(result.message).toContain("looks offline: it will reset when it next checks in");
    expect(result.message).toContain("last week (");
    expect(result.message).not.toMatch(/Sync/);
  });

  it("treats exactly the threshold as online and just past it as offline", () => {
    expect(resetEligibility(makeDevice({ lastSyncDateTime: daysAgo(OFFLINE_THRESHOLD_DAYS) }), FIXTURE_NOW).warning).toBeUndefined();
    expect(resetEligibility(makeDevice({ lastSyncDateTime: daysAgo(OFFLINE_THRESHOLD_DAYS + 0.01) }), FIXTURE_NOW).warning).toBe("offline");
  });

  it("gives reasons in a fixed order: platform, join type, Autopilot, pending", () => {
    const everythingWrong = makeDevice({
      operatingSystem: "Android",
      joinType: "hybridAzureADJoined",
      autopilotEnrolled: false,
      managementState: "wipePending",
    });
    expect(resetEligibility(everythingWrong, FIXTURE_NOW).reason).toBe("not-windows");
    expect(resetEligibility({ ...everythingWrong, operatingSystem: "Windows" }, FIXTURE_NOW).reason).toBe("hybrid-joined");
  });

  it("is total: any device gives an answer with a sentence", () => {
    const arbitraryDevice = fc.record({
      operatingSystem: fc.constantFrom("Windows", "windows", "iOS", "", "macOS"),
      joinType: fc.constantFrom("unknown", "azureADJoined", "azureADRegistered", "hybridAzureADJoined"),
      autopilotEnrolled: fc.boolean(),
      managementState: fc.constantFrom(null, "managed", "wipePending", "wipeFailed", "retirePending"),
      lastSyncDateTime: fc.option(fc.oneof(fc.constant("not a date"), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()))),
    });
    fc.assert(
      fc.property(arbitraryDevice, (fields) => {
        const device = makeDevice(fields as Partial<Device>);
        const reset = resetEligibility(device, FIXTURE_NOW);
        const sync = syncEligibility(device, FIXTURE_NOW);
        expect(reset.message.length).toBeGreaterThan(10);
        expect(sync.message.length).toBeGreaterThan(10);
        expect(reset.allowed).toBe(reset.reason === undefined);
      }),
    );
  });
});

describe("syncEligibility", () => {
  it("allows Windows devices, hybrid or not", () => {
    expect(syncEligibility(makeDevice({ joinType: "hybridAzureADJoined", autopilotEnrolled: false }), FIXTURE_NOW).allowed).toBe(true);
  });

  it("refuses non-Windows devices", () => {
    expect(syncEligibility(makeDevice({ operatingSystem: "macOS" }), FIXTURE_NOW)).toMatchObject({ allowed: false, reason: "not-windows" });
  });

  it("warns when the device is offline", () => {
    expect(syncEligibility(makeDevice({ lastSyncDateTime: daysAgo(30) }), FIXTURE_NOW)).toMatchObject({
      allowed: true,
      warning: "offline",
      offlineDays: 30,
    });
  });
});

describe("resetEligibility with the server's facts", () => {
  it("refuses device preparation before asking for a registration, and a stale record with the current one named", () => {
    const prep = { by: "device-preparation" as const, message: "Provisioned by the Autopilot device preparation policy \"P\"." };
    expect(resetEligibility(makeDevice({ autopilotEnrolled: false }), FIXTURE_NOW, undefined, { provisioning: prep })).toMatchObject({ allowed: false, reason: "device-preparation" });
    const stale = { agree: false as const, reason: "not-current-record" as const, message: "Not the current record.", currentDeviceId: "11111111-2222-4333-8444-555555555555" };
    expect(resetEligibility(makeDevice(), FIXTURE_NOW, undefined, { records: stale })).toMatchObject({ allowed: false, reason: "not-current-record", currentDeviceId: stale.currentDeviceId });
  });

  it("allows Windows 10 and an unknown setup, saying so in notes", () => {
    const win10 = resetEligibility(makeDevice({ osVersion: "10.0.19045.5131" }), FIXTURE_NOW, undefined, { provisioning: { by: "unknown", message: "Not known." } });
    expect(win10.allowed).toBe(true);
    expect(win10.notes).toEqual([expect.stringMatching(/Windows 10.*not guarantee/), "Not known."]);
    expect(resetEligibility(makeDevice(), FIXTURE_NOW).notes).toBeUndefined();
  });
});
