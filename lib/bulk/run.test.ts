import { describe, expect, it } from "vitest";
import type { DeviceActionResult, ResetAudit } from "@/lib/devices/types";
import { applyChecks, applySendOutcomes } from "./answers";
import { cancelRun, createRun, markSent, prepareResume, retryFailed } from "./run";
import { summarize, summaryLine } from "./summary";
import { judgeDeviceState } from "./verdict";
import { fakeDevice } from "./fake-tenant.test-helper";

const SENT = Date.parse("2026-11-21T10:00:00Z");
const TICKET = { issuedAt: SENT };
const at = (offsetSeconds: number) => new Date(SENT + offsetSeconds * 1000).toISOString();
const result = (actionName: string, actionState: DeviceActionResult["actionState"], start: string | null): DeviceActionResult => ({
  actionName,
  actionState,
  startDateTime: start,
  lastUpdatedDateTime: start,
});
const state = (
  results: DeviceActionResult[],
  managementState: "managed" | "wipePending" = "managed",
  lastSyncDateTime: string | null = null,
  extra: { audits?: ResetAudit[]; recent?: { by: string; at: string } } = {},
) => ({ deviceId: "a", kind: "found" as const, device: { ...fakeDevice("a", results), managementState, lastSyncDateTime }, ...extra });
const audit = (state: ResetAudit["state"], requestedAt: string): ResetAudit => ({
  id: `audit-${requestedAt}`,
  action: "factoryResetKeepEnrollmentData",
  state,
  requestedAt,
  initiatedBy: "megan@contoso",
});

describe("judgeDeviceState", () => {
  it.each([
    ["a wipe pending since after the send", "reset", state([result("wipe", "pending", at(1))]), "applied"],
    ["a wipe done, started after the send", "reset", state([result("wipe", "done", at(30))]), "applied"],
    ["a factoryResetKeepEnrollmentData record", "reset", state([result("factoryResetKeepEnrollmentData", "active", at(2))]), "applied"],
    ["a wipe in the same second as Graph's clock read", "reset", state([result("wipe", "pending", at(-0.5))]), "applied"],
    ["an old wipe, done long before", "reset", state([result("wipe", "done", at(-3600))]), "not-applied"],
    ["an old wipe still pending", "reset", state([result("wipe", "pending", at(-3600))]), "other-pending"],
    ["a canceled wipe after the send", "reset", state([result("wipe", "canceled", at(5))]), "not-applied"],
    ["only a sync after the send", "reset", state([result("syncDevice", "done", at(5))]), "not-applied"],
    ["wipePending with no dated record", "reset", state([], "wipePending"), "applied"],
    ["nothing at all", "reset", state([]), "not-applied"],
    ["no action results, an audit pending since after the send", "reset", state([], "managed", null, { audits: [audit("pending", at(1))] }), "applied"],
    ["no action results, an audit done since the send", "reset", state([], "managed", null, { audits: [audit("done", at(2))] }), "applied"],
    ["an audit of an old reset still pending", "reset", state([], "managed", null, { audits: [audit("pending", at(-600))] }), "other-pending"],
    ["an old audit, done", "reset", state([], "managed", null, { audits: [audit("done", at(-600))] }), "not-applied"],
    ["the console's record of its own send", "reset", state([], "managed", null, { recent: { by: "Megan", at: at(0) } }), "applied"],
    ["a sync recorded after the send", "sync", state([result("syncDevice", "pending", at(1))]), "applied"],
    ["a check-in after the send", "sync", state([], "managed", at(20)), "applied"],
    ["a check-in long before the send", "sync", state([], "managed", at(-600)), "not-applied"],
    ["a wipe, for a sync", "sync", state([result("wipe", "pending", at(1))]), "not-applied"],
  ] as const)("%s -> %s", (_label, action, deviceState, expected) => {
    expect(judgeDeviceState(action, deviceState, { reached: true, sentAfterGraph: SENT }).kind).toBe(expected);
  });
});

describe("run transitions", () => {
  const base = () =>
    createRun({
      id: "r",
      action: "reset",
      now: SENT,
      toSend: [{ id: "a", name: "A" }, { id: "b", name: "B" }, { id: "c", name: "C" }],
      skipped: [{ id: "s", name: "S", reason: "hybrid", message: "Hybrid joined" }],
    });

  it("refuses a device twice in one run", () => {
    expect(() => createRun({ id: "r", action: "reset", now: 0, toSend: [{ id: "a", name: "A" }], skipped: [{ id: "a", name: "A", reason: "x", message: "x" }] })).toThrow();
  });

  it("only sends queued devices", () => {
    const sent = markSent(base(), ["a"], SENT, TICKET);
    expect(() => markSent(sent, ["a"], SENT, TICKET)).toThrow(/refusing to send/);
    expect(() => markSent(sent, ["s"], SENT, TICKET)).toThrow(/refusing to send/);
    expect(() => markSent(sent, ["zzz"], SENT, TICKET)).toThrow(/refusing to send/);
  });

  it("maps each kind of answer to the documented state", () => {
    let run = markSent(base(), ["a", "b", "c"], SENT, TICKET);
    const r = applySendOutcomes(
      run,
      ["a", "b", "c"],
      [
        { deviceId: "a", kind: "accepted", status: 204 },
        { deviceId: "b", kind: "throttled", status: 429, retryAfterSeconds: 7 },
        { deviceId: "c", kind: "rejected", status: 403, error: { kind: "forbidden-role", message: "Your role cannot wipe." } },
      ],
      SENT + 100,
      () => 0.5,
    );
    run = r.run;
    expect(run.devices.map((d) => d.status)).toEqual(["initiated", "unclear", "failed", "skipped"]);
    expect(r.pauseMs).toBe(7000);
    expect(run.devices[1]!.notBefore).toBe(SENT + 100 + 7000);
    expect(summaryLine(summarize(run))).toBe("1 initiated, 1 skipped, 1 failed, 1 to go");
  });

  it("an unclear device returns to the queue only after a read shows nothing applied, keeping firstSentAt", () => {
    let run = markSent(base(), ["a"], SENT, TICKET);
    run = applySendOutcomes(run, ["a"], [{ deviceId: "a", kind: "unclear", status: 503, message: "503" }], SENT + 10, () => 0).run;
    expect(run.devices[0]!.status).toBe("unclear");
    // The run keeps the send's ticket: a read before Graph's clock is past it and the landing margin decides nothing.
    run = applyChecks(run, [{ deviceId: "a", kind: "found", device: fakeDevice("a") }], SENT + 3000, () => 0, undefined, SENT + 3000);
    expect(run.devices[0]).toMatchObject({ status: "unclear", issuedAt: SENT, checks: 0 });
    run = applyChecks(run, [{ deviceId: "a", kind: "found", device: fakeDevice("a") }], SENT + 211_000, () => 0, undefined, SENT + 210_000);
    expect(run.devices[0]).toMatchObject({ status: "queued", firstSentAt: SENT, sends: 1, reached: true });
    expect(run.devices[0]!.issuedAt).toBeUndefined();
    run = markSent(run, ["a"], SENT + 5000, TICKET);
    expect(run.devices[0]).toMatchObject({ firstSentAt: SENT, sends: 2 });
  });

  it("a failed read leaves the device unclear until the read budget is spent, then says the outcome is unknown", () => {
    let run = markSent(base(), ["a"], SENT, TICKET);
    run = applySendOutcomes(run, ["a"], [], SENT, () => 0).run;
    for (let i = 0; i < 6; i++) {
      expect(run.devices[0]!.status).toBe("unclear");
      run = applyChecks(run, [{ deviceId: "a", kind: "error", error: { kind: "unavailable", message: "503" } }], SENT + i, () => 0);
    }
    expect(run.devices[0]).toMatchObject({ status: "failed", reason: "outcome-unknown" });
    const retried = retryFailed(run, SENT + 10);
    expect(retried.devices[0]).toMatchObject({ status: "unclear", checks: 0, firstSentAt: SENT });
  });

  it("an expired session pauses the run and requeues the refused devices (nothing was applied)", () => {
    const run = markSent(base(), ["a", "b"], SENT, TICKET);
    const r = applySendOutcomes(
      run,
      ["a", "b"],
      ["a", "b"].map((deviceId) => ({ deviceId, kind: "rejected" as const, status: 401, error: { kind: "unauthenticated" as const, message: "Sign in." } })),
      SENT,
      () => 0,
    );
    expect(r.sessionExpired).toBe(true);
    expect(r.run.status).toBe("paused");
    expect(r.run.devices.slice(0, 2).map((d) => d.status)).toEqual(["queued", "queued"]);
  });

  it("resume turns about-to-send devices into unclear ones; cancel settles the queue as not sent", () => {
    const run = markSent(base(), ["a"], SENT, TICKET);
    const resumed = prepareResume(run, SENT + 60_000);
    expect(resumed.devices[0]).toMatchObject({ status: "unclear", reason: "interrupted" });
    const cancelled = cancelRun(resumed, SENT + 61_000);
    expect(cancelled.devices.map((d) => d.status)).toEqual(["unclear", "not-sent", "not-sent", "skipped"]);
    // The unclear device is still read; nothing applied -> not sent (never back to the queue of a cancelled run).
    // Its send may still land: a read before Graph's clock is past the ticket's lifetime and the landing margin decides
    // nothing; it is read again after the wait, or sooner (Graph's clock decides, not this page's).
    const early = applyChecks(cancelled, [{ deviceId: "a", kind: "found", device: fakeDevice("a") }], SENT + 62_000, () => 0, undefined, TICKET.issuedAt + 5_000);
    expect(early.devices[0]).toMatchObject({ status: "unclear", checks: 0, notBefore: SENT + 62_000 + 30_000 });
    expect(early.devices[0]!.finalReadAt).toBe(SENT + 62_000 + 205_000);
    // Once Graph's clock is past it, the read is final.
    const settled = applyChecks(early, [{ deviceId: "a", kind: "found", device: fakeDevice("a") }], SENT + 90_000, () => 0, undefined, TICKET.issuedAt + 210_000);
    expect(settled.devices[0]).toMatchObject({ status: "not-sent" });
  });

  it("a device someone else is sending to right now waits as long as the server says, whatever the clocks", () => {
    let run = markSent(base(), ["a"], SENT, TICKET);
    run = applySendOutcomes(run, ["a"], [{ deviceId: "a", kind: "busy", busyForMs: 8_000, message: "Busy." }], SENT + 100, () => 0).run;
    expect(run.devices[0]).toMatchObject({ status: "unclear", notBefore: SENT + 100 + 8_000 });
    const read = { deviceId: "a", kind: "found" as const, device: fakeDevice("a"), busyForMs: 3_000 };
    run = applyChecks(run, [read], SENT + 9_000, () => 0, undefined, 0);
    expect(run.devices[0]).toMatchObject({ status: "unclear", notBefore: SENT + 12_000, checks: 0 });
  });

  it("a reset the pre-send read found already pending is skipped, naming who asked for it", () => {
    const run = markSent(base(), ["a"], SENT, TICKET);
    const r = applySendOutcomes(run, ["a"], [{ deviceId: "a", kind: "already-pending", by: "Isaiah Langer", since: at(-1) }], SENT, () => 0).run;
    expect(r.devices[0]).toMatchObject({ status: "skipped", reason: "reset-pending" });
    expect(r.devices[0]!.message).toContain("Isaiah Langer");
  });
});
