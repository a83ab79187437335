"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import Link from "next/link";
import { Check, Columns3, Download, ListChecks, RefreshCw } from "lucide-react";
import { GRID_COLUMNS, REQUIRED_COLUMN, type GridColumnId } from "@/lib/devices/grid-columns";
import { Button } from "@/components/ui/button";

/** Ticks which columns the grid shows; the choice is kept in this browser (components/devices/use-grid-columns.ts). */
function ColumnPicker({ shown, onToggle, onReset }: { shown: ReadonlySet<GridColumnId>; onToggle: (id: GridColumnId) => void; onReset: () => void }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="toolbar">
          <Columns3 aria-hidden="true" className="size-4 text-brand-text" /> Columns
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 max-h-[70vh] min-w-56 overflow-auto rounded border border-line bg-surface p-1 text-sm text-fg shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted">Columns shown (kept in this browser)</DropdownMenu.Label>
          {GRID_COLUMNS.map((column) => (
            <DropdownMenu.CheckboxItem
              key={column.id}
              checked={shown.has(column.id)}
              disabled={column.id === REQUIRED_COLUMN}
              // The menu stays open so several columns can be ticked in one go.
              onSelect={(event) => event.preventDefault()}
              onCheckedChange={() => onToggle(column.id)}
              className="flex cursor-default items-center gap-2 rounded px-2 py-1.5 outline-none data-[disabled]:text-muted data-[highlighted]:bg-surface-hover"
            >
              <span className="flex size-4 items-center justify-center rounded-sm border border-line-strong">
                <DropdownMenu.ItemIndicator>
                  <Check aria-hidden="true" className="size-3" />
                </DropdownMenu.ItemIndicator>
              </span>
              {column.header}
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-line" />
          <DropdownMenu.Item onSelect={onReset} className="rounded px-2 py-1.5 outline-none data-[highlighted]:bg-surface-hover">
            Default columns
          </DropdownMenu.Item>
          <p className="px-2 py-1 text-xs text-muted">On narrow screens, columns you did not tick hide first.</p>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** The Windows grid's command bar: Refresh, Columns, Export (CSV), Reset from a list. */
export function GridToolbar({
  refreshing,
  onRefresh,
  shownColumns,
  onToggleColumn,
  onResetColumns,
  exporting,
  onExport,
  showColumns = true,
}: {
  refreshing: boolean;
  onRefresh: () => void;
  shownColumns: ReadonlySet<GridColumnId>;
  onToggleColumn: (id: GridColumnId) => void;
  onResetColumns: () => void;
  exporting: boolean;
  onExport: () => void;
  /** Cards on a phone have no columns to pick. */
  showColumns?: boolean;
}) {
  return (
    <div role="toolbar" aria-label="Windows devices" className="flex flex-wrap gap-1 border-b border-line pb-2">
      <Button variant="toolbar" onClick={onRefresh} disabled={refreshing}>
        <RefreshCw aria-hidden="true" className={`size-4 text-brand-text ${refreshing ? "animate-spin" : ""}`} /> Refresh
      </Button>
      {showColumns && <ColumnPicker shown={shownColumns} onToggle={onToggleColumn} onReset={onResetColumns} />}
      <Button variant="toolbar" onClick={onExport} disabled={exporting}>
        <Download aria-hidden="true" className="size-4 text-brand-text" /> Export (CSV)
      </Button>
      <Link
        href="/devices/windows/from-list"
        className="inline-flex items-center gap-2 rounded px-3 py-1.5 text-sm text-fg hover:bg-surface-hover"
        data-testid="reset-from-list-link"
      >
        <ListChecks aria-hidden="true" className="size-4 text-brand-text" /> Reset from a list…
      </Link>
    </div>
  );
}
