/**
 * readSerialRecords against a scripted Graph whose $filter support can be switched off per operator, as real Graph
 * drops a filter it does not support and answers every device.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import { createGraphClient } from "./client";
import { readSerialRecords, serialRecordsUrl, SERIAL_RECORDS_TOP } from "./siblings";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
let fleet: ManagedDevice[] = [];
let supports = { eq: true, contains: true };
let server: Server;
let base: string;
let filters: string[] = [];

function answer(url: URL): unknown {
  const filter = url.searchParams.get("$filter") ?? "";
  filters.push(filter);
  const eq = /^serialNumber eq '((?:[^']|'')*)'$/.exec(filter);
  const contains = /^contains\(serialNumber,'((?:[^']|'')*)'\)$/.exec(filter);
  let rows = fleet;
  if (eq && supports.eq) rows = rows.filter((d) => d.serialNumber === eq[1]!.replace(/''/g, "'"));
  if (contains && supports.contains) rows = rows.filter((d) => d.serialNumber!.toLowerCase().includes(contains[1]!.replace(/''/g, "'").toLowerCase()));
  const top = Number(url.searchParams.get("$top") ?? "1000");
  return { value: rows.slice(0, top), ...(rows.length > top ? { "@odata.nextLink": `${base}${url.pathname}?$skiptoken=x` } : {}) };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", base);
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify(answer(url)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  filters = [];
  supports = { eq: true, contains: true };
  fleet = [
    { id: id(1), deviceName: "PC-OLD", serialNumber: "SN-1", lastSyncDateTime: "2026-10-01T10:00:00Z", userPrincipalName: "ada@contoso.com" },
    { id: id(2), deviceName: "PC-NEW", serialNumber: "SN-1", lastSyncDateTime: "2026-11-11T10:00:00Z", userPrincipalName: "ada@contoso.com" },
    { id: id(3), deviceName: "PC-LONG", serialNumber: "SN-10", lastSyncDateTime: "2026-11-12T10:00:00Z", userPrincipalName: "bob@contoso.com" },
    { id: id(4), deviceName: "PC-OTHER", serialNumber: "XYZ", lastSyncDateTime: "0001-01-01T00:00:00Z", userPrincipalName: "" },
    { id: id(5), deviceName: "PC-QUOTE", serialNumber: "O'BRIEN-1", userPrincipalName: null },
  ];
});

const graph = () => createGraphClient("a.b.c", { version: "beta", graphBaseUrl: base });

describe("readSerialRecords", () => {
  it("asks for the exact serial and gives every record with it, newest check-in first", async () => {
    const answer = await readSerialRecords(graph(), "SN-1");
    expect(filters).toEqual(["serialNumber eq 'SN-1'"]);
    expect(answer.records.map((r) => r.deviceName)).toEqual(["PC-NEW", "PC-OLD"]);
    expect(answer.records[0]).toEqual({ id: id(2), deviceName: "PC-NEW", lastSyncDateTime: "2026-11-11T10:00:00Z", userPrincipalName: "ada@contoso.com" });
    expect(answer.incomplete).toBeNull();
  });

  it("doubles quotes in the serial", async () => {
    expect(decodeURIComponent(serialRecordsUrl("O'BRIEN-1", "eq"))).toContain("serialNumber eq 'O''BRIEN-1'");
    const answer = await readSerialRecords(graph(), "O'BRIEN-1");
    expect(answer.records.map((r) => r.deviceName)).toEqual(["PC-QUOTE"]);
    expect(answer.records[0]!.userPrincipalName).toBeNull();
  });

  it("asks again with contains when Graph dropped eq, and keeps only the exact serial (not SN-10)", async () => {
    supports.eq = false;
    const answer = await readSerialRecords(graph(), "sn-1");
    expect(filters).toEqual(["serialNumber eq 'sn-1'", "contains(serialNumber,'sn-1')"]);
    expect(answer.records.map((r) => r.deviceName)).toEqual(["PC-NEW", "PC-OLD"]);
    expect(answer.incomplete).toBeNull();
  });

  it("says the list may be incomplete when Graph dropped both filters", async () => {
    supports = { eq: false, contains: false };
    const answer = await readSerialRecords(graph(), "SN-1");
    expect(answer.incomplete).toBe("filter-ignored");
    expect(answer.records.map((r) => r.deviceName)).toEqual(["PC-NEW", "PC-OLD"]);
  });

  it("says there are more when Graph has another page", async () => {
    fleet = Array.from({ length: SERIAL_RECORDS_TOP + 1 }, (_, n) => ({ id: id(n), deviceName: `PC-${n}`, serialNumber: "SN-1" }));
    const answer = await readSerialRecords(graph(), "SN-1");
    expect(answer.records).toHaveLength(SERIAL_RECORDS_TOP);
    expect(answer.incomplete).toBe("more");
  });

  it("reads nothing for a device without a serial", async () => {
    expect(await readSerialRecords(graph(), "  ")).toEqual({ records: [], incomplete: null });
    expect(filters).toEqual([]);
  });
});
