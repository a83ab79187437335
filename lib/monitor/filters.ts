/** The monitor's filters (kept in the URL): a device name search, action, state, initiator and time. Applied to the rows already read. */
import { RESET_STATUS_WINDOW_DAYS } from "@/lib/devices/reset-status-filter";
import type { MonitorRow } from "./monitor-row";

export const ACTION_FILTER_VALUES = ["reset", "sync"] as const;
export const STATE_FILTER_VALUES = ["awaitingApproval", "pending", "active", "done", "failed", "notSupported"] as const;
export const TIME_FILTER_VALUES = ["1h", "24h", "7d", "30d"] as const;

export type ActionFilter = (typeof ACTION_FILTER_VALUES)[number];
export type StateFilter = (typeof STATE_FILTER_VALUES)[number];
export type TimeFilter = (typeof TIME_FILTER_VALUES)[number];

export const TIME_FILTER_LABELS: Record<TimeFilter, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

const HOUR_MS = 3_600_000;
const TIME_FILTER_MS: Record<TimeFilter, number> = { "1h": HOUR_MS, "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS };

/**
 * The monitor reads this far back, keeps this browser's syncs this long, and shows all of it until the time filter
 * narrows it. It is the grid's reset status window, so the two pages read the same audits; a window with no time
 * filter of its own would not compile.
 */
export const MONITOR_WINDOW = `${RESET_STATUS_WINDOW_DAYS}d` as const satisfies TimeFilter;
export const MONITOR_WINDOW_MS = TIME_FILTER_MS[MONITOR_WINDOW];

/** The longest device-name search the box takes. */
export const MAX_SEARCH_LENGTH = 100;

export interface MonitorFilters {
  /** Part of a device name (case-insensitive), or null for every device. */
  search: string | null;
  action: ActionFilter | null;
  state: StateFilter | null;
  /** A UPN (case-insensitive), or null for anyone. */
  initiator: string | null;
  time: TimeFilter;
}

export function timeFilterStart(time: TimeFilter, now: Date): Date {
  return new Date(now.getTime() - TIME_FILTER_MS[time]);
}

/** The search as it is matched: trimmed, lower-case, at most MAX_SEARCH_LENGTH characters; null when empty. */
export function normalizeSearch(search: string | null | undefined): string | null {
  const text = (search ?? "").trim().slice(0, MAX_SEARCH_LENGTH).toLowerCase();
  return text === "" ? null : text;
}

/**
 * The rows a view shows. A sync sent while the device's reset was under way is shown on the reset's row (nudgeOf), so
 * it is listed, and counted, on its own only when the view asks for syncs.
 */
export function filterRows(rows: readonly MonitorRow[], filters: MonitorFilters, now: Date): MonitorRow[] {
  const from = timeFilterStart(filters.time, now).getTime();
  const initiator = filters.initiator?.toLowerCase() ?? null;
  const search = normalizeSearch(filters.search);
  return rows.filter(
    (row) =>
      (filters.action === "sync" || row.nudgeOf === undefined) &&
      (search === null || row.deviceName.toLowerCase().includes(search)) &&
      (filters.action === null || row.action === filters.action) &&
      (filters.state === null || row.state === filters.state) &&
      (initiator === null || (row.initiatedBy ?? "").toLowerCase() === initiator) &&
      (row.requestedAt === null || Date.parse(row.requestedAt) >= from),
  );
}

/** Everyone who started something in the rows, for the initiator filter, sorted. */
export function initiatorsOf(rows: readonly MonitorRow[]): string[] {
  const seen = new Map<string, string>();
  for (const row of rows) if (row.initiatedBy) seen.set(row.initiatedBy.toLowerCase(), row.initiatedBy);
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

export interface MonitorCounts {
  total: number;
  awaitingApproval: number;
  pending: number;
  active: number;
  done: number;
  failed: number;
  notSupported: number;
}

export function countRows(rows: readonly MonitorRow[]): MonitorCounts {
  const counts: MonitorCounts = { total: rows.length, awaitingApproval: 0, pending: 0, active: 0, done: 0, failed: 0, notSupported: 0 };
  for (const row of rows) if (row.state !== "none") counts[row.state]++;
  return counts;
}

/**
 * The address of a Device actions view (its URL state, components/monitor/monitor-url-state.ts): what the counts, Home's
 * numbers and the watcher's toasts link to. Empty values and the default window are left out.
 */
export function monitorHref(view: Partial<{ q: string | null; action: ActionFilter | null; state: StateFilter | null; by: string | null; time: TimeFilter }>): string {
  const params = new URLSearchParams();
  if (view.q) params.set("q", view.q);
  if (view.action) params.set("action", view.action);
  if (view.state) params.set("state", view.state);
  if (view.by) params.set("by", view.by);
  if (view.time && view.time !== MONITOR_WINDOW) params.set("time", view.time);
  const query = params.toString();
  return query ? `/devices/actions?${query}` : "/devices/actions";
}

/** Every action of the monitor's window as the table lists them (a sync shown on its reset's row is not one more). */
export const ALL_ACTIONS: MonitorFilters = { search: null, action: null, state: null, initiator: null, time: MONITOR_WINDOW };
