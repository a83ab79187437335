// Over 300 lines: the one table behind every grid; sort, selection, sticky header and virtual rows share a row model.
"use client";

import { useEffect, useMemo, useRef, type ReactNode } from "react";
import {
  createColumnHelper,
  flexRender,
  metaHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnHelper,
  type Header,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { Checkbox } from "./checkbox";
import { rovingBody, useRowKeyboard } from "./use-row-keyboard";

/**
 * One virtualized table for the console's long lists (the device grid, the monitor, a bulk run's results), in the shape
 * of tablecn's data table: column definitions in, TanStack Table for the model, TanStack Virtual for the rows, and the
 * markup, keyboard and accessibility here. It knows nothing of what its rows are; each feature keeps its own columns.
 *
 * Only the rows on screen are rendered, between two spacer rows; `aria-rowcount` and each row's `aria-rowindex` say
 * where they are in the whole. Sorting is the caller's (server-side, URL state): a sort header only calls back, and the
 * rows are shown in the order given. Selection is the caller's too (it may span rows that are not loaded).
 */

/** What a column may say about its markup, beside TanStack's own definition. */
export interface DataTableColumnMeta {
  /** Classes of the column's `<col>` (widths, for a `table-fixed` table); a `<colgroup>` is rendered when any column has one. */
  colClassName?: string;
  /** Classes added to the column's header cell. */
  headerClassName?: string;
  /** Classes of the column's cells, in place of the table's `cellClassName`. */
  cellClassName?: string;
  /**
   * A tooltip for the whole cell (its `title`), from the row. Typed with `never` so that a column can name its own row
   * type, `(row: Device) => ...`; the table calls it with the row the column was defined for.
   */
  cellTitle?: (row: never) => string | undefined;
}

const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnMeta: metaHelper<DataTableColumnMeta>(),
});
export type DataTableFeatures = typeof dataTableFeatures;

/** A column of a DataTable. Accessor columns can be sorted (when the table has `sort`); display columns cannot. */
export type DataTableColumnDef<TData extends RowData> = ColumnDef<DataTableFeatures, TData, any>;

/** TanStack's column helper for a DataTable's rows: `const column = dataTableColumnHelper<Device>()`. */
export function dataTableColumnHelper<TData extends RowData>(): ColumnHelper<DataTableFeatures, TData> {
  return createColumnHelper<DataTableFeatures, TData>();
}

export type SortDirection = "asc" | "desc";

/** Sorting the caller does (on the server, or through the URL): the table shows it and asks for changes. */
export interface DataTableSort {
  /** The column the given rows are sorted by, or null for the source's own order. */
  state: { columnId: string; direction: SortDirection } | null;
  /** A sort header was pressed: the caller decides the next order (the table never reorders rows itself). */
  onSortChange: (columnId: string) => void;
}

/** Row selection with a checkbox column first; the caller holds the selection, which may include rows not loaded. */
export interface DataTableSelection<TData extends RowData> {
  isSelected: (rowId: string) => boolean;
  /** The header checkbox: every loaded row selected, some, or none. */
  allState: boolean | "indeterminate";
  onToggleRow: (rowId: string) => void;
  onToggleAll: () => void;
  /** The header checkbox's accessible name. */
  allLabel: string;
  /** A row checkbox's accessible name. */
  rowLabel: (row: TData) => string;
}

/** `data-*` attributes of a row, such as the test ids the e2e specs find rows by. */
export type DataAttributes = Record<`data-${string}`, string | undefined>;

export interface DataTableProps<TData extends RowData> {
  /** The table's accessible name. */
  label: string;
  columns: DataTableColumnDef<TData>[];
  data: TData[];
  getRowId: (row: TData) => string;
  /** Every row is this tall (px): the virtualizer places rows by it. */
  rowHeight: number;
  /** Rows rendered beyond the visible ones, each way. */
  overscan?: number;
  /** Classes of the scrolling box around the table (its height bounds the rendered rows). */
  scrollClassName: string;
  /** data-testid of the scrolling box. */
  scrollTestId?: string;
  tableClassName?: string;
  /** A sticky header row (default), or one that only assistive technology reads, for a list that shows no header. */
  header?: "sticky" | "visually-hidden";
  /** Classes of every body cell, unless its column's `meta.cellClassName` says otherwise. */
  cellClassName?: string;
  rowClassName?: string | ((row: TData, state: { selected: boolean }) => string);
  rowAttributes?: (row: TData) => DataAttributes;
  sort?: DataTableSort;
  selection?: DataTableSelection<TData>;
  /** Called when the rows rendered reach within `endReachedThreshold` rows of the end: load the next page. */
  onEndReached?: (() => void) | undefined;
  endReachedThreshold?: number;
  /** With no rows: `loadingState` while `loading`, `emptyState` otherwise, in one row across the table. */
  loading?: boolean;
  loadingState?: ReactNode;
  emptyState?: ReactNode;
  /**
   * The ARIA grid pattern (role="grid"): the arrow keys move through rows and cells, and the body is one tab stop
   * (components/ui/use-row-keyboard.ts). Otherwise a table whose rows are the stops.
   */
  grid?: boolean;
}

const HEADER_CELL = "whitespace-nowrap px-2 py-2 text-left font-semibold";
const STICKY_HEADER = "sticky top-0 z-10 bg-surface shadow-[0_1px_0_var(--border)]";
/** Rows take focus inside the scrolling box: an outline drawn inside stays clear of its clipped edges. */
const ROW_FOCUS = "focus-visible:-outline-offset-2";

const classes = (...names: (string | undefined)[]) => names.filter(Boolean).join(" ");

function ariaSort(direction: false | SortDirection): "ascending" | "descending" | "none" {
  return direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none";
}

function SortButton({ direction, onClick, children }: { direction: false | SortDirection; onClick: () => void; children: ReactNode }) {
  const Icon = direction === "asc" ? ArrowUp : direction === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <button type="button" onClick={onClick} className="inline-flex items-center gap-1 rounded px-1 font-semibold hover:bg-surface-hover">
      {children}
      <Icon aria-hidden="true" className={`size-3 ${direction ? "" : "opacity-40"}`} />
    </button>
  );
}

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const {
    label,
    columns,
    data,
    getRowId,
    rowHeight,
    overscan = 10,
    scrollClassName,
    scrollTestId,
    tableClassName = "w-full border-collapse text-sm",
    header = "sticky",
    cellClassName = "",
    rowClassName = "",
    rowAttributes,
    sort,
    selection,
    onEndReached,
    endReachedThreshold = 10,
    loading = false,
    loadingState,
    emptyState,
    grid = false,
  } = props;

  const sortColumn = sort?.state?.columnId;
  const sortDirection = sort?.state?.direction;
  const sorting = useMemo<SortingState>(
    () => (sortColumn && sortDirection ? [{ id: sortColumn, desc: sortDirection === "desc" }] : []),
    [sortColumn, sortDirection],
  );
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId,
    // The rows come sorted (or not) by their source; the table keeps their order.
    manualSorting: true,
    enableMultiSort: false,
    // Shown, never changed here: a sort header calls sort.onSortChange, and the new order comes back through props.
    state: { sorting },
  });
  const rows = table.getRowModel().rows;
  const headerGroups = table.getHeaderGroups();
  const leafColumns = table.getAllLeafColumns();
  const hasColgroup = leafColumns.some((column) => column.columnDef.meta?.colClassName);
  const columnCount = leafColumns.length + (selection ? 1 : 0);
  const headerRows = headerGroups.length;

  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  // Scrolling near the end asks for more, so a long list reads as one.
  useEffect(() => {
    if (onEndReached && rows.length > 0 && lastIndex >= rows.length - endReachedThreshold) onEndReached();
  }, [onEndReached, endReachedThreshold, lastIndex, rows.length]);

  const { activeIndex, setActiveIndex, tabStop, onRowKeyDown } = useRowKeyboard({
    scrollRef,
    headRef: header === "sticky" ? headRef : null,
    virtualizer,
    rowCount: rows.length,
    rowHeight,
    headerRows,
    grid,
  });
  // Rows come and go as the list scrolls: each render takes the new rows' controls out of the tab order.
  useEffect(() => {
    if (grid) rovingBody(bodyRef.current);
  });

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const slot = rows.length === 0 ? (loading ? loadingState : emptyState) : undefined;
  const showSlot = slot !== undefined && slot !== null;
  const hiddenHeader = header === "visually-hidden";

  const headerContent = (h: Header<DataTableFeatures, TData, unknown>) => {
    if (h.isPlaceholder) return null;
    const content = flexRender(h.column.columnDef.header, h.getContext());
    if (!sort || !h.column.getCanSort()) return content;
    return (
      <SortButton direction={h.column.getIsSorted()} onClick={() => sort.onSortChange(h.column.id)}>
        {content}
      </SortButton>
    );
  };

  return (
    <div ref={scrollRef} className={scrollClassName} data-testid={scrollTestId}>
      <table className={tableClassName} role={grid ? "grid" : undefined} aria-label={label} aria-rowcount={rows.length + headerRows + (showSlot ? 1 : 0)}>
        {hasColgroup && (
          <colgroup>
            {selection && <col className="w-10" />}
            {leafColumns.map((column) => (
              <col key={column.id} className={column.columnDef.meta?.colClassName} />
            ))}
          </colgroup>
        )}
        <thead ref={headRef} className={hiddenHeader ? undefined : STICKY_HEADER}>
          {headerGroups.map((group, groupIndex) => (
            <tr key={group.id} aria-rowindex={groupIndex + 1}>
              {selection && groupIndex === headerRows - 1 && (
                <th scope="col" className={hiddenHeader ? "p-0" : classes(HEADER_CELL, "w-10")}>
                  <Checkbox checked={selection.allState} onCheckedChange={selection.onToggleAll} label={selection.allLabel} />
                </th>
              )}
              {selection && groupIndex < headerRows - 1 && <th aria-hidden="true" />}
              {group.headers.map((h) => {
                const meta = h.column.columnDef.meta;
                const sortable = Boolean(sort) && h.column.getCanSort();
                return (
                  <th
                    key={h.id}
                    colSpan={h.colSpan > 1 ? h.colSpan : undefined}
                    scope="col"
                    aria-sort={sortable ? ariaSort(h.column.getIsSorted()) : undefined}
                    className={hiddenHeader ? "p-0" : classes(HEADER_CELL, meta?.headerClassName)}
                  >
                    {hiddenHeader ? <span className="sr-only">{headerContent(h)}</span> : headerContent(h)}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody ref={bodyRef}>
          {showSlot && (
            <tr aria-rowindex={headerRows + 1}>
              <td colSpan={columnCount} className="px-2 py-6 text-center text-muted">
                {slot}
              </td>
            </tr>
          )}
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const selected = selection?.isSelected(row.id) ?? false;
            const rowClass = typeof rowClassName === "function" ? rowClassName(row.original, { selected }) : rowClassName;
            return (
              <tr
                key={row.id}
                {...rowAttributes?.(row.original)}
                aria-rowindex={item.index + headerRows + 1}
                tabIndex={item.index === tabStop ? 0 : -1}
                onFocus={() => {
                  if (item.index !== activeIndex) setActiveIndex(item.index);
                }}
                onKeyDown={(event) => onRowKeyDown(event, item.index)}
                className={classes(rowClass, ROW_FOCUS)}
                style={{ height: rowHeight }}
              >
                {selection && (
                  <td className={classes(cellClassName, grid ? ROW_FOCUS : undefined)}>
                    <Checkbox
                      checked={selected}
                      onCheckedChange={() => selection.onToggleRow(row.id)}
                      label={selection.rowLabel(row.original)}
                    />
                  </td>
                )}
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta;
                  const title = (meta?.cellTitle as ((row: TData) => string | undefined) | undefined)?.(row.original);
                  return (
                    <td key={cell.id} className={classes(meta?.cellClassName ?? cellClassName, grid ? ROW_FOCUS : undefined)} title={title}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
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
