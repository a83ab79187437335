import { describe, expect, it } from "vitest";
import {
  deriveResetStatus,
  deriveSyncStatus,
  WINRE_FAILURE_FIX,
  WINRE_FAILURE_REASON,
} from "./action-status";
import { FIXTURE_NOW, makeDevice } from "./device-fixture";
import type { DeviceActionResult } from "./types";

const at = (iso: string) => iso;
const result = (actionName: string, actionState: DeviceActionResult["actionState"], startDateTime: string): DeviceActionResult => ({
  actionName,
  actionState,
  startDateTime,
  lastUpdatedDateTime: startDateTime,
});

describe("deriveResetStatus", () => {
  it("is none for a device with no reset", () => {
    expect(deriveResetStatus(makeDevice(), FIXTURE_NOW)).toEqual({ state: "none", lastCheckIn: "2026-11-21T11:30:00.000Z" });
  });

  it("reads pending, active and done from deviceActionResults, with since and last check-in", () => {
    for (const state of ["pending", "active", "done"] as const) {
      const device = makeDevice({ deviceActionResults: [result("wipe", state, at("2026-11-21T10:00:00.000Z"))] });
      expect(deriveResetStatus(device, FIXTURE_NOW)).toMatchObject({
        state,
        since: "2026-11-21T10:00:00.000Z",
        lastCheckIn: "2026-11-21T11:30:00.000Z",
      });
    }
  });

  it("counts wipe, factoryResetKeepEnrollmentData and automaticRedeployment as a reset, not other actions", () => {
    for (const name of ["wipe", "factoryResetKeepEnrollmentData", "automaticRedeployment"]) {
      const device = makeDevice({ deviceActionResults: [result(name, "pending", "2026-11-21T10:00:00.000Z")] });
      expect(deriveResetStatus(device, FIXTURE_NOW).state).toBe("pending");
    }
    const synced = makeDevice({ deviceActionResults: [result("syncDevice", "pending", "2026-11-21T10:00:00.000Z")] });
    expect(deriveResetStatus(synced, FIXTURE_NOW).state).toBe("none");
  });

  it("uses the latest reset when there are several", () => {
    const device = makeDevice({
      deviceActionResults: [
        result("wipe", "failed", "2026-11-01T10:00:00.000Z"),
        result("wipe", "pending", "2026-11-21T10:00:00.000Z"),
        result("wipe", "done", "2026-10-01T10:00:00.000Z"),
      ],
    });
    expect(deriveResetStatus(device, FIXTURE_NOW).state).toBe("pending");
  });

  it("explains a failure with the WinRE reason and its fix", () => {
    const device = makeDevice({ deviceActionResults: [result("wipe", "failed", "2026-11-21T10:00:00.000Z")] });
    expect(deriveResetStatus(device, FIXTURE_NOW)).toMatchObject({ state: "failed", reason: WINRE_FAILURE_REASON, fix: WINRE_FAILURE_FIX });
    expect(WINRE_FAILURE_REASON).toContain("0x80070032");
    expect(WINRE_FAILURE_FIX).toContain("reagentc.exe /enable");
  });

  it("reports a hybrid device's failure as not supported, needing a full wipe", () => {
    const failed = makeDevice({ joinType: "hybridAzureADJoined", deviceActionResults: [result("wipe", "failed", "2026-11-21T10:00:00.000Z")] });
    const notSupported = makeDevice({ deviceActionResults: [result("wipe", "notSupported", "2026-11-21T10:00:00.000Z")] });
    for (const device of [failed, notSupported]) {
      const status = deriveResetStatus(device, FIXTURE_NOW);
      expect(status.state).toBe("notSupported");
      expect(status.fix).toMatch(/full Wipe/);
    }
  });

  it("words notSupported for the device: not registered with Autopilot, or the generic checks", () => {
    const notRegistered = makeDevice({ autopilotEnrolled: false, deviceActionResults: [result("wipe", "notSupported", "2026-11-21T10:00:00.000Z")] });
    expect(deriveResetStatus(notRegistered, FIXTURE_NOW)).toMatchObject({ state: "notSupported", reason: expect.stringMatching(/registered with Windows Autopilot/) });
    const other = makeDevice({ deviceActionResults: [result("wipe", "notSupported", "2026-11-21T10:00:00.000Z")] });
    expect(deriveResetStatus(other, FIXTURE_NOW).fix).toMatch(/1809/);
  });

  it("falls back to managementState when a list row carries no history", () => {
    expect(deriveResetStatus(makeDevice({ managementState: "wipePending" }), FIXTURE_NOW).state).toBe("pending");
    expect(deriveResetStatus(makeDevice({ managementState: "wipeIssued" }), FIXTURE_NOW).state).toBe("pending");
    expect(deriveResetStatus(makeDevice({ managementState: "wipeFailed" }), FIXTURE_NOW).state).toBe("failed");
    expect(deriveResetStatus(makeDevice({ managementState: "wipeCanceled" }), FIXTURE_NOW).state).toBe("none");
  });

  it("sets offlineSince for a device that has not checked in for more than a week", () => {
    const device = makeDevice({
      lastSyncDateTime: "2026-11-01T00:00:00.000Z",
      deviceActionResults: [result("wipe", "pending", "2026-11-20T10:00:00.000Z")],
    });
    expect(deriveResetStatus(device, FIXTURE_NOW)).toMatchObject({ state: "pending", offlineSince: "2026-11-01T00:00:00.000Z" });
  });
});

describe("deriveSyncStatus", () => {
  it("is none without a sync", () => {
    expect(deriveSyncStatus(makeDevice(), FIXTURE_NOW).state).toBe("none");
  });

  it("is pending until the device checks in after the sync was requested, then done", () => {
    const requested = makeDevice({
      lastSyncDateTime: "2026-11-21T09:00:00.000Z",
      deviceActionResults: [result("syncDevice", "pending", "2026-11-21T10:00:00.000Z")],
    });
    expect(deriveSyncStatus(requested, FIXTURE_NOW)).toMatchObject({ state: "pending", since: "2026-11-21T10:00:00.000Z" });
    expect(deriveSyncStatus({ ...requested, lastSyncDateTime: "2026-11-21T10:00:05.000Z" }, FIXTURE_NOW).state).toBe("done");
  });

  it("uses a requestedAt the history does not show yet", () => {
    const device = makeDevice({ lastSyncDateTime: "2026-11-21T09:00:00.000Z" });
    expect(deriveSyncStatus(device, FIXTURE_NOW, "2026-11-21T10:00:00.000Z").state).toBe("pending");
    expect(deriveSyncStatus(device, FIXTURE_NOW, "2026-11-21T08:00:00.000Z").state).toBe("done");
  });
});
