/**
 * One list helper for directory collections: $filter/$search (typed collections), $select, $orderby=displayName, $top, $count and paging by
 * @odata.nextLink with an opaque $skiptoken; plus the directory's error answers.
 */
import { json, type Reply } from "../http";
import type { EmulatorState } from "../state";
import { context, type GraphCall } from "../graph/call";
import { graphError } from "../graph/errors";
import { ODataError } from "../graph/odata/parse";
import { decodeSkipToken, encodeSkipToken } from "../graph/paging";
import {
  DirectoryQueryError, advancedQuery, compileDirectoryFilter, compileSearch, eventual, parseDirectoryOrderBy, parseDirectorySelect, parseDirectoryTop, type Test,
} from "./query";
import type { Shape, Value } from "./shapes";

export const denied = (call: GraphCall) => graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", call.ctx);

export const notFound = (call: GraphCall, key: string) =>
  graphError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`, call.ctx);

/** Runs a handler, answering a bad query option with the directory's 400. */
export function guarded(call: GraphCall, run: () => Reply): Reply {
  try {
    return run();
  } catch (err) {
    if (err instanceof DirectoryQueryError) return graphError(400, err.code, err.message, call.ctx);
    if (err instanceof ODataError) return graphError(400, "Request_BadRequest", err.message, call.ctx);
    throw err;
  }
}

export interface DirectoryList<Row> {
  /** For @odata.context: users, devices, groups or directoryObjects. */
  entitySet: string;
  rows: readonly Row[];
  /** The shape $filter and $search read; undefined for directoryObject collections (neither is offered there). */
  shape?: Shape<Row>;
  /** Every shape a row may have, for $select. */
  selectable: readonly Shape<unknown>[];
  searchable?: readonly string[];
  write: (row: Row, select: string[] | undefined, now: number) => Record<string, Value>;
  /** A /$count segment: the bare number. */
  countOnly?: boolean;
  /** An OData cast on a member list: only as an advanced query (ConsistencyLevel: eventual and $count=true). */
  cast?: boolean;
  /** A group's member list: $filter, $search and $orderby only as an advanced query (group-list-transitivemembers.md). */
  memberList?: boolean;
}

function nextLink(call: GraphCall, position: number): string {
  const parts: string[] = [];
  for (const [key, value] of call.query) {
    if (key !== "$skiptoken") parts.push(`${key}=${encodeURIComponent(value).replace(/%24/g, "$")}`);
  }
  parts.push(`$skiptoken=${encodeSkipToken(position)}`);
  return `${call.origin}/${call.version}${call.path}?${parts.join("&")}`;
}

// The /$count segment without the header (microsoft-graph-docs#11882 quotes this answer); $count=true without it is ignored.
const countUnsupported = () => new DirectoryQueryError("Request_BadRequest", "$count is not currently supported.");
// The emulator's wording (UNVERIFIED); the code is the one field reports quote for a cast without the advanced parameters.
const castUnsupported = () =>
  new DirectoryQueryError("Request_UnsupportedQuery", "A type cast on a member list is an advanced query: send the header 'ConsistencyLevel: eventual' and $count=true.");

/** The context's entity set with the $select list, as Graph writes it: `users(displayName,id)`. */
const withSelect = (entitySet: string, select: string[] | undefined) => (select ? `${entitySet}(${select.join(",")})` : entitySet);

/** The rows in $orderby order (stable: ties keep the directory's order); compared without case. */
function sortedRows<Row>(list: DirectoryList<Row>, prop: string, desc: boolean, now: number): readonly Row[] {
  const get = list.shape!.props[prop]!.get;
  const key = (row: Row) => String(get(row, now) ?? "").toLowerCase();
  const sorted = [...list.rows].sort((a, b) => key(a).localeCompare(key(b)));
  return desc ? sorted.reverse() : sorted;
}

export function listDirectory<Row>(state: EmulatorState, call: GraphCall, list: DirectoryList<Row>): Reply {
  return guarded(call, () => {
    const q = call.query;
    const advanced = advancedQuery(call.headers, q);
    if (list.cast && !advanced && !(list.countOnly && eventual(call.headers))) throw castUnsupported();
    const tests: Test<Row>[] = [];
    const filtered = q.get("$filter") !== null || q.get("$search") !== null;
    if (list.memberList && (filtered || q.get("$orderby") !== null) && !advanced) {
      // The emulator's wording (UNVERIFIED); the docs: the header and $count are required with these options.
      throw new DirectoryQueryError("Request_UnsupportedQuery", "$filter, $search and $orderby on a member list need ConsistencyLevel: eventual and $count=true.");
    }
    if (list.shape) {
      const f = compileDirectoryFilter(q.get("$filter"), list.shape, advanced);
      const s = compileSearch(q.get("$search"), list.shape, call.headers, list.searchable ?? []);
      if (f) tests.push(f);
      if (s) tests.push(s);
    } else if (filtered) {
      throw new DirectoryQueryError("Request_UnsupportedQuery", "The emulator does not implement $filter or $search on this list: filter in the client.");
    }
    const now = state.clock.now();
    const matches = (row: Row) => tests.every((t) => t(row, now));
    if (list.countOnly && !eventual(call.headers)) throw countUnsupported();
    const wantCount = list.countOnly || advanced;
    if (list.countOnly) return { status: 200, headers: { "Content-Type": "text/plain" }, body: String(list.rows.filter(matches).length) };

    const select = parseDirectorySelect(q.get("$select"), list.selectable);
    const top = parseDirectoryTop(q.get("$top"));
    const order = parseDirectoryOrderBy(q.get("$orderby"), list.shape as Shape<unknown> | undefined);
    const all = order ? sortedRows(list, order.prop, order.desc, now) : list.rows;
    const position = decodeSkipToken(q.get("$skiptoken"));
    const rows: Row[] = [];
    let i = position;
    for (; i < all.length && rows.length < top; i++) if (matches(all[i]!)) rows.push(all[i]!);
    while (i < all.length && !matches(all[i]!)) i++;

    const body: Record<string, unknown> = { "@odata.context": context(call, withSelect(list.entitySet, select)) };
    if (wantCount) body["@odata.count"] = all.filter(matches).length;
    body.value = rows.map((row) => list.write(row, select, now));
    if (i < all.length) body["@odata.nextLink"] = nextLink(call, i);
    return json(200, body);
  });
}

/** One object: $select applies, nothing else. */
export function entityReply<Row>(call: GraphCall, entitySet: string, shape: Shape<Row>, write: (select: string[] | undefined) => Record<string, Value>): Reply {
  return guarded(call, () => {
    const select = parseDirectorySelect(call.query.get("$select"), [shape as Shape<unknown>]);
    return json(200, { "@odata.context": context(call, `${withSelect(entitySet, select)}/$entity`), ...write(select) });
  });
}
