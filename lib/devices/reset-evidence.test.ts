import { describe, expect, it } from "vitest";
import { fakeDevice } from "@/lib/bulk/fake-tenant.test-helper";
import { deriveResetStatus } from "./action-status";
import { findPendingReset, resetStartedSince } from "./reset-evidence";
import type { ResetAudit } from "./types";

const T = Date.parse("2026-12-02T10:00:00Z");
const at = (s: number) => new Date(T + s * 1000).toISOString();
const audit = (state: ResetAudit["state"], s: number, action = "factoryResetKeepEnrollmentData"): ResetAudit => ({
  id: `a${s}`,
  action,
  state,
  requestedAt: at(s),
  initiatedBy: "megan@contoso",
});
const wipe = (actionState: "pending" | "active" | "done", s: number) => ({ actionName: "wipe", actionState, startDateTime: at(s), lastUpdatedDateTime: at(s) });

describe("findPendingReset: any one signal is enough", () => {
  it.each([
    ["deviceActionResults", { device: fakeDevice("d", [wipe("pending", 0)]), audits: [] }],
    ["audit (deviceActionResults empty, as real tenants often answer)", { device: fakeDevice("d"), audits: [audit("pending", 0)] }],
    ["managementState", { device: { ...fakeDevice("d"), managementState: "wipePending" as const }, audits: [] }],
    ["the console's own record of a send Graph does not show yet", { device: fakeDevice("d"), audits: [], recent: { by: "Megan", at: at(0) } }],
    ["a full wipe's audit", { device: fakeDevice("d"), audits: [audit("active", 0, "factoryReset")] }],
  ])("%s", (_label, evidence) => {
    expect(findPendingReset(evidence)).not.toBeNull();
  });

  it("nothing pending: a finished reset, a canceled one, other actions", () => {
    expect(findPendingReset({ device: fakeDevice("d", [wipe("done", 0)]), audits: [audit("done", 0), audit("pending", 5, "rebootNow")] })).toBeNull();
  });

  it("names who asked, from the audit", () => {
    expect(findPendingReset({ device: fakeDevice("d", [wipe("pending", 0)]), audits: [audit("pending", 0)] })).toMatchObject({ by: "megan@contoso" });
  });

  it("once Graph shows the console's send as pending, the console's record still names who sent it", () => {
    const evidence = { device: fakeDevice("d", [wipe("pending", 0)]), audits: [audit("pending", 0)], recent: { by: "Megan Bowen", at: at(0) } };
    expect(findPendingReset(evidence)).toMatchObject({ source: "deviceActionResults", by: "Megan Bowen" });
  });

  it("the console's record gives way once Graph shows the reset itself (done is done)", () => {
    const evidence = { device: fakeDevice("d"), audits: [audit("done", 1)], recent: { by: "Megan", at: at(0) } };
    expect(findPendingReset(evidence)).toBeNull();
  });
});

describe("resetStartedSince compares Graph's times with Graph's clock only", () => {
  it("counts a reset that started in the same second, not one from before", () => {
    expect(resetStartedSince({ device: fakeDevice("d", [wipe("done", -0.5)]), audits: [] }, T)).not.toBeNull();
    expect(resetStartedSince({ device: fakeDevice("d", [wipe("done", -5)]), audits: [] }, T)).toBeNull();
    expect(resetStartedSince({ device: fakeDevice("d"), audits: [audit("done", 3)] }, T)).toMatchObject({ by: "megan@contoso" });
  });
});

describe("deriveResetStatus with audits", () => {
  const now = new Date(T + 60_000);
  it("follows a wipe Graph leaves out of deviceActionResults through pending, active and done", () => {
    expect(deriveResetStatus(fakeDevice("d"), now, { audits: [audit("pending", 0)] })).toMatchObject({ state: "pending", requestedBy: "megan@contoso" });
    expect(deriveResetStatus(fakeDevice("d"), now, { audits: [audit("active", 0)] }).state).toBe("active");
    expect(deriveResetStatus(fakeDevice("d"), now, { audits: [audit("done", 0)] }).state).toBe("done");
    expect(deriveResetStatus(fakeDevice("d"), now, { audits: [audit("failed", 0)] }).state).toBe("failed");
  });

  it("a newer audit wins over an older result, and the same reset in both reads as one", () => {
    expect(deriveResetStatus(fakeDevice("d", [wipe("done", -3600)]), now, { audits: [audit("pending", 0)] }).state).toBe("pending");
    expect(deriveResetStatus(fakeDevice("d", [wipe("active", 0)]), now, { audits: [audit("active", 0)] })).toMatchObject({ state: "active", requestedBy: "megan@contoso" });
  });
});
