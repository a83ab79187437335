"use client";

import { Upn } from "@/components/ui/upn";
import { useMemo } from "react";
import Link from "next/link";
import { RefreshCw } from "lucide-react";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { Button } from "@/components/ui/button";
import { DataTable, dataTableColumnHelper } from "@/components/ui/data-table";
import { rowOrigin, type MonitorRow } from "@/lib/monitor/monitor-row";
import { pendingFor } from "@/lib/monitor/pending-for";
import { ACTION_LABELS } from "@/lib/monitor/status-wording";
import { ActionStateWithDetail } from "./action-state-text";
import { ApprovalStateWithDetail } from "./approval-state-text";
import { useNarrowScreen } from "./use-narrow-screen";

const ROW_HEIGHT = 64;
/** A phone's card: name and state, what and where from, who and when. */
const CARD_HEIGHT = 128;

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <span className="text-muted">—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

export interface MonitorTableProps {
  rows: MonitorRow[];
  now: Date;
  onSync: (row: MonitorRow) => void;
  syncing: ReadonlySet<string>;
  /** Why Sync is not available to this user, if it is not. */
  syncUnavailableReason?: string | undefined;
}

type CellProps = Omit<MonitorTableProps, "rows">;

const column = dataTableColumnHelper<MonitorRow>();

function DeviceName({ row }: { row: MonitorRow }) {
  return row.deviceId ? (
    <Link href={`/devices/windows/${encodeURIComponent(row.deviceId)}`} className="font-medium text-brand-text hover:underline">
      {row.deviceName}
    </Link>
  ) : (
    <span className="font-medium">{row.deviceName}</span>
  );
}

/** "Autopilot Reset · Bulk action": the action, and where the row comes from (Graph's category, this browser, a request). */
function actionLine(row: MonitorRow): string {
  return `${ACTION_LABELS[row.action]} · ${rowOrigin(row)}`;
}

function syncNote(row: MonitorRow, now: Date): string | undefined {
  return row.syncSentAt ? `Sync sent ${formatRelative(row.syncSentAt, now)} to hurry it` : undefined;
}

function State({ row, now }: { row: MonitorRow; now: Date }) {
  const { state, approval } = row;
  if (approval || state === "awaitingApproval") {
    return (
      <ApprovalStateWithDetail
        status={approval?.status ?? "needsApproval"}
        requestedAt={row.requestedAt}
        requestedBy={row.initiatedBy}
        expiresAt={approval?.expiresAt ?? null}
      />
    );
  }
  return <ActionStateWithDetail action={row.action} state={state} offlineSince={row.offlineSince} reason={row.reason} fix={row.fix} note={syncNote(row, now)} />;
}

function SyncButton({ row, onSync, syncing, syncUnavailableReason }: { row: MonitorRow } & Omit<CellProps, "now">) {
  if (row.state !== "pending" || row.deviceId === null) return null;
  return (
    <Button
      variant="secondary"
      className="px-2 py-1"
      onClick={() => onSync(row)}
      disabled={Boolean(syncUnavailableReason) || syncing.has(row.deviceId)}
      title={syncUnavailableReason ?? `Sync ${row.deviceName} so it checks in sooner`}
      aria-label={`Sync ${row.deviceName}`}
    >
      <RefreshCw aria-hidden="true" className="size-3.5" /> Sync
    </Button>
  );
}

/**
 * The table from 768 px up. Fixed widths (rows are virtualized, so columns must not resize as they scroll): the
 * device carries its action on a second line, and "pending for" sits under the request time, so six columns fit the
 * 750 px a 1024 px screen leaves beside the navigation; headers wrap rather than run into each other.
 */
function tableColumns({ now, ...sync }: CellProps) {
  const header = "whitespace-normal align-bottom";
  return column.columns([
    column.display({
      id: "device",
      header: "Device",
      cell: ({ row: { original: row } }) => (
        <>
          <span className="block truncate">
            <DeviceName row={row} />
          </span>
          <span className="block truncate text-xs text-muted" title={row.actionName}>
            {actionLine(row)}
          </span>
        </>
      ),
      meta: { colClassName: "w-[25%]", headerClassName: header, cellClassName: "px-2 py-1", cellTitle: (row: MonitorRow) => row.deviceName },
    }),
    column.display({
      id: "state",
      header: "State",
      cell: ({ row: { original: row } }) => <State row={row} now={now} />,
      meta: { colClassName: "w-[24%]", headerClassName: header, cellClassName: "overflow-hidden px-2 py-1" },
    }),
    column.display({
      id: "initiatedBy",
      header: "Initiated by",
      // A UPN may break anywhere: two lines show all of it in the column's width.
      cell: ({ row: { original: row } }) => (
        <>
          {row.initiatedBy ? <Upn upn={row.initiatedBy} className="line-clamp-2" /> : <span className="text-muted">This browser</span>}
          {row.ticketReference && (
            <span className="block truncate text-xs text-muted" data-testid="monitor-ticket">
              Ticket {row.ticketReference}
            </span>
          )}
        </>
      ),
      meta: {
        colClassName: "w-[21%]",
        headerClassName: header,
        cellClassName: "px-2 py-1",
        cellTitle: (row: MonitorRow) => row.initiatedBy ?? undefined,
      },
    }),
    column.display({
      id: "requested",
      header: "Requested",
      cell: ({ row: { original: row } }) => {
        const waited = pendingFor(row, now);
        return (
          <>
            <span className="block truncate">
              <When iso={row.requestedAt} now={now} />
            </span>
            {waited && <span className="line-clamp-2 text-xs text-muted">Pending for {waited}</span>}
          </>
        );
      },
      meta: { colClassName: "w-[15%]", headerClassName: header, cellClassName: "px-2 py-1" },
    }),
    column.display({
      id: "lastCheckIn",
      header: "Last check-in",
      cell: ({ row: { original: row } }) => <When iso={row.lastCheckIn} now={now} />,
      meta: { colClassName: "w-[15%]", headerClassName: header, cellClassName: "truncate px-2 py-1" },
    }),
    column.display({
      id: "nudge",
      header: () => <span className="sr-only">Nudge</span>,
      cell: ({ row: { original: row } }) => <SyncButton row={row} {...sync} />,
      meta: { colClassName: "w-24", cellClassName: "px-2 py-1" },
    }),
  ]);
}

/** Below 768 px: one card per row (the table's header is there for screen readers only). */
function cardColumns({ now, ...sync }: CellProps) {
  return column.columns([
    column.display({
      id: "action",
      header: "Device action",
      cell: ({ row: { original: row } }) => {
        const waited = pendingFor(row, now);
        return (
          <div className="flex h-full flex-col justify-start gap-1">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <span className="block truncate">
                  <DeviceName row={row} />
                </span>
                <span className="block truncate text-xs text-muted">{actionLine(row)}</span>
              </div>
              <SyncButton row={row} {...sync} />
            </div>
            <State row={row} now={now} />
            <span className="line-clamp-2 text-xs text-muted">
              {row.initiatedBy ?? "This browser"}
              {row.ticketReference ? ` · Ticket ${row.ticketReference}` : ""} · <When iso={row.requestedAt} now={now} />
              {waited ? ` · pending for ${waited}` : ""} · checked in <When iso={row.lastCheckIn} now={now} />
            </span>
          </div>
        );
      },
      meta: { cellClassName: "overflow-hidden px-3 py-2 align-top" },
    }),
  ]);
}

const rowAttributes = (row: MonitorRow) => ({ "data-monitor-row": row.deviceId ?? row.key, "data-action": row.action, "data-state": row.state });
const rowKey = (row: MonitorRow) => row.key;

/** The monitor's rows, virtualized: only what is on screen is rendered, so thousands of rows scroll smoothly. */
export function MonitorTable({ rows, now, onSync, syncing, syncUnavailableReason }: MonitorTableProps) {
  const narrow = useNarrowScreen();
  const columns = useMemo(
    () => (narrow ? cardColumns : tableColumns)({ now, onSync, syncing, syncUnavailableReason }),
    [narrow, now, onSync, syncing, syncUnavailableReason],
  );
  return (
    <DataTable
      // Remounted when the layout changes: the virtualizer measures rows of one height.
      key={narrow ? "cards" : "table"}
      label="Device actions"
      columns={columns}
      data={rows}
      getRowId={rowKey}
      rowHeight={narrow ? CARD_HEIGHT : ROW_HEIGHT}
      overscan={10}
      header={narrow ? "visually-hidden" : "sticky"}
      scrollClassName={`${narrow ? "max-h-[calc(100vh-220px)]" : "max-h-[calc(100vh-340px)]"} min-h-64 overflow-auto rounded border border-line bg-surface`}
      scrollTestId="monitor-scroll"
      tableClassName="w-full table-fixed border-collapse text-sm"
      rowClassName="border-t border-line align-middle hover:bg-surface-alt"
      rowAttributes={rowAttributes}
    />
  );
}
