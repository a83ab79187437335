/**
 * Directory query options, as Entra answers them (graph-docs concepts/aad-advanced-queries.md, user-list.md,
 * group-list.md): $filter with eq, in and startswith() joined by `and`/`or` (ne, not and endsWith() only as advanced
 * queries, with ConsistencyLevel: eventual and $count=true); $orderby=displayName; $search="prop:term" (word-prefix
 * match, clauses joined by AND/OR) only with that header; $select; $top 1..999 (default 100); $count with the header.
 * Matching ignores case.
 */
import type { ErrorContext } from "../graph/errors";
import { ODataError, parseFilter, type Expr } from "../graph/odata/parse";
import type { Shape } from "./shapes";

export class DirectoryQueryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export type Test<Row> = (row: Row, now: number) => boolean;
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 999;

export const eventual = (headers: Record<string, string>) => (headers["consistencylevel"] ?? "").toLowerCase() === "eventual";

const unsupported = (prop: string, resource: string) =>
  new DirectoryQueryError("Request_UnsupportedQuery", `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`);

function literalString(e: Expr): string | boolean | undefined {
  if (e.k !== "lit") return undefined;
  if (e.lit.type === "string" || e.lit.type === "guid") return e.lit.value;
  if (e.lit.type === "bool") return e.lit.value;
  return undefined;
}

function compile<Row>(e: Expr, shape: Shape<Row>, advanced: boolean): Test<Row> {
  if (e.k === "and" || e.k === "or") {
    const l = compile(e.left, shape, advanced);
    const r = compile(e.right, shape, advanced);
    return e.k === "and" ? (row, now) => l(row, now) && r(row, now) : (row, now) => l(row, now) || r(row, now);
  }
  if (e.k === "not") {
    if (!advanced) throw new DirectoryQueryError("Request_UnsupportedQuery", "Unsupported query: 'not' needs ConsistencyLevel: eventual and $count=true.");
    const inner = compile(e.e, shape, advanced);
    return (row, now) => !inner(row, now);
  }
  const propOf = (x: Expr | undefined) => {
    if (x?.k !== "prop") return undefined;
    if (!(x.name in shape.props)) throw new DirectoryQueryError("Request_BadRequest", `Could not find a property named '${x.name}' on type 'microsoft.graph.${shape.typeName}'.`);
    const p = shape.props[x.name]!;
    if (!p.filter) throw unsupported(x.name, shape.resource);
    return { name: x.name, p };
  };
  if (e.k === "call" && e.name.toLowerCase() === "startswith") {
    const target = propOf(e.args[0]);
    const value = e.args[1] ? literalString(e.args[1]) : undefined;
    if (!target || typeof value !== "string" || target.p.filter !== "string" || e.args.length !== 2) throw unsupported(target?.name ?? "startswith", shape.resource);
    const prefix = value.toLowerCase();
    return (row, now) => String(target.p.get(row, now) ?? "").toLowerCase().startsWith(prefix);
  }
  if (e.k === "call" && e.name.toLowerCase() === "endswith") {
    // aad-advanced-queries.md: endsWith (mail, userPrincipalName, ...) only as an advanced query.
    const target = propOf(e.args[0]);
    const value = e.args[1] ? literalString(e.args[1]) : undefined;
    if (!advanced || !target || typeof value !== "string" || target.p.filter !== "string" || e.args.length !== 2) throw unsupported(target?.name ?? "endswith", shape.resource);
    const suffix = value.toLowerCase();
    return (row, now) => String(target.p.get(row, now) ?? "").toLowerCase().endsWith(suffix);
  }
  if (e.k === "cmp" && (e.op === "eq" || (e.op === "ne" && advanced))) {
    const target = propOf(e.left);
    const value = literalString(e.right);
    if (!target || value === undefined) throw unsupported(target?.name ?? e.op, shape.resource);
    const want = typeof value === "string" ? value.toLowerCase() : value;
    const eq = (row: Row, now: number) => {
      const v = target.p.get(row, now);
      return (typeof v === "string" ? v.toLowerCase() : v) === want;
    };
    return e.op === "eq" ? eq : (row, now) => !eq(row, now);
  }
  const name = e.k === "cmp" ? (e.left.k === "prop" ? e.left.name : e.op) : e.k === "call" ? e.name : e.k;
  throw unsupported(name, shape.resource);
}

/**
 * An advanced query: ConsistencyLevel: eventual and $count=true together (graph-docs concepts/aad-advanced-queries.md;
 * docs/graph.md, "Users, groups and Entra devices"). ne, not and casts on member lists need both.
 */
export const advancedQuery = (headers: Record<string, string>, query: URLSearchParams) => eventual(headers) && query.get("$count") === "true";

export function compileDirectoryFilter<Row>(text: string | null, shape: Shape<Row>, advanced: boolean): Test<Row> | undefined {
  if (text === null || text.trim() === "") return undefined;
  let expr: Expr;
  try {
    expr = parseFilter(text, { inOperator: true });
  } catch (err) {
    throw new DirectoryQueryError("BadRequest", `Invalid filter clause: ${err instanceof ODataError ? err.message : "syntax error"}`);
  }
  return compile(expr, shape, advanced);
}

/** Words of a value, for $search: split on anything not a letter or digit. */
const words = (v: string) => v.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** $search="displayName:adele" OR "mail:adele": each term's words must start words of the property, in order. */
export function compileSearch<Row>(text: string | null, shape: Shape<Row>, headers: Record<string, string>, searchable: readonly string[]): Test<Row> | undefined {
  if (text === null) return undefined;
  if (!eventual(headers)) {
    throw new DirectoryQueryError("Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  const clauses: { join: "AND" | "OR"; test: Test<Row> }[] = [];
  const re = /\s*(?:(AND|OR)\s+)?"([^"]*)"/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    end = re.lastIndex;
    const [prop, ...rest] = m[2]!.split(":");
    const term = rest.join(":");
    if (!prop || rest.length === 0 || !searchable.includes(prop)) {
      throw new DirectoryQueryError("Request_UnsupportedQuery", `Unsupported or invalid search clause '${m[2]}': use "property:term" with one of ${searchable.join(", ")}.`);
    }
    const want = words(term);
    const get = shape.props[prop]!.get;
    const test: Test<Row> = (row, now) => {
      const have = words(String(get(row, now) ?? ""));
      return want.every((w, i) => have.some((h, j) => j >= i && h.startsWith(w)));
    };
    clauses.push({ join: m[1] === "AND" ? "AND" : "OR", test });
  }
  if (clauses.length === 0 || text.slice(end).trim() !== "") throw new DirectoryQueryError("Request_UnsupportedQuery", "Syntax error in $search: quote each clause, e.g. $search=\"displayName:adele\".");
  return (row, now) => clauses.reduce((acc, c, i) => (i === 0 ? c.test(row, now) : c.join === "AND" ? acc && c.test(row, now) : acc || c.test(row, now)), false);
}

export function parseDirectoryTop(text: string | null): number {
  if (text === null) return DEFAULT_PAGE;
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE)) throw new DirectoryQueryError("Request_UnsupportedQuery", `Invalid page size specified: '${text}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  return n;
}

/**
 * $orderby: displayName (asc or desc) on a typed collection that has it (docs/graph.md, "Users, groups and Entra
 * devices": it works on users and groups); anything else is refused as Graph refuses a sort it does not support.
 */
export function parseDirectoryOrderBy(text: string | null, shape: Shape<unknown> | undefined): { prop: string; desc: boolean } | undefined {
  if (text === null || text.trim() === "") return undefined;
  const m = /^\s*displayName(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!m || !shape || !("displayName" in shape.props)) throw new DirectoryQueryError("Request_UnsupportedQuery", "Sorting not supported for current query.");
  return { prop: "displayName", desc: (m[1] ?? "").toLowerCase() === "desc" };
}

/** $select names, each a property of one of `shapes`. */
export function parseDirectorySelect(text: string | null, shapes: readonly Shape<unknown>[]): string[] | undefined {
  if (text === null || text.trim() === "") return undefined;
  const out: string[] = [];
  for (const raw of text.split(",")) {
    const name = raw.trim();
    if (!shapes.some((s) => name in s.props || s.schema.includes(name))) {
      throw new DirectoryQueryError("Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${shapes.length === 1 ? shapes[0]!.typeName : "directoryObject"}'.`);
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

export type { ErrorContext };
