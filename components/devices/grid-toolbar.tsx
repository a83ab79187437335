"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { Columns3, Download, ListChecks, RefreshCw } from "lucide-react";
import type { GridColumnId } from "@/lib/devices/grid-columns";
import { Button } from "@/components/ui/button";

const columnPicker = () => import("./column-picker").then((module) => module.ColumnPicker);
/**
 * The menu (Radix's dropdown and its positioning, about 25 KB gzipped) loads when the button is first pressed, or
 * hovered or focused just before: the grid's first load stays within budget (docs/architecture.md).
 */
const ColumnPicker = dynamic(columnPicker, { ssr: false, loading: () => <ColumnsButton /> });

function ColumnsButton(props: { onClick?: () => void; onPointerEnter?: () => void; onFocus?: () => void }) {
  return (
    <Button variant="toolbar" aria-haspopup="menu" {...props}>
      <Columns3 aria-hidden="true" className="size-4 text-brand-text" /> Columns
    </Button>
  );
}

function LazyColumnPicker(props: { shown: ReadonlySet<GridColumnId>; onToggle: (id: GridColumnId) => void; onReset: () => void }) {
  const [wanted, setWanted] = useState(false);
  if (!wanted) {
    return <ColumnsButton onClick={() => setWanted(true)} onPointerEnter={() => void columnPicker()} onFocus={() => void columnPicker()} />;
  }
  return <ColumnPicker {...props} defaultOpen />;
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
      {showColumns && <LazyColumnPicker shown={shownColumns} onToggle={onToggleColumn} onReset={onResetColumns} />}
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
