import { describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { InvalidCursorError } from "./cursor";
import {
  buildLookupBatch,
  countManagedDevices,
  lookupDevices,
  lookupUrl,
  odataString,
  parseLookupBatch,
  scanDevicesPage,
  SCAN_PAGE_SIZE,
  SCAN_SELECT,
  type LookupStep,
} from "./device-lookup";

const ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const ENTRA = "0f8fad5b-d9cb-469f-a165-70867728950e";

function row(over: Record<string, unknown>) {
  return { id: ID, deviceName: "LT-1", operatingSystem: "Windows", serialNumber: "PF1", azureADDeviceId: ENTRA, complianceState: "compliant", ...over };
}

describe("lookup requests", () => {
  it("builds one GET per lookup kind, quotes doubled and the filter percent-encoded", () => {
    expect(lookupUrl("intune-id", ID.toUpperCase())).toMatch(new RegExp(`^/deviceManagement/managedDevices/${ID}\\?\\$select=`));
    expect(decodeURIComponent(lookupUrl("entra-id", ENTRA))).toContain(`$filter=azureADDeviceId eq '${ENTRA}'`);
    expect(decodeURIComponent(lookupUrl("serial", "PF1"))).toContain("$filter=serialNumber eq 'PF1'");
    expect(decodeURIComponent(lookupUrl("name", "Anna's MacBook Air"))).toContain("$filter=deviceName eq 'Anna''s MacBook Air'");
    expect(lookupUrl("name", "a b")).not.toContain(" ");
    expect(odataString("x' or 1 eq 1 or '")).toBe("'x'' or 1 eq 1 or '''");
    expect(() => lookupUrl("intune-id", "../wipe")).toThrow(TypeError);
    expect(() => lookupUrl("entra-id", "x")).toThrow(TypeError);
  });

  it("puts 1 to 20 lookups in one $batch", () => {
    const steps = Array.from({ length: 20 }, (_, i): LookupStep => ({ key: `k${i}`, value: `PF${i}`, kind: "serial" }));
    const batch = buildLookupBatch(steps);
    expect(batch.requests.map((r) => r.id)).toEqual(steps.map((_, i) => String(i + 1)));
    expect(batch.requests.every((r) => r.method === "GET")).toBe(true);
    expect(() => buildLookupBatch([...steps, steps[0]!])).toThrow(RangeError);
    expect(() => buildLookupBatch([])).toThrow(RangeError);
  });
});

describe("parseLookupBatch", () => {
  const steps: LookupStep[] = [
    { key: "a", value: ID, kind: "intune-id" },
    { key: "b", value: "pf1", kind: "serial" },
    { key: "c", value: "LT-2", kind: "name" },
    { key: "d", value: "PF9", kind: "serial" },
    { key: "e", value: "PF8", kind: "serial" },
    { key: "f", value: "PF7", kind: "serial" },
  ];

  it("maps found, several, none, 404, throttled and a missing answer", () => {
    const answers = parseLookupBatch(steps, {
      responses: [
        { id: "1", status: 404, body: { error: { code: "ResourceNotFound" } } },
        { id: "2", status: 200, body: { value: [row({ serialNumber: "PF1" })] } },
        { id: "3", status: 200, body: { value: [row({ deviceName: "lt-2", id: "a" }), row({ deviceName: "LT-2", id: "b" })] } },
        { id: "4", status: 200, body: { value: [] } },
        { id: "5", status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests" } } },
      ],
    });
    expect(answers[0]).toEqual({ kind: "none" });
    expect(answers[1]).toMatchObject({ kind: "found", devices: [{ id: ID, serialNumber: "PF1" }] });
    expect(answers[2]).toMatchObject({ kind: "found", devices: [{ id: "a" }, { id: "b" }] });
    expect(answers[3]).toEqual({ kind: "none" });
    expect(answers[4]).toMatchObject({ kind: "error", error: { kind: "throttled", retryAfterSeconds: 3 } });
    expect(answers[5]).toMatchObject({ kind: "error", error: { kind: "unavailable" } });
  });

  it("drops rows that do not match, and says so when Graph ignored the filter", () => {
    const ten = Array.from({ length: 10 }, (_, i) => row({ id: `x${i}`, serialNumber: `OTHER${i}` }));
    const [answer] = parseLookupBatch([{ key: "b", value: "PF1", kind: "serial" }], { responses: [{ id: "1", status: 200, body: { value: ten } }] });
    expect(answer).toMatchObject({ kind: "error", error: { message: expect.stringContaining("did not filter") } });
  });
});

describe("lookupDevices", () => {
  it("tries the next lookup only for values the first did not find, and counts the requests", async () => {
    const posted: { url: string }[][] = [];
    const client = {
      api: () => ({
        version: () => ({
          post: async (body: { requests: { id: string; url: string }[] }) => {
            posted.push(body.requests);
            return {
              responses: body.requests.map((r) => {
                const url = decodeURIComponent(r.url);
                if (url.includes("serialNumber eq 'PF1'")) return { id: r.id, status: 200, body: { value: [row({})] } };
                if (url.includes(`azureADDeviceId eq '${ENTRA}'`)) return { id: r.id, status: 200, body: { value: [row({})] } };
                if (url.includes(`/managedDevices/${ENTRA}`)) return { id: r.id, status: 404, body: {} };
                return { id: r.id, status: 200, body: { value: [] } };
              }),
            };
          },
        }),
      }),
    } as unknown as Client;
    const { answers, graphRequests } = await lookupDevices(client, [
      { key: "s", value: "PF1", lookups: ["serial", "name"] },
      { key: "g", value: ENTRA, lookups: ["intune-id", "entra-id"] },
      { key: "n", value: "NOPE1", lookups: ["serial", "name"] },
    ]);
    expect(answers.map((a) => a.kind)).toEqual(["found", "found", "not-found"]);
    expect(answers[1]).toMatchObject({ by: "entra-id" });
    expect(answers[2]).toMatchObject({ tried: ["serial", "name"] });
    expect(graphRequests).toBe(5);
    expect(posted.map((p) => p.length)).toEqual([3, 2]);
  });
});

describe("the scan's pages", () => {
  function pagedClient(answer: unknown) {
    const asked: { path: string; select?: string[]; top?: number; count?: boolean }[] = [];
    const client = {
      api: (path: string) => {
        const call: (typeof asked)[number] = { path };
        asked.push(call);
        const builder = {
          version: () => builder,
          header: () => builder,
          select: (fields: string[]) => ((call.select = fields), builder),
          top: (n: number) => ((call.top = n), builder),
          count: (on: boolean) => ((call.count = on), builder),
          get: async () => answer,
        };
        return builder;
      },
    } as unknown as Client;
    return { client, asked };
  }
  const BASE = "https://graph.microsoft.com";

  it("reads 1,000 devices a page with only the fields matching and the preflight need, and follows only Graph's own nextLink", async () => {
    const next = `${BASE}/beta/deviceManagement/managedDevices?$select=id&$top=1000&$skiptoken=abc`;
    const first = pagedClient({ value: [row({})], "@odata.nextLink": next });
    const page = await scanDevicesPage(first.client, null, BASE);
    expect(first.asked[0]).toMatchObject({ path: "/deviceManagement/managedDevices", top: SCAN_PAGE_SIZE, select: [...SCAN_SELECT] });
    expect(SCAN_SELECT).not.toContain("deviceActionResults");
    expect(page).toMatchObject({ devices: [{ id: ID, serialNumber: "PF1" }], next: "/beta/deviceManagement/managedDevices?$select=id&$top=1000&$skiptoken=abc" });
    const second = pagedClient({ value: [] });
    expect(await scanDevicesPage(second.client, page.next, BASE)).toEqual({ devices: [], next: null });
    expect(second.asked[0]!.path).toBe("/deviceManagement/managedDevices?$select=id&$top=1000&$skiptoken=abc");
    const foreign = pagedClient({ value: [], "@odata.nextLink": "https://evil.example/beta/deviceManagement/managedDevices?$skiptoken=x" });
    await expect(scanDevicesPage(foreign.client, null, BASE)).rejects.toThrow(InvalidCursorError);
    await expect(scanDevicesPage(pagedClient({ value: "nope" }).client, null, BASE)).rejects.toThrow(TypeError);
  });

  it("counts the tenant's devices with one $count request, or says it cannot", async () => {
    const counted = pagedClient({ "@odata.count": 100_000, value: [{ id: ID }] });
    expect(await countManagedDevices(counted.client)).toBe(100_000);
    expect(counted.asked[0]).toMatchObject({ count: true, top: 1, select: ["id"] });
    expect(await countManagedDevices(pagedClient({ value: [] }).client)).toBeNull();
  });
});
