"use client";

import { useMemo } from "react";
import Link from "next/link";
import { RefreshCw } from "lucide-react";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { Button } from "@/components/ui/button";
import { DataTable, dataTableColumnHelper } from "@/components/ui/data-table";
import type { MonitorRow } from "@/lib/monitor/monitor-row";
import { pendingFor } from "@/lib/monitor/pending-for";
import { ACTION_LABELS } from "@/lib/monitor/status-wording";
import { ActionStateWithDetail } from "./action-state-text";
import { ApprovalStateWithDetail } from "./approval-state-text";

const ROW_HEIGHT = 64;

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

const column = dataTableColumnHelper<MonitorRow>();

function monitorColumns({ now, onSync, syncing, syncUnavailableReason }: Omit<MonitorTableProps, "rows">) {
  return column.columns([
    column.display({
      id: "device",
      header: "Device",
      cell: ({ row: { original: row } }) =>
        row.deviceId ? (
          <Link href={`/devices/windows/${encodeURIComponent(row.deviceId)}`} className="font-medium text-brand-text hover:underline">
            {row.deviceName}
          </Link>
        ) : (
          row.deviceName
        ),
      meta: { colClassName: "w-[15%]", cellClassName: "truncate px-2 py-1" },
    }),
    column.display({
      id: "action",
      header: "Action",
      cell: ({ row: { original: row } }) => (
        <>
          <span className="block truncate" title={row.actionName}>
            {ACTION_LABELS[row.action]}
          </span>
          <span className="block text-xs text-muted">
            {row.source === "console" ? "sent from this browser" : row.source === "approval" ? "approval request" : row.bulk ? "bulk" : "single device"}
          </span>
        </>
      ),
      meta: { colClassName: "w-[11%]", cellClassName: "px-2 py-1" },
    }),
    column.display({
      id: "state",
      header: "State",
      cell: ({ row: { original: row } }) => {
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
        return <ActionStateWithDetail action={row.action} state={state} offlineSince={row.offlineSince} reason={row.reason} fix={row.fix} />;
      },
      meta: { colClassName: "w-[23%]", cellClassName: "overflow-hidden px-2 py-1" },
    }),
    column.display({
      id: "initiatedBy",
      header: "Initiated by",
      cell: ({ row: { original: row } }) => row.initiatedBy ?? <span className="text-muted">This browser</span>,
      meta: {
        colClassName: "w-[16%]",
        cellClassName: "truncate px-2 py-1",
        cellTitle: (row: MonitorRow) => row.initiatedBy ?? undefined,
      },
    }),
    column.display({
      id: "requested",
      header: "Requested",
      cell: ({ row: { original: row } }) => <When iso={row.requestedAt} now={now} />,
      meta: { colClassName: "w-[9%]", cellClassName: "truncate px-2 py-1" },
    }),
    column.display({
      id: "pendingFor",
      header: "Pending for",
      cell: ({ row: { original: row } }) => pendingFor(row, now) ?? <span className="text-muted">—</span>,
      meta: { colClassName: "w-[8%]", cellClassName: "truncate px-2 py-1" },
    }),
    column.display({
      id: "lastCheckIn",
      header: "Last check-in",
      cell: ({ row: { original: row } }) => <When iso={row.lastCheckIn} now={now} />,
      meta: { colClassName: "w-[9%]", cellClassName: "truncate px-2 py-1" },
    }),
    column.display({
      id: "nudge",
      header: () => <span className="sr-only">Nudge</span>,
      cell: ({ row: { original: row } }) =>
        row.state === "pending" &&
        row.deviceId !== null && (
          <Button
            variant="secondary"
            className="px-2 py-1"
            onClick={() => onSync(row)}
            disabled={Boolean(syncUnavailableReason) || syncing.has(row.deviceId ?? "")}
            title={syncUnavailableReason ?? `Sync ${row.deviceName} so it checks in sooner`}
            aria-label={`Sync ${row.deviceName}`}
          >
            <RefreshCw aria-hidden="true" className="size-3.5" /> Sync
          </Button>
        ),
      meta: { colClassName: "w-[9%]", cellClassName: "px-2 py-1" },
    }),
  ]);
}

const rowAttributes = (row: MonitorRow) => ({ "data-monitor-row": row.deviceId ?? row.key, "data-action": row.action, "data-state": row.state });
const rowKey = (row: MonitorRow) => row.key;

/** The monitor's rows, virtualized: only what is on screen is rendered, so thousands of rows scroll smoothly. */
export function MonitorTable({ rows, now, onSync, syncing, syncUnavailableReason }: MonitorTableProps) {
  const columns = useMemo(() => monitorColumns({ now, onSync, syncing, syncUnavailableReason }), [now, onSync, syncing, syncUnavailableReason]);
  return (
    <DataTable
      label="Device actions"
      columns={columns}
      data={rows}
      getRowId={rowKey}
      rowHeight={ROW_HEIGHT}
      overscan={10}
      scrollClassName="max-h-[calc(100vh-340px)] min-h-64 overflow-auto rounded border border-line bg-surface"
      scrollTestId="monitor-scroll"
      tableClassName="w-full min-w-[960px] table-fixed border-collapse text-sm"
      rowClassName="border-t border-line align-middle hover:bg-surface-alt"
      rowAttributes={rowAttributes}
    />
  );
}
