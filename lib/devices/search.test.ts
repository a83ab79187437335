import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { makeDevice } from "./device-fixture";
import {
  clausesIgnored,
  isSortedBy,
  matchesSearch,
  mergeStreamRows,
  normalizeSearch,
  odataFilter,
  planStreams,
  SEARCH_MAX_LENGTH,
} from "./search";
import { provisioningOf } from "./provisioning";
import type { Device } from "./types";

/** What a server would see: the $filter value after URL decoding. */
const decoded = (filter: string) => decodeURIComponent(filter);

describe("normalizeSearch", () => {
  it("trims and collapses whitespace; empty means no search", () => {
    expect(normalizeSearch("  ada   lovelace ")).toEqual({ ok: true, search: "ada lovelace" });
    expect(normalizeSearch("   ")).toEqual({ ok: true, search: null });
    expect(normalizeSearch(undefined)).toEqual({ ok: true, search: null });
  });

  it("refuses a 5,000-character search with a sentence instead of failing", () => {
    const result = normalizeSearch("x".repeat(5_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`at most ${SEARCH_MAX_LENGTH} characters`);
  });

  it("accepts exactly the limit", () => {
    expect(normalizeSearch("y".repeat(SEARCH_MAX_LENGTH)).ok).toBe(true);
  });

  it("replaces control characters and refuses non-text", () => {
    expect(normalizeSearch("a\u0000b\nc")).toEqual({ ok: true, search: "a b c" });
    expect(normalizeSearch(42).ok).toBe(false);
  });
});

describe("planStreams", () => {
  it("runs one Windows-only stream without a search", () => {
    const plans = planStreams({ search: null, filters: {} });
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ key: "all", filter: "operatingSystem eq 'Windows'", clauses: ["operatingSystem"] });
  });

  it("runs one stream per searchable field, each and-ed with the filters, never or", () => {
    const plans = planStreams({ search: "ada", filters: { compliance: "noncompliant", autopilot: "registered" } });
    expect(plans.map((plan) => plan.key)).toEqual(["deviceName", "userPrincipalName", "serialNumber"]);
    expect(decoded(plans[0]!.filter)).toBe(
      "contains(deviceName,'ada') and operatingSystem eq 'Windows' and complianceState eq 'noncompliant' and autopilotEnrolled eq true",
    );
    for (const plan of plans) expect(plan.filter).not.toMatch(/\bor\b/);
  });

  it("maps every filter to its Graph property", () => {
    const [plan] = planStreams({ search: null, filters: { ownership: "personal", joinType: "hybridAzureADJoined", autopilot: "notRegistered" } });
    expect(decoded(plan!.filter)).toBe(
      "operatingSystem eq 'Windows' and managedDeviceOwnerType eq 'personal' and joinType eq 'hybridAzureADJoined' and autopilotEnrolled eq false",
    );
  });

  it("asks Graph for last check-in, OS version and model on the server", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const [plan] = planStreams({ search: null, filters: { checkIn: "7d", osVersion: "10.0.22631", model: "O'Latitude" }, now });
    expect(decoded(plan!.filter)).toBe(
      "operatingSystem eq 'Windows' and lastSyncDateTime lt 2026-11-25T12:00:00.000Z and contains(osVersion,'10.0.22631') and contains(model,'O''Latitude')",
    );
    expect(plan!.clauses).toEqual(["operatingSystem", "checkIn", "osVersion", "model"]);
  });

  it("escapes hostile searches: quotes doubled, literal stays one literal", () => {
    const hostile = ["' or 1 eq 1", "o'brien", "a) or (true", "x'); DROP", "%27 or 1", "&$top=1", "#frag"];
    for (const search of hostile) {
      const [plan] = planStreams({ search, filters: {} });
      // No raw & or # can reach the query string, so nothing can add or cut query parameters.
      expect(plan!.filter).not.toMatch(/[&#]/);
      const literal = /^contains\(deviceName,'((?:[^']|'')*)'\) and operatingSystem eq 'Windows'$/.exec(decoded(plan!.filter));
      expect(literal, search).not.toBeNull();
      expect(literal![1]!.replace(/''/g, "'")).toBe(search);
    }
  });

  it("keeps any search inside one string literal (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (search) => {
        const [plan] = planStreams({ search, filters: {} });
        const literal = /^contains\(deviceName,'((?:[^']|'')*)'\) and operatingSystem eq 'Windows'$/s.exec(decoded(plan!.filter));
        expect(literal).not.toBeNull();
        expect(literal![1]!.replace(/''/g, "'")).toBe(search);
      }),
    );
  });
});

describe("matchesSearch", () => {
  const device = makeDevice();

  it("matches name, user or serial, case-insensitively", () => {
    expect(matchesSearch(device, "desktop-7q", {})).toBe(true);
    expect(matchesSearch(device, "ADA.LOVE", {})).toBe(true);
    expect(matchesSearch(device, "pf3x", {})).toBe(true);
    expect(matchesSearch(device, "nobody", {})).toBe(false);
  });

  it("requires Windows and every filter", () => {
    expect(matchesSearch(makeDevice({ operatingSystem: "iOS" }), null, {})).toBe(false);
    expect(matchesSearch(device, null, { compliance: "noncompliant" })).toBe(false);
    expect(matchesSearch(device, null, { compliance: "compliant", ownership: "company", joinType: "azureADJoined", autopilot: "registered" })).toBe(true);
    expect(matchesSearch(device, null, { autopilot: "notRegistered" })).toBe(false);
  });

  it("checks last check-in age against the moment given, and OS version and model as text", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const old = makeDevice({ lastSyncDateTime: "2026-11-20T12:00:00Z", osVersion: "10.0.22631.4460", model: "Latitude 7440" });
    expect(matchesSearch(old, null, { checkIn: "7d" }, now)).toBe(true);
    expect(matchesSearch(old, null, { checkIn: "30d" }, now)).toBe(false);
    expect(matchesSearch(makeDevice({ lastSyncDateTime: null }), null, { checkIn: "1d" }, now)).toBe(false);
    expect(matchesSearch(old, null, { osVersion: "22631", model: "latitude" }, now)).toBe(true);
    expect(matchesSearch(old, null, { model: "Surface" }, now)).toBe(false);
  });

  it("judges Provisioned by from the enrollment profile and the tenant's names, sends no OData for it, and needs the names", () => {
    const tenant = { kind: "read" as const, devicePreparationPolicies: ["DP - Kiosks"], autopilotProfiles: ["AP - Standard"] };
    const names = (d: Device) => provisioningOf(d.enrollmentProfileName, tenant).by;
    const dp = makeDevice({ enrollmentProfileName: "DP - Kiosks" });
    const now = new Date();
    expect(matchesSearch(dp, null, { provisionedBy: "device-preparation" }, now, names)).toBe(true);
    expect(matchesSearch(dp, null, { provisionedBy: "autopilot" }, now, names)).toBe(false);
    expect(matchesSearch(makeDevice({ enrollmentProfileName: null }), null, { provisionedBy: "unknown" }, now, names)).toBe(true);
    expect(matchesSearch(dp, null, { provisionedBy: "device-preparation" }, now)).toBe(false);
    const [plan] = planStreams({ search: null, filters: { provisionedBy: "autopilot" } });
    expect(decoded(plan!.filter)).toBe("operatingSystem eq 'Windows'");
    expect(plan!.clauses).toContain("provisionedBy");
    expect(clausesIgnored([dp], plan!, { search: null, filters: { provisionedBy: "autopilot" }, provisionedByOf: names })).toEqual(["provisionedBy"]);
  });

  it("does not match a search against a missing field", () => {
    expect(matchesSearch(makeDevice({ userPrincipalName: null, deviceName: "X", serialNumber: null }), "ada", {})).toBe(false);
  });
});

describe("clausesIgnored and mergeStreamRows", () => {
  const byName = makeDevice({ id: "1", deviceName: "LAB-ADA-01", userPrincipalName: "ada@contoso.com" });
  const byUser = makeDevice({ id: "2", deviceName: "LAB-02", userPrincipalName: "ada@contoso.com" });
  const bySerial = makeDevice({ id: "3", deviceName: "LAB-03", userPrincipalName: "bob@contoso.com", serialNumber: "ADA999" });
  const unrelated = makeDevice({ id: "4", deviceName: "LAB-04", userPrincipalName: "bob@contoso.com", serialNumber: "Z1" });
  const iphone = makeDevice({ id: "5", deviceName: "ADA-IPHONE", operatingSystem: "iOS" });
  const query = { search: "ada", filters: {} };
  const [nameStream, userStream, serialStream] = planStreams(query);

  it("names the clauses Graph ignored", () => {
    expect(clausesIgnored([byName], nameStream!, query)).toEqual([]);
    expect(clausesIgnored([byName, unrelated], nameStream!, query)).toEqual(["deviceName"]);
    expect(clausesIgnored([iphone], nameStream!, query)).toEqual(["operatingSystem"]);
  });

  it("merges the streams, keeps each device once and drops rows that break the query", () => {
    const merged = mergeStreamRows(
      [
        { plan: nameStream!, rows: [byName] },
        { plan: userStream!, rows: [byName, byUser] },
        { plan: serialStream!, rows: [bySerial, unrelated, iphone] },
      ],
      query,
    );
    expect(merged.map((device) => device.id)).toEqual(["1", "2", "3"]);
  });

  it("leaves a device to the first stream that matches it, so later pages cannot repeat it", () => {
    // byName also matches the user stream; even if the name stream returned it on another page, the user stream drops it.
    const merged = mergeStreamRows([{ plan: nameStream!, rows: [] }, { plan: userStream!, rows: [byName, byUser] }], query);
    expect(merged.map((device) => device.id)).toEqual(["2"]);
  });
});

describe("isSortedBy", () => {
  const named = (...names: (string | null)[]) => names.map((deviceName, index) => makeDevice({ id: String(index), deviceName: deviceName as string }));

  it("accepts ascending and descending order, case-insensitively", () => {
    expect(isSortedBy(named("alpha", "Bravo", "charlie"), { field: "deviceName", direction: "asc" })).toBe(true);
    expect(isSortedBy(named("charlie", "Bravo", "alpha"), { field: "deviceName", direction: "desc" })).toBe(true);
  });

  it("rejects rows out of order", () => {
    expect(isSortedBy(named("bravo", "alpha"), { field: "deviceName", direction: "asc" })).toBe(false);
  });

  it("compares dates as dates", () => {
    const rows: Device[] = ["2026-01-02T00:00:00Z", "2026-01-10T00:00:00Z"].map((lastSyncDateTime, index) =>
      makeDevice({ id: String(index), lastSyncDateTime }),
    );
    expect(isSortedBy(rows, { field: "lastSyncDateTime", direction: "asc" })).toBe(true);
    expect(isSortedBy(rows, { field: "lastSyncDateTime", direction: "desc" })).toBe(false);
  });
});

describe("odataFilter", () => {
  it("is empty without parts", () => {
    expect(odataFilter([])).toBe("");
  });
});
