import { describe, expect, it } from "vitest";
import { COMPLIANCE_LABELS, formatDateTime, formatRelative, formatWhen, label } from "./format";

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

describe("formatDateTime and formatWhen", () => {
  // The clock time is the machine's time zone's; noon UTC is 2 Dec in every zone.
  it("writes a moment day first, en-GB, 24-hour, from an ISO string or milliseconds", () => {
    expect(formatDateTime("2026-12-02T12:04:59Z")).toMatch(/^2 Dec 2026, \d\d:\d\d$/);
    expect(formatDateTime(Date.parse("2026-12-02T12:04:59Z"))).toBe(formatDateTime("2026-12-02T12:04:59Z"));
    expect(formatDateTime(null)).toBe("Never");
    expect(formatDateTime("nope")).toBe("Unknown");
  });

  it("puts the relative time first and the absolute one in brackets", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    expect(formatWhen("2026-11-21T09:00:00Z", now)).toBe(`3 hours ago (${formatDateTime("2026-11-21T09:00:00Z")})`);
    expect(formatWhen(undefined, now)).toBe("Never");
  });
});
