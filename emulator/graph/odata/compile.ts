/**
 * Compiling a parsed $filter against a resource schema: the OData subset Intune's managedDevices answers.
 *
 * - $filter: comparisons (eq ne lt gt le ge) and contains()/startswith() joined by `and`, on properties the schema marks
 *   filterable. Intune's metadata: "Limited support for $filter: only properties whose descriptions mention $filter,
 *   combined with 'and'". Emulator choices where docs/graph.md is silent:
 *   - a clause on a real property without filter support, an unsupported but valid function (endswith, tolower...), or a
 *     literal-only clause (1 eq 1) is dropped: the rest of the filter still applies;
 *   - a filter using `or` or `not` anywhere is ignored as a whole (every row comes back), the way Graph ignores
 *     filters it does not support; the console must re-check rows anyway (docs/graph.md, "Querying the device list");
 *   - startswith() behaves like contains() (graph-docs-contrib#55, #3813); string comparisons ignore case;
 *   - syntax errors, unknown properties, unknown functions and type mismatches are 400 BadRequest.
 */

import { ODataError, parseFilter, type CmpOp, type Expr, type Literal } from "./parse";

export type PropType = "string" | "datetime" | "bool" | "enum" | "number" | "guid" | "complex";

export interface PropSpec<Row> {
  type: PropType;
  filterable?: boolean;
  sortable?: boolean;
  enumValues?: readonly string[];
  /** Values read for filtering and sorting (datetimes as epoch ms). */
  get?: (row: Row, now: number) => string | number | boolean | null;
}

export interface Schema<Row> {
  typeName: string;
  props: Record<string, PropSpec<Row>>;
}

export type Predicate<Row> = (row: Row, now: number) => boolean;

export interface CompiledFilter<Row> {
  /** undefined when the whole filter is ignored (every row passes). */
  predicate?: Predicate<Row>;
  /** True when at least one clause was dropped or the filter was ignored: the rows may be wider than asked. */
  partial: boolean;
  /** Whether the result depends on the clock (lastSyncDateTime), for cache keys. */
  timeDependent: boolean;
  /**
   * A `prop eq 'text'` clause the rows must satisfy (lower-cased), so a list may look its candidates up in an index
   * instead of testing every row; the predicate still decides.
   */
  equality?: { prop: string; value: string };
  /**
   * A `contains(prop, 'text')` (or startswith, which behaves alike) clause the rows must satisfy (lower-cased), so a
   * list may test a cached column of lower-cased values instead of every row through the predicate; it still decides.
   */
  containment?: { prop: string; value: string };
}

const KNOWN_FUNCTIONS = new Set([
  "contains", "startswith", "endswith", "tolower", "toupper", "trim", "length", "indexof", "substring", "concat",
  "year", "month", "day", "hour", "minute", "second", "date", "time", "now", "round", "floor", "ceiling", "any", "all",
  "cast", "isof", "matchesPattern",
]);

export function unknownProperty(schema: Schema<unknown>, name: string): ODataError {
  return new ODataError(`Could not find a property named '${name}' on type '${schema.typeName}'.`);
}

function validateNames<Row>(e: Expr, schema: Schema<Row>): void {
  switch (e.k) {
    case "and":
    case "or":
      validateNames(e.left, schema);
      validateNames(e.right, schema);
      return;
    case "not":
      validateNames(e.e, schema);
      return;
    case "cmp":
      validateNames(e.left, schema);
      validateNames(e.right, schema);
      return;
    case "call":
      if (!KNOWN_FUNCTIONS.has(e.name)) throw new ODataError(`An unknown function with name '${e.name}' was found.`);
      e.args.forEach((a) => validateNames(a, schema));
      return;
    case "prop": {
      const head = e.name.split("/")[0]!;
      if (!(head in schema.props)) throw unknownProperty(schema as Schema<unknown>, head);
      return;
    }
    case "lit":
      return;
  }
}

function usesOrNot(e: Expr): boolean {
  switch (e.k) {
    case "or":
    case "not":
      return true;
    case "and":
      return usesOrNot(e.left) || usesOrNot(e.right);
    case "cmp":
      return usesOrNot(e.left) || usesOrNot(e.right);
    case "call":
      return e.args.some(usesOrNot);
    default:
      return false;
  }
}

function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.k === "and") {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

const IGNORED = Symbol("ignored");
type ClauseResult<Row> = Predicate<Row> | typeof IGNORED;
interface CompileState {
  partial: boolean;
  time: boolean;
  equality?: { prop: string; value: string };
  containment?: { prop: string; value: string };
}

function flip(op: CmpOp): CmpOp {
  return op === "lt" ? "gt" : op === "gt" ? "lt" : op === "le" ? "ge" : op === "ge" ? "le" : op;
}

function literalFor(spec: PropSpec<unknown>, name: string, lit: Literal): string | number | boolean | null {
  if (lit.type === "null") return null;
  switch (spec.type) {
    case "string":
    case "guid":
      if (lit.type === "string" || lit.type === "guid") return lit.value.toLowerCase();
      break;
    case "enum":
      if (lit.type === "string") {
        if (spec.enumValues && !spec.enumValues.some((v) => v.toLowerCase() === lit.value.toLowerCase())) {
          throw new ODataError(`The string '${lit.value}' is not a valid enumerated type constant for property '${name}'.`);
        }
        return lit.value.toLowerCase();
      }
      break;
    case "datetime":
      if (lit.type === "datetime") return lit.value;
      if (lit.type === "string" && !Number.isNaN(Date.parse(lit.value))) return Date.parse(lit.value);
      break;
    case "bool":
      if (lit.type === "bool") return lit.value;
      break;
    case "number":
      if (lit.type === "number") return lit.value;
      break;
    case "complex":
      break;
  }
  throw new ODataError(`A binary operator with incompatible types was detected. Found operand types for property '${name}' and a ${lit.type} literal.`);
}

function compare(a: string | number | boolean | null, b: string | number | boolean | null, op: CmpOp): boolean {
  if (typeof a === "string") a = a.toLowerCase();
  if (op === "eq") return a === b;
  if (op === "ne") return a !== b;
  if (a === null || b === null) return false;
  if (op === "lt") return a < b;
  if (op === "gt") return a > b;
  if (op === "le") return a <= b;
  return a >= b;
}

function compileCall<Row>(e: Extract<Expr, { k: "call" }>, schema: Schema<Row>, state: CompileState): ClauseResult<Row> {
  if (e.name !== "contains" && e.name !== "startswith" && e.name !== "endswith") return IGNORED;
  if (e.args.length !== 2) throw new ODataError(`The function '${e.name}' takes 2 arguments; ${e.args.length} given.`);
  const [target, needle] = e.args as [Expr, Expr];
  if (target.k !== "prop" || needle.k !== "lit") return IGNORED;
  if (needle.lit.type !== "string") throw new ODataError(`The second argument of '${e.name}' must be a string.`);
  const spec = schema.props[target.name];
  if (!spec) return IGNORED; // a property path (a/b): valid head, unsupported
  if (spec.type !== "string" && spec.type !== "enum" && spec.type !== "guid") {
    throw new ODataError(`The function '${e.name}' requires a string argument; '${target.name}' is not a string.`);
  }
  if (e.name === "endswith" || !spec.filterable || !spec.get) return IGNORED;
  const get = spec.get;
  const value = needle.lit.value.toLowerCase();
  if (target.name === "lastSyncDateTime") state.time = true;
  return (row, now) => {
    const v = get(row, now);
    return typeof v === "string" && v.toLowerCase().includes(value);
  };
}

function compileClause<Row>(e: Expr, schema: Schema<Row>, state: CompileState): ClauseResult<Row> {
  if (e.k === "call") {
    const call = compileCall(e, schema, state);
    // Only a clause that must hold as written (not one compared with false) narrows the rows.
    const [target, needle] = e.args;
    if (call !== IGNORED && e.name !== "endswith" && target?.k === "prop" && needle?.k === "lit" && needle.lit.type === "string") {
      state.containment ??= { prop: target.name, value: needle.lit.value.toLowerCase() };
    }
    return call;
  }
  if (e.k === "prop") {
    const spec = schema.props[e.name];
    if (spec && spec.type !== "bool") throw new ODataError(`The $filter expression must evaluate to a single boolean value; '${e.name}' is not a boolean.`);
    if (!spec?.filterable || !spec.get) return IGNORED;
    const get = spec.get;
    return (row, now) => get(row, now) === true;
  }
  if (e.k === "lit") {
    if (e.lit.type !== "bool") throw new ODataError("The $filter expression must evaluate to a single boolean value.");
    return IGNORED;
  }
  if (e.k !== "cmp") return IGNORED;
  let { left, right, op } = e;
  if (left.k === "call" && right.k === "lit") {
    if (right.lit.type !== "bool") throw new ODataError(`A binary operator with incompatible types was detected: '${left.name}' returns a boolean.`);
    const inner = compileCall(left, schema, state);
    if (inner === IGNORED) return IGNORED;
    const want = right.lit.value === (op === "eq");
    if (op !== "eq" && op !== "ne") return IGNORED;
    return want ? inner : (row, now) => !inner(row, now);
  }
  if (left.k === "lit" && right.k === "prop") {
    [left, right] = [right, left];
    op = flip(op);
  }
  if (left.k !== "prop" || right.k !== "lit") return IGNORED;
  const spec = schema.props[left.name];
  if (!spec) return IGNORED; // property path
  const value = literalFor(spec as PropSpec<unknown>, left.name, right.lit);
  if (!spec.filterable || !spec.get) return IGNORED;
  if (left.name === "lastSyncDateTime") state.time = true;
  if (op === "eq" && typeof value === "string" && (spec.type === "string" || spec.type === "guid")) state.equality ??= { prop: left.name, value };
  const get = spec.get;
  return (row, now) => compare(get(row, now), value, op);
}

/** Parses and compiles a $filter for a schema. Throws ODataError for input a real service answers with 400. */
export function compileFilter<Row>(text: string | null | undefined, schema: Schema<Row>): CompiledFilter<Row> {
  if (text === null || text === undefined || text.trim() === "") return { partial: false, timeDependent: false };
  const ast = parseFilter(text);
  validateNames(ast, schema);
  const state: CompileState = { partial: false, time: false };
  if (usesOrNot(ast)) {
    return { partial: true, timeDependent: false };
  }
  const predicates: Predicate<Row>[] = [];
  for (const clause of conjuncts(ast)) {
    const p = compileClause(clause, schema, state);
    if (p === IGNORED) state.partial = true;
    else predicates.push(p);
  }
  if (predicates.length === 0) return { partial: state.partial, timeDependent: false };
  const predicate: Predicate<Row> =
    predicates.length === 1 ? predicates[0]! : (row, now) => predicates.every((p) => p(row, now));
  return {
    predicate,
    partial: state.partial,
    timeDependent: state.time,
    ...(state.equality ? { equality: state.equality } : {}),
    ...(state.containment ? { containment: state.containment } : {}),
  };
}
