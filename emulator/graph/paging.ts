/**
 * Paging for collections: @odata.nextLink carries an opaque $skiptoken holding the position to resume at, so a page
 * scans only from there (a deep page of 100,000 devices costs what the first one does). Sorted results and counts are
 * cached per (collection, filter, orderby, fleet version[, time bucket for clock-dependent queries]).
 */
import { ODataError, type CompiledFilter, type OrderBy, type Schema } from "./odata";

export interface RowSource<Row> {
  length: number;
  /** The row at a position, or undefined for a hole (deleted device, device without an Autopilot identity). */
  at(position: number): Row | undefined;
}

export interface PageRequest<Row> {
  source: RowSource<Row>;
  schema: Schema<Row>;
  filter: CompiledFilter<Row>;
  orderBy: OrderBy[];
  top: number;
  position: number;
  wantCount: boolean;
  /** Identifies collection + filter + orderby text + data version; undefined disables caching. */
  cacheKey: string;
  now: number;
}

export interface Page<Row> {
  rows: Row[];
  nextPosition?: number;
  count?: number;
}

const TIME_BUCKET_MS = 10_000;
const CACHE_ENTRIES = 48;

export class QueryCache {
  private readonly entries = new Map<string, unknown>();
  hits = 0;
  misses = 0;

  get<T>(key: string, compute: () => T): T {
    if (this.entries.has(key)) {
      const value = this.entries.get(key) as T;
      this.entries.delete(key);
      this.entries.set(key, value);
      this.hits++;
      return value;
    }
    this.misses++;
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

export function encodeSkipToken(position: number): string {
  return Buffer.from(`RowPos=${position}`).toString("base64url");
}

export function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  const m = /^RowPos=(\d{1,9})$/.exec(text);
  if (!m) throw new ODataError("The $skiptoken is invalid or has expired.");
  return Number(m[1]);
}

function comparator<Row>(orderBy: OrderBy[], schema: Schema<Row>, now: number): (a: Row, b: Row) => number {
  const keys = orderBy.map((o) => ({ get: schema.props[o.prop]!.get!, sign: o.desc ? -1 : 1 }));
  return (a, b) => {
    for (const { get, sign } of keys) {
      let x = get(a, now);
      let y = get(b, now);
      if (typeof x === "string") x = x.toLowerCase();
      if (typeof y === "string") y = y.toLowerCase();
      if (x === y) continue;
      if (x === null) return -sign;
      if (y === null) return sign;
      return x < y ? -sign : sign;
    }
    return 0;
  };
}

export function page<Row>(req: PageRequest<Row>, cache: QueryCache): Page<Row> {
  const { source, filter, top, now } = req;
  const pred = filter.predicate;
  const timeDependent = filter.timeDependent || req.orderBy.some((o) => o.prop === "lastSyncDateTime");
  const key = `${req.cacheKey}|${timeDependent ? Math.floor(now / TIME_BUCKET_MS) : 0}`;
  const matches = (row: Row | undefined): row is Row => row !== undefined && (!pred || pred(row, now));

  const result: Page<Row> = { rows: [] };
  if (req.wantCount) {
    result.count = cache.get(`count|${key}`, () => {
      let n = 0;
      for (let i = 0; i < source.length; i++) if (matches(source.at(i))) n++;
      return n;
    });
  }

  if (req.orderBy.length > 0) {
    const sorted = cache.get(`sorted|${req.orderBy.map((o) => `${o.prop}:${o.desc}`).join(",")}|${key}`, () => {
      const rows: Row[] = [];
      for (let i = 0; i < source.length; i++) {
        const row = source.at(i);
        if (matches(row)) rows.push(row);
      }
      return rows.sort(comparator(req.orderBy, req.schema, now));
    });
    result.rows = sorted.slice(req.position, req.position + top);
    if (req.position + top < sorted.length) result.nextPosition = req.position + top;
    return result;
  }

  let i = req.position;
  for (; i < source.length && result.rows.length < top; i++) {
    const row = source.at(i);
    if (matches(row)) result.rows.push(row);
  }
  // Resume at the next matching row, so the last page never comes with a nextLink to an empty page.
  for (; i < source.length; i++) {
    if (matches(source.at(i))) {
      result.nextPosition = i;
      break;
    }
  }
  return result;
}
