/**
 * The per-line preflight of a pasted or uploaded list (docs/product.md, "Journey 7: start from what the ticket
 * names"): each line of lib/devices/ticket-lines.ts with what Graph answered for its value, the counts above the table,
 * the preflight CSV, and the devices a bulk run gets. Pure.
 */
import { escapeCell } from "@/lib/bulk/csv";
import type { SourceLine } from "@/lib/bulk/types";
import { LOOKUP_LABELS, type ParsedTicket, type TicketLine } from "@/lib/devices/ticket-lines";
import type { TicketAnswer, TicketMatch } from "@/lib/queries/ticket";
import Papa from "papaparse";

export type RowStatus =
  | "found"
  | "ineligible"
  | "not-windows"
  | "not-found"
  | "several"
  | "same-device"
  | "duplicate"
  | "refused"
  | "header"
  | "error"
  | "unchecked"
  | "checking";

export interface PreflightRow {
  number: number;
  /** The last line of a record a quoted cell carried over several lines. */
  lastLine?: number;
  text: string;
  status: RowStatus;
  /** The sentence in the Status column. */
  message: string;
  /** The device this line resolved to (or the one picked among several). */
  match?: TicketMatch;
  /** Every device a "several" line matched, newest check-in first, for the user to pick from. */
  choices?: TicketMatch[];
  /** What the choices share ("serial number", "device name"). */
  choiceBy?: string;
  /** The value's key (lib/devices/ticket-lines.ts), for picks among several. */
  key?: string;
}

export const STATUS_LABELS: Record<RowStatus, string> = {
  found: "Found",
  ineligible: "Not eligible",
  "not-windows": "Not Windows",
  "not-found": "Not found",
  several: "Several devices",
  "same-device": "Same device",
  duplicate: "Duplicate",
  refused: "Refused",
  header: "Header",
  error: "Not looked up",
  unchecked: "Not checked yet",
  checking: "Checking…",
};

function alsoOn(lines: number[]): string {
  return lines.length === 0 ? "" : ` Also on line${lines.length === 1 ? "" : "s"} ${lines.join(", ")} (looked up once).`;
}

function fromMatch(base: { number: number; text: string; key: string }, match: TicketMatch, extra: string): PreflightRow {
  if (match.device.operatingSystem.trim().toLowerCase() !== "windows") {
    return { ...base, status: "not-windows", match, message: `${match.reset.message}${extra}` };
  }
  if (!match.reset.allowed) return { ...base, status: "ineligible", match, message: `${match.reset.message}${extra}` };
  return { ...base, status: "found", match, message: `${match.reset.warning ? match.reset.message : "Will be reset or synced when you choose."}${extra}` };
}

/**
 * One row per line. `picks` holds the device chosen for each "several" value (by key). A device already named by an
 * earlier line is "same device as line N", so a run gets it once.
 */
export function preflightRows(
  parsed: ParsedTicket,
  answers: ReadonlyMap<string, TicketAnswer> | null,
  picks: ReadonlyMap<string, string>,
  checking = false,
): PreflightRow[] {
  const firstLineOfDevice = new Map<string, number>();
  const rows: PreflightRow[] = [];
  for (const line of parsed.lines) rows.push(rowOf(line, answers, picks, firstLineOfDevice, checking));
  return rows;
}

function rowOf(
  line: TicketLine,
  answers: ReadonlyMap<string, TicketAnswer> | null,
  picks: ReadonlyMap<string, string>,
  firstLineOfDevice: Map<string, number>,
  checking: boolean,
): PreflightRow {
  const base = { number: line.number, ...(line.lastLine !== undefined ? { lastLine: line.lastLine } : {}), text: line.text };
  if (line.kind === "header") return { ...base, status: "header", message: line.message };
  if (line.kind === "refused") return { ...base, status: "refused", message: line.message };
  if (line.kind === "duplicate") return { ...base, key: line.key, status: "duplicate", message: `Duplicate of line ${line.duplicateOf}: looked up once, there.` };
  const keyed = { ...base, key: line.key };
  const answer = answers?.get(line.key);
  // "Checking…" only while a check runs; before one, the row says it waits for Check devices.
  if (!answer) {
    if (checking) return { ...keyed, status: "checking", message: "Being looked up now." };
    return { ...keyed, status: "unchecked", message: answers ? "Not looked up yet: press Check devices." : "Press Check devices to look it up." };
  }
  const extra = alsoOn(line.duplicateLines);
  let row: PreflightRow;
  switch (answer.kind) {
    case "refused":
      return { ...keyed, status: "refused", message: answer.message };
    case "error":
      return { ...keyed, status: "error", message: `${answer.error.message} Nothing is sent for this line.` };
    case "not-found":
      return { ...keyed, status: "not-found", message: `No Intune device has this ${answer.tried.map((k) => LOOKUP_LABELS[k]).join(" or ")}.${extra}` };
    case "several": {
      const choiceBy = LOOKUP_LABELS[answer.by];
      const picked = answer.matches.find((m) => m.device.id === picks.get(line.key));
      if (!picked) {
        return {
          ...keyed,
          status: "several",
          choices: answer.matches,
          choiceBy,
          message: `${answer.matches.length} Intune records have this ${choiceBy}: pick the one to act on. Nothing is sent for this line until you do.${extra}`,
        };
      }
      row = { ...fromMatch(keyed, picked, ` You picked it among ${answer.matches.length} records with this ${choiceBy}.${extra}`), choices: answer.matches, choiceBy };
      break;
    }
    default:
      row = fromMatch(keyed, answer.match, extra);
  }
  const id = row.match!.device.id;
  const first = firstLineOfDevice.get(id);
  if (first !== undefined) return { ...row, status: "same-device", message: `The same device as line ${first}: it is acted on once.` };
  firstLineOfDevice.set(id, line.number);
  return row;
}

export interface PreflightCounts {
  lines: number;
  blank: number;
  /** Found, Windows, and eligible for Autopilot Reset. */
  willReset: number;
  found: number;
  ineligible: number;
  notWindows: number;
  notFound: number;
  several: number;
  duplicates: number;
  refused: number;
  errors: number;
  checking: number;
}

export function countRows(rows: readonly PreflightRow[], parsed: ParsedTicket): PreflightCounts {
  const n = (status: RowStatus) => rows.filter((r) => r.status === status).length;
  return {
    lines: rows.filter((r) => r.status !== "header").length,
    blank: parsed.blankLines,
    willReset: n("found"),
    found: n("found") + n("ineligible") + n("not-windows"),
    ineligible: n("ineligible"),
    notWindows: n("not-windows"),
    notFound: n("not-found"),
    several: n("several"),
    duplicates: n("duplicate") + n("same-device"),
    refused: n("refused"),
    errors: n("error"),
    checking: n("checking") + n("unchecked"),
  };
}

/** The devices a run gets: every device a line resolved to (or was picked), once, with the line that named it. */
export function chosenDevices(rows: readonly PreflightRow[]): Map<string, SourceLine> {
  const chosen = new Map<string, SourceLine>();
  for (const row of rows) {
    if (!row.match || (row.status !== "found" && row.status !== "ineligible" && row.status !== "not-windows")) continue;
    if (!chosen.has(row.match.device.id)) chosen.set(row.match.device.id, { number: row.number, text: row.text });
  }
  return chosen;
}

/** "Export preflight (CSV)": one row per line, formula cells escaped as in every other export. */
export function preflightToCsv(rows: readonly PreflightRow[]): string {
  const data = rows.map((r) => [r.number, r.text, STATUS_LABELS[r.status], r.message, r.match?.device.deviceName, r.match?.device.id, r.match?.device.serialNumber].map(escapeCell));
  return Papa.unparse({ fields: ["Line", "Text", "Status", "Details", "Device name", "Device ID", "Serial number"], data }, { newline: "\r\n" });
}
