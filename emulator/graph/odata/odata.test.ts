import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ODataError, compileFilter, parseOrderBy, parseSelect, parseTop, type Schema } from ".";

interface Row {
  deviceName: string;
  operatingSystem: string;
  lastSync: number;
  model: string;
  autopilot: boolean;
}

const schema: Schema<Row> = {
  typeName: "microsoft.graph.managedDevice",
  props: {
    deviceName: { type: "string", filterable: true, sortable: true, get: (r) => r.deviceName },
    operatingSystem: { type: "string", filterable: true, get: (r) => r.operatingSystem },
    lastSyncDateTime: { type: "datetime", filterable: true, sortable: true, get: (r) => r.lastSync },
    notes: { type: "string" },
    autopilotEnrolled: { type: "bool" },
    complianceState: { type: "enum", enumValues: ["compliant", "noncompliant"], filterable: true, get: () => "compliant" },
  },
};

const rows: Row[] = [
  { deviceName: "CONTOSO-LT-00001", operatingSystem: "Windows", lastSync: Date.UTC(2026, 0, 1), model: "x", autopilot: true },
  { deviceName: "O'Brien's PC", operatingSystem: "Windows", lastSync: Date.UTC(2026, 5, 1), model: "x", autopilot: false },
  { deviceName: "Adele's iPhone", operatingSystem: "iOS", lastSync: Date.UTC(2026, 5, 1), model: "x", autopilot: false },
  { deviceName: "' or 1 eq 1", operatingSystem: "Windows", lastSync: Date.UTC(2026, 5, 1), model: "x", autopilot: false },
];

function run(filter: string): string[] {
  const compiled = compileFilter(filter, schema);
  return rows.filter((r) => !compiled.predicate || compiled.predicate(r, 0)).map((r) => r.deviceName);
}

describe("$filter subset", () => {
  it("applies eq, contains, and, and datetime comparisons", () => {
    expect(run("operatingSystem eq 'Windows'")).toHaveLength(3);
    expect(run("operatingSystem eq 'windows'")).toHaveLength(3);
    expect(run("contains(deviceName,'contoso')")).toEqual(["CONTOSO-LT-00001"]);
    expect(run("operatingSystem eq 'Windows' and lastSyncDateTime lt 2026-03-01T00:00:00Z")).toEqual(["CONTOSO-LT-00001"]);
    expect(run("lastSyncDateTime gt 2026-03-01T00:00:00Z and (contains(deviceName, 'iphone'))")).toEqual(["Adele's iPhone"]);
    expect(run("contains(deviceName,'iPhone') eq false")).toHaveLength(3);
  });

  it("startswith behaves like contains, as Intune does", () => {
    expect(run("startswith(deviceName,'LT')")).toEqual(["CONTOSO-LT-00001"]);
  });

  it("unescapes doubled quotes and treats hostile text as data", () => {
    expect(run("contains(deviceName,'O''Brien')")).toEqual(["O'Brien's PC"]);
    expect(run("contains(deviceName,''' or 1 eq 1')")).toEqual(["' or 1 eq 1"]);
    expect(() => compileFilter("contains(deviceName,'' or 1 eq 1')", schema)).toThrow(ODataError);
    expect(run(`contains(deviceName,'${"a".repeat(4980)}')`)).toEqual([]);
  });

  it("silently drops clauses on properties without filter support, and ignores or/not filters", () => {
    const notes = compileFilter("notes eq 'x' and operatingSystem eq 'iOS'", schema);
    expect(notes.partial).toBe(true);
    expect(run("notes eq 'x' and operatingSystem eq 'iOS'")).toEqual(["Adele's iPhone"]);
    expect(run("autopilotEnrolled eq true")).toHaveLength(4);
    expect(run("endswith(deviceName,'PC')")).toHaveLength(4);
    expect(run("1 eq 1")).toHaveLength(4);
    expect(run("operatingSystem eq 'iOS' or operatingSystem eq 'Windows'")).toHaveLength(4);
    expect(compileFilter("not contains(deviceName,'a')", schema).predicate).toBeUndefined();
  });

  it("rejects malformed input with ODataError", () => {
    for (const bad of [
      "contains(deviceName,'x'",
      "contains(deviceName,'x'))",
      "deviceName eq",
      "deviceName eq 'unterminated",
      "eq 'x'",
      "deviceName eq 'x' and",
      "deviceName ~ 'x'",
      "frobnicate(deviceName,'x')",
      "nosuchprop eq 'x'",
      "operatingSystem eq 5",
      "complianceState eq 'sparkly'",
      "deviceName",
      "(".repeat(150) + "deviceName eq 'x'" + ")".repeat(150),
      "lastSyncDateTime lt 2026-13-45T00:00:00Z",
    ]) {
      expect(() => compileFilter(bad, schema), bad).toThrow(ODataError);
    }
  });

  it("handles long and nested but valid filters", () => {
    const long = Array.from({ length: 150 }, () => "contains(deviceName,'o')").join(" and ");
    expect(long.length).toBeGreaterThan(3000);
    expect(run(long)).toEqual(["CONTOSO-LT-00001", "O'Brien's PC", "Adele's iPhone", "' or 1 eq 1"]);
    expect(run("((((operatingSystem eq 'iOS'))))")).toEqual(["Adele's iPhone"]);
  });
});

describe("$orderby, $select, $top", () => {
  it("parses orderby on sortable properties and ignores the rest", () => {
    expect(parseOrderBy("deviceName desc, lastSyncDateTime", schema)).toEqual([
      { prop: "deviceName", desc: true },
      { prop: "lastSyncDateTime", desc: false },
    ]);
    expect(parseOrderBy("notes", schema)).toEqual([]);
    expect(() => parseOrderBy("nope asc", schema)).toThrow(ODataError);
    expect(() => parseOrderBy("deviceName sideways", schema)).toThrow(ODataError);
  });

  it("validates $select names and $top", () => {
    expect(parseSelect("deviceName, notes", schema)).toEqual(["deviceName", "notes"]);
    expect(() => parseSelect("deviceName,bogus", schema)).toThrow(/Could not find a property named 'bogus'/);
    expect(parseTop("5000", 1000)).toBe(1000);
    expect(parseTop(undefined, 1000)).toBeUndefined();
    expect(() => parseTop("-1", 1000)).toThrow(ODataError);
    expect(() => parseTop("ten", 1000)).toThrow(ODataError);
  });
});

describe("robustness", () => {
  it("answers any string either with a filter or an ODataError, never anything else", () => {
    const pieces = fc.constantFrom("deviceName", "operatingSystem", "eq", "and", "or", "not", "(", ")", ",", "'", "''", "contains", "startswith", "lastSyncDateTime", "2026-01-01T00:00:00Z", "1", "true", "null", " ", "x", "\u0000", "%27", "😀");
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(pieces, { maxLength: 40 }).map((a) => a.join(" "))), (text) => {
        try {
          const compiled = compileFilter(text, schema);
          for (const row of rows) compiled.predicate?.(row, 0);
        } catch (err) {
          if (!(err instanceof ODataError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
