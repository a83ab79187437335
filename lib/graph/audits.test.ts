import { describe, expect, it } from "vitest";
import { mapAudit } from "./audits";

describe("mapAudit", () => {
  it("treats factoryResetKeepEnrollmentData and automaticRedeployment as Autopilot Reset", () => {
    for (const action of ["factoryResetKeepEnrollmentData", "automaticRedeployment"] as const) {
      expect(mapAudit({ id: "1", action }).kind).toBe("reset");
    }
    expect(mapAudit({ id: "2", action: "factoryReset" }).kind).toBe("other");
    expect(mapAudit({ id: "3", action: "remoteLock" }).kind).toBe("other");
  });

  it("fills what Graph leaves out", () => {
    expect(mapAudit({})).toMatchObject({ id: "", action: "unknown", state: "none", category: "unknown", deviceId: null, requestedAt: null });
  });
});
