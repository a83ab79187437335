import { describe, expect, it } from "vitest";
import { COMPLIANCE_LABELS, formatRelative, label } from "./format";

const now = new Date("2026-11-21T12:00:00Z");

describe("formatRelative", () => {
  it("words recent, past and missing check-ins", () => {
    expect(formatRelative("2026-11-21T11:59:30Z", now)).toBe("just now");
    expect(formatRelative("2026-11-21T09:00:00Z", now)).toBe("3 hours ago");
    expect(formatRelative("2026-11-20T12:00:00Z", now)).toBe("yesterday");
    expect(formatRelative("2026-11-07T12:00:00Z", now)).toBe("2 weeks ago");
    expect(formatRelative(null, now)).toBe("Never");
    expect(formatRelative("not a date", now)).toBe("Unknown");
  });
});

describe("label", () => {
  it("maps Graph's enum values to the admin center's words", () => {
    expect(label(COMPLIANCE_LABELS, "noncompliant")).toBe("Not compliant");
    expect(label(COMPLIANCE_LABELS, null)).toBe("—");
  });
});
