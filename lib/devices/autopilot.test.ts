import { describe, expect, it } from "vitest";
import { autopilotExpectations, enrollmentStateOf, graphDate, profileStatusOf, remediationStateOf, type AutopilotRecord } from "./autopilot";

const record = (over: Partial<AutopilotRecord> = {}): AutopilotRecord => ({
  id: "ap-1",
  groupTag: "Kiosk",
  profileName: "Contoso kiosk",
  profileStatus: "assignedInSync",
  profileAssignedAt: "2026-01-02T10:00:00Z",
  enrollmentState: "enrolled",
  lastContactedAt: "2026-12-01T10:00:00Z",
  remediationState: "noRemediationRequired",
  remediationChangedAt: null,
  ...over,
});

describe("the Autopilot record's values", () => {
  it("reads Graph's empty date as never", () => {
    expect(graphDate("0001-01-01T00:00:00Z")).toBeNull();
    expect(graphDate(null)).toBeNull();
    expect(graphDate("2026-12-01T10:00:00Z")).toBe("2026-12-01T10:00:00Z");
  });

  it("takes an unknown enum member as unknown", () => {
    expect(profileStatusOf("assignedOutOfSync")).toBe("assignedOutOfSync");
    expect(profileStatusOf("somethingNew")).toBe("unknown");
    expect(enrollmentStateOf(undefined)).toBe("unknown");
    expect(remediationStateOf("unknownFutureValue")).toBe("unknown");
  });
});

describe("autopilotExpectations", () => {
  it("says nothing before the record is read", () => {
    expect(autopilotExpectations(undefined)).toEqual([]);
  });

  it("names the group tag the device comes back with", () => {
    const [first, ...rest] = autopilotExpectations({ kind: "found", record: record() });
    expect(first).toEqual({ tone: "info", text: expect.stringContaining("group tag “Kiosk”") });
    expect(rest).toEqual([]);
  });

  it("says what no group tag means", () => {
    expect(autopilotExpectations({ kind: "found", record: record({ groupTag: "" }) })[0]!.text).toContain("no group tag");
  });

  it("warns of a profile that is not assigned and of a hardware change", () => {
    const out = autopilotExpectations({ kind: "found", record: record({ profileStatus: "notAssigned", remediationState: "manualRemediationRequired" }) });
    expect(out.map((e) => e.tone)).toEqual(["info", "warning", "warning"]);
    expect(out[1]!.text).toContain("not assigned");
    expect(out[2]!.text).toContain("needs manual remediation");
  });

  it("warns when Graph has no record for a device Intune calls registered", () => {
    expect(autopilotExpectations({ kind: "none" })).toEqual([{ tone: "warning", text: expect.stringContaining("no Autopilot record") }]);
  });

  it("leaves a profile still catching up with its group tag to the dialog's top warning (lib/devices/group-tag.ts)", () => {
    const out = autopilotExpectations({ kind: "found", record: record({ profileStatus: "pending" }) });
    expect(out.filter((e) => e.tone === "warning")).toEqual([]);
  });
});
