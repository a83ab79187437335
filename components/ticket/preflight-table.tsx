"use client";
/** The per-line preflight of a list: one row per line, virtualized (a 10,000-line list stays light). */
import Link from "next/link";
import { DataTable, dataTableColumnHelper } from "@/components/ui/data-table";
import type { TicketMatch } from "@/lib/queries/ticket";
import { STATUS_LABELS, type PreflightRow, type RowStatus } from "./preflight-rows";
import { pickAnchor } from "./several-picker";

const ROW_HEIGHT = 56;

const STATUS_STYLE: Record<RowStatus, string> = {
  found: "text-success",
  ineligible: "text-warning",
  "not-windows": "text-warning",
  "not-found": "text-danger",
  several: "text-brand-text",
  "same-device": "text-muted",
  duplicate: "text-muted",
  refused: "text-danger",
  header: "text-muted",
  error: "text-danger",
  unchecked: "text-muted",
  checking: "text-muted",
};

function deviceLabel(match: TicketMatch): string {
  const d = match.device;
  return `${d.deviceName || d.id}${d.serialNumber ? ` (${d.serialNumber})` : ""}`;
}

/** What a line resolved to: the device (a link), the records to pick from, or a dash. */
function Resolved({ row: r }: { row: PreflightRow }) {
  if (r.status === "several" && r.choices)
    return (
      <a href={`#${pickAnchor(r.number)}`} className="block truncate text-brand-text hover:underline">
        Pick one of {r.choices.length} records
      </a>
    );
  if (r.match)
    return (
      <Link href={`/devices/windows/${encodeURIComponent(r.match.device.id)}`} className="block truncate text-brand-text hover:underline" title={deviceLabel(r.match)}>
        {deviceLabel(r.match)}
      </Link>
    );
  return <span className="text-muted">—</span>;
}

const column = dataTableColumnHelper<PreflightRow>();

function columns() {
  return column.columns([
    column.display({
      id: "line",
      header: "Line",
      cell: ({ row: { original: r } }) => (
        <span className="block truncate tabular-nums text-muted" title={r.lastLine ? `Lines ${r.number} to ${r.lastLine} (a quoted cell of several lines)` : undefined}>
          {r.number}
          {r.lastLine ? `–${r.lastLine}` : ""}
        </span>
      ),
      meta: { colClassName: "w-10 sm:w-14", cellClassName: "px-2 align-middle" },
    }),
    column.display({
      id: "text",
      header: "Text",
      // On a phone the table keeps three columns: what the line resolved to goes under its text.
      cell: ({ row: { original: r } }) => (
        <span className="block min-w-0">
          <span className="block truncate font-mono" title={r.text}>
            {r.text}
          </span>
          <span className="block truncate text-xs sm:hidden" data-testid="ticket-resolved-phone">
            <Resolved row={r} />
          </span>
        </span>
      ),
      meta: { colClassName: "sm:w-44", cellClassName: "px-2 align-middle" },
    }),
    column.display({
      id: "device",
      // On a phone the column is there with no width (a cell taken out of the row would shift the next one into its
      // column) and its content is hidden: the Text column shows it instead.
      header: () => <span className="max-sm:hidden">Resolved to</span>,
      cell: ({ row: { original: r } }) => (
        <span className="block max-sm:hidden">
          <Resolved row={r} />
        </span>
      ),
      meta: { colClassName: "w-0 sm:w-64", headerClassName: "overflow-hidden max-sm:px-0", cellClassName: "overflow-hidden px-2 align-middle max-sm:px-0" },
    }),
    column.display({
      id: "status",
      header: "Status",
      cell: ({ row: { original: r } }) => (
        <span className="block min-w-0" title={r.message}>
          <span className={`block font-semibold ${STATUS_STYLE[r.status]}`}>{STATUS_LABELS[r.status]}</span>
          <span className="block truncate text-xs text-muted">{r.message}</span>
        </span>
      ),
      meta: { colClassName: "w-36 sm:w-auto", cellClassName: "px-2 align-middle" },
    }),
  ]);
}

const rowAttributes = (r: PreflightRow) => ({ "data-line": String(r.number), "data-status": r.status });
const rowId = (r: PreflightRow) => String(r.number);

const COLUMNS = columns();

/** The choices of a "several" line are picked in components/ticket/several-picker.tsx, beside the table. */
export function PreflightTable({ rows }: { rows: PreflightRow[] }) {
  return (
    <div>
      <DataTable
        label="Preflight, one row per line"
        columns={COLUMNS}
        data={rows}
        getRowId={rowId}
        rowHeight={ROW_HEIGHT}
        overscan={10}
        scrollClassName="h-96 overflow-y-auto overflow-x-hidden rounded border border-line focus-visible:outline-2"
        scrollTestId="ticket-preflight"
        tableClassName="w-full table-fixed border-collapse text-sm"
        rowClassName="border-b border-line"
        rowAttributes={rowAttributes}
      />
    </div>
  );
}
