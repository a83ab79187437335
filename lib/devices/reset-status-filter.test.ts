import { describe, expect, it } from "vitest";
import { devicesWithResetStatus } from "./reset-status-filter";

const audit = (deviceId: string | null, requestedAt: string, state: "pending" | "active" | "done" | "failed" | "notSupported") => ({ deviceId, requestedAt, state });

describe("devicesWithResetStatus", () => {
  const audits = [
    audit("A", "2026-12-01T10:00:00Z", "done"),
    audit("a", "2026-12-02T10:00:00Z", "pending"),
    audit("b", "2026-12-02T09:00:00Z", "active"),
    audit("c", "2026-11-20T09:00:00Z", "failed"),
    audit("d", "2026-11-21T09:00:00Z", "notSupported"),
    audit("e", "2026-11-22T09:00:00Z", "done"),
    audit(null, "2026-11-22T09:00:00Z", "done"),
  ];

  it("goes by each device's newest reset, newest first", () => {
    expect(devicesWithResetStatus(audits, "pending")).toEqual(["a", "b"]);
    expect(devicesWithResetStatus(audits, "done")).toEqual(["e"]);
  });

  it("counts not supported as failed", () => {
    expect(devicesWithResetStatus(audits, "failed")).toEqual(["d", "c"]);
  });
});
