import { describe, expect, it } from "vitest";
import { deviceHistory, lastResetSince, type ConsoleSendRecord } from "./history";
import type { ResetAudit } from "./types";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const H = 3_600_000;
const D = 24 * H;

const audit = (msAgo: number, state: ResetAudit["state"], extra: Partial<ResetAudit> = {}): ResetAudit => ({
  id: `a${msAgo}`,
  action: "factoryResetKeepEnrollmentData",
  state,
  requestedAt: iso(msAgo),
  initiatedBy: "adele@contoso.com",
  ...extra,
});
const record = (msAgo: number, extra: Partial<ConsoleSendRecord> = {}): ConsoleSendRecord => ({
  action: "reset",
  at: iso(msAgo),
  by: "Adele Vance",
  state: "accepted",
  ...extra,
});

describe("deviceHistory", () => {
  it("merges an audit and the console's record of the same send into one entry, with the ticket reference", () => {
    const history = deviceHistory({ audits: [audit(2 * H - 3_000, "done")], records: [record(2 * H, { ticketReference: "INC0012345" })], now: NOW });
    expect(history).toEqual([
      { action: "reset", at: iso(2 * H - 3_000), by: "Adele Vance", outcome: "Complete", tone: "success", ticketReference: "INC0012345", source: "both", sent: true },
    ]);
  });

  it("lists every attempt newest first, not only the latest", () => {
    const history = deviceHistory({
      audits: [audit(5 * D, "done"), audit(1 * H, "pending")],
      records: [record(1 * H + 1_000, { ticketReference: "INC2" }), record(5 * D + 1_000, { ticketReference: "INC1" }), record(3 * D, { action: "sync", ticketReference: "INC-S" })],
      now: NOW,
    });
    expect(history.map((e) => [e.action, e.outcome, e.ticketReference, e.source])).toEqual([
      ["reset", "Pending: waiting for the device to check in", "INC2", "both"],
      ["sync", "Sent; Intune accepted it", "INC-S", "console"],
      ["reset", "Complete", "INC1", "both"],
    ]);
  });

  it("keeps an audit without a console record (sent from the admin center) and a record Intune does not show yet", () => {
    const history = deviceHistory({ audits: [audit(10 * D, "failed")], records: [record(30_000, { state: "unclear" })], now: NOW });
    expect(history.map((e) => [e.outcome, e.by, e.source])).toEqual([
      ["Sent; Intune's answer was unclear", "Adele Vance", "console"],
      ["Failed", "adele@contoso.com", "intune"],
    ]);
  });

  it("never pairs an audit with a record too far from it, of another action, or that never reached Intune", () => {
    const history = deviceHistory({
      audits: [audit(1 * H, "pending")],
      records: [record(1 * H + 10 * 60_000), record(1 * H + 1_000, { action: "sync" }), record(1 * H + 500, { state: "approval-requested" })],
      now: NOW,
    });
    expect(history.map((e) => e.source)).toEqual(["intune", "console", "console", "console"]);
    expect(history.find((e) => e.outcome.startsWith("Approval"))?.sent).toBe(false);
  });

  it("pairs each audit with the closest record, each record once", () => {
    const history = deviceHistory({
      audits: [audit(1 * H, "done"), audit(1 * H - 60_000, "pending")],
      records: [record(1 * H + 2_000, { ticketReference: "FIRST" }), record(1 * H - 59_000, { ticketReference: "SECOND" })],
      now: NOW,
    });
    expect(history.map((e) => [e.ticketReference, e.source])).toEqual([
      ["SECOND", "both"],
      ["FIRST", "both"],
    ]);
  });

  it("leaves out what is older than 30 days, and audits of other actions", () => {
    const history = deviceHistory({
      audits: [audit(31 * D, "done"), audit(1 * D, "done", { action: "retire" }), audit(2 * D, "done", { action: "syncDevice" })],
      records: [record(40 * D)],
      now: NOW,
    });
    expect(history.map((e) => e.action)).toEqual(["sync"]);
  });
});

describe("lastResetSince", () => {
  it("finds the newest reset that reached Intune in the window", () => {
    const history = deviceHistory({ audits: [audit(3 * H, "pending")], records: [record(1 * H, { state: "refused" }), record(30 * H)], now: NOW });
    expect(lastResetSince(history, NOW - 24 * H)).toMatchObject({ at: iso(3 * H), by: "adele@contoso.com" });
    expect(lastResetSince(history, NOW - 2 * H)).toBeNull();
  });
});
