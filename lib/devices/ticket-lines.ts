// Over 300 lines: reading a pasted or uploaded list as one CSV document, with every refusal's sentence beside its rule.
/**
 * The list a ticket names (docs/product.md, "Journey 7: start from what the ticket names"): device names, serial
 * numbers, Intune device ids or Entra device ids, mixed, pasted one per line or uploaded as a CSV, and read either way as
 * one CSV document, so a quoted cell's line breaks never make a line of their own. Pure: it decides what each record
 * is before anything is asked of Graph, and refuses what cannot be a device (a control character, an
 * OData fragment, a spreadsheet formula, a value far too long) with a sentence, so no request is ever made for it.
 *
 * Everything that depends on the whole input (too large, binary, UTF-16, the delimiter) is said once, before any line
 * is read. lib/graph/device-lookup.ts turns each distinct value into Graph lookups in the order `lookups` gives.
 */
import Papa from "papaparse";
import { isGuid } from "./ids";

/** A file larger than this is refused before it is read (a ticket names tens or hundreds of devices, not millions). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Lines one list may hold; more are refused before any line is classified. */
export const MAX_LINES = 10_000;
/** Longer than any device name, serial number or id Intune holds. */
export const MAX_VALUE_CHARS = 128;
/** A list this small, of short values, may live in the page's URL (?lines=), so a shared link reopens it. */
export const MAX_URL_VALUES = 20;
export const MAX_URL_VALUE_CHARS = 64;

/** How a value is looked up in Graph, in the order tried (lib/graph/device-lookup.ts). */
export type LookupKind = "intune-id" | "entra-id" | "serial" | "name";

/** What a value's shape says it is. */
export type ValueShape = "guid" | "serial-or-name" | "name-or-serial" | "name";

export const LOOKUP_LABELS: Record<LookupKind, string> = {
  "intune-id": "Intune device id",
  "entra-id": "Entra device id",
  serial: "serial number",
  name: "device name",
};

/**
 * One record of the list. `number` is the line it starts on, as a person counts lines in the text or file;
 * `lastLine` is set when a quoted cell carried it over several lines.
 */
export type TicketLine = { number: number; lastLine?: number; text: string } & (
  | { kind: "value"; key: string; value: string; shape: ValueShape; lookups: LookupKind[]; duplicateLines: number[] }
  | { kind: "duplicate"; key: string; value: string; duplicateOf: number }
  | { kind: "refused"; reason: RefusalReason; message: string }
  | { kind: "header"; message: string }
);

export type RefusalReason = "control-character" | "too-long" | "formula" | "odata" | "characters" | "several-lines" | "unclosed-quote";

/** One distinct value to look up, with every line that names it. */
export interface TicketValue {
  key: string;
  value: string;
  shape: ValueShape;
  lookups: LookupKind[];
  /** Line numbers naming this value, the first one first. */
  lines: number[];
}

export interface CsvLayout {
  delimiter: "," | ";" | "\t";
  /** The header's cells (the first non-blank line). */
  header: string[];
  /** The column holding the devices (0-based). */
  column: number;
  headerLine: number;
}

export interface ParsedTicket {
  lines: TicketLine[];
  values: TicketValue[];
  blankLines: number;
  refused: number;
  duplicates: number;
  /** Sentences about the whole input (read as UTF-16, semicolons as the delimiter, a header skipped). */
  notes: string[];
  csv?: CsvLayout;
}

/** The whole input refused, with one sentence: nothing of it is read further. */
export interface TicketProblem {
  problem: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** A file's size checked before a byte of it is read. */
export function checkFileSize(file: { name: string; size: number }): TicketProblem | null {
  if (file.size > MAX_FILE_BYTES) {
    const mb = (file.size / (1024 * 1024)).toFixed(1);
    return {
      problem: `“${shorten(file.name, 60)}” is ${mb} MB; a list of devices may be at most ${MAX_FILE_BYTES / (1024 * 1024)} MB (${MAX_LINES.toLocaleString("en")} lines). Nothing was read: split it, or export only the column you need.`,
    };
  }
  if (file.size === 0) return { problem: `“${shorten(file.name, 60)}” is empty.` };
  return null;
}

/**
 * A file's bytes as text. A byte-order mark says the encoding (UTF-8, UTF-16 LE or BE, as Excel's "Unicode text"
 * writes); without one it must be UTF-8. NUL bytes without a UTF-16 mark mean a binary file (or UTF-16 without its
 * mark), which is refused rather than guessed at.
 */
export function decodeTicketFile(bytes: Uint8Array): { text: string; note?: string } | TicketProblem {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), note: "The file is UTF-16 (little-endian, with a byte-order mark): read as such." };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), note: "The file is UTF-16 (big-endian, with a byte-order mark): read as such." };
  }
  const utf8Bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = utf8Bom ? bytes.subarray(3) : bytes;
  if (body.includes(0)) {
    return {
      problem:
        "This file contains NUL bytes: it is a binary file (or UTF-16 text without its byte-order mark), not a list of devices. Nothing was read: save it as CSV (UTF-8) or plain text.",
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body) };
  } catch {
    return { problem: "This file is not UTF-8 text (nor UTF-16 with a byte-order mark). Nothing was read: save it as CSV (UTF-8) or plain text." };
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What a control character is called in a sentence. */
function describeControl(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code === 0) return "a NUL character";
  if (code === 9) return "a tab";
  return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const FORMULA_START = /^[=+\-@]/;
/**
 * OData text: a quote followed by an operator (`x' or 1 eq 1`), a closing parenthesis joined to more, a query option
 * (`$filter=`), or a percent-encoded quote. An apostrophe alone is fine ("Anna's MacBook Air" is a real Intune name).
 */
const ODATA = /'[^']*\b(or|and|eq|ne|gt|ge|lt|le|not)\b|\)\s*(or|and)\b|\$[a-z]+\s*=|%2[27]|\b(eq|ne)\s+(null|true|false|'|\d)/i;
/** Characters Windows refuses in a computer name and no serial number or id holds. */
const FORBIDDEN = /[\\/:*?"<>|{}[\]=;,%#&~^`$!]/;
/** Letters (any script), digits, and the few marks device names carry (hyphen, underscore, dot, apostrophe, space). */
const NAME_LIKE = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} '’._-]*$/u;
/** Serial numbers: letters, digits and hyphens, 4 to 30 characters (Dell 7, Surface 12, Lenovo 8, …). */
const SERIAL_LIKE = /^[A-Za-z0-9][A-Za-z0-9-]{3,29}$/;

type Classified = { ok: true; key: string; value: string; shape: ValueShape; lookups: LookupKind[] } | { ok: false; reason: RefusalReason; message: string };

/**
 * What one trimmed value is: its lookups in the order tried, or why it cannot be a device. Windows computer names are
 * NetBIOS names of at most 15 characters, but Intune's deviceName may be longer (the fleet has "CONTOSO-LT-12345",
 * and non-Windows devices are named "Anna's MacBook Air"), so length only refuses what no Intune field holds.
 */
export function classifyValue(raw: string): Classified {
  let value = raw.trim();
  const control = CONTROL.exec(value);
  if (control) {
    return { ok: false, reason: "control-character", message: `Contains ${describeControl(control[0])}, which no device name, serial number or id has.` };
  }
  if (value.length > MAX_VALUE_CHARS) {
    return { ok: false, reason: "too-long", message: `Is ${value.length.toLocaleString("en")} characters long; device names, serial numbers and ids are at most ${MAX_VALUE_CHARS}.` };
  }
  if (FORMULA_START.test(value)) {
    return { ok: false, reason: "formula", message: "Looks like a spreadsheet formula, not a device." };
  }
  if (ODATA.test(value)) {
    return { ok: false, reason: "odata", message: "Looks like a query (OData), not a device: nothing is sent for it." };
  }
  const braced = /^\{([0-9a-f-]{36})\}$/i.exec(value);
  if (braced) value = braced[1]!;
  if (isGuid(value)) {
    return { ok: true, key: `guid:${value.toLowerCase()}`, value: value.toLowerCase(), shape: "guid", lookups: ["intune-id", "entra-id"] };
  }
  const several = /[;,\t]/.exec(value);
  if (several && value.split(several[0]).filter((part) => part.trim() !== "").length > 1) {
    return { ok: false, reason: "characters", message: `Holds several values separated by “${several[0] === "\t" ? "tab" : several[0]}”: put one device per line, or upload the file as a CSV.` };
  }
  const forbidden = FORBIDDEN.exec(value);
  if (forbidden || !NAME_LIKE.test(value)) {
    const ch = forbidden?.[0] ?? [...value].find((c) => !NAME_LIKE.test(`a${c}`)) ?? value[0];
    return { ok: false, reason: "characters", message: `Contains “${ch}”, which no device name, serial number or id contains.` };
  }
  const key = `text:${value.toLowerCase()}`;
  if (SERIAL_LIKE.test(value)) {
    // A hyphen is how Windows names read (DESKTOP-1A2B3C4, CONTOSO-LT-12345); serial numbers rarely carry one, and
    // most carry a digit (a Dell tag may not: it is still tried as a serial, after the name).
    return value.includes("-") || !/\d/.test(value)
      ? { ok: true, key, value, shape: "name-or-serial", lookups: ["name", "serial"] }
      : { ok: true, key, value, shape: "serial-or-name", lookups: ["serial", "name"] };
  }
  return { ok: true, key, value, shape: "name", lookups: ["name"] };
}

const HEADER_WORDS = /^(device ?name|devicename|name|computer ?name|serial ?(number|no\.?)?|serialnumber|device ?id|deviceid|id|intune ?(device )?id|managed ?device ?id|entra ?(device )?id|azure ?ad ?device ?id|azureaddeviceid|device|devices|hostname|host ?name)$/i;

/** The column a header most likely means: serial, then name, then ids; the first column otherwise. */
export function guessColumn(header: readonly string[]): number {
  const find = (pattern: RegExp) => header.findIndex((cell) => pattern.test(cell.trim()));
  for (const pattern of [/serial/i, /^(device ?name|name|computer ?name|host ?name)$/i, /device ?name/i, /(intune|managed).*id|^device ?id$|^id$/i, /(entra|azure|aad).*id/i]) {
    const index = find(pattern);
    if (index >= 0) return index;
  }
  return 0;
}

/** The delimiter a CSV's first line uses, counting only outside quotes ("Smith, Anna" is one cell). */
function detectDelimiter(line: string): CsvLayout["delimiter"] | null {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++;
  }
  const best = (Object.entries(counts) as [CsvLayout["delimiter"], number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : null;
}

/** Splits text into lines (CRLF, LF or CR), without reading more than `max + 1` of them. */
function splitLines(text: string, max: number): string[] | null {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text.charCodeAt(i);
    if (i === text.length || ch === 10 || ch === 13) {
      lines.push(text.slice(start, i));
      if (lines.length > max) return null;
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** One record of the input: its cells, and the lines it spans as a person counts them (a quoted cell may hold line breaks). */
interface TicketRecord {
  line: number;
  lastLine: number;
  cells: string[];
  /** A quote opened in it is never closed: everything to the end of the input was read into it. */
  unclosedQuote: boolean;
}

/**
 * The input as records, read by papaparse as one CSV document, so a quoted cell's line breaks stay inside the cell
 * (a note saying "5CG7712D90 is the CEO's laptop: do NOT reset it" on its second line is never a line of its own).
 * `text` has "\n" line breaks only. Without a delimiter (a one-column list) each record has one cell: NUL never
 * occurs in the text (refused before), so it serves as a delimiter that splits nothing.
 */
function readRecords(text: string, delimiter: CsvLayout["delimiter"] | null): TicketRecord[] {
  const records: TicketRecord[] = [];
  let offset = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: delimiter ?? "\u0000",
    newline: "\n",
    quoteChar: '"',
    step: (result) => {
      const end = result.meta.cursor;
      if (offset >= text.length) return;
      let breaks = 0;
      for (let i = offset; i < end; i++) if (text.charCodeAt(i) === 10) breaks++;
      const endsWithBreak = end > offset && text.charCodeAt(end - 1) === 10;
      records.push({
        line,
        lastLine: Math.max(line, line + breaks - (endsWithBreak ? 1 : 0)),
        cells: result.data,
        unclosedQuote: result.errors.some((e) => e.code === "MissingQuotes"),
      });
      line += breaks;
      offset = end;
    },
  });
  return records;
}

/** A cell as shown in the preflight: one line, at most 300 characters. */
function shown(text: string): string {
  return shorten(text.replace(/\n/g, " ⏎ "), 300);
}

/**
 * Reads a pasted or decoded list as one CSV document (papaparse): a quoted cell may span lines, and each record keeps
 * the line a person sees it start on. Without a delimiter on the first line it is one value per line (a first line
 * such as "Serial number" is taken as a header and said so); with one it is a CSV whose first non-blank record is the
 * header and whose `column` (guessed from the header when not given) holds the devices.
 */
export function parseTicketText(text: string, options: { column?: number; note?: string } = {}): ParsedTicket | TicketProblem {
  if (text.length > MAX_FILE_BYTES) {
    return { problem: `This list is ${(text.length / (1024 * 1024)).toFixed(1)} MB of text; a list may be at most ${MAX_FILE_BYTES / (1024 * 1024)} MB (${MAX_LINES.toLocaleString("en")} lines). Nothing was read.` };
  }
  if (text.includes("\u0000")) {
    return { problem: "This text contains NUL characters: it is binary data, not a list of devices. Nothing was read." };
  }
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const physical = splitLines(body, MAX_LINES);
  if (!physical) {
    return { problem: `This list has more than ${MAX_LINES.toLocaleString("en")} lines; one list may hold at most ${MAX_LINES.toLocaleString("en")}. Nothing was read: split it into parts.` };
  }
  const notes = options.note ? [options.note] : [];
  const firstIndex = physical.findIndex((line) => line.trim() !== "");
  const delimiter = firstIndex >= 0 ? detectDelimiter(physical[firstIndex]!) : null;
  // Line breaks as "\n" (the count of lines stays), and a space between a delimiter and an opening quote dropped
  // (`5CG1, "note`), so papaparse sees the quote where the writer meant one: a cell opening a quote only after
  // spaces would otherwise be read as text, and its second line as a record of its own.
  let normalized = body.replace(/\r\n?/g, "\n");
  normalized = delimiter
    ? normalized.replace(new RegExp(`(^|${delimiter === "\t" ? "\\t" : delimiter}) +"`, "gm"), '$1"')
    : normalized.replace(/^[ \t]+"/gm, '"');
  const records = readRecords(normalized, delimiter);
  const firstRecord = records.findIndex((r) => r.cells.some((cell) => cell.trim() !== ""));

  let csv: CsvLayout | undefined;
  if (delimiter && firstRecord >= 0) {
    const header = records[firstRecord]!.cells.map((cell) => cell.trim());
    const column = options.column !== undefined && options.column >= 0 && options.column < header.length ? options.column : guessColumn(header);
    csv = { delimiter, header, column, headerLine: records[firstRecord]!.line };
    if (delimiter === ";") notes.push("Columns are separated by semicolons (;), as Excel writes CSV in some regions: read that way.");
    if (delimiter === "\t") notes.push("Columns are separated by tabs: read that way.");
    notes.push(`Line ${csv.headerLine} is the header; devices are read from the column “${shorten(header[column] ?? "", 40)}”.`);
  }

  const lines: TicketLine[] = [];
  const values = new Map<string, TicketValue>();
  const firstLine = new Map<string, TicketLine & { kind: "value" }>();
  let blankLines = 0;
  let refused = 0;
  let duplicates = 0;
  const refuse = (line: Omit<TicketLine & { kind: "refused" }, "kind">) => {
    refused++;
    lines.push({ ...line, kind: "refused" });
  };
  records.forEach((record, index) => {
    const number = record.line;
    const span = record.lastLine > number ? { lastLine: record.lastLine } : {};
    if (record.cells.every((cell) => cell.trim() === "")) {
      blankLines += record.lastLine - number + 1;
      return;
    }
    if (index === firstRecord && csv) {
      lines.push({ number, ...span, text: shown(record.cells.join(csv.delimiter === "\t" ? " ⇥ " : csv.delimiter)), kind: "header", message: "The header line." });
      return;
    }
    let text = csv ? (record.cells[csv.column] ?? "") : record.cells.join("");
    if (record.unclosedQuote) {
      const through = record.lastLine > number ? `lines ${number} to ${record.lastLine}` : `line ${number}`;
      notes.push(`Line ${number} opens a quote (") that is never closed, so ${through} were read as one cell: nothing in them is looked up. Close the quote or remove it, then check again.`);
      refuse({ number, ...span, text: shown(text), reason: "unclosed-quote", message: `Opens a quote (") that is never closed: ${through} were read as one cell, and nothing in them is looked up.` });
      return;
    }
    if (!csv && index === firstRecord && HEADER_WORDS.test(text.trim())) {
      lines.push({ number, ...span, text, kind: "header", message: "A header, not a device." });
      notes.push(`Line ${number} (“${shorten(text.trim(), 40)}”) is a header: skipped.`);
      return;
    }
    if (text.trim() === "") {
      blankLines++;
      return;
    }
    if (text.includes("\n")) {
      refuse({ number, ...span, text: shown(text), reason: "several-lines", message: "A cell of several lines (a quoted note, say), not a device: nothing is looked up for it." });
      return;
    }
    if (!csv) text = text.trim();
    const classified = classifyValue(text);
    if (!classified.ok) {
      refuse({ number, ...span, text: shown(text), reason: classified.reason, message: classified.message });
      return;
    }
    const display = shown(text);
    const first = firstLine.get(classified.key);
    if (first) {
      duplicates++;
      first.duplicateLines.push(number);
      values.get(classified.key)!.lines.push(number);
      lines.push({ number, ...span, text: display, kind: "duplicate", key: classified.key, value: classified.value, duplicateOf: first.number });
      return;
    }
    const line: TicketLine & { kind: "value" } = { number, ...span, text: display, kind: "value", key: classified.key, value: classified.value, shape: classified.shape, lookups: classified.lookups, duplicateLines: [] };
    firstLine.set(classified.key, line);
    values.set(classified.key, { key: classified.key, value: classified.value, shape: classified.shape, lookups: classified.lookups, lines: [number] });
    lines.push(line);
  });
  if (blankLines > 0) notes.push(`${plural(blankLines, "blank line")} skipped.`);
  return { lines, values: [...values.values()], blankLines, refused, duplicates, notes, ...(csv ? { csv } : {}) };
}

export function isTicketProblem(value: ParsedTicket | TicketProblem | { text: string }): value is TicketProblem {
  return "problem" in value;
}

/**
 * The values a shared link may carry: a short pasted list only (never a file, never more than MAX_URL_VALUES values
 * or a value longer than MAX_URL_VALUE_CHARS). Null when the list must stay out of the URL.
 */
export function valuesForUrl(text: string): string[] | null {
  const lines = splitLines(text, MAX_URL_VALUES * 4);
  if (!lines) return null;
  const values = lines.map((l) => l.trim()).filter((l) => l !== "");
  if (values.length === 0 || values.length > MAX_URL_VALUES) return null;
  if (values.some((v) => v.length > MAX_URL_VALUE_CHARS || !classifyValue(v).ok)) return null;
  return values;
}
