import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import type { SendOutcome } from "@/lib/graph/batch-types";
import { applyChecks, applySendOutcomes } from "./answers";
import { fakeDevice } from "./fake-tenant.test-helper";
import { STORE_UNAVAILABLE_NOT_SENT } from "./reasons";
import { resultsToCsv } from "./csv";
import { cancelRun, createRun, finishIfComplete, markSent, retryFailed, startNextWave, withJustification, type BulkRun } from "./run";
import { summarize, summaryLine } from "./summary";

const ids = ["a", "b", "c", "d", "e"];
const devices = ids.map((id) => ({ id, name: `PC-${id.toUpperCase()}` }));
const GRAPH = Date.parse("2026-06-01T12:00:00Z");

function sentRun(firstWave = ids.length, justification?: string): BulkRun {
  const run = createRun({ id: "r", action: "reset", now: 0, toSend: devices, skipped: [], firstWave, justification });
  return markSent(run, ids.slice(0, firstWave), 1, { issuedAt: GRAPH });
}

const rejected = (deviceId: string, error: Extract<SendOutcome, { kind: "rejected" }>["error"], status = 400): SendOutcome => ({ deviceId, kind: "rejected", status, error });
const limit = (deviceId: string): SendOutcome => rejected(deviceId, { kind: "daily-limit", message: "limit", retryAfterSeconds: 3600 });
const accepted = (deviceId: string): SendOutcome => ({ deviceId, kind: "accepted", status: 204 });

describe("waves: devices beyond today's budget", () => {
  it("wait, are neither sent nor failed, and the run waits for the user once the first wave is done", () => {
    const run = sentRun(3);
    expect(run.devices.filter((d) => d.status === "waiting").map((d) => d.id)).toEqual(["d", "e"]);
    // The engine records every answer through finishIfComplete.
    const done = finishIfComplete(applySendOutcomes(run, ["a", "b", "c"], ["a", "b", "c"].map(accepted), 2, () => 0).run);
    expect(done.status).toBe("waiting");
    const s = summarize(done);
    expect(s).toMatchObject({ initiated: 3, waiting: 2, limited: 0, failed: 0, notSent: 0, done: 3 });
    expect(summaryLine(s)).toBe("3 initiated, 0 skipped, 0 failed, 2 waiting for the daily limit");
    // The user starts the next wave with the room the server counted; only that many are queued.
    const next = startNextWave(done, 1);
    expect(next.status).toBe("running");
    expect(next.devices.map((d) => d.status)).toEqual(["initiated", "initiated", "initiated", "queued", "waiting"]);
    expect(startNextWave(done, 0)).toBe(done);
  });

  it("a cancelled run reports its waiting devices as not sent", () => {
    const run = sentRun(3);
    const cancelled = cancelRun(applySendOutcomes(run, ["a", "b", "c"], ["a", "b", "c"].map(accepted), 2, () => 0).run, 3);
    expect(summarize(cancelled)).toMatchObject({ initiated: 3, waiting: 0, notSent: 2 });
  });
});

describe("the daily limit answering mid-run", () => {
  it("holds the refused devices and the rest of the queue for the next wave, with the time from Retry-After on Graph's clock", () => {
    const run = createRun({ id: "r", action: "reset", now: 0, toSend: devices, skipped: [] });
    const sent = markSent(run, ["a", "b", "c"], 1, { issuedAt: GRAPH });
    const after = finishIfComplete(applySendOutcomes(sent, ["a", "b", "c"], [accepted("a"), limit("b"), limit("c")], 2, () => 0, undefined, GRAPH).run);
    expect(after.devices.map((d) => `${d.id}:${d.status}:${d.reason}`)).toEqual([
      "a:initiated:accepted",
      "b:waiting:daily-limit",
      "c:waiting:daily-limit",
      "d:waiting:daily-limit",
      "e:waiting:daily-limit",
    ]);
    expect(after.status).toBe("waiting");
    expect(after.limitUntil).toBe(GRAPH + 3_600_000);
    const s = summarize(after);
    expect(s).toMatchObject({ initiated: 1, waiting: 4, limited: 4, failed: 0 });
    // Retry failed only has nothing to do with them.
    expect(retryFailed(after, 3).devices.filter((d) => d.status === "queued")).toHaveLength(0);
  });
});

describe("Multi Admin Approval", () => {
  const code = "5b0e5f4c-3a6f-4b7e-9b2a-0c1d2e3f4a5b";
  it("a device whose wipe opened an approval request awaits approval, never failed, and keeps the request id", () => {
    const run = sentRun(5, "Lab refresh");
    const outcomes = ids.map((id, i) =>
      i === 4
        ? rejected(id, { kind: "approval-open", message: "open" }, 409)
        : rejected(id, { kind: "approval-required", message: "approval", approvalRequestId: code }, 403),
    );
    const after = finishIfComplete(applySendOutcomes(run, ids, outcomes, 2, () => 0).run);
    expect(after.status).toBe("finished");
    const s = summarize(after);
    expect(s).toMatchObject({ awaitingApproval: 5, approvalAlreadyOpen: 1, failed: 0, initiated: 0, done: 5 });
    expect(summaryLine(s)).toBe("0 initiated, 0 skipped, 0 failed, 5 awaiting approval");
    expect(after.devices[0]!.approvalRequestId).toBe(code);
    // Retry failed only leaves them alone.
    expect(retryFailed(after, 3).devices.every((d) => d.status === "awaiting-approval")).toBe(true);
    const rows = Papa.parse<string[]>(resultsToCsv(after), { skipEmptyLines: true }).data;
    expect(rows[0]!.at(-1)).toBe("Approval request");
    const column = (name: string) => rows[0]!.indexOf(name);
    expect(rows.slice(1).filter((r) => r[column("Outcome")] === "Awaiting approval")).toHaveLength(5);
    expect(rows[1]!.at(-1)).toBe(code);
    expect(rows[5]![column("Reason")]).toBe("Approval already requested");
  });

  it("a policy that appears mid-run (no justification went) pauses the run, sends nothing more, and resumes with one", () => {
    const run = createRun({ id: "r", action: "reset", now: 0, toSend: devices, skipped: [] });
    const sent = markSent(run, ["a", "b"], 1, { issuedAt: GRAPH });
    const noCode = { kind: "approval-required" as const, message: "needs a justification" };
    const { run: after } = applySendOutcomes(sent, ["a", "b"], [accepted("a"), rejected("b", noCode)], 2, () => 0);
    expect(after.status).toBe("paused");
    expect(after.needsJustification).toBe(true);
    expect(after.devices.map((d) => d.status)).toEqual(["initiated", "queued", "queued", "queued", "queued"]);
    expect(summarize(after)).toMatchObject({ initiated: 1, failed: 0 });
    const resumed = withJustification(after, "Lab refresh");
    expect(resumed).toMatchObject({ justification: "Lab refresh", needsJustification: false });
    // With a justification, a refusal without a code is not looped on: it fails with Graph's sentence.
    const again = markSent({ ...resumed, status: "running" }, ["b"], 3, { issuedAt: 3 });
    expect(applySendOutcomes(again, ["b"], [rejected("b", noCode)], 4, () => 0).run.devices[1]!.status).toBe("failed");
  });
});

describe("the run's own record: tickets and whether a send may have reached Graph", () => {
  const ticketed = () => markSent(createRun({ id: "r", action: "reset", now: 0, toSend: devices, skipped: [] }), ["a"], 1, { issuedAt: GRAPH });
  const answer = (outcome: SendOutcome) => applySendOutcomes(ticketed(), ["a"], [outcome], 2, () => 0.5).run.devices[0]!;

  it.each<[string, SendOutcome, boolean]>([
    ["unclear (5xx, timeout)", { deviceId: "a", kind: "unclear", status: 503, message: "503" }, true],
    ["a refusal Graph answered as unavailable", rejected("a", { kind: "unavailable", message: "Graph failed." }, 503), true],
    ["accepted", accepted("a"), false],
    ["throttled (Graph answered)", { deviceId: "a", kind: "throttled", status: 429, retryAfterSeconds: 2 }, false],
    ["rejected", rejected("a", { kind: "forbidden-role", message: "No." }, 403), false],
    ["refused", { deviceId: "a", kind: "refused", reason: "hybrid-joined", message: "Hybrid." }, false],
    ["busy", { deviceId: "a", kind: "busy", busyForMs: 5_000, message: "Busy." }, false],
    ["not sent", { deviceId: "a", kind: "not-sent", reason: "read-failed", message: "Could not read." }, false],
    ["already pending", { deviceId: "a", kind: "already-pending", by: "Isaiah Langer", since: "2026-06-01T11:59:00Z" }, false],
  ])("%s: the ticket %s", (_label, outcome, keeps) => {
    expect(answer(outcome).issuedAt).toBe(keeps ? GRAPH : undefined);
  });

  it("only a send Graph may have applied marks the device reached", () => {
    expect(answer(accepted("a")).reached).toBe(true);
    expect(answer({ deviceId: "a", kind: "unclear", message: "?" }).reached).toBe(true);
    expect(answer({ deviceId: "a", kind: "throttled", status: 429 }).reached).toBe(true);
    expect(answer({ deviceId: "a", kind: "busy", busyForMs: 1, message: "Busy." }).reached).toBeUndefined();
    expect(answer({ deviceId: "a", kind: "not-sent", reason: "store-unavailable", message: "Store." }).reached).toBeUndefined();
  });

  it("a busy device whose read shows someone else's reset is skipped, naming who and when, never initiated", () => {
    let run = applySendOutcomes(ticketed(), ["a"], [{ deviceId: "a", kind: "busy", busyForMs: 5_000, message: "Busy." }], 2, () => 0).run;
    const device = { ...fakeDevice("a"), managementState: "wipePending" as const };
    run = applyChecks(run, [{ deviceId: "a", kind: "found", device, recent: { by: "Isaiah Langer", at: "2026-06-01T12:00:03Z" } }], 6_000, () => 0, undefined, GRAPH + 6_000);
    expect(run.devices[0]).toMatchObject({ status: "skipped", reason: "reset-pending" });
    expect(run.devices[0]!.message).toMatch(/^Skipped: a reset was already sent by Isaiah Langer at \d{1,2} Jun 2026, \d\d:\d\d, and it is still pending; this run sent none\.$/);
    expect(summarize(run).initiated).toBe(0);
  });

  it("a refusal keeps the server's reason, and its next step follows its message", () => {
    const d = answer({ deviceId: "a", kind: "refused", reason: "not-current-record", message: "A newer record of this device exists.", nextStep: "Reset the current one.", currentDeviceId: "b" });
    expect(d).toMatchObject({ status: "skipped", reason: "not-current-record", message: "A newer record of this device exists. Reset the current one." });
  });

  it("store-restarted waits as long as the server says and is not a send that counts; store-unavailable ends 'not sent', never unclear", () => {
    const restarted = answer({ deviceId: "a", kind: "not-sent", reason: "store-restarted", message: "Restarted.", busyForMs: 40_000 } as SendOutcome);
    expect(restarted).toMatchObject({ status: "queued", sends: 0, notBefore: 2 + 40_000 });
    let run = ticketed();
    for (let i = 0; i < 6; i++) {
      run = applySendOutcomes(run, ["a"], [{ deviceId: "a", kind: "not-sent", reason: "store-unavailable", message: "The console could not reach its coordination store (Redis), so nothing was sent." }], 10 + i, () => 0).run;
      if (run.devices[0]!.status === "queued") run = markSent({ ...run, devices: run.devices.map((d) => ({ ...d, notBefore: undefined })) }, ["a"], 20 + i, { issuedAt: GRAPH });
    }
    expect(run.devices[0]).toMatchObject({ status: "not-sent", reason: "store-unavailable", message: STORE_UNAVAILABLE_NOT_SENT });
    expect(summarize(run)).toMatchObject({ notSent: 1, failed: 0, retryable: 1 });
  });

  it("reads that fail while the store is down: a device this run never reached is not sent; one it may have reached is unknown", () => {
    const storeDown = { kind: "unavailable" as const, message: "The console could not reach its coordination store (Redis), so nothing was sent." };
    const readsFail = (run: BulkRun) => {
      for (let i = 0; i < 6; i++) run = applyChecks(run, [{ deviceId: "a", kind: "error", error: storeDown }], 100 + i, () => 0);
      return run.devices[0]!;
    };
    const busy = applySendOutcomes(ticketed(), ["a"], [{ deviceId: "a", kind: "busy", busyForMs: 1, message: "Busy." }], 2, () => 0).run;
    expect(readsFail(busy)).toMatchObject({ status: "not-sent", reason: "store-unavailable", message: STORE_UNAVAILABLE_NOT_SENT });
    const unclear = applySendOutcomes(ticketed(), ["a"], [{ deviceId: "a", kind: "unclear", message: "Timeout." }], 2, () => 0).run;
    expect(readsFail(unclear)).toMatchObject({ status: "failed", reason: "outcome-unknown" });
    expect(readsFail(unclear).message).toMatch(/coordination store could not be reached/);
  });
});

describe("a reset the person ticked again after a recent one", () => {
  it("is initiated, and its result says the server found the earlier reset", () => {
    const run = sentRun(1);
    const now = Date.parse("2026-06-01T15:00:30Z");
    const outcome: SendOutcome = { deviceId: "a", kind: "accepted", status: 204, recentlyReset: { at: "2026-06-01T12:00:00Z", by: "Adele Vance" } };
    const after = applySendOutcomes(run, ["a"], [outcome], now, () => 0).run;
    const a = after.devices.find((d) => d.id === "a")!;
    expect(a.status).toBe("initiated");
    expect(a.message).toBe("Reset initiated: it starts at the device's next check-in. It had already been reset in the last 24 hours: Reset 3 h ago by Adele Vance.");
  });
});
