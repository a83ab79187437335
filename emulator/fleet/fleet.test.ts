import { describe, expect, it } from "vitest";
import { Fleet, RESET_DURATION_MS, SYNC_CHECKIN_MAX_MS, WIPE_PUSH_MAX_MS } from "./fleet";
import { CHECKIN_PERIOD_MS, seedNumber } from "./generate";
import { DEVICE_KINDS, actionOf, type DeviceKind, type DeviceRecord } from "./device";
import { Fidelity } from "../fidelity";
import { SCENARIO_DEVICE_COUNT } from "./scenario";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const KEEP = { keepEnrollmentData: true, keepUserData: false };

function firstOfKind(fleet: Fleet, kind: DeviceKind): DeviceRecord {
  const d = fleet.devices.find((x) => x.kind === kind);
  if (!d) throw new Error(`no ${kind} device`);
  return d;
}

describe("fleet generation", () => {
  it("is reproducible for a seed and differs across seeds", () => {
    const a = new Fleet(seedNumber("demo"), 500, T0);
    const b = new Fleet(seedNumber("demo"), 500, T0);
    const c = new Fleet(seedNumber("other"), 500, T0);
    const view = (f: Fleet) => f.devices.map((d) => [d.id, d.deviceName, d.serialNumber, d.kind, f.userOf(d)?.userPrincipalName].join("|"));
    expect(view(a)).toEqual(view(b));
    expect(view(a)).not.toEqual(view(c));
  });

  it("keeps device i's id, serial and kind whatever the fleet size (users are drawn from a pool sized to the fleet)", () => {
    const small = new Fleet(42, 100, T0);
    const large = new Fleet(42, 2000, T0);
    const generated = (f: Fleet, n: number) => f.devices.slice(0, n).map((d) => [d.id, d.serialNumber, d.kind]);
    expect(generated(large, 100)).toEqual(generated(small, 100));
  });

  it("has every kind even in a tiny fleet, and the documented proportions in a large one", () => {
    const tiny = new Fleet(1, 12, T0);
    for (const kind of DEVICE_KINDS) expect(tiny.devices.filter((d) => d.kind === kind)).toHaveLength(2);
    const fleet = new Fleet(7, 20_000, T0);
    const share = (kind: DeviceKind) => fleet.devices.filter((d) => d.kind === kind).length / fleet.devices.length;
    expect(share("eligible")).toBeGreaterThan(0.75);
    expect(share("eligible")).toBeLessThan(0.81);
    expect(share("hybrid")).toBeCloseTo(0.06, 1);
    expect(share("notAutopilot")).toBeCloseTo(0.05, 1);
    expect(share("winreDisabled")).toBeCloseTo(0.03, 1);
    expect(share("offline")).toBeCloseTo(0.05, 1);
    expect(share("nonWindows")).toBeCloseTo(0.03, 1);
  });

  it("generates realistic records", () => {
    const fleet = new Fleet(3, 300, T0);
    const ids = new Set(fleet.devices.map((d) => d.id));
    expect(ids.size).toBe(300 + SCENARIO_DEVICE_COUNT);
    for (const d of fleet.devices) {
      expect(d.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(fleet.userOf(d)?.userPrincipalName).toMatch(/^[a-z.]+\d*@contoso\.onmicrosoft\.com$/);
      if (d.kind !== "nonWindows") expect(d.osVersion).toMatch(/^10\.0\.(19045|22631|26100)\.\d+$/);
      const lastSync = fleet.lastSyncMs(d, T0);
      if (d.kind === "offline" || d.kind === "staleDuplicate") expect(T0 - lastSync).toBeGreaterThan(3 * 86_400_000);
      else expect(T0 - lastSync).toBeLessThanOrEqual(CHECKIN_PERIOD_MS);
    }
    expect(fleet.devices.some((d) => /^CONTOSO-(LT|DT)-\d{5}$/.test(d.deviceName))).toBe(true);
  });
});

describe("lifecycle", () => {
  it("a synced online device finishes an Autopilot Reset within a minute: pending, active, done", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "eligible");
    const before = fleet.lastSyncMs(d, T0);
    fleet.wipe(d, KEEP, T0, "admin@contoso.onmicrosoft.com", "single", null);
    expect(actionOf(d, "wipe")?.actionState).toBe("pending");
    expect(d.managementState).toBe("wipePending");
    expect(fleet.autopilotEnrollmentState(d)).toBe("pendingReset");
    fleet.sync(d, T0 + 1000);
    fleet.settle(T0 + 1000 + SYNC_CHECKIN_MAX_MS);
    expect(actionOf(d, "wipe")?.actionState).toBe("active");
    expect(actionOf(d, "syncDevice")?.actionState).toBe("done");
    fleet.settle(T0 + 1000 + SYNC_CHECKIN_MAX_MS + RESET_DURATION_MS);
    const wipe = actionOf(d, "wipe")!;
    expect(wipe.actionState).toBe("done");
    expect(wipe.updatedMs - T0).toBeLessThan(60_000);
    expect(fleet.userOf(d)).toBeUndefined();
    expect(d.managementState).toBe("managed");
    expect(fleet.lastSyncMs(d, T0 + 60_000)).toBeGreaterThan(before);
    expect(fleet.audits.at(-1)?.tracked.actionState).toBe("done");
  });

  it("without a sync the reset waits for the push check-in (at most 12 minutes)", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "eligible");
    fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    fleet.settle(T0 + 60_000);
    expect(actionOf(d, "wipe")?.actionState).toBe("pending");
    fleet.settle(T0 + WIPE_PUSH_MAX_MS + RESET_DURATION_MS);
    expect(actionOf(d, "wipe")?.actionState).toBe("done");
  });

  it("fails with WinRE disabled and is not supported on hybrid joined devices", () => {
    const fleet = new Fleet(5, 50, T0);
    const winre = firstOfKind(fleet, "winreDisabled");
    const hybrid = firstOfKind(fleet, "hybrid");
    for (const d of [winre, hybrid]) {
      fleet.wipe(d, KEEP, T0, "a@b", "single", null);
      fleet.sync(d, T0);
    }
    fleet.settle(T0 + 60_000);
    expect(actionOf(winre, "wipe")?.actionState).toBe("failed");
    expect(winre.managementState).toBe("wipeFailed");
    expect(fleet.userOf(winre)).toBeDefined();
    expect(actionOf(hybrid, "wipe")?.actionState).toBe("notSupported");
  });

  it("an offline device accepts commands but does nothing until it comes online", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "offline");
    const lastSync = fleet.lastSyncMs(d, T0);
    fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    fleet.sync(d, T0);
    fleet.settle(T0 + 30 * 86_400_000);
    expect(actionOf(d, "wipe")?.actionState).toBe("pending");
    expect(fleet.lastSyncMs(d, T0 + 30 * 86_400_000)).toBe(lastSync);
    const back = T0 + 30 * 86_400_000;
    fleet.bringOnline(d, back);
    expect(actionOf(d, "wipe")?.actionState).toBe("active");
    fleet.settle(back + RESET_DURATION_MS);
    expect(actionOf(d, "wipe")?.actionState).toBe("done");
  });

  it("a scheduled check-in picks up a pending wipe", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "eligible");
    fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    d.pendingCheckinMs = 0; // no push: only the 8-hour schedule is left
    const next = fleet.nextScheduledAfter(d, T0);
    fleet.settle(next - 1);
    expect(actionOf(d, "wipe")?.actionState).toBe("pending");
    fleet.settle(next);
    expect(actionOf(d, "wipe")?.actionState).toBe("active");
  });

  it("a second wipe while one is pending keeps the first action and audits both", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "eligible");
    const audits = fleet.audits.length;
    const first = fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    const second = fleet.wipe(d, KEEP, T0 + 5000, "a@b", "single", null);
    expect(second).toBe(first);
    expect(first.startMs).toBe(T0);
    expect(fleet.audits.length).toBe(audits + 2);
  });

  it("a manual check-in activates at once; deleted devices disappear", () => {
    const fleet = new Fleet(5, 50, T0);
    const d = firstOfKind(fleet, "eligible");
    fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    fleet.checkInNow(d, T0 + 1);
    expect(actionOf(d, "wipe")?.actionState).toBe("active");
    fleet.delete(d);
    expect(fleet.get(d.id)).toBeUndefined();
    expect(fleet.liveCount).toBe(49 + SCENARIO_DEVICE_COUNT);
  });
});

describe("silent wipes", () => {
  const silent = (f: Fleet) => f.devices.filter((d) => f.silentWipe(d));

  it("\"some\" is about 1 in 4 devices, fixed per seed, with eligible devices even in a tiny fleet", () => {
    const fleet = new Fleet(7, 20_000, T0);
    const chosen = silent(fleet);
    expect(chosen.length / fleet.devices.length).toBeGreaterThan(0.23);
    expect(chosen.length / fleet.devices.length).toBeLessThan(0.27);
    expect(chosen.filter((d) => d.kind === "eligible").length / chosen.length).toBeGreaterThan(0.7);
    const first2000 = (f: Fleet) => silent(f).filter((d) => d.index < 2000).map((d) => d.index);
    expect(first2000(new Fleet(7, 2000, T0))).toEqual(first2000(fleet));
    expect(first2000(new Fleet(8, 2000, T0))).not.toEqual(first2000(fleet));
    const tiny = new Fleet(1, 12, T0);
    expect(silent(tiny).map((d) => d.index)).toEqual([2, 6, 10]);
    expect(silent(tiny).some((d) => tiny.isEligibleNow(d))).toBe(true);
    expect(tiny.traits(tiny.devices[6]!)).toEqual(["eligible", "silentWipe"]);
  });

  it("follows the shared fidelity switch: none and all", () => {
    const fidelity = new Fidelity("none");
    const fleet = new Fleet(7, 100, T0, fidelity);
    expect(silent(fleet)).toHaveLength(0);
    fidelity.silentWipes = "all";
    expect(silent(fleet)).toHaveLength(100 + SCENARIO_DEVICE_COUNT);
    expect(fleet.hasTrait(fleet.devices[0]!, "silentWipe")).toBe(true);
  });

  it("changes nothing in the lifecycle: the wipe is recorded and finishes as usual", () => {
    const fleet = new Fleet(5, 50, T0, new Fidelity("all"));
    const d = firstOfKind(fleet, "eligible");
    fleet.wipe(d, KEEP, T0, "a@b", "single", null);
    expect(d.managementState).toBe("wipePending");
    expect(fleet.audits.at(-1)?.tracked.actionState).toBe("pending");
    fleet.checkInNow(d, T0 + 1000);
    expect(fleet.audits.at(-1)?.tracked.actionState).toBe("active");
    fleet.settle(T0 + 1000 + RESET_DURATION_MS);
    expect(actionOf(d, "wipe")?.actionState).toBe("done");
    expect(fleet.audits.at(-1)?.tracked.actionState).toBe("done");
  });
});
