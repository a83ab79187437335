/**
 * The one list helper: $filter, $orderby, $select, $top, $count and $skiptoken paging for every collection
 * (docs/graph.md, "Querying the device list"). A collection says where its rows come from and how one is written.
 */
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { context, type GraphCall } from "../call";
import { compileFilter, parseOrderBy, parseSelect, parseTop, type OrderBy, type Schema } from "../odata";
import { decodeSkipToken, encodeSkipToken, page, type RowSource } from "../paging";

const MAX_PAGE = 1000;

export interface Collection<Row> {
  /** For @odata.context, e.g. deviceManagement/managedDevices. */
  entitySet: string;
  schema: Schema<Row>;
  source: RowSource<Row>;
  /** Identifies the collection, the filter text and the data version in the query cache. */
  cacheKey: (filterText: string) => string;
  serialize: (row: Row, select: string[] | undefined, now: number) => Record<string, unknown>;
  /** Names valid in $select that are not properties (navigation properties). */
  navigation?: readonly string[];
  /** The device list names its $select in @odata.context; the others do not. */
  selectInContext?: boolean;
  /**
   * Which bad option a 400 names when several are bad: the device list has always checked $orderby before $select
   * and $top, the other lists after them. Kept so error answers stay as they were.
   */
  orderByFirst?: boolean;
  /** Rows per page when $top is absent (default 1000). */
  defaultTop?: number;
}

interface Query<Row> {
  filterText: string;
  filter: ReturnType<typeof compileFilter<Row>>;
  orderBy: OrderBy[];
  select: string[] | undefined;
  top: number;
  position: number;
}

function parseQuery<Row>(call: GraphCall, c: Collection<Row>): Query<Row> {
  const q = call.query;
  const filterText = q.get("$filter");
  const filter = compileFilter(filterText, c.schema);
  const early = c.orderByFirst ? parseOrderBy(q.get("$orderby"), c.schema) : undefined;
  const select = parseSelect(q.get("$select"), c.schema, c.navigation);
  const top = parseTop(q.get("$top"), MAX_PAGE) ?? c.defaultTop ?? MAX_PAGE;
  const orderBy = early ?? parseOrderBy(q.get("$orderby"), c.schema);
  const position = decodeSkipToken(q.get("$skiptoken"));
  return { filterText: filterText ?? "", filter, orderBy, select, top, position };
}

/** The same query with the $skiptoken of the next page. */
function nextLink(call: GraphCall, position: number): string {
  const parts: string[] = [];
  for (const [key, value] of call.query) {
    if (key === "$skiptoken") continue;
    parts.push(`${key}=${encodeURIComponent(value).replace(/%24/g, "$")}`);
  }
  parts.push(`$skiptoken=${encodeSkipToken(position)}`);
  return `${call.origin}/${call.version}${call.path}?${parts.join("&")}`;
}

export function listReply<Row>(state: EmulatorState, call: GraphCall, c: Collection<Row>): Reply {
  const query = parseQuery(call, c);
  const now = state.clock.now();
  const result = page(
    {
      source: c.source, schema: c.schema, filter: query.filter, orderBy: query.orderBy, top: query.top, position: query.position,
      wantCount: call.query.get("$count") === "true", now, cacheKey: c.cacheKey(query.filterText), indexKey: c.cacheKey(""),
    },
    state.cache,
  );
  const selected = c.selectInContext && query.select ? `(${query.select.join(",")})` : "";
  const body: Record<string, unknown> = { "@odata.context": context(call, `${c.entitySet}${selected}`) };
  if (result.count !== undefined) body["@odata.count"] = result.count;
  body.value = result.rows.map((row) => c.serialize(row, query.select, now));
  if (result.nextPosition !== undefined) body["@odata.nextLink"] = nextLink(call, result.nextPosition);
  return json(200, body);
}

/** GET .../$count: only $filter applies; the answer is a bare number. */
export function countReply<Row>(state: EmulatorState, call: GraphCall, c: Collection<Row>): Reply {
  const filterText = call.query.get("$filter");
  const result = page(
    {
      source: c.source, schema: c.schema, filter: compileFilter(filterText, c.schema), orderBy: [], top: 0, position: 0,
      wantCount: true, now: state.clock.now(), cacheKey: c.cacheKey(filterText ?? ""),
    },
    state.cache,
  );
  return { status: 200, headers: { "Content-Type": "text/plain" }, body: String(result.count ?? 0) };
}
