"use client";
/**
 * The grid's column choice, kept in this browser's localStorage: a person's preference for their screen, not part of
 * a view they share (a link opened on a colleague's phone should not bring fifteen columns with it), so not the URL.
 */
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { parseColumnChoice, serializeColumnChoice, toggleColumn, visibleColumns, type GridColumnId } from "@/lib/devices/grid-columns";

export const GRID_COLUMNS_STORAGE_KEY = "autopilot-console:grid-columns";
const CHANGED_EVENT = "autopilot-console:grid-columns-changed";

function read(): string | null {
  try {
    return window.localStorage.getItem(GRID_COLUMNS_STORAGE_KEY);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === GRID_COLUMNS_STORAGE_KEY) onChange();
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener(CHANGED_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener(CHANGED_EVENT, onChange);
  };
}

export function useGridColumns() {
  const text = useSyncExternalStore(subscribe, read, () => null);
  const choice = useMemo(() => parseColumnChoice(text), [text]);
  const columns = useMemo(() => visibleColumns(choice), [choice]);
  const toggle = useCallback(
    (id: GridColumnId) => {
      try {
        window.localStorage.setItem(GRID_COLUMNS_STORAGE_KEY, serializeColumnChoice(toggleColumn(choice, id)));
      } catch {
        // Storage full or disabled: the choice lasts only as long as this event.
      }
      window.dispatchEvent(new Event(CHANGED_EVENT));
    },
    [choice],
  );
  const reset = useCallback(() => {
    try {
      window.localStorage.removeItem(GRID_COLUMNS_STORAGE_KEY);
    } catch {
      // Nothing stored to forget.
    }
    window.dispatchEvent(new Event(CHANGED_EVENT));
  }, []);
  return { columns, toggle, reset, customised: choice !== null };
}
