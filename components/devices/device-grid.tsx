"use client";

import { useMemo } from "react";
import Link from "next/link";
import { SORT_FIELDS, type Device, type DeviceSort, type DeviceSortField } from "@/lib/devices/types";
import { DataTable, dataTableColumnHelper, type DataTableSelection, type DataTableSort } from "@/components/ui/data-table";
import { GridResetStatus } from "@/components/monitor/grid-reset-status";
import { COMPLIANCE_LABELS, formatDateTime, formatRelative, JOIN_TYPE_LABELS, JOIN_TYPE_SHORT_LABELS, label, OWNERSHIP_LABELS } from "@/lib/devices/format";
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

const column = dataTableColumnHelper<Device>();

/** The grid's columns; the sortable ones are accessors of the fields Graph sorts by (their ids are DeviceSortFields). */
function deviceColumns(now: Date) {
  return column.columns([
    column.accessor("deviceName", {
      header: "Device name",
      cell: ({ row }) => (
        <Link href={`/devices/windows/${encodeURIComponent(row.original.id)}`} className="font-medium text-brand-text hover:underline">
          {row.original.deviceName}
        </Link>
      ),
    }),
    column.accessor("userPrincipalName", {
      header: "Primary user UPN",
      cell: ({ row }) => (
        <span className="block max-w-52 truncate" title={row.original.userPrincipalName ?? undefined}>
          {row.original.userPrincipalName ?? "None"}
        </span>
      ),
    }),
    column.display({ id: "ownership", header: "Ownership", cell: ({ row }) => label(OWNERSHIP_LABELS, row.original.ownerType) }),
    column.accessor("complianceState", {
      header: "Compliance",
      cell: ({ row }) => label(COMPLIANCE_LABELS, row.original.complianceState),
    }),
    column.accessor("osVersion", { header: "OS version", cell: ({ row }) => row.original.osVersion ?? "—" }),
    column.display({
      id: "joinType",
      header: "Join type",
      cell: ({ row }) => <span title={label(JOIN_TYPE_LABELS, row.original.joinType)}>{label(JOIN_TYPE_SHORT_LABELS, row.original.joinType)}</span>,
    }),
    column.display({ id: "autopilot", header: "Autopilot", cell: ({ row }) => (row.original.autopilotEnrolled ? "Yes" : "No") }),
    column.accessor("lastSyncDateTime", {
      header: "Last check-in",
      cell: ({ row }) => (
        <time dateTime={row.original.lastSyncDateTime ?? undefined} title={formatDateTime(row.original.lastSyncDateTime)}>
          {formatRelative(row.original.lastSyncDateTime, now)}
        </time>
      ),
    }),
    column.display({ id: "resetStatus", header: "Reset status", cell: ({ row }) => <GridResetStatus device={row.original} now={now} /> }),
  ]);
}

const isSortField = (id: string): id is DeviceSortField => (SORT_FIELDS as readonly string[]).includes(id);
const rowClassName = (_: Device, { selected }: { selected: boolean }) =>
  `border-t border-line ${selected ? "bg-selected" : "hover:bg-surface-alt"}`;
const rowAttributes = (device: Device) => ({ "data-device-row": device.id });
const deviceId = (device: Device) => device.id;

export function DeviceGrid(props: DeviceGridProps) {
  const { devices, now, sort, onSortChange, selection, onToggleDevice, onTogglePage, hasMore, loadingMore, onLoadMore } = props;
  const columns = useMemo(() => deviceColumns(now), [now]);

  const tableSort = useMemo<DataTableSort>(
    () => ({
      state: sort && { columnId: sort.field, direction: sort.direction },
      onSortChange: (id) => {
        if (isSortField(id)) onSortChange(id);
      },
    }),
    [sort, onSortChange],
  );

  const tableSelection = useMemo<DataTableSelection<Device>>(
    () => ({
      isSelected: (id) => isSelected(selection, id),
      allState: pageSelectionState(
        selection,
        devices.map((device) => device.id),
      ),
      onToggleRow: onToggleDevice,
      onToggleAll: onTogglePage,
      allLabel: "Select all loaded devices",
      rowLabel: (device) => `Select ${device.deviceName}`,
    }),
    [selection, devices, onToggleDevice, onTogglePage],
  );

  return (
    <DataTable
      label="Windows devices"
      columns={columns}
      data={devices}
      getRowId={deviceId}
      rowHeight={ROW_HEIGHT}
      overscan={12}
      scrollClassName="max-h-[calc(100vh-320px)] min-h-64 overflow-auto rounded border border-line bg-surface"
      cellClassName="whitespace-nowrap px-2 py-2"
      rowClassName={rowClassName}
      rowAttributes={rowAttributes}
      sort={tableSort}
      selection={tableSelection}
      // Scrolling near the end loads the next page, so a long list reads as one.
      onEndReached={hasMore && !loadingMore ? onLoadMore : undefined}
    />
  );
}
