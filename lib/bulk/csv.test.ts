import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import fc from "fast-check";
import { createRun } from "./run";
import { escapeCell, OUTCOME_LABEL, resultsToCsv, selectionToCsv } from "./csv";
import { reasonLabel, UNWORDED_REASON } from "./reasons";
import { REFUSAL_REASONS } from "@/lib/devices/eligibility";
import { NOT_SENT_REASONS } from "@/lib/graph/batch-types";
import { fakeDevice } from "./fake-tenant.test-helper";

describe("CSV export", () => {
  it.each([
    ["=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["PC-001", "PC-001"],
    ["", ""],
  ])("escapes %j as %j", (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });

  it("quotes commas, quotes and newlines, and parses back to the same cells", () => {
    const device = { ...fakeDevice("id-1"), deviceName: 'Lab "A", row 2\nseat 3', userPrincipalName: "=cmd|' /C calc'!A0" };
    const parsed = Papa.parse<string[]>(selectionToCsv([device]), { skipEmptyLines: true }).data;
    expect(parsed[1]![1]).toBe('Lab "A", row 2\nseat 3');
    expect(parsed[1]![3]).toBe("'=cmd|' /C calc'!A0");
  });

  it("writes one row per device of a run with its outcome", () => {
    const run = createRun({
      id: "r",
      action: "reset",
      now: 0,
      toSend: [{ id: "a", name: "@evil" }],
      skipped: [{ id: "b", name: "PC-B", reason: "hybrid-joined", message: "Hybrid joined: needs a full wipe" }],
    });
    const rows = Papa.parse<string[]>(resultsToCsv(run), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(3);
    expect(rows[1]!.slice(0, 6)).toEqual(["a", "'@evil", "", "", "Autopilot Reset", "Not sent yet"]);
    expect(rows[2]!.slice(5, 7)).toEqual(["Skipped", "Hybrid Entra joined: needs a full Wipe"]);
  });

  it("writes the selection in the grid's words and ISO times", () => {
    const device = {
      ...fakeDevice("id-1"),
      serialNumber: "PF3A9K2X",
      userPrincipalName: "AdeleV@contoso.com",
      ownerType: "company" as const,
      joinType: "azureADJoined" as const,
      complianceState: "noncompliant" as const,
      lastSyncDateTime: "2026-12-02T01:04:59+01:00",
    };
    const [header, row] = Papa.parse<string[]>(selectionToCsv([device]), { skipEmptyLines: true }).data;
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell("Serial number")).toBe("PF3A9K2X");
    expect(cell("Primary user UPN")).toBe("AdeleV@contoso.com");
    expect(cell("Ownership")).toBe("Corporate");
    expect(cell("Join type")).toBe("Microsoft Entra joined");
    expect(cell("Compliance")).toBe("Not compliant");
    expect(cell("Last check-in")).toBe("2026-12-02T00:04:59.000Z");
  });

  it("gives each result its serial number, primary user and ISO times", () => {
    const run = createRun({
      id: "r",
      action: "sync",
      now: 0,
      toSend: [
        { id: "a", name: "LT-1", serialNumber: "SN-1", primaryUser: "lee@contoso.com" },
        { id: "b", name: "LT-2" },
      ],
      skipped: [],
      startedBy: "MeganB@contoso.com",
      ticketReference: "INC0012345",
    });
    run.devices[0]!.firstSentAt = Date.UTC(2026, 11, 2, 1, 4);
    run.devices[0]!.reached = true;
    const [header, row] = Papa.parse<string[]>(resultsToCsv(run), { skipEmptyLines: true }).data;
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell("Serial number")).toBe("SN-1");
    expect(cell("Primary user UPN")).toBe("lee@contoso.com");
    expect(cell("Action")).toBe("Sync");
    expect(cell("Sent at")).toBe("2026-12-02T01:04:00.000Z");
    expect(cell("Settled at")).toBe("");
    // Who pressed Yes, for the devices this run's request may have reached; none for one it never reached.
    expect(cell("Initiated by")).toBe("MeganB@contoso.com");
    const other = Papa.parse<string[]>(resultsToCsv(run), { skipEmptyLines: true }).data[2]!;
    expect(other[header!.indexOf("Initiated by")]).toBe("");
    // The run's ticket reference, on every row of the run.
    expect(cell("Ticket")).toBe("INC0012345");
    expect(other[header!.indexOf("Ticket")]).toBe("INC0012345");
  });

  it("keeps each device's source line beside it when the run started from a list", () => {
    const run = createRun({
      id: "r",
      action: "reset",
      now: 0,
      toSend: [{ id: "a", name: "LT-1", sourceLine: { number: 4, text: "pf3a9k2x" } }],
      skipped: [{ id: "b", name: "LT-2", reason: "hybrid-joined", message: "m", sourceLine: { number: 9, text: "=LT-2" } }],
    });
    const rows = Papa.parse<string[]>(resultsToCsv(run), { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(-2)).toEqual(["Source line", "Source text"]);
    expect(rows[1]!.slice(-2)).toEqual(["4", "pf3a9k2x"]);
    expect(rows[2]!.slice(-2)).toEqual(["9", "'=LT-2"]);
  });

  it("no exported cell ever starts with a formula character (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, upn) => {
        const csv = selectionToCsv([{ ...fakeDevice("x"), deviceName: name, userPrincipalName: upn }]);
        const rows = Papa.parse<string[]>(csv).data;
        for (const cell of rows[1] ?? []) expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
      }),
    );
  });
});

describe("the results CSV in words", () => {
  // Every code a run records as a device's reason: the preflight's and the server's refusals, the not-sent reasons,
  // every error kind, and the run's own (lib/bulk/run.ts, lib/bulk/answers.ts).
  const CODES = [
    ...REFUSAL_REASONS,
    "reset-pending",
    ...NOT_SENT_REASONS,
    ...["unauthenticated", "forbidden-role", "forbidden-consent", "not-found", "throttled", "unavailable", "unclear", "invalid"],
    ...["approval-required", "approval-open", "daily-limit", "approval-expired", "approval-rejected", "approval-cancelled", "approval-approved", "approval-completed"],
    ...["accepted", "confirmed", "cancelled", "outcome-unknown", "busy", "next-wave", "needs-justification", "unsaved-run", "interrupted", "not-sent"],
  ];

  it("has words for every reason code, and never writes a code where a person reads", () => {
    for (const code of CODES) {
      const words = reasonLabel(code);
      expect(words, code).not.toBe(code);
      expect(words, code).not.toBe(UNWORDED_REASON);
      expect(words, code).toMatch(/^[A-Z]/);
    }
    expect(reasonLabel("some-new-kind")).toBe(UNWORDED_REASON);
    for (const status of Object.keys(OUTCOME_LABEL)) expect(OUTCOME_LABEL[status as keyof typeof OUTCOME_LABEL]).toMatch(/^[A-Z][a-z]/);
  });

  it("writes each device's outcome and reason in words, with no code column", () => {
    const run = createRun({
      id: "r",
      action: "reset",
      now: 0,
      toSend: [{ id: "a", name: "LT-1" }, { id: "b", name: "LT-2" }],
      skipped: [{ id: "c", name: "LT-3", reason: "hybrid-joined", message: "Hybrid joined." }],
      firstWave: 1,
    });
    run.devices[0] = { ...run.devices[0]!, status: "initiated", reason: "accepted", message: "Reset initiated." };
    const rows = Papa.parse<Record<string, string>>(resultsToCsv(run), { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(rows[0]!)).not.toContain("Reason code");
    expect(rows.map((r) => [r.Outcome, r.Reason])).toEqual([
      ["Initiated", "Accepted by Intune"],
      ["Waiting for the daily limit", "Planned for a later wave"],
      ["Skipped", "Hybrid Entra joined: needs a full Wipe"],
    ]);
    const cells = rows.flatMap((r) => Object.values(r));
    for (const code of ["accepted", "next-wave", "hybrid-joined"]) expect(cells).not.toContain(code);
  });
});
