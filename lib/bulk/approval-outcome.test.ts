import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import type { SendOutcome } from "@/lib/graph/batch-types";
import { applySendOutcomes } from "./answers";
import { APPROVAL_ENDED, approvalEnded, awaitingApprovalDevices, withApprovalStates, type RunApprovalState } from "./approval-outcome";
import { resultsToCsv } from "./csv";
import { createRun, finishIfComplete, markSent, type BulkRun } from "./run";
import { summarize, summaryLine } from "./summary";

const ids = ["d1", "d2", "d3", "d4", "d5"];
const code = (n: number) => `5b0e5f4c-3a6f-4b7e-9b2a-0c1d2e3f4a5${n}`;
const GRAPH = Date.parse("2026-06-01T12:00:00Z");

/** A finished run: d1..d4 opened requests code(1)..code(4); d5 found one already open (no id); none initiated. */
function awaitingRun(): BulkRun {
  const run = createRun({ id: "r", action: "reset", now: 0, toSend: ids.map((id) => ({ id, name: `PC-${id}` })), skipped: [], justification: "Lab refresh" });
  const sent = markSent(run, ids, 1, { issuedAt: GRAPH });
  const outcomes: SendOutcome[] = ids.map((id, i) =>
    i === 4
      ? { deviceId: id, kind: "rejected", status: 409, error: { kind: "approval-open", message: "open" } }
      : { deviceId: id, kind: "rejected", status: 403, error: { kind: "approval-required", message: "approval", approvalRequestId: code(i + 1) } },
  );
  return finishIfComplete(applySendOutcomes(sent, ids, outcomes, 2, () => 0).run);
}

const state = (deviceId: string, status: RunApprovalState["status"], requestId: string | null): RunApprovalState => ({
  deviceId, requestId, status, expiresAt: "2026-06-04T12:00:00Z",
});

describe("a bulk run's approval requests, read again", () => {
  it("asks about every device awaiting approval, with the request the run opened when it has one", () => {
    expect(awaitingApprovalDevices(awaitingRun())).toEqual([
      { deviceId: "d1", requestId: code(1) }, { deviceId: "d2", requestId: code(2) }, { deviceId: "d3", requestId: code(3) },
      { deviceId: "d4", requestId: code(4) }, { deviceId: "d5" },
    ]);
  });

  it("shows an expired request as 'Approval expired: ask again' in the rows, the counts, the summary line and the CSV", () => {
    const run = awaitingRun();
    const shown = withApprovalStates(run, [state("D1", "expired", code(1)), state("d2", "needsApproval", code(2))]);
    const d1 = shown.devices[0]!;
    expect(d1).toMatchObject({ status: "awaiting-approval", reason: "approval-expired", approvalRequestId: code(1) });
    expect(d1.message).toMatch(/^Approval expired: ask again\./);
    expect(approvalEnded(d1)).toBe(APPROVAL_ENDED.expired);
    expect(shown.devices[1]).toBe(run.devices[1]);

    const s = summarize(shown);
    expect(s).toMatchObject({ awaitingApproval: 4, approvalAlreadyOpen: 1, approvalExpired: 1, approvalDecided: 0, done: 5 });
    expect(summaryLine(s)).toBe("0 initiated, 0 skipped, 0 failed, 4 awaiting approval, 1 approval expired");

    const [header, ...rows] = Papa.parse<string[]>(resultsToCsv(shown), { skipEmptyLines: true }).data;
    const outcome = header!.indexOf("Outcome");
    const reason = header!.indexOf("Reason");
    expect(rows[0]![outcome]).toBe("Approval expired: ask again");
    expect(rows[0]![reason]).toBe("Approval expired: ask again");
    expect(rows[1]![outcome]).toBe("Awaiting approval");
  });

  it("words each decided request as it stands, and counts it apart from those still waiting", () => {
    const shown = withApprovalStates(awaitingRun(), [
      state("d1", "rejected", code(1)), state("d2", "cancelled", code(2)), state("d3", "approved", code(3)), state("d4", "completed", code(4)),
    ]);
    expect(shown.devices.slice(0, 4).map((d) => d.reason)).toEqual(["approval-rejected", "approval-cancelled", "approval-approved", "approval-completed"]);
    expect(summarize(shown)).toMatchObject({ awaitingApproval: 1, approvalExpired: 0, approvalDecided: 4 });
    const rows = Papa.parse<string[]>(resultsToCsv(shown), { skipEmptyLines: true }).data.slice(1);
    expect(rows.slice(0, 4).map((r) => r[5])).toEqual([
      "Approval rejected", "Approval request cancelled", "Approved: complete it on the device's page", "Approval completed",
    ]);
  });

  it("matches a device whose request was already open by Graph's answer for the device, and keeps that request's id", () => {
    const shown = withApprovalStates(awaitingRun(), [state("d5", "expired", code(9))]);
    expect(shown.devices[4]).toMatchObject({ reason: "approval-expired", approvalRequestId: code(9) });
  });

  it("leaves a device alone when the state is for another request than the run's, still waiting, unknown, or missing", () => {
    const run = awaitingRun();
    const shown = withApprovalStates(run, [
      state("d1", "expired", code(7)), // a newer request made from the device page: not the run's
      state("d2", "needsApproval", code(2)),
      state("d3", "unknown", code(3)),
    ]);
    expect(shown).toBe(run);
    expect(withApprovalStates(run, [])).toBe(run);
  });

  it("never touches a device that does not await approval", () => {
    const run = awaitingRun();
    const initiated: BulkRun = { ...run, devices: run.devices.map((d, i) => (i === 0 ? { ...d, status: "initiated", reason: "accepted" } : d)) };
    const shown = withApprovalStates(initiated, [state("d1", "expired", code(1))]);
    expect(shown.devices[0]).toMatchObject({ status: "initiated", reason: "accepted" });
    expect(approvalEnded(shown.devices[0]!)).toBeNull();
  });
});
