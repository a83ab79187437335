import { describe, expect, it } from "vitest";
import { groupTagChangeSummary, groupTagProblem, oldProfileWarning, profileCatchUp } from "./group-tag";

describe("groupTagProblem", () => {
  it("accepts ordinary tags and the empty tag (which removes it)", () => {
    for (const tag of ["Kiosk", "Shared-Lab", "Site_02.North", "Class 3B", ""]) expect(groupTagProblem(tag)).toBeUndefined();
  });
  it("refuses 500 characters, markup, quotes, control characters and edge spaces, each with a sentence", () => {
    expect(groupTagProblem("a".repeat(500))).toMatch(/at most 64 characters/);
    expect(groupTagProblem("a".repeat(64))).toBeUndefined();
    expect(groupTagProblem("<script>alert(1)</script>")).toMatch(/only letters, digits/);
    expect(groupTagProblem(`Kiosk"'`)).toMatch(/only letters, digits/);
    expect(groupTagProblem("Kiosk\u0000")).toMatch(/only letters, digits/);
    expect(groupTagProblem(" Kiosk")).toMatch(/start or end with a space/);
  });
});

describe("profileCatchUp", () => {
  it("says in sync with the profile's name", () => {
    expect(profileCatchUp({ profileStatus: "assignedInSync", profileName: "Contoso kiosk", groupTag: "Kiosk" })).toEqual({ kind: "in-sync", text: "Profile: assigned, in sync (Contoso kiosk)" });
  });
  it("says catching up, since when the console changed the tag, for pending and the not-yet-synced states", () => {
    const at = (iso: string) => iso.slice(11, 16);
    expect(profileCatchUp({ profileStatus: "pending", profileName: null, groupTag: "Kiosk" }, "2026-12-07T10:42:00Z", at)).toEqual({ kind: "catching-up", text: "Profile: catching up with the group tag since 10:42" });
    expect(profileCatchUp({ profileStatus: "assignedOutOfSync", profileName: "x", groupTag: "Kiosk" }).kind).toBe("catching-up");
    expect(profileCatchUp({ profileStatus: "assignedUnkownSyncState", profileName: "x", groupTag: "Kiosk" }).kind).toBe("catching-up");
  });
  it("tells failed, not assigned and unknown apart", () => {
    expect(profileCatchUp({ profileStatus: "failed", profileName: null, groupTag: "Kiosk" }).text).toBe("Profile: assignment failed");
    expect(profileCatchUp({ profileStatus: "notAssigned", profileName: null, groupTag: "Kiosk" }).kind).toBe("not-assigned");
    expect(profileCatchUp({ profileStatus: "unknown", profileName: null, groupTag: "Kiosk" }).kind).toBe("unknown");
    expect(profileCatchUp({ profileStatus: "notAssigned", profileName: null, groupTag: "" }).text).toBe("Profile: none assigned (the device has no group tag)");
  });
});

describe("oldProfileWarning", () => {
  it("warns while the profile catches up, and not once it is in sync", () => {
    expect(oldProfileWarning({ profileStatus: "pending", groupTag: "Kiosk" })).toMatch(/may come back with the old profile/);
    expect(oldProfileWarning({ profileStatus: "assignedOutOfSync", groupTag: "Kiosk" })).toMatch(/“Kiosk”/);
    expect(oldProfileWarning({ profileStatus: "assignedInSync", groupTag: "Kiosk" })).toBeUndefined();
    expect(oldProfileWarning({ profileStatus: "notAssigned", groupTag: "" })).toBeUndefined();
  });
});

describe("groupTagChangeSummary", () => {
  it("names both tags, the user when set, and that nothing is reset", () => {
    const s = groupTagChangeSummary("Standard", "Kiosk", "LeeG@contoso.onmicrosoft.com");
    expect(s.lines[0]).toBe("The Autopilot group tag changes from “Standard” to “Kiosk”.");
    expect(s.lines[1]).toContain("LeeG@contoso.onmicrosoft.com");
    expect(s.lines.at(-1)).toBe("Nothing is sent to the device: this is not a reset.");
    expect(groupTagChangeSummary("", "Kiosk").lines[0]).toContain("from none");
  });
});
