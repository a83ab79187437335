"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Check, Columns3 } from "lucide-react";
import { GRID_COLUMN_IDS, gridColumn, REQUIRED_COLUMN, type GridColumnId } from "@/lib/devices/grid-columns";
import { Button } from "@/components/ui/button";

/** Ticks which columns the grid shows; the choice is kept in this browser (components/devices/use-grid-columns.ts). */
export function ColumnPicker({
  shown,
  onToggle,
  onReset,
  defaultOpen = false,
}: {
  shown: ReadonlySet<GridColumnId>;
  onToggle: (id: GridColumnId) => void;
  onReset: () => void;
  /** Open at once: the first press loaded this menu (components/devices/grid-toolbar.tsx). */
  defaultOpen?: boolean;
}) {
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
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
          {GRID_COLUMN_IDS.map(gridColumn).map((column) => (
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

