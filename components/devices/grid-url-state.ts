import { parseAsString, parseAsStringLiteral } from "nuqs";
import type { DeviceFilters, DeviceSort, DeviceSortField } from "@/lib/devices/types";

export const COMPLIANCE_VALUES = ["compliant", "noncompliant", "inGracePeriod", "conflict", "error", "unknown"] as const;
export const OWNERSHIP_VALUES = ["company", "personal", "unknown"] as const;
export const JOIN_TYPE_VALUES = ["azureADJoined", "hybridAzureADJoined", "azureADRegistered", "unknown"] as const;
export const AUTOPILOT_VALUES = ["registered", "notRegistered"] as const;
export const SORT_FIELDS: readonly DeviceSortField[] = [
  "deviceName",
  "userPrincipalName",
  "lastSyncDateTime",
  "osVersion",
  "complianceState",
];

/** The grid's view in the URL, so a search can be shared: ?q=…&compliance=…&ownership=…&join=…&autopilot=…&sort=deviceName.asc */
export const gridUrlParsers = {
  q: parseAsString.withDefault(""),
  compliance: parseAsStringLiteral(COMPLIANCE_VALUES),
  ownership: parseAsStringLiteral(OWNERSHIP_VALUES),
  join: parseAsStringLiteral(JOIN_TYPE_VALUES),
  autopilot: parseAsStringLiteral(AUTOPILOT_VALUES),
  sort: parseAsString,
};

export function parseSort(value: string | null): DeviceSort | null {
  if (!value) return null;
  const [field, direction] = value.split(".");
  if (!SORT_FIELDS.includes(field as DeviceSortField)) return null;
  if (direction !== "asc" && direction !== "desc") return null;
  return { field: field as DeviceSortField, direction };
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
}): DeviceFilters {
  const filters: DeviceFilters = {};
  if (state.compliance) filters.compliance = state.compliance;
  if (state.ownership) filters.ownership = state.ownership;
  if (state.join) filters.joinType = state.join;
  if (state.autopilot) filters.autopilot = state.autopilot;
  return filters;
}
