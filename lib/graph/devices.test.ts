/**
 * listWindowsDevicesPage against a scripted Graph that behaves like the weak parts of the real one: it ignores a
 * filter it does not support (serialNumber) and ignores $orderby. The page must say so and still be right.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import { createGraphClient } from "./client";
import { InvalidCursorError } from "./cursor";
import { ActionFailure } from "@/lib/result";
import { DEVICE_PREPARATION_TEMPLATE_IDS } from "./provisioning";
import { countDevicesByPlatform, listWindowsDevicesPage, mapManagedDevice, type DevicePageQuery } from "./devices";

const fleet: ManagedDevice[] = Array.from({ length: 30 }, (_, index) => ({
  id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
  deviceName: `PC-${String(29 - index).padStart(2, "0")}`,
  userPrincipalName: index % 3 === 0 ? "ada@contoso.com" : `user${index}@contoso.com`,
  serialNumber: index === 7 ? "ADA-SERIAL" : `SN${index}`,
  operatingSystem: index % 10 === 9 ? "iOS" : "Windows",
  complianceState: "compliant",
  managedDeviceOwnerType: "company",
  joinType: "azureADJoined",
  autopilotEnrolled: true,
  managementState: "managed",
  lastSyncDateTime: "2026-11-21T10:00:00Z",
  enrollmentProfileName: index % 4 === 0 ? "DP - Kiosks" : "AP - Standard",
}));

let server: Server;
let base: string;
let requests: string[] = [];
let nextLinkHost: string | undefined;
let refuseCount = false;
let refuseNames = false;

function answer(url: URL): unknown {
  const filter = url.searchParams.get("$filter") ?? "";
  let rows = fleet.filter((device) => !filter.includes("operatingSystem eq 'Windows'") || device.operatingSystem === "Windows");
  const byName = /contains\(deviceName,'([^']*)'\)/.exec(filter);
  const byUser = /contains\(userPrincipalName,'([^']*)'\)/.exec(filter);
  if (byName) rows = rows.filter((device) => device.deviceName!.toLowerCase().includes(byName[1]!.toLowerCase()));
  if (byUser) rows = rows.filter((device) => device.userPrincipalName!.toLowerCase().includes(byUser[1]!.toLowerCase()));
  // serialNumber: silently ignored, like an unsupported filter on real Graph. $orderby: ignored too.
  const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
  const top = Number(url.searchParams.get("$top") ?? "1000");
  const page = rows.slice(skip, skip + top);
  const next = new URL(url.toString());
  next.searchParams.set("$skiptoken", String(skip + top));
  const origin = nextLinkHost ?? base;
  return {
    value: page,
    ...(url.searchParams.get("$count") === "true" ? { "@odata.count": rows.length } : {}),
    ...(skip + top < rows.length ? { "@odata.nextLink": `${origin}${next.pathname}${next.search}` } : {}),
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const url = new URL(request.url ?? "/", base);
    if (refuseCount && url.searchParams.get("$count") === "true") {
      response.writeHead(400, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { code: "BadRequest", message: "$count is not supported." } }));
      return;
    }
    if (url.pathname === "/beta/deviceManagement/configurationPolicies" || url.pathname === "/beta/deviceManagement/windowsAutopilotDeploymentProfiles") {
      const policies = url.pathname.endsWith("configurationPolicies");
      response.writeHead(refuseNames ? 403 : 200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify(
          refuseNames
            ? { error: { code: "Forbidden", message: "Missing scope." } }
            : { value: policies ? [{ id: "p1", name: "DP - Kiosks", templateReference: { templateId: DEVICE_PREPARATION_TEMPLATE_IDS[0] } }] : [{ id: "a1", displayName: "AP - Standard" }] },
        ),
      );
      return;
    }
    if (url.pathname === "/v1.0/deviceManagement/managedDeviceOverview") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ enrolledDeviceCount: 30, deviceOperatingSystemSummary: { windowsCount: 27, iosCount: 3 } }));
      return;
    }
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
  requests = [];
  nextLinkHost = undefined;
  refuseCount = false;
  refuseNames = false;
});

const graph = () => createGraphClient("a.b.c", { version: "beta", graphBaseUrl: base });
const query = (overrides: Partial<DevicePageQuery>): DevicePageQuery => ({ search: null, filters: {}, sort: null, cursor: null, pageSize: 10, ...overrides });

async function allPages(first: DevicePageQuery) {
  const pages = [];
  let cursor: string | null = null;
  do {
    const page = await listWindowsDevicesPage(graph(), { ...first, cursor }, base);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe("listWindowsDevicesPage", () => {
  it("pages through every Windows device once, asking Graph for the grid's fields", async () => {
    const pages = await allPages(query({}));
    const ids = pages.flatMap((page) => page.devices.map((device) => device.id));
    expect(ids).toHaveLength(27);
    expect(new Set(ids).size).toBe(27);
    expect(pages.every((page) => page.ignoredByGraph.length === 0)).toBe(true);
    expect(decodeURIComponent(requests[0]!)).toContain("$select=id,deviceName,");
  });

  it("merges the three search streams without duplicates and reports the ignored serial filter", async () => {
    const pages = await allPages(query({ search: "ada", pageSize: 30 }));
    const devices = pages.flatMap((page) => page.devices);
    const expected = fleet
      .filter((device) => device.operatingSystem === "Windows")
      .filter((device) => [device.deviceName, device.userPrincipalName, device.serialNumber].some((value) => value!.toLowerCase().includes("ada")))
      .map((device) => device.id)
      .sort();
    expect(devices.map((device) => device.id).sort()).toEqual(expected);
    expect(pages.flatMap((page) => page.ignoredByGraph)).toContain("serialNumber");
    expect(pages[0]!.ignoredByGraph).not.toContain("deviceName");
  });

  it("says when Graph did not sort, and sorts the page itself", async () => {
    const page = await listWindowsDevicesPage(graph(), query({ sort: { field: "deviceName", direction: "asc" }, pageSize: 10 }), base);
    expect(page.sortedByGraph).toBe(false);
    const names = page.devices.map((device) => device.deviceName);
    expect(names).toEqual([...names].sort());
    expect(decodeURIComponent(requests[0]!)).toContain("$orderby=deviceName asc");
  });

  it("filters by Provisioned by on the returned rows, with the tenant's names, and says Graph did not", async () => {
    const pages = await allPages(query({ filters: { provisionedBy: "device-preparation" } }));
    const ids = pages.flatMap((page) => page.devices.map((device) => device.id)).sort();
    const expected = fleet.filter((d) => d.operatingSystem === "Windows" && d.enrollmentProfileName === "DP - Kiosks").map((d) => d.id).sort();
    expect(ids).toEqual(expected);
    expect(pages[0]!.ignoredByGraph).toContain("provisionedBy");
    expect(requests.some((url) => url.startsWith("/beta/deviceManagement/configurationPolicies"))).toBe(true);
  });

  it("refuses to guess Provisioned by when the names cannot be read", async () => {
    refuseNames = true;
    const failure = await listWindowsDevicesPage(graph(), query({ filters: { provisionedBy: "autopilot" } }), base).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as ActionFailure).error.message).toMatch(/^Devices can't be filtered by how they were provisioned/);
  });

  it("will not follow a nextLink that leaves the configured Graph", async () => {
    nextLinkHost = "http://evil.example";
    await expect(listWindowsDevicesPage(graph(), query({}), base)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("will not accept a cursor made for another search", async () => {
    const first = await listWindowsDevicesPage(graph(), query({ search: "ada" }), base);
    await expect(listWindowsDevicesPage(graph(), query({ search: "bob", cursor: first.nextCursor }), base)).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});

describe("countDevicesByPlatform", () => {
  it("counts with $count and top 1, never reading the fleet", async () => {
    const counts = await countDevicesByPlatform(graph());
    expect(counts.find((entry) => entry.platform === "Windows")?.count).toBe(27);
    expect(requests.every((url) => url.includes("%24top=1") || url.includes("$top=1"))).toBe(true);
  });

  it("falls back to managedDeviceOverview when Graph refuses $count", async () => {
    refuseCount = true;
    const counts = await countDevicesByPlatform(graph());
    expect(counts).toContainEqual({ platform: "Windows", count: 27 });
    expect(counts).toContainEqual({ platform: "iOS", count: 3 });
    expect(counts.reduce((sum, entry) => sum + entry.count, 0)).toBe(30);
  });
});

describe("mapManagedDevice", () => {
  it("turns Intune's empty values into nulls and fills defaults", () => {
    const device = mapManagedDevice({ id: "x", lastSyncDateTime: "0001-01-01T00:00:00Z", userPrincipalName: "" });
    expect(device).toMatchObject({ lastSyncDateTime: null, userPrincipalName: null, joinType: "unknown", deviceActionResults: [] });
  });
});
