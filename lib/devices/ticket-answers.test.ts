import { describe, expect, it } from "vitest";
import { FIXTURE_NOW, makeDevice } from "./device-fixture";
import { answerFromMatches, answerFromScan, matchDevices, mostRecentId, newestFirst, ticketMatch, type TicketMatch } from "./ticket-answers";
import type { LookupKind } from "./ticket-lines";

const SERIAL = "5CG52985R1";
/** One laptop re-enrolled: its live record checked in this morning, the stale one five weeks ago. */
const stale = makeDevice({ id: "aaaaaaaa-0000-4000-8000-000000000001", deviceName: "CONTOSO-LT-04711", serialNumber: SERIAL, lastSyncDateTime: "2026-10-17T09:12:00.000Z", userPrincipalName: "anna@contoso.com" });
const live = makeDevice({ id: "bbbbbbbb-0000-4000-8000-000000000002", deviceName: "CONTOSO-LT-04711", serialNumber: SERIAL, lastSyncDateTime: "2026-11-21T08:40:00.000Z", userPrincipalName: "bob@contoso.com" });
const never = makeDevice({ id: "cccccccc-0000-4000-8000-000000000003", serialNumber: SERIAL, lastSyncDateTime: null });
const match = (d: typeof live): TicketMatch => ticketMatch(d, FIXTURE_NOW);

describe("several records for one value", () => {
  it("lists them newest check-in first, whatever order Graph gave, and never checked in last", () => {
    const answer = answerFromMatches(SERIAL, "serial", [never, stale, live].map(match));
    expect(answer.kind).toBe("several");
    if (answer.kind !== "several") return;
    expect(answer.matches.map((m) => m.device.id)).toEqual([live.id, stale.id, never.id]);
    expect(newestFirst([match(stale), match(live)]).map((m) => m.device.id)).toEqual([live.id, stale.id]);
  });

  it("names the most recent only when it checked in later than every other", () => {
    expect(mostRecentId([match(stale), match(live)])).toBe(live.id);
    expect(mostRecentId([match(live), match({ ...stale, lastSyncDateTime: live.lastSyncDateTime })])).toBeUndefined();
    expect(mostRecentId([match(never), match({ ...never, id: "x" })])).toBeUndefined();
  });

  it("one match is found (Windows) or not Windows; none is a programming error", () => {
    expect(answerFromMatches(SERIAL, "serial", [match(live)])).toMatchObject({ kind: "found", by: "serial", match: { device: { id: live.id } } });
    expect(answerFromMatches("Anna's iPhone", "name", [match(makeDevice({ operatingSystem: "iOS" }))])).toMatchObject({ kind: "not-windows" });
    expect(() => answerFromMatches(SERIAL, "serial", [])).toThrow(RangeError);
  });
});

describe("matching a page of the tenant's list", () => {
  const devices = [
    makeDevice({ id: "11111111-0000-4000-8000-000000000001", deviceName: "LT-1", serialNumber: "PF1", azureADDeviceId: "eeeeeeee-0000-4000-8000-000000000001" }),
    makeDevice({ id: "22222222-0000-4000-8000-000000000002", deviceName: "PF1", serialNumber: "PF2" }),
    makeDevice({ id: "33333333-0000-4000-8000-000000000003", deviceName: "lt-1", serialNumber: null }),
  ];
  const values: { value: string; lookups: LookupKind[] }[] = [
    { value: "pf1", lookups: ["serial", "name"] },
    { value: "LT-1", lookups: ["name", "serial"] },
    { value: "11111111-0000-4000-8000-000000000001", lookups: ["intune-id", "entra-id"] },
    { value: "EEEEEEEE-0000-4000-8000-000000000001", lookups: ["intune-id", "entra-id"] },
    { value: "NOPE", lookups: ["name", "serial"] },
  ];

  it("finds every value each device answers to, by each of the value's lookups, ignoring case", () => {
    const hits = matchDevices(values, devices).map((h) => [h.index, h.by, h.device.id.slice(0, 2)]);
    expect(hits).toEqual(
      expect.arrayContaining([
        [0, "serial", "11"],
        [0, "name", "22"],
        [1, "name", "11"],
        [1, "name", "33"],
        [2, "intune-id", "11"],
        [3, "entra-id", "11"],
      ]),
    );
    expect(hits).toHaveLength(6);
  });

  it("answers as the lookups do: the first lookup that matched decides, the rest are not asked", () => {
    const hits = matchDevices(values, devices);
    const byKind = (index: number) => {
      const map = new Map<LookupKind, TicketMatch[]>();
      for (const h of hits.filter((x) => x.index === index)) map.set(h.by, [...(map.get(h.by) ?? []), match(h.device)]);
      return map;
    };
    // pf1 is a serial first: the device named PF1 is never offered.
    expect(answerFromScan("pf1", values[0]!.lookups, byKind(0))).toMatchObject({ kind: "found", by: "serial", match: { device: { deviceName: "LT-1" } } });
    expect(answerFromScan("LT-1", values[1]!.lookups, byKind(1))).toMatchObject({ kind: "several", by: "name" });
    expect(answerFromScan("x", values[3]!.lookups, byKind(3))).toMatchObject({ kind: "found", by: "entra-id" });
    expect(answerFromScan("NOPE", values[4]!.lookups, byKind(4))).toEqual({ value: "NOPE", kind: "not-found", tried: ["name", "serial"] });
  });
});
