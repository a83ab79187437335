import { describe, expect, it } from "vitest";
import {
  checkFileSize,
  classifyValue,
  decodeTicketFile,
  guessColumn,
  isTicketProblem,
  MAX_FILE_BYTES,
  MAX_LINES,
  parseTicketText,
  valuesForUrl,
  type ParsedTicket,
  type TicketProblem,
} from "./ticket-lines";

function parsed(result: ParsedTicket | TicketProblem): ParsedTicket {
  if (isTicketProblem(result)) throw new Error(result.problem);
  return result;
}

const GUID = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";

describe("classifyValue", () => {
  it("tries a GUID as an Intune id, then as an Entra device id, lower-cased (braces too)", () => {
    expect(classifyValue(` ${GUID} `)).toMatchObject({ ok: true, shape: "guid", value: GUID.toLowerCase(), lookups: ["intune-id", "entra-id"] });
    expect(classifyValue(`{${GUID}}`)).toMatchObject({ ok: true, value: GUID.toLowerCase() });
  });

  it("tries a serial-like value as a serial first, a hyphenated one as a name first, text with spaces as a name only", () => {
    expect(classifyValue("PF3A9K2X")).toMatchObject({ ok: true, shape: "serial-or-name", lookups: ["serial", "name"] });
    expect(classifyValue("123456789012")).toMatchObject({ ok: true, lookups: ["serial", "name"] });
    // Longer than NetBIOS's 15 characters, as Intune names may be.
    expect(classifyValue("CONTOSO-LT-12345")).toMatchObject({ ok: true, shape: "name-or-serial", lookups: ["name", "serial"] });
    expect(classifyValue("Anna's MacBook Air")).toMatchObject({ ok: true, shape: "name", lookups: ["name"] });
    expect(classifyValue("LABPCX")).toMatchObject({ ok: true, shape: "name-or-serial", lookups: ["name", "serial"] });
    expect(classifyValue("Lab PC 1")).toMatchObject({ ok: true, shape: "name" });
  });

  it("refuses OData injection, formulas, control characters, over-long values and foreign characters", () => {
    expect(classifyValue("x' or 1 eq 1")).toMatchObject({ ok: false, reason: "odata" });
    expect(classifyValue("' or 1 eq 1 or deviceName eq '")).toMatchObject({ ok: false, reason: "odata" });
    expect(classifyValue("abc') or (1 eq 1")).toMatchObject({ ok: false, reason: "odata" });
    expect(classifyValue("$filter=deviceName")).toMatchObject({ ok: false });
    expect(classifyValue("x%27")).toMatchObject({ ok: false });
    for (const formula of ['=HYPERLINK("http://evil","x")', "+1234", "-2+3", "@SUM(A1)"]) {
      expect(classifyValue(formula), formula).toMatchObject({ ok: false, reason: "formula", message: "Looks like a spreadsheet formula, not a device." });
    }
    expect(classifyValue("PF1\u0007X")).toMatchObject({ ok: false, reason: "control-character" });
    expect(classifyValue("PF1\u202eX")).toMatchObject({ ok: false, reason: "control-character" });
    expect(classifyValue("A".repeat(129))).toMatchObject({ ok: false, reason: "too-long" });
    expect(classifyValue("<script>")).toMatchObject({ ok: false, reason: "characters" });
    expect(classifyValue("PF1;PF2")).toMatchObject({ ok: false, message: expect.stringContaining("several values") });
  });
});

describe("parseTicketText", () => {
  it("trims, counts blank lines, and shows duplicates of each other (one lookup)", () => {
    const result = parsed(parseTicketText("PF3A9K2X\n\n  pf3a9k2x  \r\nCONTOSO-LT-12345\r\n\r\nPF3A9K2X\n"));
    expect(result.blankLines).toBe(2);
    expect(result.values).toHaveLength(2);
    expect(result.values[0]).toMatchObject({ value: "PF3A9K2X", lines: [1, 3, 6] });
    expect(result.duplicates).toBe(2);
    expect(result.lines.find((l) => l.number === 1)).toMatchObject({ kind: "value", duplicateLines: [3, 6] });
    expect(result.lines.find((l) => l.number === 3)).toMatchObject({ kind: "duplicate", duplicateOf: 1 });
    expect(result.notes).toContain("2 blank lines skipped.");
  });

  it("refuses injection and formula lines without a value to look up", () => {
    const result = parsed(parseTicketText("PF3A9K2X\nx' or 1 eq 1\n=HYPERLINK(\"http://x\")\n@cmd"));
    expect(result.values.map((v) => v.value)).toEqual(["PF3A9K2X"]);
    expect(result.refused).toBe(3);
    expect(result.lines.filter((l) => l.kind === "refused").map((l) => l.number)).toEqual([2, 3, 4]);
  });

  it("skips a one-word header of a one-column list", () => {
    const result = parsed(parseTicketText("Serial number\nPF3A9K2X"));
    expect(result.lines[0]).toMatchObject({ kind: "header" });
    expect(result.values).toHaveLength(1);
  });

  it("reads a CSV's column, guessed from the header or chosen, with commas or semicolons", () => {
    const csv = "Device name,Serial number,User\nLT-1,PF3A9K2X,anna@contoso.com\nLT-2,\"PF9Z8Y7W\",bob@contoso.com\n";
    const guessed = parsed(parseTicketText(csv));
    expect(guessed.csv).toMatchObject({ delimiter: ",", column: 1, header: ["Device name", "Serial number", "User"] });
    expect(guessed.values.map((v) => v.value)).toEqual(["PF3A9K2X", "PF9Z8Y7W"]);
    const chosen = parsed(parseTicketText(csv, { column: 0 }));
    expect(chosen.values.map((v) => v.value)).toEqual(["LT-1", "LT-2"]);
    const semicolons = parsed(parseTicketText(csv.replaceAll(",", ";")));
    expect(semicolons.csv?.delimiter).toBe(";");
    expect(semicolons.notes.join(" ")).toContain("semicolons");
    expect(semicolons.values).toHaveLength(2);
    expect(guessColumn(["Id", "Entra device id"])).toBe(0);
    expect(guessColumn(["azureADDeviceId"])).toBe(0);
  });

  it(`refuses more than ${MAX_LINES.toLocaleString("en")} lines, and more than 2 MB, before reading a line`, () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `PC${i}`).join("\n");
    expect(parseTicketText(many)).toEqual({ problem: expect.stringContaining("more than 10,000 lines") });
    expect(parseTicketText("A".repeat(MAX_FILE_BYTES + 1))).toEqual({ problem: expect.stringContaining("MB of text") });
    expect(parseTicketText("PF1\u0000\u0000")).toEqual({ problem: expect.stringContaining("NUL") });
  });
});

describe("parseTicketText: a quoted note is never a device line", () => {
  // The ticket that wiped the CEO's laptop: its note's second line named a serial.
  const TICKET = 'serial,note\n5CG52985R1,"swap the SSD first\n5CG7712D90, is the CEO\'s laptop: do NOT reset it"\n';
  const lookedUp = (result: ParsedTicket) => result.values.map((v) => v.value);

  it("reads the note's line break inside its cell: one device, on line 2, and 5CG7712D90 is nowhere", () => {
    const result = parsed(parseTicketText(TICKET));
    expect(result.csv).toMatchObject({ delimiter: ",", column: 0, headerLine: 1 });
    expect(lookedUp(result)).toEqual(["5CG52985R1"]);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[1]).toMatchObject({ number: 2, lastLine: 3, kind: "value", value: "5CG52985R1" });
    expect(JSON.stringify(result.lines)).not.toContain('"value":"5CG7712D90"');
    expect(result.blankLines).toBe(0);
  });

  it("the same with CRLF line breaks, a byte-order mark, no final line break, semicolons, tabs", () => {
    for (const text of [
      TICKET.replaceAll("\n", "\r\n"),
      `\ufeff${TICKET}`,
      TICKET.trimEnd(),
      TICKET.replaceAll(",", ";").replace("laptop: do", "laptop: do"),
      TICKET.replace("serial,note", "serial\tnote").replace('5CG52985R1,"', '5CG52985R1\t"'),
      `\ufeff${TICKET.replaceAll("\n", "\r\n").replace("serial,note", "serial;note").replace('5CG52985R1,"', '5CG52985R1;"')}`,
    ]) {
      const result = parsed(parseTicketText(text));
      expect(lookedUp(result), JSON.stringify(text)).toEqual(["5CG52985R1"]);
      expect(result.lines.find((l) => l.kind !== "header"), JSON.stringify(text)).toMatchObject({ number: 2, lastLine: 3 });
    }
  });

  it("keeps counting lines after a note of several lines: the next record is on the line a person sees", () => {
    const result = parsed(parseTicketText(`${TICKET}\nPF3A9K2X,"two\nthree\nfour"\nPF9Z8Y7W,\n`));
    expect(result.lines.map((l) => [l.number, l.lastLine, l.kind === "value" ? l.value : l.kind])).toEqual([
      [1, undefined, "header"],
      [2, 3, "5CG52985R1"],
      [5, 7, "PF3A9K2X"],
      [8, undefined, "PF9Z8Y7W"],
    ]);
    expect(result.blankLines).toBe(1);
  });

  it("a space before the opening quote still opens it (`, \"note`)", () => {
    const result = parsed(parseTicketText('serial, note\n5CG52985R1, "swap the SSD first\n5CG7712D90, is the CEO\'s laptop"\n'));
    expect(lookedUp(result)).toEqual(["5CG52985R1"]);
  });

  it("a stray quote that never closes refuses the rest, and says which lines, rather than reading them as devices", () => {
    const result = parsed(parseTicketText('serial,note\nPF3A9K2X,ok\n5CG52985R1,"swap the SSD first\n5CG7712D90,CEO\nPF9Z8Y7W,fine\n'));
    expect(lookedUp(result)).toEqual(["PF3A9K2X"]);
    expect(result.lines[2]).toMatchObject({ number: 3, lastLine: 5, kind: "refused", reason: "unclosed-quote", message: expect.stringContaining("lines 3 to 5") });
    expect(result.notes.join(" ")).toContain('Line 3 opens a quote (") that is never closed');
    // An inch mark inside a cell is text, not a quote: the lines after it are read as usual.
    const inch = parsed(parseTicketText('serial,model\nPF3A9K2X,Dell 27" monitor\nPF9Z8Y7W,x\n'));
    expect(lookedUp(inch)).toEqual(["PF3A9K2X", "PF9Z8Y7W"]);
  });

  it("a one-column list honours quotes too (a column copied from Excel quotes a cell of several lines)", () => {
    const result = parsed(parseTicketText('PF3A9K2X\n"PF9Z8Y7W"\n"swap first\n5CG7712D90 is the CEO\'s"\n  "5CG52985R1"  \n'));
    expect(lookedUp(result)).toEqual(["PF3A9K2X", "PF9Z8Y7W", "5CG52985R1"]);
    expect(result.lines[2]).toMatchObject({ number: 3, lastLine: 4, kind: "refused", reason: "several-lines" });
    expect(result.lines[3]).toMatchObject({ number: 5 });
    const stray = parsed(parseTicketText('PF3A9K2X\n"PF9Z8Y7W\n5CG7712D90\n'));
    expect(lookedUp(stray)).toEqual(["PF3A9K2X"]);
    expect(stray.lines[1]).toMatchObject({ number: 2, lastLine: 3, kind: "refused", reason: "unclosed-quote" });
  });

  it("a device cell of several lines is refused; formula, NUL, RTL marks and huge cells each get their sentence", () => {
    const result = parsed(
      parseTicketText(`serial,note\n"PF3A9K2X\n5CG7712D90",x\n=HYPERLINK("http://evil"),x\nPF1\u202eX,x\n"${"A".repeat(5_000)}",x\n"+cmd|' /C calc'!A0",x\n`),
    );
    expect(result.values).toEqual([]);
    expect(result.lines.slice(1).map((l) => [l.number, l.kind === "refused" ? l.reason : l.kind])).toEqual([
      [2, "several-lines"],
      [4, "formula"],
      [5, "control-character"],
      [6, "too-long"],
      [7, "formula"],
    ]);
    expect(parseTicketText("serial,note\nPF1,\u0000")).toEqual({ problem: expect.stringContaining("NUL") });
  });

  it("plain pasted lists read as before: one value per line, trimmed, a header word skipped", () => {
    const result = parsed(parseTicketText("Serial number\n  PF3A9K2X  \r\nCONTOSO-LT-12345\n\nAnna's MacBook Air\n"));
    expect(lookedUp(result)).toEqual(["PF3A9K2X", "CONTOSO-LT-12345", "Anna's MacBook Air"]);
    expect(result.lines.map((l) => l.number)).toEqual([1, 2, 3, 5]);
    expect(result.blankLines).toBe(1);
  });
});

describe("files", () => {
  it("refuses a 20 MB file by its size, before reading it", () => {
    expect(checkFileSize({ name: "fleet.csv", size: 20 * 1024 * 1024 })?.problem).toContain("20.0 MB");
    expect(checkFileSize({ name: "ok.csv", size: 1000 })).toBeNull();
  });

  it("decodes UTF-16 LE and BE by their byte-order mark, and UTF-8 with or without one", () => {
    const text = "Serial number\r\nPF3A9K2X\r\n";
    const le = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])]);
    const decoded = decodeTicketFile(le);
    expect(decoded).toMatchObject({ text, note: expect.stringContaining("UTF-16") });
    const be = new Uint8Array([0xfe, 0xff, ...[...text].flatMap((c) => [0, c.charCodeAt(0)])]);
    expect(decodeTicketFile(be)).toMatchObject({ text });
    const utf8 = new TextEncoder().encode(text);
    expect(decodeTicketFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text });
  });

  it("refuses a binary file (NUL bytes) and bytes that are not UTF-8", () => {
    expect(decodeTicketFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toEqual({ problem: expect.stringContaining("NUL bytes") });
    expect(decodeTicketFile(new Uint8Array([0x50, 0xc3, 0x28]))).toEqual({ problem: expect.stringContaining("not UTF-8") });
  });
});

describe("valuesForUrl", () => {
  it("keeps a short pasted list, never a long one or a refused value", () => {
    expect(valuesForUrl("PF3A9K2X\n\nLT-1\n")).toEqual(["PF3A9K2X", "LT-1"]);
    expect(valuesForUrl(Array.from({ length: 21 }, (_, i) => `PC${i}`).join("\n"))).toBeNull();
    expect(valuesForUrl("A".repeat(65))).toBeNull();
    expect(valuesForUrl("x' or 1 eq 1")).toBeNull();
    expect(valuesForUrl("")).toBeNull();
  });
});
