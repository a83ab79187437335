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
  /**
   * Identifies collection + data version alone: with it, a filter with an `eq` on a text property looks its candidate
   * rows up in an index (one scan per data version) instead of testing every row, as Graph's own store does. The
   * predicate still decides, so the answer is the same; only a tenant of 100,000 devices stops costing a scan per lookup.
   */
  indexKey?: string;
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
  const candidates = equalityCandidates(req, cache, timeDependent) ?? containmentCandidates(req, cache, timeDependent);
  /** The positions that may match, from `from` on, in order. */
  const positions = function* (from: number): Generator<number> {
    if (!candidates) {
      for (let i = from; i < source.length; i++) yield i;
      return;
    }
    for (const i of candidates) if (i >= from) yield i;
  };

  const result: Page<Row> = { rows: [] };
  if (req.wantCount) {
    result.count = cache.get(`count|${key}`, () => {
      let n = 0;
      for (const i of positions(0)) if (matches(source.at(i))) n++;
      return n;
    });
  }

  if (req.orderBy.length > 0) {
    const sorted = cache.get(`sorted|${req.orderBy.map((o) => `${o.prop}:${o.desc}`).join(",")}|${key}`, () => {
      const rows: Row[] = [];
      for (const i of positions(0)) {
        const row = source.at(i);
        if (matches(row)) rows.push(row);
      }
      return rows.sort(comparator(req.orderBy, req.schema, now));
    });
    result.rows = sorted.slice(req.position, req.position + top);
    if (req.position + top < sorted.length) result.nextPosition = req.position + top;
    return result;
  }

  for (const i of positions(req.position)) {
    const row = source.at(i);
    if (!matches(row)) continue;
    // Resume at the next matching row, so the last page never comes with a nextLink to an empty page.
    if (result.rows.length === top) {
      result.nextPosition = i;
      break;
    }
    result.rows.push(row);
  }
  return result;
}

/** The positions whose text property equals the filter's `eq` value (any case), or undefined to test every row. */
function equalityCandidates<Row>(req: PageRequest<Row>, cache: QueryCache, timeDependent: boolean): number[] | undefined {
  const eq = req.filter.equality;
  const get = eq && req.schema.props[eq.prop]?.get;
  if (!eq || !get || !req.indexKey || timeDependent) return undefined;
  const index = cache.get(`index|${eq.prop}|${req.indexKey}`, () => {
    const byValue = new Map<string, number[]>();
    for (let i = 0; i < req.source.length; i++) {
      const row = req.source.at(i);
      const value = row === undefined ? undefined : get(row, req.now);
      if (typeof value !== "string") continue;
      const text = value.toLowerCase();
      const list = byValue.get(text);
      if (list) list.push(i);
      else byValue.set(text, [i]);
    }
    return byValue;
  });
  return index.get(eq.value) ?? [];
}

/**
 * The positions whose text property contains the filter's `contains` value (any case), or undefined to test every
 * row: a column of lower-cased values kept per data version, so a lookup by serial number among 100,000 rows is one
 * string scan instead of a getter and the predicate per row. The predicate still decides.
 */
function containmentCandidates<Row>(req: PageRequest<Row>, cache: QueryCache, timeDependent: boolean): number[] | undefined {
  const has = req.filter.containment;
  const get = has && req.schema.props[has.prop]?.get;
  if (!has || !get || !req.indexKey || timeDependent) return undefined;
  // The column as one text, each value on its own line (a value with a line break in it cannot match here, so it is
  // always a candidate), searched by the engine's native substring search instead of a call per row.
  const column = cache.get(`column|${has.prop}|${req.indexKey}`, () => {
    const starts: number[] = [];
    const always: number[] = [];
    let text = "";
    for (let i = 0; i < req.source.length; i++) {
      const row = req.source.at(i);
      const value = row === undefined ? undefined : get(row, req.now);
      starts.push(text.length);
      if (typeof value !== "string") {
        text += "\n";
        continue;
      }
      const lower = value.toLowerCase();
      if (lower.includes("\n")) always.push(i);
      text += `${lower.includes("\n") ? "" : lower}\n`;
    }
    return { text, starts, always };
  });
  if (has.value === "" || has.value.includes("\n")) return undefined;
  const out: number[] = [];
  for (let at = column.text.indexOf(has.value); at >= 0; ) {
    const row = rowAt(column.starts, at);
    out.push(row);
    // On to the next row's line: one match is enough for a row.
    at = row + 1 < column.starts.length ? column.text.indexOf(has.value, column.starts[row + 1]) : -1;
  }
  return column.always.length === 0 ? out : [...new Set([...out, ...column.always])].sort((a, b) => a - b);
}

/** The row whose line holds the text offset `at` (the last start at or before it). */
function rowAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
