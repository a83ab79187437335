import { describe, expect, it } from "vitest";
import { adminCenterDeviceUrl } from "./admin-center";

describe("adminCenterDeviceUrl", () => {
  it("opens the device's Overview blade by its Intune id", () => {
    expect(adminCenterDeviceUrl("0f4b1a3e-1111-4222-8333-944455556666")).toBe(
      "https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/0f4b1a3e-1111-4222-8333-944455556666",
    );
  });

  it("cannot be steered elsewhere by the id", () => {
    expect(adminCenterDeviceUrl("../x?y#z")).toMatch(/mdmDeviceId\/\.\.%2Fx%3Fy%23z$/);
  });
});
