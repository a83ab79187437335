import { describe, expect, it } from "vitest";
import { newestFirst, recordsAgree } from "./records";

const DEVICE = { id: "0f8fad5b-d9cb-469f-a165-70867728950e", serialNumber: "PF3XK9QZ", azureADDeviceId: "9a1b2c3d-1111-4222-8333-944455556666" };
const LINK = { serialNumber: "pf3xk9qz", managedDeviceId: DEVICE.id.toUpperCase(), azureActiveDirectoryDeviceId: DEVICE.azureADDeviceId };

describe("recordsAgree", () => {
  it("agrees when the one identity with this exact serial names this record and its Entra device (any case)", () => {
    expect(recordsAgree(DEVICE, [LINK, { ...LINK, serialNumber: "PF3XK9QZ-2", managedDeviceId: "x" }])).toEqual({ agree: true });
    expect(recordsAgree(DEVICE, [{ ...LINK, managedDeviceId: "00000000-0000-0000-0000-000000000000" }])).toEqual({ agree: true });
  });

  it("a stale record names the current one; other disagreements say what does not match", () => {
    expect(recordsAgree(DEVICE, [{ ...LINK, managedDeviceId: "11111111-2222-4333-8444-555555555555" }])).toMatchObject({ reason: "not-current-record", currentDeviceId: "11111111-2222-4333-8444-555555555555" });
    expect(recordsAgree(DEVICE, [{ ...LINK, azureActiveDirectoryDeviceId: "22222222-2222-4333-8444-555555555555" }])).toMatchObject({ reason: "records-disagree" });
    expect(recordsAgree(DEVICE, [])).toMatchObject({ reason: "records-disagree" });
    expect(recordsAgree({ ...DEVICE, serialNumber: null }, [LINK])).toMatchObject({ reason: "records-disagree" });
    expect(recordsAgree(DEVICE, [LINK, LINK])).toMatchObject({ reason: "records-disagree" });
  });
});

describe("newestFirst", () => {
  it("orders records by last check-in, newest first, unknown last", () => {
    const rows = [
      { id: "a", deviceName: "A", lastSyncDateTime: "2026-10-01T00:00:00Z", userPrincipalName: null },
      { id: "b", deviceName: "B", lastSyncDateTime: null, userPrincipalName: null },
      { id: "c", deviceName: "C", lastSyncDateTime: "2026-12-01T00:00:00Z", userPrincipalName: null },
    ];
    expect(newestFirst(rows).map((r) => r.id)).toEqual(["c", "a", "b"]);
  });
});
