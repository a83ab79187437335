"use client";

import { useRef } from "react";
import Link from "next/link";
import { useVirtualizer } from "@tanstack/react-virtual";
import { RefreshCw } from "lucide-react";
import { formatDateTime, formatRelative } from "@/components/devices/format";
import { Button } from "@/components/ui/button";
import type { MonitorRow } from "@/lib/monitor/monitor-row";
import { pendingFor } from "@/lib/monitor/pending-for";
import { ACTION_LABELS } from "@/lib/monitor/status-wording";
import { ActionStateWithDetail } from "./action-state-text";

const ROW_HEIGHT = 64;
const COLUMNS = ["Device", "Action", "State", "Initiated by", "Requested", "Pending for", "Last check-in", "Nudge"] as const;

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

/** The monitor's rows, virtualized: only what is on screen is rendered, so thousands of rows scroll smoothly. */
export function MonitorTable({ rows, now, onSync, syncing, syncUnavailableReason }: MonitorTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    <div ref={scrollRef} className="max-h-[calc(100vh-340px)] min-h-64 overflow-auto rounded border border-line bg-surface" data-testid="monitor-scroll">
      <table className="w-full table-fixed border-collapse text-sm" aria-label="Device actions" aria-rowcount={rows.length + 1}>
        <colgroup>
          <col className="w-[15%]" />
          <col className="w-[11%]" />
          <col className="w-[23%]" />
          <col className="w-[16%]" />
          <col className="w-[9%]" />
          <col className="w-[8%]" />
          <col className="w-[9%]" />
          <col className="w-[9%]" />
        </colgroup>
        <thead className="sticky top-0 z-10 bg-surface shadow-[0_1px_0_var(--border)]">
          <tr aria-rowindex={1}>
            {COLUMNS.map((title) => (
              <th key={title} scope="col" className="whitespace-nowrap px-2 py-2 text-left font-semibold">
                {title === "Nudge" ? <span className="sr-only">Nudge</span> : title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const waiting = pendingFor(row, now);
            const canNudge = row.state === "pending" && row.deviceId !== null;
            return (
              <tr
                key={row.key}
                data-monitor-row={row.deviceId ?? row.key}
                data-action={row.action}
                data-state={row.state}
                aria-rowindex={item.index + 2}
                className="border-t border-line align-middle hover:bg-surface-alt"
                style={{ height: ROW_HEIGHT }}
              >
                <td className="truncate px-2 py-1">
                  {row.deviceId ? (
                    <Link href={`/devices/windows/${encodeURIComponent(row.deviceId)}`} className="font-medium text-brand-text hover:underline">
                      {row.deviceName}
                    </Link>
                  ) : (
                    row.deviceName
                  )}
                </td>
                <td className="px-2 py-1">
                  <span className="block truncate" title={row.actionName}>
                    {ACTION_LABELS[row.action]}
                  </span>
                  <span className="block text-xs text-muted">{row.source === "console" ? "sent from this browser" : row.bulk ? "bulk" : "single device"}</span>
                </td>
                <td className="overflow-hidden px-2 py-1">
                  <ActionStateWithDetail action={row.action} state={row.state} offlineSince={row.offlineSince} reason={row.reason} fix={row.fix} />
                </td>
                <td className="truncate px-2 py-1" title={row.initiatedBy ?? undefined}>
                  {row.initiatedBy ?? <span className="text-muted">This browser</span>}
                </td>
                <td className="whitespace-nowrap px-2 py-1">
                  <When iso={row.requestedAt} now={now} />
                </td>
                <td className="whitespace-nowrap px-2 py-1">{waiting ?? <span className="text-muted">—</span>}</td>
                <td className="whitespace-nowrap px-2 py-1">
                  <When iso={row.lastCheckIn} now={now} />
                </td>
                <td className="px-2 py-1">
                  {canNudge && (
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
                  )}
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
