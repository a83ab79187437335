"use client";

import { useEffect, useMemo, useRef } from "react";
import Link from "next/link";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { Device, DeviceSort, DeviceSortField } from "@/lib/devices/types";
import { Checkbox } from "@/components/ui/checkbox";
import { GridResetStatus } from "@/components/monitor/grid-reset-status";
import { COMPLIANCE_LABELS, formatDateTime, formatRelative, JOIN_TYPE_LABELS, JOIN_TYPE_SHORT_LABELS, label, OWNERSHIP_LABELS } from "./format";
import { isSelected, pageSelectionState, type DeviceSelection } from "@/lib/devices/selection";

const ROW_HEIGHT = 41;

export interface DeviceGridProps {
  devices: Device[];
  now: Date;
  sort: DeviceSort | null;
  onSortChange: (field: DeviceSortField) => void;
  selection: DeviceSelection;
  onToggleDevice: (id: string) => void;
  onTogglePage: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

interface ColumnMeta {
  sortField?: DeviceSortField;
  className?: string;
}

function SortHeader({
  title,
  field,
  sort,
  onSortChange,
}: {
  title: string;
  field: DeviceSortField;
  sort: DeviceSort | null;
  onSortChange: (field: DeviceSortField) => void;
}) {
  const active = sort?.field === field ? sort.direction : null;
  const Icon = active === "asc" ? ArrowUp : active === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <button
      type="button"
      onClick={() => onSortChange(field)}
      className="inline-flex items-center gap-1 rounded px-1 font-semibold hover:bg-surface-hover"
    >
      {title}
      <Icon aria-hidden="true" className={`size-3 ${active ? "" : "opacity-40"}`} />
    </button>
  );
}

export function DeviceGrid(props: DeviceGridProps) {
  const { devices, now, sort, onSortChange, selection, onToggleDevice, onTogglePage, hasMore, loadingMore, onLoadMore } = props;
  const pageIds = useMemo(() => devices.map((device) => device.id), [devices]);

  const columns = useMemo<ColumnDef<Device>[]>(() => {
    const sortable = (title: string, field: DeviceSortField) =>
      function Header() {
        return <SortHeader title={title} field={field} sort={sort} onSortChange={onSortChange} />;
      };
    return [
      {
        id: "select",
        header: () => (
          <Checkbox
            checked={pageSelectionState(selection, pageIds)}
            onCheckedChange={onTogglePage}
            label="Select all loaded devices"
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            checked={isSelected(selection, row.original.id)}
            onCheckedChange={() => onToggleDevice(row.original.id)}
            label={`Select ${row.original.deviceName}`}
          />
        ),
        meta: { className: "w-10" } satisfies ColumnMeta,
      },
      {
        id: "deviceName",
        header: sortable("Device name", "deviceName"),
        cell: ({ row }) => (
          <Link
            href={`/devices/windows/${encodeURIComponent(row.original.id)}`}
            className="font-medium text-brand-text hover:underline"
          >
            {row.original.deviceName}
          </Link>
        ),
        meta: { sortField: "deviceName" } satisfies ColumnMeta,
      },
      {
        id: "primaryUser",
        header: sortable("Primary user UPN", "userPrincipalName"),
        cell: ({ row }) => (
          <span className="block max-w-52 truncate" title={row.original.userPrincipalName ?? undefined}>
            {row.original.userPrincipalName ?? "None"}
          </span>
        ),
        meta: { sortField: "userPrincipalName" } satisfies ColumnMeta,
      },
      { id: "ownership", header: "Ownership", cell: ({ row }) => label(OWNERSHIP_LABELS, row.original.ownerType) },
      {
        id: "compliance",
        header: sortable("Compliance", "complianceState"),
        cell: ({ row }) => label(COMPLIANCE_LABELS, row.original.complianceState),
        meta: { sortField: "complianceState" } satisfies ColumnMeta,
      },
      {
        id: "osVersion",
        header: sortable("OS version", "osVersion"),
        cell: ({ row }) => row.original.osVersion ?? "—",
        meta: { sortField: "osVersion" } satisfies ColumnMeta,
      },
      {
        id: "joinType",
        header: "Join type",
        cell: ({ row }) => (
          <span title={label(JOIN_TYPE_LABELS, row.original.joinType)}>{label(JOIN_TYPE_SHORT_LABELS, row.original.joinType)}</span>
        ),
      },
      { id: "autopilot", header: "Autopilot", cell: ({ row }) => (row.original.autopilotEnrolled ? "Yes" : "No") },
      {
        id: "lastCheckIn",
        header: sortable("Last check-in", "lastSyncDateTime"),
        cell: ({ row }) => (
          <time dateTime={row.original.lastSyncDateTime ?? undefined} title={formatDateTime(row.original.lastSyncDateTime)}>
            {formatRelative(row.original.lastSyncDateTime, now)}
          </time>
        ),
        meta: { sortField: "lastSyncDateTime" } satisfies ColumnMeta,
      },
      {
        id: "resetStatus",
        header: "Reset status",
        cell: ({ row }) => <GridResetStatus device={row.original} now={now} />,
      },
    ];
  }, [sort, onSortChange, selection, pageIds, onTogglePage, onToggleDevice, now]);

  const table = useReactTable({ data: devices, columns, getCoreRowModel: getCoreRowModel(), getRowId: (device) => device.id, manualSorting: true });
  const rows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  // Scrolling near the end loads the next page, so a long list reads as one.
  useEffect(() => {
    if (hasMore && !loadingMore && rows.length > 0 && lastIndex >= rows.length - 10) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = columns.length;

  return (
    <div ref={scrollRef} className="max-h-[calc(100vh-320px)] min-h-64 overflow-auto rounded border border-line bg-surface">
      <table className="w-full border-collapse text-sm" aria-label="Windows devices" aria-rowcount={rows.length + 1}>
        <thead className="sticky top-0 z-10 bg-surface shadow-[0_1px_0_var(--border)]">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as ColumnMeta | undefined;
                const field = meta?.sortField;
                const ariaSort =
                  field && sort?.field === field ? (sort.direction === "asc" ? "ascending" : "descending") : field ? "none" : undefined;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={ariaSort}
                    className={`whitespace-nowrap px-2 py-2 text-left font-semibold ${meta?.className ?? ""}`}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const selected = isSelected(selection, row.id);
            return (
              <tr
                key={row.id}
                data-device-row={row.id}
                aria-rowindex={item.index + 2}
                className={`border-t border-line ${selected ? "bg-selected" : "hover:bg-surface-alt"}`}
                style={{ height: ROW_HEIGHT }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-2 py-2">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
