/**
 * A resource is one property table: each row says what the property is worth on the wire and how $filter and $orderby
 * see it, so the serializer (per API version) and the query schema come from the same place.
 */
import type { PropSpec, PropType, Schema } from "../odata";

export type ApiVersion = "v1.0" | "beta";
export type Value = string | number | boolean | null | unknown[] | Record<string, unknown>;
type Getter<Row> = (row: Row, now: number) => Value;

export const EMPTY_DATE = "0001-01-01T00:00:00Z";
export const EMPTY_DATE_MS = Date.parse(EMPTY_DATE);
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface Property<Row> {
  /** The type $filter checks literals against. */
  type: PropType;
  /** The wire value; a datetime gives epoch ms (written ISO 8601, compared as a number). Absent: selectable, never written. */
  value?: Getter<Row>;
  betaOnly?: true;
  filterable?: true;
  sortable?: true;
  enumValues?: readonly string[];
  /** What $filter and $orderby read, when it is not the wire value. */
  key?: (row: Row, now: number) => string | number | boolean | null;
  /** What a single GET whose $select names the property writes, when lists write something else. */
  single?: Getter<Row>;
  /**
   * What v1.0 writes, filters and sorts on when it differs from beta: an enum whose beta-only members v1.0's schema
   * does not have (see `v1Enum`).
   */
  v1?: { value: Getter<Row>; enumValues: readonly string[] };
}

/**
 * The v1.0 view of an enum: members the v1.0 schema lacks come back as its sentinel unknownFutureValue, as Graph does
 * for evolvable enums without `Prefer: include-unknown-enum-members` (graph-docs concepts/best-practices.md,
 * "Handling future members in evolvable enumerations"). Which value Intune sends there is UNVERIFIED.
 */
export function v1Enum<Row>(v1Values: readonly string[], get: Getter<Row>): { value: Getter<Row>; enumValues: readonly string[] } {
  const known = new Set(v1Values);
  return { value: (row, now) => { const v = get(row, now); return typeof v === "string" && !known.has(v) ? "unknownFutureValue" : v; }, enumValues: v1Values };
}

export type PropertyTable<Row> = Record<string, Property<Row>>;

const served = (p: Property<unknown>, version: ApiVersion) => version === "beta" || !p.betaOnly;

/** The $filter/$orderby/$select schema: the properties of one version, or of the type whatever the version. */
export function schemaOf<Row>(typeName: string, table: PropertyTable<Row>, version?: ApiVersion): Schema<Row> {
  const props: Record<string, PropSpec<Row>> = {};
  for (const [name, p] of Object.entries(table)) {
    if (version && !served(p as Property<unknown>, version)) continue;
    const queried = p.filterable || p.sortable;
    const v1 = version === "v1.0" ? p.v1 : undefined;
    const get = v1?.value ?? p.key ?? (p.value as PropSpec<Row>["get"]);
    const enumValues = v1?.enumValues ?? p.enumValues;
    props[name] = { type: p.type, filterable: p.filterable, sortable: p.sortable, enumValues, get: queried ? (get as PropSpec<Row>["get"]) : undefined };
  }
  return { typeName, props };
}

function wire<Row>(p: Property<Row>, get: Getter<Row>): Getter<Row> {
  return p.type === "datetime" ? (row, now) => iso(get(row, now) as number) : get;
}

export interface WriterOptions {
  /** Written first when there is no $select. */
  odataType?: string;
  /** id leads a $select answer even when $select names it later (otherwise it keeps its place, or leads when absent). */
  idFirst?: boolean;
  /** Navigation properties: valid in $select, never written. */
  navigation?: readonly string[];
}

export interface WriteOptions {
  version: ApiVersion;
  select?: string[];
  /** A single GET whose $select names the property. */
  singleWithSelect?: boolean;
  now: number;
}

type Column<Row> = [string, Getter<Row>];

/** Writes rows of one table; the columns per (version, $select, single) are built once and reused for every row. */
export class Writer<Row> {
  private readonly plans = new Map<string, Column<Row>[]>();

  constructor(private readonly table: PropertyTable<Row>, private readonly options: WriterOptions = {}) {}

  write(row: Row, options: WriteOptions): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, get] of this.plan(options)) out[name] = get(row, options.now);
    return out;
  }

  private plan(options: WriteOptions): Column<Row>[] {
    const key = `${options.version}|${options.select?.join(",") ?? "*"}|${options.singleWithSelect ?? false}`;
    let plan = this.plans.get(key);
    if (plan) return plan;
    plan = [];
    if (!options.select && this.options.odataType) plan.push(["@odata.type", () => this.options.odataType!]);
    for (const name of this.names(options)) {
      const p = this.table[name];
      if (!p?.value || !served(p as Property<unknown>, options.version) || this.options.navigation?.includes(name)) continue;
      const v1 = options.version === "v1.0" ? p.v1?.value : undefined;
      plan.push([name, wire(p, v1 ?? ((options.singleWithSelect && p.single) || p.value))]);
    }
    if (this.plans.size > 200) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }

  private names(options: WriteOptions): string[] {
    const select = options.select;
    if (!select) return Object.keys(this.table);
    if (!this.options.idFirst && select.includes("id")) return select;
    return ["id", ...select.filter((n) => n !== "id")];
  }
}
