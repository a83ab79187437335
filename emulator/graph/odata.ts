/**
 * The OData subset Intune's managedDevices answers, as the emulator implements it.
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
 * - $orderby on the schema's sortable properties (others are ignored); $select validated against the type.
 */

export class ODataError extends Error {}

type Literal =
  | { type: "string"; value: string }
  | { type: "number"; value: number }
  | { type: "datetime"; value: number }
  | { type: "guid"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "null" };

export type Expr =
  | { k: "and" | "or"; left: Expr; right: Expr }
  | { k: "not"; e: Expr }
  | { k: "cmp"; op: CmpOp; left: Expr; right: Expr }
  | { k: "call"; name: string; args: Expr[] }
  | { k: "prop"; name: string }
  | { k: "lit"; lit: Literal };

type CmpOp = "eq" | "ne" | "lt" | "gt" | "le" | "ge";
const CMP_OPS = new Set(["eq", "ne", "lt", "gt", "le", "ge"]);

type Token =
  | { t: "(" | ")" | ","; pos: number }
  | { t: "word"; v: string; pos: number }
  | { t: "lit"; lit: Literal; pos: number };

const MAX_DEPTH = 100;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?/;
const GUID_LIT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ t: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ODataError(`Unterminated string literal at position ${i}.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ t: "lit", lit: { type: "string", value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i, i + 64);
    const guidMatch = GUID_LIT.exec(rest);
    if (guidMatch) {
      tokens.push({ t: "lit", lit: { type: "guid", value: guidMatch[0].toLowerCase() }, pos: i });
      i += guidMatch[0].length;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt && dt[1]) {
      const ms = Date.parse(dt[0]);
      if (Number.isNaN(ms)) throw new ODataError(`Invalid datetime literal '${dt[0]}' at position ${i}.`);
      tokens.push({ t: "lit", lit: { type: "datetime", value: ms }, pos: i });
      i += dt[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ t: "lit", lit: { type: "number", value: Number(num[0]) }, pos: i });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(text.slice(i, i + 512));
    if (word) {
      const v = word[0];
      if (v === "true" || v === "false") tokens.push({ t: "lit", lit: { type: "bool", value: v === "true" }, pos: i });
      else if (v === "null") tokens.push({ t: "lit", lit: { type: "null" }, pos: i });
      else tokens.push({ t: "word", v, pos: i });
      i += v.length;
      continue;
    }
    throw new ODataError(`Syntax error: character '${c}' is not valid at position ${i}.`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.tokens.length === 0) throw new ODataError("The filter expression is empty.");
    const e = this.or(0);
    const extra = this.tokens[this.i];
    if (extra) throw new ODataError(`Syntax error at position ${extra.pos}: unexpected ${describe(extra)}.`);
    return e;
  }

  private peekWord(v: string): boolean {
    const t = this.tokens[this.i];
    return t?.t === "word" && t.v === v;
  }

  private or(depth: number): Expr {
    let left = this.and(depth);
    while (this.peekWord("or")) {
      this.i++;
      left = { k: "or", left, right: this.and(depth) };
    }
    return left;
  }

  private and(depth: number): Expr {
    let left = this.unary(depth);
    while (this.peekWord("and")) {
      this.i++;
      left = { k: "and", left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new ODataError("The filter expression is nested too deeply.");
    if (this.peekWord("not")) {
      this.i++;
      return { k: "not", e: this.unary(depth + 1) };
    }
    const left = this.operand(depth);
    const t = this.tokens[this.i];
    if (t?.t === "word" && CMP_OPS.has(t.v)) {
      this.i++;
      const right = this.operand(depth);
      return { k: "cmp", op: t.v as CmpOp, left, right };
    }
    return left;
  }

  private operand(depth: number): Expr {
    const t = this.tokens[this.i];
    if (!t) throw new ODataError("Syntax error: the filter expression ends too early.");
    if (t.t === "(") {
      this.i++;
      const e = this.or(depth + 1);
      this.expect(")");
      return e;
    }
    if (t.t === "lit") {
      this.i++;
      return { k: "lit", lit: t.lit };
    }
    if (t.t === "word") {
      if (["and", "or", "not", ...CMP_OPS].includes(t.v)) {
        throw new ODataError(`Syntax error at position ${t.pos}: unexpected '${t.v}'.`);
      }
      this.i++;
      if (this.tokens[this.i]?.t === "(") {
        this.i++;
        const args: Expr[] = [];
        if (this.tokens[this.i]?.t !== ")") {
          for (;;) {
            args.push(this.or(depth + 1));
            if (this.tokens[this.i]?.t === ",") {
              this.i++;
              continue;
            }
            break;
          }
        }
        this.expect(")");
        return { k: "call", name: t.v, args };
      }
      return { k: "prop", name: t.v };
    }
    throw new ODataError(`Syntax error at position ${t.pos}: unexpected ${describe(t)}.`);
  }

  private expect(kind: ")"): void {
    const t = this.tokens[this.i];
    if (t?.t !== kind) {
      throw new ODataError(t ? `Syntax error at position ${t.pos}: expected '${kind}'.` : `Syntax error: missing '${kind}'.`);
    }
    this.i++;
  }
}

function describe(t: Token): string {
  if (t.t === "word") return `'${t.v}'`;
  if (t.t === "lit") return "literal";
  return `'${t.t}'`;
}

export function parseFilter(text: string): Expr {
  return new Parser(tokenize(text)).parse();
}

// ---- compiling against a schema ----

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
}

const KNOWN_FUNCTIONS = new Set([
  "contains", "startswith", "endswith", "tolower", "toupper", "trim", "length", "indexof", "substring", "concat",
  "year", "month", "day", "hour", "minute", "second", "date", "time", "now", "round", "floor", "ceiling", "any", "all",
  "cast", "isof", "matchesPattern",
]);

function unknownProperty(schema: Schema<unknown>, name: string): ODataError {
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

function compileCall<Row>(e: Extract<Expr, { k: "call" }>, schema: Schema<Row>, state: { partial: boolean; time: boolean }): ClauseResult<Row> {
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

function compileClause<Row>(e: Expr, schema: Schema<Row>, state: { partial: boolean; time: boolean }): ClauseResult<Row> {
  if (e.k === "call") return compileCall(e, schema, state);
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
  const get = spec.get;
  return (row, now) => compare(get(row, now), value, op);
}

/** Parses and compiles a $filter for a schema. Throws ODataError for input a real service answers with 400. */
export function compileFilter<Row>(text: string | null | undefined, schema: Schema<Row>): CompiledFilter<Row> {
  if (text === null || text === undefined || text.trim() === "") return { partial: false, timeDependent: false };
  const ast = parseFilter(text);
  validateNames(ast, schema);
  const state = { partial: false, time: false };
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
  return { predicate, partial: state.partial, timeDependent: state.time };
}

export interface OrderBy {
  prop: string;
  desc: boolean;
}

export function parseOrderBy<Row>(text: string | null | undefined, schema: Schema<Row>): OrderBy[] {
  if (!text || text.trim() === "") return [];
  const out: OrderBy[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m) throw new ODataError(`Syntax error in $orderby: '${part.trim()}'.`);
    const spec = schema.props[m[1]!];
    if (!spec) throw unknownProperty(schema as Schema<unknown>, m[1]!);
    if (spec.sortable && spec.get) out.push({ prop: m[1]!, desc: m[2] === "desc" });
  }
  return out;
}

export function parseSelect<Row>(text: string | null | undefined, schema: Schema<Row>, navigation: readonly string[] = []): string[] | undefined {
  if (text === null || text === undefined || text.trim() === "") return undefined;
  const out: string[] = [];
  for (const raw of text.split(",")) {
    const name = raw.trim();
    if (name === "*") return undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ODataError(`Syntax error in $select at '${name}'.`);
    if (!(name in schema.props) && !navigation.includes(name)) throw unknownProperty(schema as Schema<unknown>, name);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** $top: a positive integer; values above the service maximum are capped (Intune pages at most 1000 rows). */
export function parseTop(text: string | null | undefined, max: number): number | undefined {
  if (text === null || text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new ODataError(`Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`);
  const n = Number(text.trim());
  if (n === 0) return 0;
  return Math.min(n, max);
}
