/**
 * $orderby (on the schema's sortable properties; others are ignored), $select (validated against the type) and $top.
 */
import { ODataError } from "./parse";
import { unknownProperty, type Schema } from "./compile";

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
