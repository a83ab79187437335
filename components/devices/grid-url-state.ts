import { parseAsString, parseAsStringLiteral } from "nuqs";
import {
  AUTOPILOT_FILTER_VALUES,
  CHECK_IN_FILTER_VALUES,
  COMPLIANCE_FILTER_VALUES,
  JOIN_TYPE_FILTER_VALUES,
  OWNERSHIP_FILTER_VALUES,
  PROVISIONED_BY_FILTER_VALUES,
  RESET_STATUS_FILTER_VALUES,
  SORT_DIRECTIONS,
  SORT_FIELDS,
  TEXT_FILTER_MAX_LENGTH,
  type DeviceFilters,
  type DeviceSort,
  type DeviceSortField,
} from "@/lib/devices/types";

/**
 * The grid's view in the URL, so a search can be shared:
 * ?q=…&compliance=…&ownership=…&join=…&autopilot=…&checkin=7d&reset=pending&provisioned=…&os=…&model=…&sort=deviceName.asc
 * (the columns shown are the reader's own, not the view's: components/devices/use-grid-columns.ts).
 */
export const gridUrlParsers = {
  q: parseAsString.withDefault(""),
  compliance: parseAsStringLiteral(COMPLIANCE_FILTER_VALUES),
  ownership: parseAsStringLiteral(OWNERSHIP_FILTER_VALUES),
  join: parseAsStringLiteral(JOIN_TYPE_FILTER_VALUES),
  autopilot: parseAsStringLiteral(AUTOPILOT_FILTER_VALUES),
  checkin: parseAsStringLiteral(CHECK_IN_FILTER_VALUES),
  reset: parseAsStringLiteral(RESET_STATUS_FILTER_VALUES),
  provisioned: parseAsStringLiteral(PROVISIONED_BY_FILTER_VALUES),
  os: parseAsString.withDefault(""),
  model: parseAsString.withDefault(""),
  sort: parseAsString,
};

/** Every filter of the URL cleared at once ("Clear all"). */
export const NO_FILTERS = { q: null, compliance: null, ownership: null, join: null, autopilot: null, checkin: null, reset: null, provisioned: null, os: null, model: null } as const;

/**
 * "Can be reset": the devices Graph can tell may take an Autopilot Reset, Microsoft Entra joined, registered with
 * Autopilot and provisioned by classic Autopilot (docs/graph.md, "When Autopilot Reset cannot work"). What a list cannot show (a reset
 * under way, a stale record) the preflight and the server still judge.
 */
export const CAN_BE_RESET = { join: "azureADJoined", autopilot: "registered", provisioned: "autopilot" } as const;

export function isCanBeReset(state: { join: string | null; autopilot: string | null; provisioned: string | null }): boolean {
  return state.join === CAN_BE_RESET.join && state.autopilot === CAN_BE_RESET.autopilot && state.provisioned === CAN_BE_RESET.provisioned;
}

export function parseSort(value: string | null): DeviceSort | null {
  if (!value) return null;
  const [field, direction] = value.split(".");
  if (!(SORT_FIELDS as readonly string[]).includes(field ?? "")) return null;
  const dir = SORT_DIRECTIONS.find((d) => d === direction);
  if (!dir) return null;
  return { field: field as DeviceSortField, direction: dir };
}

export function formatSort(sort: DeviceSort | null): string | null {
  return sort ? `${sort.field}.${sort.direction}` : null;
}

/** Ascending, then descending, then back to the server's order. */
export function nextSort(current: DeviceSort | null, field: DeviceSortField): DeviceSort | null {
  if (!current || current.field !== field) return { field, direction: "asc" };
  return current.direction === "asc" ? { field, direction: "desc" } : null;
}

export function toFilters(state: {
  compliance: DeviceFilters["compliance"] | null;
  ownership: DeviceFilters["ownership"] | null;
  join: DeviceFilters["joinType"] | null;
  autopilot: DeviceFilters["autopilot"] | null;
  checkin?: DeviceFilters["checkIn"] | null;
  reset?: DeviceFilters["resetStatus"] | null;
  provisioned?: DeviceFilters["provisionedBy"] | null;
  os?: string;
  model?: string;
}): DeviceFilters {
  const filters: DeviceFilters = {};
  if (state.compliance) filters.compliance = state.compliance;
  if (state.ownership) filters.ownership = state.ownership;
  if (state.join) filters.joinType = state.join;
  if (state.autopilot) filters.autopilot = state.autopilot;
  if (state.checkin) filters.checkIn = state.checkin;
  if (state.reset) filters.resetStatus = state.reset;
  if (state.provisioned) filters.provisionedBy = state.provisioned;
  const os = textFilter(state.os);
  if (os) filters.osVersion = os;
  const model = textFilter(state.model);
  if (model) filters.model = model;
  return filters;
}

/** A text filter as the server takes it: one line, trimmed, cut to TEXT_FILTER_MAX_LENGTH; empty is none. */
export function textFilter(value: string | undefined): string | undefined {
  const text = (value ?? "").replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, TEXT_FILTER_MAX_LENGTH).trim();
  return text || undefined;
}
