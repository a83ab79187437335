import { describe, expect, it } from "vitest";
import {
  APPROVAL_LIFETIME_MS,
  approvalExpiresAtMs,
  checkJustification,
  coverageFrom,
  encodeJustificationHeader,
  latestRequestForDevice,
  MAX_JUSTIFICATION_CHARS,
  MAX_RESET_JUSTIFICATION_CHARS,
  parseResetJustification,
  policyCoversAutopilotReset,
  resetJustification,
  settledApproval,
} from "./approval";

const DEVICE = { id: "0F8FAD5B-D9CB-469F-A165-70867728950E", deviceName: "CONTOSO-LT-0042" };

describe("policy coverage", () => {
  it("covers a reset with a deviceWipe or deviceAction policy for Windows or every platform", () => {
    expect(policyCoversAutopilotReset({ policyType: "deviceWipe", policyPlatform: "windows10AndLater" })).toBe(true);
    expect(policyCoversAutopilotReset({ policyType: "deviceAction", policyPlatform: "notApplicable" })).toBe(true);
    expect(policyCoversAutopilotReset({ policyType: "deviceAction", policyPlatform: "windows10AndLater" })).toBe(true);
  });

  it("does not cover it with other types or other platforms", () => {
    expect(policyCoversAutopilotReset({ policyType: "deviceRetire", policyPlatform: "windows10AndLater" })).toBe(false);
    expect(policyCoversAutopilotReset({ policyType: "app", policyPlatform: "notApplicable" })).toBe(false);
    expect(policyCoversAutopilotReset({ policyType: "deviceWipe", policyPlatform: "iOSiPadOS" })).toBe(false);
    expect(policyCoversAutopilotReset({ policyType: "deviceWipe", policyPlatform: "macOS" })).toBe(false);
  });

  it("sums policies up", () => {
    expect(coverageFrom([])).toBe("not-covered");
    expect(coverageFrom([{ policyType: "script", policyPlatform: "notApplicable" }, { policyType: "deviceWipe", policyPlatform: "windows10AndLater" }])).toBe("covered");
  });
});

describe("checkJustification", () => {
  it("trims and accepts one line of text", () => {
    expect(checkJustification("  Laptop goes to the new hire  ", MAX_RESET_JUSTIFICATION_CHARS)).toEqual({ ok: true, text: "Laptop goes to the new hire" });
    expect(checkJustification("Réinstallation pour Zoë — ticket 42 ✓", 100)).toMatchObject({ ok: true });
  });

  it("refuses empty text", () => {
    const check = checkJustification("   ", 100);
    expect(check).toMatchObject({ ok: false });
    expect(!check.ok && check.message).toMatch(/Write a justification/);
  });

  it("refuses 5,000 characters with a sentence naming the limit", () => {
    const check = checkJustification("x".repeat(5_000), MAX_RESET_JUSTIFICATION_CHARS);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toBe(
      `The justification is 5,000 characters long; Intune accepts at most ${MAX_RESET_JUSTIFICATION_CHARS} here. Shorten it by ${(5_000 - MAX_RESET_JUSTIFICATION_CHARS).toLocaleString("en-US")} characters.`,
    );
  });

  it("refuses line breaks, tabs and other control characters", () => {
    for (const text of ["first line\nsecond", "a\tb", "bell\u0007", "nel\u0085"]) {
      const check = checkJustification(text, 100);
      expect(check.ok, JSON.stringify(text)).toBe(false);
      expect(!check.ok && check.message).toMatch(/one line/);
    }
  });

  it("counts UTF-16 code units, never fewer than Graph might", () => {
    expect(checkJustification("😀".repeat(50), 100).ok).toBe(true);
    expect(checkJustification("😀".repeat(51), 100).ok).toBe(false);
  });
});

describe("the device prefix", () => {
  it("writes and reads back the device and the text", () => {
    const full = resetJustification(DEVICE, "Laptop goes to the new hire: Monday (ticket 42)");
    expect(full).toBe("Autopilot Reset of CONTOSO-LT-0042 (0f8fad5b-d9cb-469f-a165-70867728950e): Laptop goes to the new hire: Monday (ticket 42)");
    expect(parseResetJustification(full)).toEqual({
      deviceId: "0f8fad5b-d9cb-469f-a165-70867728950e",
      deviceName: "CONTOSO-LT-0042",
      text: "Laptop goes to the new hire: Monday (ticket 42)",
    });
  });

  it("keeps names with parentheses and colons", () => {
    const full = resetJustification({ ...DEVICE, deviceName: "Lab (B): 3" }, "refresh");
    expect(parseResetJustification(full)).toMatchObject({ deviceName: "Lab (B): 3", text: "refresh" });
  });

  it("fits Graph's 1,024 whatever the device name", () => {
    const longName = { ...DEVICE, deviceName: "N".repeat(300) };
    const full = resetJustification(longName, "y".repeat(MAX_RESET_JUSTIFICATION_CHARS), "T".repeat(64));
    expect(full.length).toBe(MAX_JUSTIFICATION_CHARS);
    expect(parseResetJustification(full)?.deviceName).toBe(`${"N".repeat(63)}…`);
    const emoji = resetJustification({ ...DEVICE, deviceName: "😀".repeat(40) }, "y".repeat(MAX_RESET_JUSTIFICATION_CHARS));
    expect(emoji.length).toBeLessThanOrEqual(MAX_JUSTIFICATION_CHARS);
  });

  it("puts the ticket reference in front of the requester's words", () => {
    const full = resetJustification(DEVICE, "Laptop goes to the new hire", "INC0012345");
    expect(parseResetJustification(full)?.text).toBe("INC0012345: Laptop goes to the new hire");
  });

  it("keeps control characters of a device name out of the prefix", () => {
    expect(resetJustification({ ...DEVICE, deviceName: "a\nb" }, "t")).toMatch(/^Autopilot Reset of a b \(/);
  });

  it("reads nothing from a justification another tool wrote", () => {
    expect(parseResetJustification("Laptop goes to the new hire")).toBeNull();
    expect(parseResetJustification("Autopilot Reset of X (not-a-guid): t")).toBeNull();
    expect(parseResetJustification(null)).toBeNull();
  });
});

describe("encodeJustificationHeader", () => {
  it("is padded standard Base64 of the UTF-8 bytes", () => {
    for (const text of ["Refresh", "Zoë ✓ 😀", "a+b/c?"]) {
      const header = encodeJustificationHeader(text);
      expect(header).toBe(Buffer.from(text, "utf8").toString("base64"));
      expect(header).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    }
  });
});

describe("latestRequestForDevice", () => {
  it("takes the device's newest request", () => {
    const of = (id: string, deviceId: string, requestedAt: string) => ({ id, requestedAt, device: { deviceId, deviceName: "x", text: "t" } });
    const requests = [
      of("a", "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-06-01T10:00:00Z"),
      of("b", "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-06-02T10:00:00Z"),
      of("c", "11111111-d9cb-469f-a165-70867728950e", "2026-06-03T10:00:00Z"),
      { id: "d", requestedAt: "2026-06-04T10:00:00Z", device: null },
    ];
    expect(latestRequestForDevice(requests, DEVICE.id)?.id).toBe("b");
    expect(latestRequestForDevice(requests, "22222222-d9cb-469f-a165-70867728950e")).toBeNull();
  });
});

describe("approval expiry (3 days, not 30)", () => {
  const requestedAt = "2026-06-01T09:00:00Z";
  const at = (iso: string) => Date.parse(iso);

  it("lives 3 days: Graph's expirationDateTime when given, else requestDateTime + 3 days", () => {
    expect(APPROVAL_LIFETIME_MS).toBe(3 * 24 * 3600 * 1000);
    expect(approvalExpiresAtMs({ requestedAt, expiresAt: null })).toBe(at("2026-06-04T09:00:00Z"));
    expect(approvalExpiresAtMs({ requestedAt, expiresAt: "2026-06-03T12:00:00Z" })).toBe(at("2026-06-03T12:00:00Z"));
    expect(approvalExpiresAtMs({ requestedAt: null, expiresAt: null })).toBeNull();
  });

  it("turns an open request past its expiry into expired, on Graph's clock, and leaves the others alone", () => {
    const approved = { status: "approved" as const, requestedAt, expiresAt: null };
    expect(settledApproval(approved, at("2026-06-04T08:59:59Z")).status).toBe("approved");
    expect(settledApproval(approved, at("2026-06-04T09:00:00Z")).status).toBe("expired");
    expect(settledApproval({ ...approved, status: "needsApproval" as const }, at("2026-06-30T00:00:00Z")).status).toBe("expired");
    // 29 days after the request is not "still open" any more: 30 days is how long a status stays visible.
    expect(settledApproval(approved, at("2026-06-30T09:00:00Z")).status).toBe("expired");
    for (const status of ["completed", "rejected", "cancelled"] as const) {
      expect(settledApproval({ ...approved, status }, at("2026-07-01T00:00:00Z")).status).toBe(status);
    }
    expect(settledApproval({ status: "approved" as const, requestedAt: null, expiresAt: null }, at("2030-01-01T00:00:00Z")).status).toBe("approved");
  });
});
