import { describe, expect, it } from "vitest";
import { ALL_ACTIONS, filterRows, monitorHref } from "./filters";
import { buildMonitorRows } from "./monitor-row";
import { audit } from "./test-helpers";
import { serviceNowOf } from "./pending-for";
import { resetToasts, type FailureWords, type FinishedReset } from "./reset-watch";

const WORDS: FailureWords = { failed: { reason: "WinRE is off.", fix: "Enable it." }, notSupported: { reason: "Hybrid.", fix: "Wipe." } };
const done = (n: number): FinishedReset => ({ auditId: `a${n}`, deviceId: `d${n}`, deviceName: `PC-${n}`, state: "done" });
const failed = (n: number, state: FinishedReset["state"] = "failed"): FinishedReset => ({ auditId: `f${n}`, deviceId: `e${n}`, deviceName: `LT-${n}`, state });

describe("the reset watcher's toasts (issue 23, item 10)", () => {
  it("says 15 completions in one short toast that links to them, never a list of 15", () => {
    const toasts = resetToasts(Array.from({ length: 15 }, (_, i) => done(i)), "/devices/windows", WORDS);
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toMatchObject({ tone: "success", title: "15 Autopilot Resets you started are complete.", href: "/devices/actions?action=reset&state=done" });
    expect(toasts[0]!.description).toBeUndefined();
  });

  it("gives one completion and one failure a toast each, the failure with its reason and fix", () => {
    const toasts = resetToasts([done(1), failed(2)], "/", WORDS);
    expect(toasts.map((t) => t.title)).toEqual(["Autopilot Reset of PC-1 is complete.", "Autopilot Reset of LT-2 failed."]);
    expect(toasts[1]).toMatchObject({ tone: "error", description: "WinRE is off. Fix: Enable it.", href: "/devices/windows/e2" });
  });

  it("sums several failures in one toast, filtered by their state when they share it", () => {
    expect(resetToasts([failed(1), failed(2)], "/", WORDS)[0]).toMatchObject({ title: "2 Autopilot Resets you started did not complete.", href: "/devices/actions?action=reset&state=failed" });
    expect(resetToasts([failed(1), failed(2, "notSupported")], "/", WORDS)[0]!.href).toBe("/devices/actions?action=reset");
  });

  it("says nothing the page already shows: none on Device actions, none about the device whose page is open", () => {
    expect(resetToasts([done(1), failed(2)], "/devices/actions", WORDS)).toEqual([]);
    const onDevicePage = resetToasts([done(1), failed(2)], "/devices/windows/e2", WORDS);
    expect(onDevicePage.map((t) => t.title)).toEqual(["Autopilot Reset of PC-1 is complete."]);
  });
});

describe("monitorHref", () => {
  it("writes a Device actions view as its URL state, leaving out empty values and the default window", () => {
    expect(monitorHref({})).toBe("/devices/actions");
    expect(monitorHref({ state: "failed" })).toBe("/devices/actions?state=failed");
    expect(monitorHref({ q: "lab pc", action: "reset", state: "pending", by: "ann@contoso.com", time: "24h" })).toBe(
      "/devices/actions?q=lab+pc&action=reset&state=pending&by=ann%40contoso.com&time=24h",
    );
    expect(monitorHref({ time: ALL_ACTIONS.time, state: null })).toBe("/devices/actions");
  });
});

describe("serviceNowOf", () => {
  const browser = new Date("2026-12-07T10:00:00Z");
  it("moves now by the largest lead a Graph time had when it was read, never back", () => {
    const readAt = Date.parse("2026-12-07T09:59:00Z");
    expect(serviceNowOf(browser, [{ iso: "2026-12-08T05:59:00Z", readAtMs: readAt }]).toISOString()).toBe("2026-12-08T06:00:00.000Z");
    expect(serviceNowOf(browser, [{ iso: "2026-12-06T05:00:00Z", readAtMs: readAt }])).toBe(browser);
    expect(serviceNowOf(browser, [{ iso: null, readAtMs: readAt }, { iso: "junk", readAtMs: readAt }, { iso: "2026-12-08T00:00:00Z", readAtMs: 0 }])).toBe(browser);
  });
});

describe("the whole the monitor counts ('N of M actions')", () => {
  it("is the rows the table lists unfiltered: a sync shown on its reset's row is not one more (was '4 of 5' with four rows)", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    const resets = Array.from({ length: 4 }, (_, i) => audit({ id: String(i), state: "pending", requestedAt: "2026-11-21T10:00:00Z" }));
    const rows = buildMonitorRows(resets, [{ deviceId: "device-0", deviceName: "PC-0", requestedAt: "2026-11-21T11:00:00Z", initiatedBy: "helpdesk@contoso.test" }], {}, now);
    expect(rows).toHaveLength(5);
    expect(filterRows(rows, ALL_ACTIONS, now)).toHaveLength(4);
  });
});
