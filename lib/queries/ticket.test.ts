import { describe, expect, it, vi } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ZodType } from "zod";
import { classifyValue, type TicketValue } from "@/lib/devices/ticket-lines";
import type { TicketAnswer } from "@/lib/devices/ticket-answers";
import { InvalidCursorError } from "@/lib/graph/cursor";
import { mapGraphError } from "@/lib/graph/errors";
import { SCAN_PAGES_PER_CALL } from "@/lib/devices/ticket-answers";
import { planLookup, resolveTicketValues, scanGroups, TICKET_REQUEST_BUDGET, type LookupWay, type TicketLoaders } from "./ticket";

/**
 * The server actions run for real here (lib/actions/ticket.ts, lib/graph/device-lookup.ts), against `fakeGraph`: a
 * Graph client over a list of rows that answers $batch lookups, $count, and pages with @odata.nextLink, as
 * docs/graph.md describes them. Only runAction's token and configuration are replaced.
 */
let graph: FakeGraph;
vi.mock("@/lib/actions/define-action", () => ({
  runAction: async (spec: { input: ZodType; handler: (input: unknown, context: unknown) => Promise<unknown> }, _token: string, input: unknown) => {
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) return { error: { kind: "invalid", message: parsed.error.issues[0]?.message ?? "invalid" } };
    try {
      return { data: await spec.handler(parsed.data, { graph: graph.client, graphBaseUrl: GRAPH }) };
    } catch (error) {
      if (error instanceof InvalidCursorError) return { error: { kind: "invalid", message: error.message } };
      return { error: mapGraphError(error) };
    }
  },
}));

const { countTicketTenant, resolveTicketLines, scanTicketDevices } = await import("@/lib/actions/ticket");

const GRAPH = "https://graph.microsoft.com";

interface Row {
  id: string;
  deviceName: string;
  serialNumber: string;
  azureADDeviceId: string;
  operatingSystem: string;
  joinType: string;
  autopilotEnrolled: boolean;
  managementState: string;
  lastSyncDateTime: string;
  userPrincipalName: string;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const guid = (prefix: number, n: number) => `${hex(prefix, 8)}-0000-4000-8000-${hex(n, 12)}`;

function row(n: number, over: Partial<Row> = {}): Row {
  return {
    id: guid(0xa, n),
    deviceName: `CONTOSO-LT-${String(n).padStart(5, "0")}`,
    serialNumber: `PF${hex(n * 7919, 6).toUpperCase()}`,
    azureADDeviceId: guid(0xe, n),
    operatingSystem: "Windows",
    joinType: "azureADJoined",
    autopilotEnrolled: true,
    managementState: "managed",
    lastSyncDateTime: new Date(Date.UTC(2026, 10, 21) - (n % 50) * 3_600_000).toISOString(),
    userPrincipalName: `user${n}@contoso.com`,
    ...over,
  };
}

class GraphError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

/** A tenant of `rows`, its Graph requests counted; `failPage(position)` may throw for a page read from that row on. */
class FakeGraph {
  requests = 0;
  pagesRead: number[] = [];
  constructor(
    readonly rows: Row[],
    readonly failPage: (position: number) => GraphError | undefined = () => undefined,
  ) {}

  private lookup(url: string): { status: number; body: unknown } {
    const [path, query = ""] = url.split("?");
    const params = new URLSearchParams(query);
    const byId = /^\/deviceManagement\/managedDevices\/([^/]+)$/.exec(path!);
    if (byId) {
      const found = this.rows.find((r) => r.id.toLowerCase() === byId[1]!.toLowerCase());
      return found ? { status: 200, body: found } : { status: 404, body: { error: { code: "ResourceNotFound" } } };
    }
    const filter = /^(\w+) eq '((?:[^']|'')*)'$/.exec(params.get("$filter") ?? "");
    if (!filter) return { status: 400, body: { error: { code: "BadRequest" } } };
    const field = filter[1] as keyof Row;
    const value = filter[2]!.replace(/''/g, "'").toLowerCase();
    const top = Number(params.get("$top") ?? 1000);
    return { status: 200, body: { value: this.rows.filter((r) => String(r[field]).toLowerCase() === value).slice(0, top) } };
  }

  private page(position: number, top: number): unknown {
    const failure = this.failPage(position);
    if (failure) throw failure;
    this.pagesRead.push(position);
    const next = position + top < this.rows.length ? position + top : null;
    return {
      value: this.rows.slice(position, position + top),
      ...(next !== null ? { "@odata.nextLink": `${GRAPH}/beta/deviceManagement/managedDevices?$select=id&$top=${top}&$skiptoken=${next}` } : {}),
    };
  }

  readonly client = {
    api: (path: string) => {
      const state = { select: [] as string[], top: 1000, count: false };
      const builder = {
        version: () => builder,
        header: () => builder,
        select: (fields: string[]) => ((state.select = fields), builder),
        top: (n: number) => ((state.top = n), builder),
        count: (on: boolean) => ((state.count = on), builder),
        post: async (body: { requests: { id: string; url: string }[] }) => {
          expect(path).toBe("/$batch");
          this.requests += body.requests.length;
          return { responses: body.requests.map((r) => ({ id: r.id, ...this.lookup(r.url) })) };
        },
        get: async () => {
          this.requests++;
          const [route, query = ""] = path.split("?");
          expect(route).toBe("/deviceManagement/managedDevices");
          const skip = new URLSearchParams(query).get("$skiptoken");
          if (skip !== null) return this.page(Number(skip), Number(new URLSearchParams(query).get("$top")));
          if (state.count) return { "@odata.count": this.rows.length, value: this.rows.slice(0, state.top) };
          // The scan asks for only what it needs.
          expect(state.select).not.toContain("deviceActionResults");
          return this.page(0, state.top);
        },
      };
      return builder;
    },
  } as unknown as Client;
}

function ticketValues(texts: string[]): TicketValue[] {
  const seen = new Set<string>();
  const values: TicketValue[] = [];
  texts.forEach((text, i) => {
    const c = classifyValue(text);
    if (!c.ok || seen.has(c.key)) return;
    seen.add(c.key);
    values.push({ key: c.key, value: c.value, shape: c.shape, lookups: c.lookups, lines: [i + 1] });
  });
  return values;
}

/** The real actions on a virtual clock: each call takes 200 ms, each wait moves the clock. */
function loaders(): TicketLoaders & { elapsed: () => number } {
  let t = 0;
  const timed = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => async (...args: A) => {
    t += 200;
    return f(...args);
  };
  return {
    getAccessToken: async () => "token",
    resolveTicketLines: timed(resolveTicketLines),
    countTicketTenant: timed(countTicketTenant),
    scanTicketDevices: timed(scanTicketDevices),
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    elapsed: () => t,
  };
}

/** What an answer says, without the eligibility sentences: the same for both ways or not. */
function summary(answer: TicketAnswer | undefined) {
  if (!answer) return "missing";
  switch (answer.kind) {
    case "found":
    case "not-windows":
      return [answer.kind, answer.by, answer.match.device.id];
    case "several":
      return [answer.kind, answer.by, answer.matches.map((m) => m.device.id)];
    case "not-found":
      return [answer.kind, answer.tried];
    case "refused":
      return [answer.kind];
    case "error":
      return [answer.kind, answer.error.kind];
  }
}

describe("planLookup", () => {
  const many = (n: number) => ticketValues(Array.from({ length: n }, (_, i) => `PC${i}X9`));
  it("reads the tenant's list when that is fewer requests than one lookup per value, else looks each value up", () => {
    expect(planLookup(many(5_000), 100_000)).toMatchObject({ way: "scan", scanRequests: 100, lineRequestsAtLeast: 5_000 });
    expect(planLookup(many(80), 100_000)).toMatchObject({ way: "lines", scanRequests: 100 });
    expect(planLookup(many(101), 100_000).way).toBe("scan");
    expect(planLookup(many(5), 2_500).way).toBe("scan");
    expect(planLookup(many(3), 2_500).way).toBe("lines");
    expect(planLookup(many(5_000), null)).toMatchObject({ way: "lines", scanRequests: null });
    expect(planLookup(many(5_000), 100_000, "lines").way).toBe("lines");
    expect(planLookup(many(2), 100_000, "scan").way).toBe("scan");
  });

  it("sends a list in as few parts as fit a call, each part a read of the whole list", () => {
    const long = ticketValues(Array.from({ length: 8_000 }, (_, i) => `Anna's MacBook Air number ${i} of the fleet ${"x".repeat(30)}`));
    const groups = scanGroups(long);
    expect(groups.length).toBe(2);
    expect(groups.flat()).toHaveLength(8_000);
    expect(planLookup(long, 100_000).scanRequests).toBe(200);
    expect(scanGroups(many(10_000))).toHaveLength(1);
  });
});

describe("resolveTicketValues: both ways give the same answers", () => {
  // 2,500 devices, with what makes matching hard: a re-enrolled laptop's two records sharing a serial, two devices
  // with one name, a name that is another device's serial, a phone, GUIDs of both kinds, values in the wrong case.
  const rows = Array.from({ length: 2_500 }, (_, i) => row(i));
  rows[10] = row(10, { serialNumber: "5CG52985R1", lastSyncDateTime: "2026-10-17T09:12:00.000Z", deviceName: "CONTOSO-LT-OLD" });
  rows[2_400] = row(2_400, { serialNumber: "5CG52985R1", lastSyncDateTime: "2026-11-21T08:40:00.000Z", deviceName: "CONTOSO-LT-NEW" });
  rows[20] = row(20, { deviceName: "LAB-PC-7" });
  rows[21] = row(21, { deviceName: "lab-pc-7" });
  rows[30] = row(30, { deviceName: rows[31]!.serialNumber });
  rows[40] = row(40, { operatingSystem: "iOS", deviceName: "Anna's iPhone" });
  rows[50] = row(50, { joinType: "hybridAzureADJoined" });
  const texts = [
    "5CG52985R1",
    "LAB-PC-7",
    rows[31]!.serialNumber,
    "Anna's iPhone",
    rows[50]!.serialNumber,
    rows[60]!.id.toUpperCase(),
    `{${rows[61]!.azureADDeviceId}}`,
    rows[62]!.deviceName.toLowerCase(),
    rows[63]!.serialNumber.toLowerCase(),
    "QZ1NOSUCH17",
    "NOSUCH-NAME",
    "00000000-0000-4000-8000-000000000000",
    ...rows.slice(100, 400).map((r, i) => (i % 3 === 0 ? r.deviceName : i % 3 === 1 ? r.serialNumber : r.id)),
  ];
  const values = ticketValues(texts);

  async function run(way?: LookupWay) {
    graph = new FakeGraph(rows);
    const result = await resolveTicketValues(values, loaders(), undefined, undefined, way ? { way } : {});
    return { ...result, requests: graph.requests };
  }

  it("per line, by a scan, and chosen: the same kind, lookup and devices for every value; the scan costs 4 requests", async () => {
    const lines = await run("lines");
    const scan = await run("scan");
    const auto = await run();
    expect(lines.plan.way).toBe("lines");
    expect(scan.plan.way).toBe("scan");
    expect(auto.plan).toMatchObject({ way: "scan", tenantDevices: 2_500, scanRequests: 3 });
    for (const v of values) {
      expect(summary(scan.answers.get(v.key)), v.value).toEqual(summary(lines.answers.get(v.key)));
      expect(summary(auto.answers.get(v.key)), v.value).toEqual(summary(lines.answers.get(v.key)));
    }
    const kinds = (r: typeof lines) => [...r.answers.values()].reduce<Record<string, number>>((n, a) => ({ ...n, [a.kind]: (n[a.kind] ?? 0) + 1 }), {});
    expect(kinds(lines)).toEqual({ several: 2, found: 306, "not-windows": 1, "not-found": 3 });
    expect(kinds(scan)).toEqual(kinds(lines));
    // The re-enrolled laptop: both records, newest first, whichever way.
    const key = values.find((v) => v.value === "5CG52985R1")!.key;
    expect(summary(auto.answers.get(key))).toEqual(["several", "serial", [rows[2_400]!.id, rows[10]!.id]]);
    // 3 pages and the count, where the lookups took one or more per value.
    expect(auto.requests).toBe(4);
    expect(auto.graphRequests).toBe(4);
    expect(lines.requests).toBeGreaterThanOrEqual(values.length);
  });
});

describe("resolveTicketValues: the scan", () => {
  // One page more than a call reads, and half a page.
  const size = SCAN_PAGES_PER_CALL * 1000 + 1_500;
  const pageCount = SCAN_PAGES_PER_CALL + 2;
  const rows = Array.from({ length: size }, (_, i) => row(i));
  const values = ticketValues([rows[5]!.serialNumber, rows[size - 1_200]!.deviceName, rows[size - 1]!.id, "QZ1NOSUCH17"]);

  it(`resumes from its cursor: ${pageCount} pages over two calls, every page read once`, async () => {
    graph = new FakeGraph(rows);
    const progress: number[] = [];
    const result = await resolveTicketValues(values, loaders(), (p) => p.scan && progress.push(p.scan.read), undefined, { way: "scan" });
    expect(graph.pagesRead).toEqual(Array.from({ length: pageCount }, (_, i) => i * 1000));
    expect(progress.at(-1)).toBe(size);
    expect(progress).toContain(SCAN_PAGES_PER_CALL * 1000);
    expect([...result.answers.values()].map((a) => a.kind)).toEqual(["found", "found", "found", "not-found"]);
    expect(result.graphRequests).toBe(pageCount + 1);
  });

  it("a throttled first page is asked again from the same cursor after Retry-After; a later page's failure ends the call early", async () => {
    const failures = new Map([
      [0, 1],
      [10_000, 1],
    ]);
    graph = new FakeGraph(rows, (position) => {
      const left = failures.get(position) ?? 0;
      if (left === 0) return undefined;
      failures.set(position, left - 1);
      return new GraphError(429, "TooManyRequests", { "Retry-After": "7" });
    });
    const l = loaders();
    const result = await resolveTicketValues(values, l, undefined, undefined, { way: "scan" });
    expect(graph.pagesRead).toEqual(Array.from({ length: pageCount }, (_, i) => i * 1000));
    expect(result.answers.size).toBe(4);
    expect(l.elapsed()).toBeGreaterThanOrEqual(7_000);
  });

  it("gives up after three refusals in a row, with Graph's reason", async () => {
    graph = new FakeGraph(rows, () => new GraphError(503, "ServiceUnavailable"));
    await expect(resolveTicketValues(values, loaders(), undefined, undefined, { way: "scan" })).rejects.toMatchObject({ error: { kind: "unavailable" } });
  });

  it("refuses a cursor it did not make, and a value the browser should have refused is refused here too", async () => {
    graph = new FakeGraph(rows);
    const forged = Buffer.from(JSON.stringify({ v: 1, q: "x", s: { all: "https://evil.example/beta/deviceManagement/managedDevices" } })).toString("base64url");
    expect(await scanTicketDevices("token", { values: ["PF1"], cursor: forged })).toMatchObject({ error: { kind: "invalid" } });
    const answered = await scanTicketDevices("token", { values: ["x' or 1 eq 1", rows[0]!.serialNumber], cursor: null });
    expect(answered.data?.refused).toEqual([{ index: 0, message: expect.stringContaining("OData") }]);
    expect(answered.data?.hits.map((h) => h.index)).toEqual([1]);
    expect(await scanTicketDevices("token", { values: ["A".repeat(500)].concat(Array(1_000).fill("B".repeat(500))), cursor: null })).toMatchObject({ error: { kind: "invalid" } });
  });
});

/** A tenant on a virtual clock where a call takes 500 ms and a value costs `cost(index)` Graph requests. */
function virtualTenant(cost: (index: number) => number) {
  let t = 0;
  const calls: { at: number; n: number }[] = [];
  const loaders: TicketLoaders = {
    getAccessToken: async () => "token",
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    resolveTicketLines: async (_token, input) => {
      t += 500;
      const n = input.values.reduce((sum, value) => sum + cost(Number(value.slice(2))), 0);
      calls.push({ at: t, n });
      return { data: { answers: input.values.map((value) => ({ value, kind: "not-found" as const, tried: ["serial" as const] })), graphRequests: n, serverTime: t } };
    },
  };
  /** The most Graph requests made in any window of Intune's length. */
  const busiestWindow = () => Math.max(...calls.map((c) => calls.filter((d) => d.at > c.at - TICKET_REQUEST_BUDGET.windowMs && d.at <= c.at).reduce((s, d) => s + d.n, 0)));
  return { loaders, calls, busiestWindow, elapsed: () => t };
}

/** A list of `n` values that may each need two lookups (serial, then name). */
function values(n: number): TicketValue[] {
  return Array.from({ length: n }, (_, i) => ({ key: `v${i}`, value: `PC${i}`, shape: "serial-or-name", lookups: ["serial", "name"], lines: [i + 1] }));
}

describe("resolveTicketValues pacing, value by value", () => {
  it("paces by what the calls cost, not by every lookup a value might need: 5,000 values at 1.1 requests each", async () => {
    const tenant = virtualTenant((i) => (i % 10 === 0 ? 2 : 1));
    const { answers } = await resolveTicketValues(values(5_000), tenant.loaders);
    expect(answers.size).toBe(5_000);
    // 5,500 requests at 1,000 per 20 s: 100 s is the floor; pacing by the worst case (10,000) would take 180 s or more.
    expect(tenant.elapsed()).toBeLessThan(140_000);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(TICKET_REQUEST_BUDGET.requests + 100);
  });

  it("never risks Intune's 2,000 per 20 s, and keeps to 1,000 when every lookup runs", async () => {
    const tenant = virtualTenant(() => 2);
    const { answers } = await resolveTicketValues(values(3_000), tenant.loaders);
    expect(answers.size).toBe(3_000);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(TICKET_REQUEST_BUDGET.requests);
  });

  it("a list whose first values are cheap and the rest dear stays under Intune's limit", async () => {
    const tenant = virtualTenant((i) => (i < 1_000 ? 1 : 2));
    await resolveTicketValues(values(4_000), tenant.loaders);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(2_000);
  });
});
