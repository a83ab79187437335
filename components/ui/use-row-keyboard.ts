"use client";
/**
 * The keyboard model of components/ui/data-table.tsx: one row at a time is in the tab order (the last one focused, or
 * the first on screen); the arrow keys, Home, End, Page Up and Page Down move between rows, scrolling rows that are not
 * rendered into being first. In a table marked `grid` (the ARIA grid pattern), Right and Left also move through the
 * row's cells, focusing a cell's one control (a link, a checkbox, a button) or the cell itself, and Up and Down keep
 * the column; every control inside the rows is out of the tab order, so the whole body is one tab stop.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import type { Virtualizer } from "@tanstack/react-virtual";

/** Brings a focused row into view below a sticky header (the browser's own scrolling would leave it under the header). */
function scrollRowIntoView(scroller: HTMLElement, head: HTMLElement | null, row: HTMLElement) {
  const box = scroller.getBoundingClientRect();
  const top = box.top + scroller.clientTop + (head ? head.getBoundingClientRect().height : 0);
  const bottom = box.top + scroller.clientTop + scroller.clientHeight;
  const rect = row.getBoundingClientRect();
  if (rect.top < top) scroller.scrollTop -= top - rect.top;
  else if (rect.bottom > bottom) scroller.scrollTop += rect.bottom - bottom;
}

const CONTROLS = "a[href], button, input, select, textarea, [tabindex]";

/** The cells a reader can see (a column folded away on a narrow screen is display: none). */
function visibleCells(row: HTMLTableRowElement): HTMLTableCellElement[] {
  return [...row.cells].filter((cell) => cell.getClientRects().length > 0);
}

/** What takes focus for a cell: its one control, or the cell itself. */
function cellFocusTarget(cell: HTMLTableCellElement): HTMLElement {
  return cell.querySelector<HTMLElement>(CONTROLS) ?? cell;
}

/** Takes every control in the body's rows out of the tab order, and makes plain cells focusable by script. */
export function rovingBody(body: HTMLTableSectionElement | null) {
  if (!body) return;
  for (const cell of body.querySelectorAll<HTMLTableCellElement>("tr[aria-rowindex] > td")) {
    const controls = cell.querySelectorAll<HTMLElement>(CONTROLS);
    for (const control of controls) if (control.tabIndex !== -1) control.tabIndex = -1;
    if (controls.length === 0 && cell.tabIndex !== -1) cell.tabIndex = -1;
  }
}

export function useRowKeyboard({
  scrollRef,
  headRef,
  virtualizer,
  rowCount,
  rowHeight,
  headerRows,
  grid = false,
}: {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The sticky header that covers the top rows, or null when the header does not stick. */
  headRef: RefObject<HTMLTableSectionElement | null> | null;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  rowCount: number;
  rowHeight: number;
  headerRows: number;
  /** The ARIA grid pattern: cells too, not only rows. */
  grid?: boolean;
}) {
  const items = virtualizer.getVirtualItems();
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<{ index: number; column: number } | null>(null);
  const scrollOffset = virtualizer.scrollOffset ?? 0;
  const tabStop = items.some((item) => item.index === activeIndex)
    ? activeIndex
    : (items.find((item) => item.end > scrollOffset) ?? items[0])?.index;

  const rowElement = (index: number) =>
    scrollRef.current?.querySelector<HTMLTableRowElement>(`tbody > tr[aria-rowindex="${index + headerRows + 1}"]`) ?? null;
  /** Focuses a row (column -1) or one of its visible cells, once it is rendered. */
  const focusAt = (row: HTMLTableRowElement, column: number) => {
    const cells = visibleCells(row);
    const cell = column >= 0 ? cells[Math.min(column, cells.length - 1)] : undefined;
    (cell ? cellFocusTarget(cell) : row).focus({ preventScroll: true });
    if (scrollRef.current) scrollRowIntoView(scrollRef.current, headRef?.current ?? null, row);
  };
  const focusRow = (index: number, column = -1) => {
    const element = rowElement(index);
    setActiveIndex(index);
    if (element && scrollRef.current) focusAt(element, column);
    else {
      pendingFocus.current = { index, column };
      virtualizer.scrollToIndex(index, { align: "auto" });
    }
  };
  useEffect(() => {
    const pending = pendingFocus.current;
    if (pending === null) return;
    const element = rowElement(pending.index);
    if (!element || !scrollRef.current) return;
    pendingFocus.current = null;
    focusAt(element, pending.column);
  });

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const row = event.currentTarget;
    const target = event.target as HTMLElement;
    const onRow = target === row;
    // Keys pressed in a control inside the row are the control's (in a grid, only text fields keep their arrows).
    if (!onRow && (!grid || target.closest("input:not([type=checkbox]), select, textarea, [contenteditable=true]"))) return;
    const cells = visibleCells(row);
    const column = onRow ? -1 : cells.findIndex((cell) => cell.contains(target));
    if (grid && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      const next = event.key === "ArrowRight" ? Math.min(cells.length - 1, column + 1) : column - 1;
      if (next < 0) row.focus({ preventScroll: true });
      else cellFocusTarget(cells[next]!).focus({ preventScroll: true });
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const last = rowCount - 1;
    const targetRow =
      event.key === "ArrowDown"
        ? index + 1
        : event.key === "ArrowUp"
          ? index - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : event.key === "PageDown"
                ? index + page
                : event.key === "PageUp"
                  ? index - page
                  : null;
    if (targetRow === null) return;
    event.preventDefault();
    focusRow(Math.min(last, Math.max(0, targetRow)), column);
  };

  return { activeIndex, setActiveIndex, tabStop, onRowKeyDown };
}
