import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Device, DeviceAction } from "@/lib/devices/types";
import { canConfirm, isConfirmationTyped, offlinePlanSentence, planBulkAction, windows10PlanSentence } from "./planner";
import { fakeDevice } from "./fake-tenant.test-helper";

const NOW = new Date("2026-11-21T12:00:00Z");
const recent = "2026-11-21T11:00:00Z";
const device = (id: string, patch: Partial<Device> = {}): Device => ({ ...fakeDevice(id), lastSyncDateTime: recent, ...patch });

describe("planBulkAction", () => {
  const fleet = [
    device("ok-1"),
    device("ok-2"),
    device("mac", { operatingSystem: "macOS" }),
    device("hybrid", { joinType: "hybridAzureADJoined" }),
    device("noap", { autopilotEnrolled: false }),
    device("pending", { deviceActionResults: [{ actionName: "wipe", actionState: "pending", startDateTime: recent, lastUpdatedDateTime: recent }] }),
    device("offline", { lastSyncDateTime: "2026-10-01T00:00:00Z" }),
    device("ok-1"), // selected twice
  ];

  it("classifies a reset with the device page's rules and counts the skipped by reason", () => {
    const plan = planBulkAction("reset", fleet, NOW, ["gone"]);
    expect(plan.toSend.map((d) => d.id)).toEqual(["ok-1", "ok-2", "offline"]);
    expect(plan.skipped.map((d) => [d.id, d.reason])).toEqual([
      ["mac", "not-windows"],
      ["hybrid", "hybrid-joined"],
      ["noap", "not-autopilot"],
      ["pending", "reset-pending"],
      ["gone", "not-found"],
    ]);
    expect(plan.skippedByReason.reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(plan.offlineCount).toBe(1);
    expect(plan.toSend.find((d) => d.id === "offline")?.warning).toMatch(/looks offline: it will reset when it next checks in/);
    expect(plan.typedConfirmation.required).toBe(false);
  });

  it("names every skipped device in its reason's group, by name, with its serial number and user carried", () => {
    const many = [
      device("h2", { deviceName: "LT-10", joinType: "hybridAzureADJoined" }),
      device("h1", { deviceName: "LT-9", joinType: "hybridAzureADJoined" }),
      device("ok", { deviceName: "LT-1", serialNumber: "SN1", userPrincipalName: "a@contoso.com" }),
    ];
    const plan = planBulkAction("reset", many, NOW);
    expect(plan.skippedByReason).toEqual([
      { reason: "hybrid-joined", count: 2, label: expect.any(String), devices: [{ id: "h1", name: "LT-9" }, { id: "h2", name: "LT-10" }] },
    ]);
    expect(plan.toSend[0]).toMatchObject({ id: "ok", serialNumber: "SN1", primaryUser: "a@contoso.com" });
  });

  it("counts the Windows 10 devices a reset goes to (allowed, not guaranteed), and words them", () => {
    const mixed = [
      device("w10", { osVersion: "10.0.19045.5131" }),
      device("w10-hybrid", { osVersion: "10.0.19045.5131", joinType: "hybridAzureADJoined" }),
      device("w11", { osVersion: "10.0.26100.2314" }),
    ];
    const plan = planBulkAction("reset", mixed, NOW);
    expect(plan.windows10Count).toBe(1);
    expect(planBulkAction("sync", mixed, NOW).windows10Count).toBe(0);
    expect(windows10PlanSentence(plan)).toBe(
      "1 of them runs Windows 10, which reached end of support on 14 October 2025: Intune allows an Autopilot Reset, but does not guarantee it works.",
    );
    expect(windows10PlanSentence({ windows10Count: 1200 })).toMatch(/^1,200 of them run Windows 10, /);
  });

  it("words the offline count in the singular and the plural", () => {
    expect(offlinePlanSentence({ action: "reset", offlineCount: 1 })).toBe("1 of them has not checked in for days: the reset waits for its next check-in.");
    expect(offlinePlanSentence({ action: "sync", offlineCount: 1200 })).toBe("1,200 of them have not checked in for days: the sync waits for their next check-in.");
  });

  it("a sync skips only what is not Windows", () => {
    const plan = planBulkAction("sync", fleet, NOW);
    expect(plan.skipped.map((d) => d.id)).toEqual(["mac"]);
    expect(plan.toSend).toHaveLength(6);
  });

  it.each([
    [20, false],
    [21, true],
  ])("with %i devices to send, typed confirmation required: %s", (n, required) => {
    const plan = planBulkAction("reset", Array.from({ length: n }, (_, i) => device(`d${i}`)), NOW);
    expect(plan.typedConfirmation).toEqual({ required, expected: String(n) });
    expect(plan.sample).toHaveLength(5);
  });

  it.each([
    ["1234", true],
    [" 1234 ", true],
    ["1,234", true],
    ["1 234", true],
    ["1233", false],
    ["", false],
    ["12345", false],
    ["1234x", false],
  ])("typing %j for 1234 devices confirms: %s", (typed, ok) => {
    expect(isConfirmationTyped({ typedConfirmation: { required: true, expected: "1234" } }, typed)).toBe(ok);
  });

  it("nothing to send can never be confirmed", () => {
    expect(canConfirm(planBulkAction("reset", [device("mac", { operatingSystem: "iOS" })], NOW), "")).toBe(false);
  });

  it("every selected device is either sent or skipped, exactly once (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.constantFrom("a", "b", "c", "d", "e", "f"),
            os: fc.constantFrom("Windows", "macOS", "windows"),
            join: fc.constantFrom("azureADJoined", "hybridAzureADJoined", "unknown") as fc.Arbitrary<Device["joinType"]>,
            autopilot: fc.boolean(),
          }),
        ),
        fc.array(fc.constantFrom("a", "x", "y")),
        fc.constantFrom("reset", "sync") as fc.Arbitrary<DeviceAction>,
        (rows, missing, action) => {
          const devices = rows.map((r) => device(r.id, { operatingSystem: r.os, joinType: r.join, autopilotEnrolled: r.autopilot }));
          const plan = planBulkAction(action, devices, NOW, missing);
          const all = [...plan.toSend.map((d) => d.id), ...plan.skipped.map((d) => d.id)];
          expect(new Set(all).size).toBe(all.length);
          expect(new Set(all)).toEqual(new Set([...devices.map((d) => d.id), ...missing]));
        },
      ),
    );
  });
});

describe("recently reset devices (docs/product.md, \"Recently reset\")", () => {
  const graphNow = Date.now();
  const byId = new Map([["b", { at: new Date(graphNow - 3 * 3_600_000 - 60_000).toISOString(), by: "Adele Vance" }]]);

  it("leaves a device reset in the last 24 hours out, saying when and by whom", () => {
    const plan = planBulkAction("reset", [device("a"), device("b")], new Date(), [], { recentResets: { byId, graphNow } });
    expect(plan.toSend.map((d) => d.id)).toEqual(["a"]);
    expect(plan.skipped).toEqual([expect.objectContaining({ id: "b", reason: "recently-reset", message: "Reset 3 h ago by Adele Vance. Left out unless you tick it again." })]);
    expect(plan.skippedByReason[0]!.label).toBe("Reset in the last 24 hours");
    expect(plan.recentlyReset).toEqual([{ id: "b", name: "PC-b", sentence: "Reset 3 h ago by Adele Vance.", included: false }]);
  });

  it("sends it when the person ticks it again", () => {
    const plan = planBulkAction("reset", [device("a"), device("b")], new Date(), [], { recentResets: { byId, graphNow, includeAnyway: new Set(["b"]) } });
    expect(plan.toSend.map((d) => d.id)).toEqual(["a", "b"]);
    expect(plan.recentlyReset?.[0]?.included).toBe(true);
  });

  it("never holds back a sync, and says nothing without the read", () => {
    expect(planBulkAction("sync", [device("b")], new Date(), [], { recentResets: { byId, graphNow } }).toSend).toHaveLength(1);
    expect(planBulkAction("reset", [device("b")], new Date()).recentlyReset).toBeUndefined();
  });
});
