import { describe, expect, it } from "vitest";
import { checkTicketReference, MAX_TICKET_REFERENCE_CHARS, withTicket } from "./ticket-reference";

describe("checkTicketReference", () => {
  it("trims, and takes an empty one as no ticket", () => {
    expect(checkTicketReference("  INC0012345 ")).toEqual({ ok: true, ticket: "INC0012345" });
    expect(checkTicketReference("   ")).toEqual({ ok: true, ticket: undefined });
    expect(checkTicketReference(undefined)).toEqual({ ok: true, ticket: undefined });
  });

  it("takes common ticket shapes", () => {
    for (const ok of ["INC0012345", "RITM-0042", "CHG 12/34", "Jira PROJ-12 (laptop)", "Störung #12", "2026.12.07_A"]) {
      expect(checkTicketReference(ok)).toEqual({ ok: true, ticket: ok });
    }
  });

  it("folds runs of spaces into one", () => {
    expect(checkTicketReference("INC   12")).toEqual({ ok: true, ticket: "INC 12" });
  });

  it(`refuses more than ${MAX_TICKET_REFERENCE_CHARS} characters with a sentence`, () => {
    expect(checkTicketReference("A".repeat(MAX_TICKET_REFERENCE_CHARS))).toEqual({ ok: true, ticket: "A".repeat(MAX_TICKET_REFERENCE_CHARS) });
    expect(checkTicketReference("A".repeat(65))).toEqual({ ok: false, message: "A ticket reference is at most 64 characters; this one has 65." });
  });

  it("refuses HTML, spreadsheet formulas, quotes and control characters", () => {
    for (const hostile of ["<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "INC1\nINC2", "INC\t1", "a\"b", "a'b", "a`b", "a\\b", "a;b", "a&b", "\u202eINC"]) {
      const check = checkTicketReference(hostile);
      expect(check.ok, hostile).toBe(false);
      if (!check.ok) expect(check.message).toMatch(/^A ticket reference starts with a letter or a digit/);
    }
  });
});

describe("withTicket", () => {
  it("puts the ticket in front of the justification", () => {
    expect(withTicket("Laptop goes to the new hire", "INC0012345")).toBe("INC0012345: Laptop goes to the new hire");
    expect(withTicket("Laptop goes to the new hire", undefined)).toBe("Laptop goes to the new hire");
  });
});
