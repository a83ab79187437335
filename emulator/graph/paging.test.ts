import { describe, expect, it } from "vitest";
import { compileFilter, type Schema } from "./odata";
import { page, QueryCache, type PageRequest } from "./paging";

interface Row {
  name: string;
  serial: string;
  on: boolean;
}

const schema: Schema<Row> = {
  typeName: "row",
  props: {
    name: { type: "string", filterable: true, sortable: true, get: (r) => r.name },
    serial: { type: "string", filterable: true, get: (r) => r.serial },
    on: { type: "bool", filterable: true, get: (r) => r.on },
  },
};

// 20,000 rows, every tenth without a row (a deleted device), names repeating every 7,000.
const rows: (Row | undefined)[] = Array.from({ length: 20_000 }, (_, i) => (i % 10 === 9 ? undefined : { name: `PC-${i % 7_000}`, serial: `S${i}`, on: i % 3 === 0 }));
const source = { length: rows.length, at: (i: number) => rows[i] };

function request(filter: string, extra: Partial<PageRequest<Row>> = {}): PageRequest<Row> {
  return { source, schema, filter: compileFilter(filter, schema), orderBy: [], top: 2, position: 0, wantCount: true, now: 0, cacheKey: `rows|${filter}`, ...extra };
}

describe("page() with an eq index", () => {
  it("answers exactly what a scan answers: rows, count, paging, case and the other clauses", () => {
    for (const filter of ["name eq 'pc-12'", "name eq 'PC-12' and on eq true", "serial eq 's19999'", "serial eq 'S19'", "name eq 'nobody'", "'PC-5' eq name"]) {
      for (const position of [0, 1, 7_000, 14_000]) {
        const scan = page(request(filter, { position }), new QueryCache());
        const indexed = page(request(filter, { position, indexKey: "rows|v1" }), new QueryCache());
        expect(indexed, `${filter} from ${position}`).toEqual(scan);
      }
    }
    expect(page(request("name eq 'PC-12'"), new QueryCache())).toMatchObject({ count: 3, rows: [{ serial: "S12" }, { serial: "S7012" }], nextPosition: 14_012 });
  });

  it("builds the index once per data version, not per lookup", () => {
    const cache = new QueryCache();
    for (let i = 0; i < 50; i++) page(request(`serial eq 'S${i}'`, { wantCount: false, indexKey: "rows|v1" }), cache);
    // One miss builds the index; the other 49 lookups find it.
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(49);
  });
});

describe("page() with a contains column", () => {
  it("answers exactly what a scan answers: any place in the value, any case, several rows, holes and odd values", () => {
    const odd: (Row | undefined)[] = [
      ...rows.slice(0, 200),
      { name: "two\nlines S1", serial: "X\nS19", on: true },
      { name: "", serial: "", on: false },
      undefined,
      { name: "S1S1S1", serial: "s1s1", on: true },
    ];
    const oddSource = { length: odd.length, at: (i: number) => odd[i] };
    const filters = ["contains(serial,'S19')", "contains(serial,'s1')", "contains(name,'pc-1')", "contains(serial,'9')", "contains(serial,'nothing')", "contains(name,'S1')", "contains(serial,'S19') and on eq true"];
    for (const filter of filters) {
      for (const position of [0, 1, 150, 201]) {
        const base = { source: oddSource, top: 3, position };
        const scan = page(request(filter, base), new QueryCache());
        const indexed = page(request(filter, { ...base, indexKey: "odd|v1" }), new QueryCache());
        expect(indexed, `${filter} from ${position}`).toEqual(scan);
      }
    }
    // S1990–S1998 and S19900–S19999 less their holes (S199 is one).
    expect(page(request("contains(serial,'s199')", { indexKey: "rows|v1", top: 20 }), new QueryCache())).toMatchObject({ count: 99 });
  });
});
