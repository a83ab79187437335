"use client";
/** A bulk run's per-device results, filtered by outcome (virtualized: thousands of rows stay light). */
import { useMemo, useState } from "react";
import Link from "next/link";
import { DataTable, dataTableColumnHelper } from "@/components/ui/data-table";
import type { BulkRun, DeviceRun, DeviceRunStatus } from "@/lib/bulk/run";
import type { RunSummary } from "@/lib/bulk/summary";
import { approvalEnded } from "@/lib/bulk/approval-outcome";

const STATUS_LABEL: Record<DeviceRunStatus, string> = {
  queued: "Waiting",
  sent: "Sending",
  unclear: "Checking",
  initiated: "Initiated",
  skipped: "Skipped",
  failed: "Failed",
  "not-sent": "Not sent",
  waiting: "Waiting (daily limit)",
  "awaiting-approval": "Awaiting approval",
};

const STATUS_STYLE: Record<DeviceRunStatus, string> = {
  queued: "text-muted",
  sent: "text-brand-text",
  unclear: "text-warning",
  initiated: "text-success",
  skipped: "text-muted",
  failed: "text-danger",
  "not-sent": "text-muted",
  waiting: "text-warning",
  "awaiting-approval": "text-brand-text",
};

type Filter = "all" | "initiated" | "skipped" | "failed" | "open" | "awaiting-approval" | "approval-open" | "approval-expired" | "approval-decided" | "waiting";

/** What an empty view says: no device has that outcome (yet). */
const EMPTY_VIEW: Record<Filter, string> = {
  all: "No devices in this run.",
  initiated: "No device has been initiated yet.",
  skipped: "No device was skipped: every selected device could be sent.",
  failed: "No device failed or was left unsent.",
  open: "No device is still in progress.",
  "awaiting-approval": "No device is awaiting approval.",
  "approval-open": "No device had an approval request already open.",
  "approval-expired": "No device's approval request has expired.",
  "approval-decided": "No device's approval request has been decided yet.",
  waiting: "No device is waiting for the daily wipe limit.",
};

function matches(filter: Filter, d: DeviceRun): boolean {
  if (filter === "all") return true;
  if (filter === "open") return d.status === "queued" || d.status === "sent" || d.status === "unclear";
  if (filter === "failed") return d.status === "failed" || d.status === "not-sent";
  const ended = approvalEnded(d);
  if (filter === "approval-expired") return ended?.reason === "approval-expired";
  if (filter === "approval-decided") return ended !== null && ended.reason !== "approval-expired";
  if (filter === "approval-open") return d.status === "awaiting-approval" && d.reason === "approval-open";
  if (filter === "awaiting-approval") return d.status === "awaiting-approval" && d.reason !== "approval-open" && !ended;
  return d.status === filter;
}

const ROW_HEIGHT = 44;

const column = dataTableColumnHelper<DeviceRun>();

/**
 * The per-device results, one line each with no header on screen (the header row is there for screen readers). The
 * widths keep the old flex line's: 12px in, a 192px name, 12px, an 80px status, 12px, the message, 12px.
 */
const RESULT_COLUMNS = column.columns([
  column.display({
    id: "device",
    header: "Device",
    // In a new tab: leaving this page would stop driving the run (docs/architecture.md, "One driving tab per bulk run").
    // On a phone the detail goes under the name: three columns cut "Reset initiated…" to a few letters.
    cell: ({ row: { original: d } }) => (
      <>
        <Link
          href={`/devices/windows/${encodeURIComponent(d.id)}`}
          target="_blank"
          className="block truncate text-brand-text underline-offset-2 hover:underline"
          title={`${d.name} (opens in a new tab)`}
        >
          {d.name}
          <span className="sr-only"> (opens in a new tab)</span>
        </Link>
        <span className="block truncate text-xs font-normal text-muted sm:hidden" title={d.message ?? d.warning} data-testid="bulk-result-detail-phone">
          {d.message ?? d.warning ?? ""}
        </span>
      </>
    ),
    meta: { colClassName: "sm:w-54", cellClassName: "px-3 font-medium" },
  }),
  column.display({
    id: "status",
    header: "Status",
    cell: ({ row: { original: d } }) => {
      // A request read again since the run: as it stands now (lib/bulk/approval-outcome.ts).
      const ended = approvalEnded(d);
      if (ended) return <span className={ended.reason === "approval-expired" ? "text-warning" : "text-muted"}>{ended.label}</span>;
      return <span className={STATUS_STYLE[d.status]}>{STATUS_LABEL[d.status]}</span>;
    },
    // On a phone a long status ("Waiting (daily limit)") takes two short lines, so the name keeps its room.
    meta: { colClassName: "w-28 sm:w-40", cellClassName: "pr-3 font-semibold leading-tight sm:whitespace-nowrap" },
  }),
  column.display({
    id: "detail",
    header: "Detail",
    cell: ({ row: { original: d } }) => (
      <span className="block truncate" title={d.message ?? d.warning}>
        {d.message ?? d.warning ?? ""}
      </span>
    ),
    meta: { colClassName: "w-0 sm:w-auto", headerClassName: "hidden sm:table-cell", cellClassName: "hidden pr-3 text-muted sm:table-cell" },
  }),
]);

const resultAttributes = (d: DeviceRun) => ({ "data-device-id": d.id, "data-status": d.status, "data-reason": d.reason });
const resultId = (d: DeviceRun) => d.id;

export function BulkResults({ run, summary }: { run: BulkRun; summary: RunSummary }) {
  const [filter, setFilter] = useState<Filter>("all");
  const rows = useMemo(() => run.devices.filter((d) => matches(filter, d)), [run.devices, filter]);
  return (
    <>
      <div className="mt-4 flex items-center gap-2">
        <label htmlFor="bulk-results-filter" className="text-sm font-semibold">
          Show
        </label>
        <select
          id="bulk-results-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
          className="rounded border border-line-strong bg-surface px-2 py-1 text-sm"
        >
          <option value="all">All ({summary.total})</option>
          <option value="initiated">Initiated ({summary.initiated})</option>
          <option value="skipped">Skipped ({summary.skipped})</option>
          <option value="failed">Failed or not sent ({summary.failed + summary.notSent})</option>
          <option value="open">In progress ({summary.queued + summary.inFlight + summary.checking})</option>
          {run.action === "reset" && (
            <>
              <option value="awaiting-approval">Awaiting approval ({summary.awaitingApproval - summary.approvalAlreadyOpen})</option>
              <option value="approval-open">Approval already requested ({summary.approvalAlreadyOpen})</option>
              {summary.approvalExpired > 0 && <option value="approval-expired">Approval expired ({summary.approvalExpired})</option>}
              {summary.approvalDecided > 0 && <option value="approval-decided">Approval decided ({summary.approvalDecided})</option>}
              <option value="waiting">Waiting for the daily limit ({summary.waiting})</option>
            </>
            )}
          </select>
        </div>

        <DataTable
          label="Per-device results"
          columns={RESULT_COLUMNS}
          data={rows}
          getRowId={resultId}
          rowHeight={ROW_HEIGHT}
          overscan={8}
          header="visually-hidden"
          scrollClassName="mt-2 h-72 overflow-auto rounded border border-line focus-visible:outline-2"
          scrollTestId="bulk-results"
          tableClassName="w-full table-fixed border-collapse text-sm"
          rowClassName="border-b border-line"
          rowAttributes={resultAttributes}
          emptyState={<p className="px-3 py-4 text-muted" data-testid="bulk-results-empty">{EMPTY_VIEW[filter]}</p>}
        />
    </>
  );
}
