/**
 * The Windows grid's columns as words: their headers, which show by default, which fold away first on a narrow
 * screen, what a cell says in a CSV export, and the user's choice of columns as it is stored in the browser.
 * The cells' markup is components/devices/device-grid.tsx; this is what both the grid and its export say.
 */
import { COMPLIANCE_LABELS, JOIN_TYPE_LABELS, label, OWNERSHIP_LABELS } from "./format";
import type { Device } from "./types";

export const GRID_COLUMN_IDS = [
  "deviceName",
  "userPrincipalName",
  "ownership",
  "complianceState",
  "osVersion",
  "joinType",
  "autopilot",
  "provisionedBy",
  "lastSyncDateTime",
  "resetStatus",
  "serialNumber",
  "model",
  "manufacturer",
  "enrolledDateTime",
  "azureADDeviceId",
  "managedDeviceName",
] as const;
export type GridColumnId = (typeof GRID_COLUMN_IDS)[number];

/**
 * Below which window width a default column the user did not choose hides ("xl" 1280 px, "wide" 1400, "2xl" 1536,
 * "huge" 1800): the columns a helpdesk person needs most (name, user, last check-in, reset status) never fold.
 */
export const FOLD_WIDTHS = ["xl", "wide", "2xl", "huge"] as const;
export type FoldBelow = (typeof FOLD_WIDTHS)[number];

export interface GridColumnInfo {
  id: GridColumnId;
  header: string;
  /** Shown until the user chooses otherwise. */
  byDefault: boolean;
  /** Hides below this width unless the user chose the column. */
  foldBelow?: FoldBelow;
  /** Never hides with the default columns; once the user adds columns, hides like a column with this foldBelow. */
  foldWhenCrowded?: FoldBelow;
}

export const GRID_COLUMNS: readonly GridColumnInfo[] = [
  { id: "deviceName", header: "Device name", byDefault: true },
  { id: "userPrincipalName", header: "Primary user UPN", byDefault: true },
  { id: "ownership", header: "Ownership", byDefault: true, foldBelow: "wide" },
  { id: "complianceState", header: "Compliance", byDefault: true, foldBelow: "xl" },
  { id: "osVersion", header: "OS version", byDefault: true, foldBelow: "xl" },
  // Why a device would be skipped: they stay at a laptop's 1024 px (issue 23), while the other defaults fold.
  { id: "joinType", header: "Join type", byDefault: true, foldWhenCrowded: "xl" },
  { id: "autopilot", header: "Autopilot", byDefault: true, foldWhenCrowded: "xl" },
  { id: "lastSyncDateTime", header: "Last check-in", byDefault: true },
  { id: "resetStatus", header: "Reset status", byDefault: true },
  { id: "serialNumber", header: "Serial number", byDefault: false },
  { id: "model", header: "Model", byDefault: false },
  { id: "manufacturer", header: "Manufacturer", byDefault: false },
  { id: "enrolledDateTime", header: "Enrolled", byDefault: false },
  { id: "azureADDeviceId", header: "Entra device ID", byDefault: false },
  { id: "managedDeviceName", header: "Management name", byDefault: false },
];

/**
 * Columns whose words need more than the row: "Provisioned by" needs the tenant's profile and policy names, read when
 * the column is shown. In the picker, not among the defaults (they fill a laptop's width). The export
 * (lib/bulk/grid-csv.ts) writes GRID_COLUMNS only, until it passes exportCellText the names' words.
 */
export const NAMES_COLUMNS: readonly GridColumnInfo[] = [{ id: "provisionedBy", header: "Provisioned by", byDefault: false }];

const COLUMN_BY_ID = new Map([...GRID_COLUMNS, ...NAMES_COLUMNS].map((column) => [column.id, column]));

export function gridColumn(id: GridColumnId): GridColumnInfo {
  return COLUMN_BY_ID.get(id)!;
}

/** The device name is the row's link and its name for screen readers: it cannot be hidden. */
export const REQUIRED_COLUMN: GridColumnId = "deviceName";

/**
 * The user's choice: the columns shown, in the grid's order, and which of them the user ticked (those never fold).
 * Absent (null) until the user first changes a column.
 */
export interface ColumnChoice {
  shown: GridColumnId[];
  chosen: GridColumnId[];
}

export const DEFAULT_COLUMNS: GridColumnId[] = GRID_COLUMNS.filter((column) => column.byDefault).map((column) => column.id);

const isColumnId = (value: unknown): value is GridColumnId => typeof value === "string" && (GRID_COLUMN_IDS as readonly string[]).includes(value);
const inGridOrder = (ids: Iterable<GridColumnId>) => {
  const set = new Set(ids);
  return GRID_COLUMN_IDS.filter((id) => set.has(id));
};

/** What was stored, read defensively: unknown ids are dropped, the device name is always shown. */
export function parseColumnChoice(text: string | null): ColumnChoice | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { shown, chosen } = value as { shown?: unknown; chosen?: unknown };
  if (!Array.isArray(shown)) return null;
  const shownIds = inGridOrder([REQUIRED_COLUMN, ...shown.filter(isColumnId)]);
  const chosenIds = inGridOrder((Array.isArray(chosen) ? chosen : []).filter(isColumnId).filter((id) => shownIds.includes(id)));
  return { shown: shownIds, chosen: chosenIds };
}

export function serializeColumnChoice(choice: ColumnChoice): string {
  return JSON.stringify(choice);
}

/** Ticks or unticks a column in the picker; a ticked column counts as the user's choice. */
export function toggleColumn(choice: ColumnChoice | null, id: GridColumnId): ColumnChoice {
  const shown = new Set(choice?.shown ?? DEFAULT_COLUMNS);
  const chosen = new Set(choice?.chosen ?? []);
  if (id === REQUIRED_COLUMN) return { shown: inGridOrder(shown), chosen: inGridOrder(chosen) };
  if (shown.has(id)) {
    shown.delete(id);
    chosen.delete(id);
  } else {
    shown.add(id);
    chosen.add(id);
  }
  return { shown: inGridOrder(shown), chosen: inGridOrder(chosen) };
}

export interface VisibleColumn {
  id: GridColumnId;
  /** Hides below this width (a default column the user did not tick). */
  foldBelow: FoldBelow | undefined;
}

/**
 * The columns shown, and when each folds. Columns the user added take room, so the default columns they did not tick
 * fold at a wider window: one step for one or two added columns, two steps for more.
 */
export function visibleColumns(choice: ColumnChoice | null): VisibleColumn[] {
  const shown = choice?.shown ?? DEFAULT_COLUMNS;
  const chosen = new Set(choice?.chosen ?? []);
  const added = shown.filter((id) => !gridColumn(id).byDefault).length;
  const shift = added === 0 ? 0 : added <= 2 ? 1 : 2;
  return shown.map((id) => {
    const fold = gridColumn(id).foldBelow ?? (added > 0 ? gridColumn(id).foldWhenCrowded : undefined);
    if (chosen.has(id) || !fold) return { id, foldBelow: undefined };
    return { id, foldBelow: FOLD_WIDTHS[Math.min(FOLD_WIDTHS.length - 1, FOLD_WIDTHS.indexOf(fold) + shift)] };
  });
}

/**
 * A cell in an export: the grid's words for enums, ISO 8601 for times (a spreadsheet sorts them), "" for nothing.
 * "Provisioned by" needs the tenant's names: the caller words it (lib/devices/provisioning.ts), else it is "".
 */
export function exportCellText(device: Device, id: Exclude<GridColumnId, "resetStatus">, provisionedBy?: (device: Device) => string): string {
  switch (id) {
    case "deviceName":
      return device.deviceName;
    case "userPrincipalName":
      return device.userPrincipalName ?? "";
    case "ownership":
      return label(OWNERSHIP_LABELS, device.ownerType);
    case "complianceState":
      return label(COMPLIANCE_LABELS, device.complianceState);
    case "osVersion":
      return device.osVersion ?? "";
    case "joinType":
      return label(JOIN_TYPE_LABELS, device.joinType);
    case "autopilot":
      return device.autopilotEnrolled ? "Yes" : "No";
    case "provisionedBy":
      return provisionedBy?.(device) ?? "";
    case "lastSyncDateTime":
      return device.lastSyncDateTime ?? "Never";
    case "serialNumber":
      return device.serialNumber ?? "";
    case "model":
      return device.model ?? "";
    case "manufacturer":
      return device.manufacturer ?? "";
    case "enrolledDateTime":
      return device.enrolledDateTime ?? "";
    case "azureADDeviceId":
      return device.azureADDeviceId ?? "";
    case "managedDeviceName":
      return device.managedDeviceName ?? "";
  }
}
