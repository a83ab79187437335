import { describe, expect, it } from "vitest";
import { actionPermission, CONSENT_MESSAGE, RESET_ROLE_MESSAGE, SYNC_ROLE_MESSAGE } from "@/lib/auth/permissions";

const all = { canRead: true, canWipe: true, canSync: true };
const readOnly = { canRead: true, canWipe: false, canSync: false };
const granted = ["https://graph.microsoft.com/DeviceManagementManagedDevices.PrivilegedOperations.All", "DeviceManagementManagedDevices.Read.All"];
const notGranted = ["DeviceManagementManagedDevices.Read.All"];

describe("actionPermission", () => {
  it("allows a Help Desk Operator whose tenant consented", () => {
    expect(actionPermission("reset", all, granted)).toEqual({ allowed: true });
  });
  it("names the role a Read Only Operator lacks, per action", () => {
    expect(actionPermission("reset", readOnly, granted)).toMatchObject({ allowed: false, kind: "role", message: RESET_ROLE_MESSAGE });
    expect(actionPermission("sync", readOnly, granted)).toMatchObject({ message: SYNC_ROLE_MESSAGE });
  });
  it("puts the missing consent before the role: no role helps without the scope", () => {
    expect(actionPermission("reset", readOnly, notGranted)).toMatchObject({ kind: "consent", message: CONSENT_MESSAGE });
  });
  it("does not guess while permissions are loading", () => {
    expect(actionPermission("reset", undefined, null)).toEqual({ allowed: true });
  });
});
