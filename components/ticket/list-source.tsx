// Over 300 lines: the list source's paste, upload, check and pick steps; its model moves to lib/ with issue 19.
"use client";
/**
 * "Paste or upload a list" (docs/product.md, "Journey 7: start from what the ticket names"): a textarea, a file input
 * (and drop), a column picker for a CSV with a header, then Check devices: the distinct values are looked up through
 * lib/queries/ticket.ts and every line gets its status in the preflight table. The devices found go to the bulk flow
 * (components/ticket/ticket-page.tsx) with the line that named each.
 *
 * Nothing is read from a file over 2 MB, and nothing is sent for a line that cannot be a device. A short pasted list
 * (up to 20 short values) is kept in the URL (?lines=) so a shared link reopens the same check; a file never is.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryState } from "nuqs";
import { Download, FileUp, Search, X } from "lucide-react";
import { useAccessToken } from "@/lib/auth/use-access-token";
import type { SourceLine } from "@/lib/bulk/types";
import {
  checkFileSize,
  decodeTicketFile,
  isTicketProblem,
  MAX_FILE_BYTES,
  MAX_LINES,
  MAX_URL_VALUES,
  parseTicketText,
  valuesForUrl,
  type ParsedTicket,
} from "@/lib/devices/ticket-lines";
import {
  resolveTicketValues,
  serverTicketLoaders,
  TicketResolveError,
  type LookupPlan,
  type TicketAnswer,
  type TicketProgress,
} from "@/lib/queries/ticket";
import type { ActionError } from "@/lib/result";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { chosenDevices, countRows, preflightRows, preflightToCsv } from "./preflight-rows";
import { PreflightTable } from "./preflight-table";
import { SeveralPicker } from "./several-picker";
import { downloadCsv } from "@/components/bulk/download";

export interface ListSourceProps {
  /** The devices the list resolved to, each with its line (empty until a check is done). */
  onChosen: (devices: ReadonlyMap<string, SourceLine>) => void;
}

type FileState = { name: string; text: string; note?: string } | null;

/** What the last check found, for the list it was asked for. */
interface Checked {
  ticket: ParsedTicket;
  answers: Map<string, TicketAnswer>;
  plan: LookupPlan | null;
  graphRequests: number;
}

/** One check under way: its id (a later check or an edit ends it), and how far it is. */
interface Running {
  id: number;
  progress: TicketProgress;
}

/**
 * `?lookup=lines` or `?lookup=scan` takes one way whatever it costs (support and `npm run bench:ticket` compare them);
 * without it the cheaper way is taken (lib/queries/ticket.ts, planLookup).
 */
const LOOKUP_WAYS = ["lines", "scan"] as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export function ListSource({ onChosen }: ListSourceProps) {
  const getAccessToken = useAccessToken();
  const [urlLines, setUrlLines] = useQueryState("lines", parseAsArrayOf(parseAsString, ",").withOptions({ history: "replace" }));
  const [text, setText] = useState(() => (urlLines ?? []).join("\n"));
  const [file, setFile] = useState<FileState>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [column, setColumn] = useState<number | undefined>(undefined);
  const [forcedWay] = useQueryState("lookup", parseAsStringLiteral(LOOKUP_WAYS));
  const [checked, setChecked] = useState<Checked | null>(null);
  const [picks, setPicks] = useState<Map<string, string>>(new Map());
  const [running, setRunning] = useState<Running | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [dragging, setDragging] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const runId = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  const source = file ? file.text : text;
  const parsed = useMemo(() => (source.trim() === "" ? null : parseTicketText(source, { column, note: file?.note })), [source, column, file?.note]);
  const problem = fileProblem ?? (parsed && isTicketProblem(parsed) ? parsed.problem : null);
  const ticket = parsed && !isTicketProblem(parsed) ? parsed : null;
  // Answers belong to the list they were asked for: an edit shows the lines as not looked up yet.
  const current = ticket && checked?.ticket === ticket ? checked.answers : null;
  const progress = running?.progress ?? null;
  const checking = running !== null;
  const rows = useMemo(() => (ticket ? preflightRows(ticket, current, picks, checking) : []), [ticket, current, picks, checking]);
  const counts = ticket ? countRows(rows, ticket) : null;
  const chosen = useMemo(() => chosenDevices(rows), [rows]);

  useEffect(() => onChosen(current ? chosen : new Map()), [chosen, current, onChosen]);

  const urlValues = file ? null : valuesForUrl(text);
  const urlNote = file
    ? "A file's contents are never put in the page's address."
    : urlValues
      ? "This short list is kept in the page's address: a copied link opens the same check."
      : text.trim() !== ""
        ? `Only a list of up to ${MAX_URL_VALUES} short values is kept in the page's address; this one is not.`
        : null;

  /** Ends the check under way, if any: its answers are dropped and its progress goes at once. */
  const stopChecking = useCallback(() => {
    runId.current++;
    abortRef.current?.abort();
    setRunning(null);
  }, []);

  // A shared link (?lines=) reopens its check once, when the page opens with one; a check the user starts marks it
  // done too, so the link that check writes does not start a second check of the same list.
  const autoChecked = useRef(false);

  const check = useCallback(async () => {
    if (!ticket) return;
    autoChecked.current = true;
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    const id = ++runId.current;
    setError(null);
    setPicks(new Map());
    if (!file) void setUrlLines(valuesForUrl(text));
    if (ticket.values.length === 0) {
      setRunning(null);
      setChecked({ ticket, answers: new Map(), plan: null, graphRequests: 0 });
      return;
    }
    const onProgress = (p: TicketProgress) => {
      if (runId.current === id) setRunning({ id, progress: p });
    };
    onProgress({ done: 0, total: ticket.values.length, graphRequests: 0 });
    try {
      const resolved = await resolveTicketValues(ticket.values, serverTicketLoaders(getAccessToken), onProgress, abort.signal, forcedWay ? { way: forcedWay } : {});
      if (runId.current !== id) return;
      setChecked({ ticket, answers: resolved.answers, plan: resolved.plan, graphRequests: resolved.graphRequests });
    } catch (e) {
      if (runId.current !== id) return;
      setError(e instanceof TicketResolveError ? e.error : { kind: "unavailable", message: "The devices could not be looked up. Try again." });
    } finally {
      // Whatever ended this check (answers, an error, an abort), its progress line and the greyed button go with it,
      // unless a later check has taken over the line.
      if (runId.current === id) setRunning(null);
    }
  }, [ticket, file, text, getAccessToken, setUrlLines, forcedWay]);

  useEffect(() => {
    if (autoChecked.current || !urlLines || urlLines.length === 0 || !ticket) return;
    autoChecked.current = true;
    void check();
  }, [urlLines, ticket, check]);

  const readFile = useCallback(async (picked: File) => {
    stopChecking();
    autoChecked.current = true;
    setChecked(null);
    setColumn(undefined);
    setError(null);
    void setUrlLines(null);
    const tooBig = checkFileSize(picked);
    if (tooBig) {
      setFile(null);
      setFileProblem(tooBig.problem);
      return;
    }
    const decoded = decodeTicketFile(new Uint8Array(await picked.arrayBuffer()));
    if (isTicketProblem(decoded)) {
      setFile(null);
      setFileProblem(`“${picked.name}”: ${decoded.problem}`);
      return;
    }
    setFileProblem(null);
    setFile({ name: picked.name, text: decoded.text, ...(decoded.note ? { note: decoded.note } : {}) });
  }, [setUrlLines, stopChecking]);

  const clear = () => {
    stopChecking();
    autoChecked.current = true;
    setFile(null);
    setFileProblem(null);
    setText("");
    setChecked(null);
    setColumn(undefined);
    setError(null);
    void setUrlLines(null);
    if (fileInput.current) fileInput.current.value = "";
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) void readFile(dropped);
  };

  return (
    <div className="flex flex-col gap-3">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="ticket-drop-zone"
        className={`flex flex-col gap-2 rounded border border-dashed p-3 ${dragging ? "border-brand bg-selected" : "border-line-strong"}`}
      >
        {file ? (
          <p className="text-sm" data-testid="ticket-file">
            Read from <strong>{file.name}</strong>. <span className="text-muted">Drop or choose another file to replace it.</span>
          </p>
        ) : (
          <>
            <label htmlFor="ticket-lines" className="text-sm font-semibold">
              Device names, serial numbers, Intune device ids or Entra device ids, one per line
            </label>
            <textarea
              id="ticket-lines"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setFileProblem(null);
              }}
              rows={6}
              spellCheck={false}
              autoComplete="off"
              placeholder={"DESKTOP-7KQ2M1P\nPF3A9K2X\n3f2504e0-4f89-41d3-9a0c-0305e82c3301"}
              aria-describedby="ticket-lines-help"
              className="w-full resize-y rounded border border-line-strong bg-surface px-2 py-1.5 font-mono text-sm"
            />
          </>
        )}
        <p id="ticket-lines-help" className="text-xs text-muted">
          Or drop a file here, or choose one: plain text or CSV (UTF-8 or UTF-16 with its byte-order mark), at most {MAX_FILE_BYTES / (1024 * 1024)} MB and{" "}
          {MAX_LINES.toLocaleString("en")} lines. A CSV&apos;s first line is its header; you pick the column.
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <input
            ref={fileInput}
            id="ticket-file-input"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-label="Upload a list of devices"
            tabIndex={-1}
            className="sr-only"
            onChange={(event) => {
              const picked = event.target.files?.[0];
              if (picked) void readFile(picked);
            }}
          />
          <Button onClick={() => fileInput.current?.click()}>
            <FileUp aria-hidden="true" className="size-4" /> Upload a file…
          </Button>
          <Button variant="primary" onClick={() => void check()} disabled={!ticket || checking || ticket.lines.length === 0}>
            <Search aria-hidden="true" className="size-4" /> Check devices
          </Button>
          {(text !== "" || file || fileProblem) && (
            <Button variant="toolbar" onClick={clear}>
              <X aria-hidden="true" className="size-4" /> Clear
            </Button>
          )}
          {progress && (
            <span role="status" className="text-sm text-muted" data-testid="ticket-progress">
              {progressText(progress)}
            </span>
          )}
        </div>
        {urlNote && <p className="text-xs text-muted" data-testid="ticket-url-note">{urlNote}</p>}
      </div>

      {problem && (
        <Notice tone="error" role="alert" testId="ticket-problem">
          {problem}
        </Notice>
      )}
      {ticket?.csv && (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="ticket-column" className="text-sm font-semibold">
            Column with the devices
          </label>
          <select
            id="ticket-column"
            value={ticket.csv.column}
            onChange={(event) => setColumn(Number(event.target.value))}
            className="max-w-full rounded border border-line-strong bg-surface px-2 py-1 text-sm"
          >
            {ticket.csv.header.map((cell, index) => (
              <option key={index} value={index}>
                {cell || `Column ${index + 1}`}
              </option>
            ))}
          </select>
        </div>
      )}
      {ticket && ticket.notes.length > 0 && (
        <Notice tone="info" role="status" testId="ticket-notes">
          {ticket.notes.join(" ")}
        </Notice>
      )}
      {error && <ErrorMessage error={error} onRetry={() => void check()} />}

      {ticket && counts && (
        <section aria-labelledby="ticket-preflight-heading" className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h3 id="ticket-preflight-heading" className="text-base font-semibold">
              Preflight
            </h3>
            <p className="text-sm" data-testid="ticket-counts" aria-live="polite">
              {current ? (
                <>
                  <strong>{plural(counts.willReset, "device")}</strong> will be reset
                  {counts.found > counts.willReset ? ` (${counts.found.toLocaleString("en")} found)` : ""}; {plural(counts.lines, "line")}:{" "}
                  {[
                    counts.notFound && `${counts.notFound} not found`,
                    counts.several && `${counts.several} to pick`,
                    counts.ineligible && `${counts.ineligible} not eligible`,
                    counts.notWindows && `${counts.notWindows} not Windows`,
                    counts.duplicates && `${counts.duplicates} duplicates`,
                    counts.refused && `${counts.refused} refused`,
                    counts.errors && `${counts.errors} not looked up`,
                    counts.blank && `${counts.blank} blank skipped`,
                  ]
                    .filter(Boolean)
                    .join(", ") || "all found"}
                  .
                </>
              ) : (
                <>
                  {plural(counts.lines, "line")}, {plural(ticket.values.length, "value")} to look up
                  {counts.duplicates ? `, ${counts.duplicates} duplicates` : ""}
                  {counts.refused ? `, ${counts.refused} refused (nothing is sent for them)` : ""}. Press Check devices.
                </>
              )}
            </p>
            <Button
              variant="toolbar"
              className="ml-auto"
              disabled={!current}
              onClick={() => downloadCsv(`ticket-preflight-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.csv`, preflightToCsv(rows))}
            >
              <Download aria-hidden="true" className="size-4" /> Export preflight (CSV)
            </Button>
          </div>
          {current && checked && <HowChecked checked={checked} />}
          {current && <SeveralPicker rows={rows} onPick={(key, id) => setPicks((p) => new Map(p).set(key, id))} />}
          <PreflightTable rows={rows} />
        </section>
      )}
    </div>
  );
}

function progressText(progress: TicketProgress): string {
  const waiting = progress.waitingMs ? `; waiting ${Math.ceil(progress.waitingMs / 1000)} s to stay within Intune's request limit` : "";
  if (progress.way === "scan" && progress.scan) {
    const of = progress.scan.of !== null ? ` of ${progress.scan.of.toLocaleString("en")}` : "";
    return `Reading Intune's device list once for ${plural(progress.total, "value")}: ${progress.scan.read.toLocaleString("en")}${of} devices read${waiting}…`;
  }
  if (!progress.way) return `Checking ${plural(progress.total, "value")}…`;
  return `Looking up ${progress.done.toLocaleString("en")} of ${plural(progress.total, "value")}${waiting}…`;
}

/** How the last check asked Graph: the way taken and what it cost, beside what the other way would have. */
function HowChecked({ checked }: { checked: Checked }) {
  const { plan, graphRequests } = checked;
  if (!plan) return null;
  const requests = plural(graphRequests, "Graph request");
  const text =
    plan.way === "scan"
      ? `Read Intune's list of ${plan.tenantDevices !== null ? plural(plan.tenantDevices, "device") : "devices"} once and matched every line against it: ${requests}, where looking each value up would have taken at least ${plan.lineRequestsAtLeast.toLocaleString("en")}.`
      : `Looked each value up on its own: ${requests}${plan.scanRequests !== null ? `; reading Intune's list of ${plural(plan.tenantDevices ?? 0, "device")} would have taken ${plan.scanRequests.toLocaleString("en")}` : ""}.`;
  return (
    <p className="text-xs text-muted" data-testid="ticket-how" data-way={plan.way}>
      {text}
    </p>
  );
}
