"use client";

import { useMemo } from "react";
import Link from "next/link";
import { SORT_FIELDS, type Device, type DeviceSort, type DeviceSortField } from "@/lib/devices/types";
import { DataTable, dataTableColumnHelper, type DataTableColumnDef, type DataTableSelection, type DataTableSort } from "@/components/ui/data-table";
import dynamic from "next/dynamic";
import { Loader2 } from "lucide-react";
import { ActionStateBadge } from "@/components/actions/reset-status-badge";
import { deriveResetStatus } from "@/lib/devices/action-status";
import { COMPLIANCE_LABELS, formatDateTime, formatRelative, JOIN_TYPE_LABELS, JOIN_TYPE_SHORT_LABELS, label, OWNERSHIP_LABELS } from "@/lib/devices/format";
import { gridColumn, type FoldBelow, type GridColumnId, type VisibleColumn } from "@/lib/devices/grid-columns";
import { isSelected, pageSelectionState, type DeviceSelection } from "@/lib/devices/selection";

const ROW_HEIGHT = 41;
const CELL = "whitespace-nowrap px-2 py-2";
/** Tailwind needs whole class names: one per fold width (lib/devices/grid-columns.ts, FoldBelow). */
const FOLD: Record<FoldBelow, string> = {
  xl: "hidden xl:table-cell",
  wide: "hidden min-[1400px]:table-cell",
  "2xl": "hidden 2xl:table-cell",
  huge: "hidden min-[1800px]:table-cell",
};

export interface DeviceGridProps {
  devices: Device[];
  /** Serials on more than one loaded row (lib/devices/shared-serials.ts), lower case, with how many. */
  sharedSerials?: ReadonlyMap<string, number>;
  columns: VisibleColumn[];
  now: Date;
  /** The tenant's reset audits are still being read: a row without a reset of its own does not know yet. */
  resetStatusLoading: boolean;
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
const NONE_SHARED: ReadonlyMap<string, number> = new Map();

function DateCell({ iso, now, relative }: { iso: string | null; now: Date; relative: boolean }) {
  if (!iso) return <>{relative ? "Never" : "—"}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {relative ? formatRelative(iso, now) : formatDateTime(iso)}
    </time>
  );
}

function Checking() {
  return (
    <span className="inline-flex items-center gap-1 text-xs italic text-muted" data-reset-status="checking" aria-busy="true" title="Reading the tenant's reset audit log">
      <Loader2 aria-hidden="true" className="size-3 animate-spin motion-reduce:animate-none" />
      Checking…
    </span>
  );
}

/**
 * The cell's code (the monitor's rows and wording, approvals, the Sync nudge) loads once the tenant's reset audits
 * are in, after the grid's first rows: the list is read first (a client's server actions run one at a time).
 */
const GridResetStatus = dynamic(() => import("@/components/monitor/grid-reset-status").then((module) => module.GridResetStatus), {
  ssr: false,
  loading: Checking,
});

/**
 * The reset-status cell. Until the tenant's audits are read (issue 23, item 8), a row whose own record already shows a
 * reset (pending, resetting, failed) says so at once; only a row that shows none says "Checking…", since the audits
 * may still find a reset it cannot show (a LIST row alone cannot say "done"). So pending and none never look alike.
 */
export function ResetStatusCell({ device, now, loading }: { device: Device; now: Date; loading: boolean }) {
  if (loading) {
    const own = deriveResetStatus(device, now).state;
    if (own === "none") return <Checking />;
    return (
      <span data-reset-status={own}>
        <ActionStateBadge action="reset" state={own} />
      </span>
    );
  }
  return <GridResetStatus device={device} now={now} />;
}

/** Loaded with the column: it reads the tenant's names (components/devices/grid-provisioned-by.tsx). */
const GridProvisionedBy = dynamic(() => import("./grid-provisioned-by").then((module) => module.GridProvisionedBy), {
  ssr: false,
  loading: () => <span className="text-muted">Checking…</span>,
});

/**
 * A row whose serial number another loaded row has too: one device with several Intune records, after a
 * re-enrollment. Its page lists them all and says which is current.
 */
export function SharedSerialMarker({ device, shared }: { device: Device; shared: ReadonlyMap<string, number> }) {
  const count = shared.get(device.serialNumber?.trim().toLowerCase() ?? "");
  if (!count) return null;
  const words = `${count} loaded devices share serial number ${device.serialNumber}`;
  return (
    <span className="ml-1.5 rounded border border-line-strong px-1 text-xs text-muted" title={words} data-shared-serial={count}>
      <span aria-hidden="true">×{count}</span>
      <span className="sr-only">({words})</span>
    </span>
  );
}

/**
 * Every column the grid can show, by id; the sortable ones are accessors of the fields Graph sorts by (their ids are
 * DeviceSortFields). Headers are lib/devices/grid-columns.ts's, so the picker and the export say the same.
 */
function columnDef(id: GridColumnId, now: Date, resetStatusLoading: boolean, shared: ReadonlyMap<string, number>): DataTableColumnDef<Device> {
  const header = gridColumn(id).header;
  const text = (value: string | null) => value ?? "—";
  switch (id) {
    case "deviceName":
      return column.accessor("deviceName", {
        header,
        cell: ({ row }) => (
          <>
            <Link href={`/devices/windows/${encodeURIComponent(row.original.id)}`} className="font-medium text-brand-text hover:underline">
              {row.original.deviceName}
            </Link>
            <SharedSerialMarker device={row.original} shared={shared} />
          </>
        ),
      });
    case "userPrincipalName":
      return column.accessor("userPrincipalName", {
        header,
        cell: ({ row }) => (
          <span className="block max-w-52 truncate" title={row.original.userPrincipalName ?? undefined}>
            {row.original.userPrincipalName ?? "None"}
          </span>
        ),
      });
    case "ownership":
      return column.display({ id, header, cell: ({ row }) => label(OWNERSHIP_LABELS, row.original.ownerType) });
    case "complianceState":
      return column.accessor("complianceState", { header, cell: ({ row }) => label(COMPLIANCE_LABELS, row.original.complianceState) });
    case "osVersion":
      return column.accessor("osVersion", { header, cell: ({ row }) => text(row.original.osVersion) });
    case "joinType":
      return column.display({
        id,
        header,
        cell: ({ row }) => <span title={label(JOIN_TYPE_LABELS, row.original.joinType)}>{label(JOIN_TYPE_SHORT_LABELS, row.original.joinType)}</span>,
      });
    case "autopilot":
      return column.display({ id, header, cell: ({ row }) => (row.original.autopilotEnrolled ? "Yes" : "No") });
    case "provisionedBy":
      return column.display({ id, header, cell: ({ row }) => <GridProvisionedBy device={row.original} /> });
    case "lastSyncDateTime":
      return column.accessor("lastSyncDateTime", { header, cell: ({ row }) => <DateCell iso={row.original.lastSyncDateTime} now={now} relative /> });
    case "resetStatus":
      return column.display({ id, header, cell: ({ row }) => <ResetStatusCell device={row.original} now={now} loading={resetStatusLoading} /> });
    case "serialNumber":
      return column.display({ id, header, cell: ({ row }) => text(row.original.serialNumber) });
    case "model":
      return column.display({ id, header, cell: ({ row }) => text(row.original.model) });
    case "manufacturer":
      return column.display({ id, header, cell: ({ row }) => text(row.original.manufacturer) });
    case "enrolledDateTime":
      return column.display({ id, header, cell: ({ row }) => <DateCell iso={row.original.enrolledDateTime} now={now} relative={false} /> });
    case "azureADDeviceId":
      return column.display({ id, header, cell: ({ row }) => <span className="font-mono text-xs">{text(row.original.azureADDeviceId)}</span> });
    case "managedDeviceName":
      return column.display({
        id,
        header,
        cell: ({ row }) => (
          <span className="block max-w-56 truncate" title={row.original.managedDeviceName ?? undefined}>
            {text(row.original.managedDeviceName)}
          </span>
        ),
      });
  }
}

function deviceColumns(visible: readonly VisibleColumn[], now: Date, resetStatusLoading: boolean, shared: ReadonlyMap<string, number>): DataTableColumnDef<Device>[] {
  return visible.map(({ id, foldBelow }) => {
    const def = columnDef(id, now, resetStatusLoading, shared);
    if (!foldBelow) return def;
    return { ...def, meta: { ...def.meta, headerClassName: FOLD[foldBelow], cellClassName: `${CELL} ${FOLD[foldBelow]}` } };
  });
}

const isSortField = (id: string): id is DeviceSortField => (SORT_FIELDS as readonly string[]).includes(id);
const rowClassName = (_: Device, { selected }: { selected: boolean }) =>
  `border-t border-line ${selected ? "bg-selected" : "hover:bg-surface-alt"}`;
const rowAttributes = (device: Device) => ({ "data-device-row": device.id });
const deviceId = (device: Device) => device.id;

export function useDeviceSelection(
  devices: Device[],
  selection: DeviceSelection,
  onToggleDevice: (id: string) => void,
  onTogglePage: () => void,
): DataTableSelection<Device> {
  return useMemo<DataTableSelection<Device>>(
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
}

export function DeviceGrid(props: DeviceGridProps) {
  const { devices, sharedSerials = NONE_SHARED, columns: visible, now, resetStatusLoading, sort, onSortChange, selection, onToggleDevice, onTogglePage, hasMore, loadingMore, onLoadMore } = props;
  const columns = useMemo(() => deviceColumns(visible, now, resetStatusLoading, sharedSerials), [visible, now, resetStatusLoading, sharedSerials]);

  const tableSort = useMemo<DataTableSort>(
    () => ({
      state: sort && { columnId: sort.field, direction: sort.direction },
      onSortChange: (id) => {
        if (isSortField(id)) onSortChange(id);
      },
    }),
    [sort, onSortChange],
  );
  const tableSelection = useDeviceSelection(devices, selection, onToggleDevice, onTogglePage);

  return (
    <DataTable
      label="Windows devices"
      grid
      columns={columns}
      data={devices}
      getRowId={deviceId}
      rowHeight={ROW_HEIGHT}
      overscan={12}
      scrollClassName="max-h-[calc(100vh-320px)] min-h-64 overflow-auto rounded border border-line bg-surface"
      cellClassName={CELL}
      rowClassName={rowClassName}
      rowAttributes={rowAttributes}
      sort={tableSort}
      selection={tableSelection}
      // Scrolling near the end loads the next page, so a long list reads as one.
      onEndReached={hasMore && !loadingMore ? onLoadMore : undefined}
    />
  );
}
