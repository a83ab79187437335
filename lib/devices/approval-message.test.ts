import { describe, expect, it } from "vitest";
import { adminCenterApprovalsUrl } from "./admin-center";
import { askApproverMessage, consoleApprovalsUrl, consoleDeviceUrl, tellRequesterMessage } from "./approval-message";

const parts = {
  origin: "https://reset.contoso.com/",
  deviceName: "CONTOSO-LT-0042",
  deviceId: "0f4b1a3e-1111-4222-8333-944455556666",
  justification: "Laptop goes to the new hire\non Monday, ticket 4711",
  expiresAt: "2026-12-10T09:30:00Z",
};

describe("telling the other person under Multi Admin Approval", () => {
  it("builds the console's links from its origin", () => {
    expect(consoleApprovalsUrl(parts.origin)).toBe("https://reset.contoso.com/devices/approvals");
    expect(consoleDeviceUrl("http://localhost:3000", "a b")).toBe("http://localhost:3000/devices/windows/a%20b");
    expect(adminCenterApprovalsUrl()).toBe("https://intune.microsoft.com/#view/Microsoft_Intune_DeviceSettings/TenantAdminMenu/~/multiAdminApproval");
  });

  it("asks an approver with the device, the reason on one line, the expiry and both places to approve", () => {
    const text = askApproverMessage(parts);
    expect(text).toContain("Please approve my Autopilot Reset of CONTOSO-LT-0042");
    expect(text).toContain("Why: Laptop goes to the new hire on Monday, ticket 4711");
    expect(text).toMatch(/The request expires .*2026/);
    expect(text).toContain("https://reset.contoso.com/devices/approvals");
    expect(text).toContain(adminCenterApprovalsUrl());
  });

  it("tells the requester where to complete it: the device's page, or the console when the device is not confirmed", () => {
    expect(tellRequesterMessage(parts)).toContain(`Complete it here (select Complete reset): https://reset.contoso.com/devices/windows/${parts.deviceId}`);
    const unknown = tellRequesterMessage({ ...parts, deviceId: null, expiresAt: null });
    expect(unknown).toContain("https://reset.contoso.com/devices/approvals");
    expect(unknown).not.toContain("expires");
  });
});
