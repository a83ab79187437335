import type { DeviceFilters } from "@/lib/devices/types";

/**
 * Which devices the grid has selected, for bulk actions: explicit ids, or every device matching a search and filters
 * (which may be far more than are loaded in the browser; the bulk run resolves them page by page).
 */
export type DeviceSelection =
  | { kind: "ids"; ids: ReadonlySet<string> }
  | { kind: "all-matching"; search: string; filters: DeviceFilters };

export const EMPTY_SELECTION: DeviceSelection = { kind: "ids", ids: new Set() };

export function isSelected(selection: DeviceSelection, id: string): boolean {
  return selection.kind === "all-matching" || selection.ids.has(id);
}

export function isEmptySelection(selection: DeviceSelection): boolean {
  return selection.kind === "ids" && selection.ids.size === 0;
}

/** Toggles one row. Unticking a row of an "all matching" selection keeps the other loaded rows selected. */
export function toggleDevice(selection: DeviceSelection, id: string, loadedIds: readonly string[]): DeviceSelection {
  const ids = new Set(selection.kind === "ids" ? selection.ids : loadedIds);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { kind: "ids", ids };
}

/** Ticks every id given (the rows on screen), or unticks them all when they are all ticked already. */
export function togglePage(selection: DeviceSelection, pageIds: readonly string[]): DeviceSelection {
  if (selection.kind === "all-matching") return EMPTY_SELECTION;
  const allTicked = pageIds.length > 0 && pageIds.every((id) => selection.ids.has(id));
  const ids = new Set(selection.ids);
  for (const id of pageIds) {
    if (allTicked) ids.delete(id);
    else ids.add(id);
  }
  return { kind: "ids", ids };
}

export function pageSelectionState(selection: DeviceSelection, pageIds: readonly string[]): boolean | "indeterminate" {
  if (selection.kind === "all-matching") return pageIds.length > 0;
  const ticked = pageIds.filter((id) => selection.ids.has(id)).length;
  if (ticked === 0) return false;
  return ticked === pageIds.length ? true : "indeterminate";
}

/** How many devices are selected, when known ("all matching" is counted by whoever resolves it). */
export function selectedCount(selection: DeviceSelection): number | null {
  return selection.kind === "ids" ? selection.ids.size : null;
}
