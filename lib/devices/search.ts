/**
 * The grid's search and filters as OData, and the same question asked locally of every row that comes back.
 *
 * Graph's managedDevices $filter only reliably supports clauses joined by "and" and silently ignores what it does
 * not support (docs/graph.md, "Querying the device list"). So a search by name, user or serial is three filtered
 * streams, one per field, each "and"-ed with the filters; every returned row is checked here, and a clause a row
 * violates was ignored by Graph. The OData text is built by odata-query (quotes doubled, literals percent-encoded),
 * never by concatenation.
 */
import buildQuery from "odata-query";
import { isWindows } from "./eligibility";
import type { ProvisionedBy } from "./provisioning";
import { CHECK_IN_FILTER_DAYS, type Device, type DeviceFilters, type DeviceSort, type DeviceSortField } from "./types";

export const SEARCH_MAX_LENGTH = 200;

const SEARCH_FIELDS = ["deviceName", "userPrincipalName", "serialNumber"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** One condition of a query; what ignoredByGraph names when Graph returned rows that break it. */
export type ClauseKey =
  | "operatingSystem"
  | SearchField
  | "compliance"
  | "ownership"
  | "joinType"
  | "autopilot"
  | "checkIn"
  | "osVersion"
  | "model"
  | "provisionedBy";

export type StreamKey = "all" | SearchField;

/** Words for a clause, for sentences such as "Intune can't filter by join type". */
export const CLAUSE_LABELS: Record<ClauseKey, string> = {
  operatingSystem: "platform",
  deviceName: "device name",
  userPrincipalName: "primary user",
  serialNumber: "serial number",
  compliance: "compliance",
  ownership: "ownership",
  joinType: "join type",
  autopilot: "Autopilot",
  checkIn: "last check-in",
  osVersion: "OS version",
  model: "model",
  provisionedBy: "provisioning",
};

export interface StreamPlan {
  key: StreamKey;
  /** The $filter value (odata-query output, URL-safe literals). */
  filter: string;
  clauses: ClauseKey[];
}

export interface DeviceQuery {
  search: string | null;
  filters: DeviceFilters;
  /** The moment "last check-in older than N days" counts back from (the server's clock when the page is read). */
  now?: Date;
  /**
   * How a device was provisioned, from the tenant's names (lib/devices/provisioning.ts), given only when that filter is
   * set; handed in so this module (in the grid's first load) does not carry the names' logic.
   */
  provisionedByOf?: (device: Device) => ProvisionedBy;
}

/** The check-in cutoff of a filter: devices whose last check-in is before it are "older than N days". */
export function checkInCutoff(filters: DeviceFilters, now: Date): Date | null {
  return filters.checkIn ? new Date(now.getTime() - CHECK_IN_FILTER_DAYS[filters.checkIn] * 86_400_000) : null;
}

export type SearchValidation = { ok: true; search: string | null } | { ok: false; message: string };

/**
 * Trims, collapses whitespace and drops control characters; empty means no search.
 * Anything over SEARCH_MAX_LENGTH is refused with a sentence (a 5,000-character search is not a crash).
 */
export function normalizeSearch(raw: unknown): SearchValidation {
  if (raw === undefined || raw === null) return { ok: true, search: null };
  if (typeof raw !== "string") return { ok: false, message: "The search must be text." };
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  if (cleaned.length > SEARCH_MAX_LENGTH) {
    return {
      ok: false,
      message: `The search is too long (${cleaned.length} characters); use at most ${SEARCH_MAX_LENGTH} characters of a device name, user or serial number.`,
    };
  }
  return { ok: true, search: cleaned === "" ? null : cleaned };
}

type FilterObject = Record<string, unknown>;

/** "a and b and c" with every literal escaped by odata-query. */
export function odataFilter(parts: FilterObject[]): string {
  if (parts.length === 0) return "";
  return buildQuery({ filter: parts }).replace(/^\?\$filter=/, "");
}

function filterParts(filters: DeviceFilters, now: Date): { parts: FilterObject[]; clauses: ClauseKey[] } {
  const parts: FilterObject[] = [{ operatingSystem: "Windows" }];
  const clauses: ClauseKey[] = ["operatingSystem"];
  if (filters.compliance) {
    parts.push({ complianceState: filters.compliance });
    clauses.push("compliance");
  }
  if (filters.ownership) {
    parts.push({ managedDeviceOwnerType: filters.ownership });
    clauses.push("ownership");
  }
  if (filters.joinType) {
    parts.push({ joinType: filters.joinType });
    clauses.push("joinType");
  }
  if (filters.autopilot) {
    parts.push({ autopilotEnrolled: filters.autopilot === "registered" });
    clauses.push("autopilot");
  }
  const cutoff = checkInCutoff(filters, now);
  if (cutoff) {
    parts.push({ lastSyncDateTime: { lt: cutoff } });
    clauses.push("checkIn");
  }
  if (filters.osVersion) {
    parts.push({ osVersion: { contains: filters.osVersion } });
    clauses.push("osVersion");
  }
  if (filters.model) {
    parts.push({ model: { contains: filters.model } });
    clauses.push("model");
  }
  // No OData: a device's enrollmentProfileName is judged against the tenant's names, so every row is checked here.
  if (filters.provisionedBy) clauses.push("provisionedBy");
  return { parts, clauses };
}

/** The filtered streams a query runs as: one without a search, else one per searchable field. */
export function planStreams(query: DeviceQuery): StreamPlan[] {
  const { parts, clauses } = filterParts(query.filters, query.now ?? new Date());
  if (!query.search) return [{ key: "all", filter: odataFilter(parts), clauses }];
  return SEARCH_FIELDS.map((field) => ({
    key: field,
    filter: odataFilter([{ [field]: { contains: query.search } }, ...parts]),
    clauses: [field, ...clauses],
  }));
}

function contains(value: string | null, search: string): boolean {
  return value !== null && value.toLowerCase().includes(search.toLowerCase());
}

export function matchesClause(device: Device, clause: ClauseKey, query: DeviceQuery): boolean {
  const { search, filters } = query;
  switch (clause) {
    case "operatingSystem":
      return isWindows(device);
    case "deviceName":
    case "userPrincipalName":
    case "serialNumber":
      return search === null || contains(device[clause], search);
    case "compliance":
      return !filters.compliance || device.complianceState === filters.compliance;
    case "ownership":
      return !filters.ownership || device.ownerType === filters.ownership;
    case "joinType":
      return !filters.joinType || device.joinType === filters.joinType;
    case "autopilot":
      return !filters.autopilot || device.autopilotEnrolled === (filters.autopilot === "registered");
    case "checkIn": {
      const cutoff = checkInCutoff(filters, query.now ?? new Date());
      // Like Graph's lt, a device that never checked in (no date) is not "older than".
      return !cutoff || (device.lastSyncDateTime !== null && Date.parse(device.lastSyncDateTime) < cutoff.getTime());
    }
    case "osVersion":
      return !filters.osVersion || contains(device.osVersion, filters.osVersion);
    case "model":
      return !filters.model || contains(device.model, filters.model);
    case "provisionedBy":
      return !filters.provisionedBy || query.provisionedByOf?.(device) === filters.provisionedBy;
  }
}

/** The local check: a Windows device matching the search (name, user or serial) and every filter. */
export function matchesSearch(
  device: Device,
  search: string | null,
  filters: DeviceFilters,
  now: Date = new Date(),
  provisionedByOf?: (device: Device) => ProvisionedBy,
): boolean {
  const query = { search, filters, now, ...(provisionedByOf ? { provisionedByOf } : {}) };
  const filterClauses = filterParts(filters, now).clauses;
  if (!filterClauses.every((clause) => matchesClause(device, clause, query))) return false;
  return search === null || SEARCH_FIELDS.some((field) => matchesClause(device, field, query));
}

/** The clauses of a stream that some returned row breaks: Graph ignored them. */
export function clausesIgnored(rows: readonly Device[], stream: StreamPlan, query: DeviceQuery): ClauseKey[] {
  return stream.clauses.filter((clause) => rows.some((row) => !matchesClause(row, clause, query)));
}

/**
 * Keeps the rows of each stream that match the whole query, dropping a row from a later stream when an earlier
 * stream's search clause also matches it (that stream returns it), so no device appears twice across pages either.
 */
export function mergeStreamRows(
  streams: readonly { plan: StreamPlan; rows: readonly Device[] }[],
  query: DeviceQuery,
): Device[] {
  const merged: Device[] = [];
  const seen = new Set<string>();
  streams.forEach(({ plan, rows }, index) => {
    const earlierFields = streams
      .slice(0, index)
      .map((earlier) => earlier.plan.key)
      .filter((key): key is SearchField => key !== "all");
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      if (!matchesSearch(row, query.search, query.filters, query.now, query.provisionedByOf)) continue;
      if (plan.key !== "all" && !matchesClause(row, plan.key, query)) continue;
      if (earlierFields.some((field) => matchesClause(row, field, query))) continue;
      seen.add(row.id);
      merged.push(row);
    }
  });
  return merged;
}

export function odataOrderBy(sort: DeviceSort): string {
  return `${sort.field} ${sort.direction}`;
}

function sortValue(device: Device, field: DeviceSortField): string | null {
  return device[field] ?? null;
}

const collator = new Intl.Collator("en", { sensitivity: "base" });

/** Collation for the local sort: case-insensitive, empty values last. */
export function compareDevices(a: Device, b: Device, sort: DeviceSort): number {
  const left = sortValue(a, sort.field);
  const right = sortValue(b, sort.field);
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  const order = sort.field === "lastSyncDateTime" ? Date.parse(left) - Date.parse(right) : collator.compare(left, right);
  return sort.direction === "asc" ? order : -order;
}

function ordinalInOrder(left: string, right: string, sort: DeviceSort): boolean {
  if (sort.field === "lastSyncDateTime") {
    const difference = Date.parse(left) - Date.parse(right);
    return sort.direction === "asc" ? difference <= 0 : difference >= 0;
  }
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  return sort.direction === "asc" ? a <= b : a >= b;
}

/**
 * Did Graph sort these rows? Lenient about collation (ordinal or linguistic order both count) and about where
 * empty values go, strict about anything else.
 */
export function isSortedBy(rows: readonly Device[], sort: DeviceSort): boolean {
  for (let index = 1; index < rows.length; index += 1) {
    const left = sortValue(rows[index - 1]!, sort.field);
    const right = sortValue(rows[index]!, sort.field);
    if (left === null || right === null) continue;
    const linguistic = compareDevices(rows[index - 1]!, rows[index]!, sort) <= 0;
    if (!linguistic && !ordinalInOrder(left, right, sort)) return false;
  }
  return true;
}
