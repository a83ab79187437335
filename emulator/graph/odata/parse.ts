/**
 * The $filter grammar Intune's managedDevices answers: literals, property paths, function calls, comparisons
 * (eq ne lt gt le ge), `and`, `or`, `not` and parentheses. Parsing knows no schema; what a filter means for a type is
 * decided in compile.ts. Syntax errors are ODataError (a 400 BadRequest on the wire).
 */

export class ODataError extends Error {}

export type Literal =
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

export type CmpOp = "eq" | "ne" | "lt" | "gt" | "le" | "ge";
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
  constructor(
    private readonly tokens: Token[],
    private readonly inOperator = false,
  ) {}

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
    return this.chain("or", depth, (d) => this.and(d));
  }

  private and(depth: number): Expr {
    return this.chain("and", depth, (d) => this.unary(d));
  }

  /** Left-associative run of `operand (word operand)*`. */
  private chain(word: "and" | "or", depth: number, operand: (depth: number) => Expr): Expr {
    let left = operand(depth);
    while (this.peekWord(word)) {
      this.i++;
      left = { k: word, left, right: operand(depth) };
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
    if (this.inOperator && t?.t === "word" && t.v === "in") {
      this.i++;
      return this.inList(left);
    }
    if (t?.t === "word" && CMP_OPS.has(t.v)) {
      this.i++;
      const right = this.operand(depth);
      return { k: "cmp", op: t.v as CmpOp, left, right };
    }
    return left;
  }

  /** `prop in ('a','b')` as `prop eq 'a' or prop eq 'b'`: the same rows (OData 4.01 `in`). */
  private inList(left: Expr): Expr {
    if (this.tokens[this.i]?.t !== "(") throw new ODataError("Syntax error: 'in' takes a parenthesised list of literals.");
    this.i++;
    let out: Expr | undefined;
    for (;;) {
      const t = this.tokens[this.i];
      if (t?.t !== "lit") throw new ODataError("Syntax error: 'in' takes a parenthesised list of literals.");
      this.i++;
      const eq: Expr = { k: "cmp", op: "eq", left, right: { k: "lit", lit: t.lit } };
      out = out ? { k: "or", left: out, right: eq } : eq;
      if (this.tokens[this.i]?.t !== ",") break;
      this.i++;
    }
    this.expect(")");
    return out;
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

/** `inOperator`: read `prop in (...)` (the directory takes it wherever it takes eq; Intune's managedDevices is not known to). */
export function parseFilter(text: string, { inOperator = false }: { inOperator?: boolean } = {}): Expr {
  return new Parser(tokenize(text), inOperator).parse();
}
