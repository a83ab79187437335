/**
 * How many devices a grid view holds, from Graph's @odata.count (docs/graph.md, "Counting devices"), and the line
 * that says it: "Showing 1–100 of 2,438".
 *
 * A search runs as up to three filtered queries (one per field, lib/devices/search.ts), each with its own count. A
 * device matching two fields is counted twice, so the sum is exact only when at most one query matched anything;
 * otherwise it is an upper bound. A count from a query whose filter Graph did not fully apply counts the wider set,
 * so it is no total at all.
 */

export interface StreamCount {
  /** Graph's @odata.count for the query; undefined when Graph gave none. */
  count: number | undefined;
  /** False when the query's rows showed that Graph ignored part of its filter. */
  trusted: boolean;
}

export type ListTotal = { kind: "exact"; count: number } | { kind: "at-most"; count: number };

export function combineStreamCounts(
  streams: readonly StreamCount[],
  page: { loaded: number; complete: boolean },
): ListTotal | null {
  // Everything is already here: the rows are the count, whatever Graph said.
  if (page.complete) return { kind: "exact", count: page.loaded };
  if (streams.length === 0 || streams.some((stream) => stream.count === undefined || !stream.trusted)) return null;
  const counts = streams.map((stream) => stream.count ?? 0);
  const sum = counts.reduce((total, count) => total + count, 0);
  return counts.filter((count) => count > 0).length <= 1 ? { kind: "exact", count: sum } : { kind: "at-most", count: sum };
}

const number = (value: number) => value.toLocaleString("en");

/**
 * The grid's count line. `loaded` rows are on the page; once every page has loaded the count is exact whatever
 * Graph said.
 */
export function describeShowing(loaded: number, total: ListTotal | null, complete: boolean): string {
  if (loaded === 0) return "No devices";
  const range = `Showing 1–${number(loaded)}`;
  if (complete) return `${range} of ${number(loaded)}`;
  if (!total) return `${range}; more to load (Intune can't count this view in advance)`;
  // A total smaller than what is loaded means devices enrolled since the count: the rows win.
  const count = Math.max(total.count, loaded);
  return total.kind === "exact" ? `${range} of ${number(count)}` : `${range} of at most ${number(count)}`;
}
