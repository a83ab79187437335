"use client";
/**
 * The keyboard model of components/ui/data-table.tsx: one row at a time is in the tab order (the last one focused, or
 * the first on screen); the arrow keys, Home, End, Page Up and Page Down move between rows, scrolling rows that are not
 * rendered into being first.
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

export function useRowKeyboard({
  scrollRef,
  headRef,
  virtualizer,
  rowCount,
  rowHeight,
  headerRows,
}: {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The sticky header that covers the top rows, or null when the header does not stick. */
  headRef: RefObject<HTMLTableSectionElement | null> | null;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  rowCount: number;
  rowHeight: number;
  headerRows: number;
}) {
  const items = virtualizer.getVirtualItems();
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const scrollOffset = virtualizer.scrollOffset ?? 0;
  const tabStop = items.some((item) => item.index === activeIndex)
    ? activeIndex
    : (items.find((item) => item.end > scrollOffset) ?? items[0])?.index;

  const rowElement = (index: number) =>
    scrollRef.current?.querySelector<HTMLElement>(`tbody > tr[aria-rowindex="${index + headerRows + 1}"]`) ?? null;
  const focusRow = (index: number) => {
    const scroller = scrollRef.current;
    const element = rowElement(index);
    setActiveIndex(index);
    if (element && scroller) {
      element.focus({ preventScroll: true });
      scrollRowIntoView(scroller, headRef?.current ?? null, element);
    } else {
      pendingFocus.current = index;
      virtualizer.scrollToIndex(index, { align: "auto" });
    }
  };
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const element = rowElement(index);
    if (!element || !scrollRef.current) return;
    pendingFocus.current = null;
    element.focus({ preventScroll: true });
    scrollRowIntoView(scrollRef.current, headRef?.current ?? null, element);
  });

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    // Keys pressed in a control inside the row are the control's.
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const last = rowCount - 1;
    const target =
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
    if (target === null) return;
    event.preventDefault();
    focusRow(Math.min(last, Math.max(0, target)));
  };

  return { activeIndex, setActiveIndex, tabStop, onRowKeyDown };
}
