/**
 * How often the monitor refreshes. Each refresh is ONE server action call, whose Graph requests are counted by the
 * server; the next refresh waits long enough that the monitor never spends more than its budget of Graph requests a
 * minute, however many rows it shows (a refresh that had to read five pages waits five times as long). While the tab
 * is hidden it does not refresh at all (TanStack Query's refetchIntervalInBackground: false).
 */

/**
 * A small slice of Intune's 2,000 requests per 20 s per app per tenant (docs/graph.md, "Throttling and Retry-After"),
 * shared with everything else.
 */
export const MONITOR_GRAPH_REQUESTS_PER_MINUTE = 8;
export const MONITOR_MIN_INTERVAL_MS = 15_000;
export const MONITOR_MAX_INTERVAL_MS = 5 * 60_000;

export function refreshIntervalMs(graphRequestsLastRefresh: number): number {
  const requests = Math.max(1, Math.ceil(graphRequestsLastRefresh));
  const paced = Math.ceil((requests * 60_000) / MONITOR_GRAPH_REQUESTS_PER_MINUTE);
  return Math.min(MONITOR_MAX_INTERVAL_MS, Math.max(MONITOR_MIN_INTERVAL_MS, paced));
}
