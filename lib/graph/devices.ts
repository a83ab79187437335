/**
 * Reading managed devices from Graph (beta, for joinType, autopilotEnrolled and managementState: docs/graph.md,
 * "Beta-only fields").
 * Every URL is built here (paths, $select, $filter via lib/devices/search, $orderby, $top); nothing from the
 * browser reaches a URL except checked nextLinks (lib/graph/cursor).
 */
import { ResponseType, type Client } from "@microsoft/microsoft-graph-client";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import type { Device, DeviceFilters, DeviceSort } from "@/lib/devices/types";
import {
  clausesIgnored,
  compareDevices,
  isSortedBy,
  matchesClause,
  matchesSearch,
  mergeStreamRows,
  odataFilter,
  odataOrderBy,
  planStreams,
  type ClauseKey,
  type DeviceQuery,
  type StreamPlan,
} from "@/lib/devices/search";
import { combineStreamCounts, type StreamCount } from "@/lib/devices/list-count";
import { DEVICE_LIST_SELECT, MANAGED_DEVICES_PATH, mapManagedDevice, type DevicePage, type DevicePageQuery } from "./device-record";
import { listByResetStatus } from "./reset-status-list";
import { readProvisioningNames } from "./provisioning";
import { provisioningOf, type ProvisionedBy } from "@/lib/devices/provisioning";
import { ActionFailure } from "@/lib/result";
import { checkedGraphLink, decodeCursor, encodeCursor, queryFingerprint, type CursorStreams } from "./cursor";

export {
  DEVICE_DETAIL_SELECT,
  getManagedDevice,
  MANAGED_DEVICES_PATH,
  mapManagedDevice,
  type DevicePage,
  type DevicePageQuery,
} from "./device-record";

const BETA_MANAGED_DEVICES_PATH = `/beta${MANAGED_DEVICES_PATH}`;

interface ODataPage<T> {
  value?: T[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
}

/** Graph pages one stream may read in one call when Graph ignored a clause and rows are being filtered here. */
const MAX_GRAPH_PAGES_PER_STREAM = 5;

async function fetchStreamPage(
  client: Client,
  plan: StreamPlan,
  link: string | undefined,
  sort: DeviceSort | null,
  top: number,
): Promise<ODataPage<ManagedDevice>> {
  if (link) {
    // link is "/beta/deviceManagement/managedDevices?...", already checked against the configured Graph and path.
    return client.api(link.slice("/beta".length)).version("beta").get();
  }
  // $count=true on the first page brings the total with the rows (docs/graph.md, "Counting devices").
  let request = client
    .api(MANAGED_DEVICES_PATH)
    .version("beta")
    .header("ConsistencyLevel", "eventual")
    .count(true)
    .select([...DEVICE_LIST_SELECT])
    .top(top);
  if (plan.filter) request = request.filter(plan.filter);
  if (sort) request = request.orderby(odataOrderBy(sort));
  return request.get();
}

/**
 * One page of Windows devices matching the search and filters. With a search, up to three filtered streams run side
 * by side ("and" only: docs/graph.md, "Querying the device list"), each asked for its share of the page, merged and
 * de-duplicated; the cursor carries every stream's nextLink. A page holds about pageSize devices: fewer at the end, a
 * little more when rows filtered here made a stream read on.
 */
export async function listWindowsDevicesPage(client: Client, query: DevicePageQuery, graphBaseUrl: string): Promise<DevicePage> {
  // "Older than N days" counts back from Graph's clock, never the browser's or this server's (docs/safety.md).
  const now = query.filters.checkIn || query.filters.resetStatus ? await graphNow(client) : new Date();
  const fingerprint = queryFingerprint({ s: query.search, f: sortedFilters(query.filters), o: query.sort });
  const provisionedByOf = query.filters.provisionedBy ? await provisioningJudge(client, graphBaseUrl) : undefined;
  if (query.filters.resetStatus) return listByResetStatus(client, query, { graphBaseUrl, now, fingerprint, ...(provisionedByOf ? { provisionedByOf } : {}) });
  const deviceQuery: DeviceQuery = { search: query.search, filters: query.filters, now, ...(provisionedByOf ? { provisionedByOf } : {}) };
  const plans = planStreams(deviceQuery);
  const links: CursorStreams | undefined = query.cursor
    ? decodeCursor(query.cursor, {
        fingerprint,
        streamKeys: plans.map((plan) => plan.key),
        graphBaseUrl,
        path: BETA_MANAGED_DEVICES_PATH,
      })
    : undefined;
  const active = plans.filter((plan) => !links || links[plan.key] !== null);
  const top = Math.max(1, Math.ceil(query.pageSize / Math.max(1, active.length)));

  const pages = await Promise.all(
    active.map(async (plan) => {
      // When Graph ignores a clause, most rows are dropped here; read on, within a budget, to fill the page.
      const keeps = (row: Device) =>
        matchesSearch(row, deviceQuery.search, deviceQuery.filters, now, provisionedByOf) && (plan.key === "all" || matchesClause(row, plan.key, deviceQuery));
      const rows: Device[] = [];
      let link = links?.[plan.key] ?? undefined;
      let next: string | null = null;
      let count: number | undefined;
      for (let read = 0; read < MAX_GRAPH_PAGES_PER_STREAM; read += 1) {
        const page = await fetchStreamPage(client, plan, link, query.sort, top);
        if (read === 0 && !link) {
          count = typeof page["@odata.count"] === "number" ? page["@odata.count"] : undefined;
        }
        rows.push(...(page.value ?? []).map(mapManagedDevice));
        const nextLink = page["@odata.nextLink"];
        next = nextLink ? checkedGraphLink(nextLink, graphBaseUrl, BETA_MANAGED_DEVICES_PATH) : null;
        if (!next || rows.filter(keeps).length >= top) break;
        link = next;
      }
      return { plan, rows, next, count };
    }),
  );

  const nextStreams: CursorStreams = {};
  for (const plan of plans) nextStreams[plan.key] = null;
  const ignored = new Set<ClauseKey>();
  let sortedByGraph = true;
  const streamCounts: StreamCount[] = [];
  for (const { plan, rows, next, count } of pages) {
    nextStreams[plan.key] = next;
    const ignoredHere = clausesIgnored(rows, plan, deviceQuery);
    for (const clause of ignoredHere) ignored.add(clause);
    if (query.sort && !isSortedBy(rows, query.sort)) sortedByGraph = false;
    streamCounts.push({ count, trusted: ignoredHere.length === 0 });
  }

  let devices = mergeStreamRows(pages, deviceQuery);
  if (query.sort && (pages.length > 1 || !sortedByGraph)) {
    const sort = query.sort;
    devices = [...devices].sort((a, b) => compareDevices(a, b, sort));
  }
  const nextCursor = encodeCursor(fingerprint, nextStreams);
  const result: DevicePage = { devices, nextCursor, ignoredByGraph: [...ignored], sortedByGraph };
  if (!query.cursor) {
    const total = combineStreamCounts(streamCounts, { loaded: devices.length, complete: nextCursor === null });
    if (total) result.total = total;
  }
  return result;
}

/** "Provisioned by" needs the tenant's names; without them no row can be judged, and the page says why. */
async function provisioningJudge(client: Client, graphBaseUrl: string): Promise<(device: Device) => ProvisionedBy> {
  const names = await readProvisioningNames(client, graphBaseUrl);
  if (names.kind === "unreadable") {
    throw new ActionFailure({ kind: names.lasting ? "forbidden-consent" : "unavailable", message: `Devices can't be filtered by how they were provisioned: ${names.why}` });
  }
  return (device) => provisioningOf(device.enrollmentProfileName, names).by;
}

/** Graph's clock: the Date header of the lightest read there is (ResponseType.RAW keeps the headers). */
async function graphNow(client: Client): Promise<Date> {
  const response: Response = await client.api(MANAGED_DEVICES_PATH).version("v1.0").select(["id"]).top(1).responseType(ResponseType.RAW).get();
  const ms = Date.parse(response.headers.get("Date") ?? "");
  await response.text().catch(() => "");
  return Number.isNaN(ms) ? new Date() : new Date(ms);
}

function sortedFilters(filters: DeviceFilters): [string, unknown][] {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}

/** The lightest Graph read there is, made for its Date header: Graph's clock (lib/graph/client.ts, GraphClock). */
export async function readGraphClock(client: Client): Promise<void> {
  await client.api(MANAGED_DEVICES_PATH).version("v1.0").select(["id"]).top(1).get();
}

const OVERVIEW_PLATFORMS = ["Windows", "iOS", "Android", "macOS", "Linux"] as const;

export interface PlatformCount {
  platform: string;
  count: number;
}

async function countWhere(client: Client, filter: string | null): Promise<number | undefined> {
  let request = client
    .api(MANAGED_DEVICES_PATH)
    .version("beta")
    .header("ConsistencyLevel", "eventual")
    .select(["id"])
    .top(1)
    .count(true);
  if (filter) request = request.filter(filter);
  const page: ODataPage<ManagedDevice> = await request.get();
  return typeof page["@odata.count"] === "number" ? page["@odata.count"] : undefined;
}

interface ManagedDeviceOverview {
  enrolledDeviceCount?: number;
  deviceOperatingSystemSummary?: Record<string, number | undefined>;
}

/**
 * Devices per platform without reading the fleet: one $count=true&$top=1 request per platform (and one for the total,
 * so "Other" covers platforms we do not list). If Graph leaves out @odata.count, v1.0 managedDeviceOverview's
 * deviceOperatingSystemSummary is used instead. Either way about six small requests, for 100 or 100,000 devices.
 */
export async function countDevicesByPlatform(client: Client): Promise<PlatformCount[]> {
  let total: number | undefined;
  let counts: (number | undefined)[] = [];
  try {
    [total, ...counts] = await Promise.all([
      countWhere(client, null),
      ...OVERVIEW_PLATFORMS.map((platform) => countWhere(client, odataFilter([{ operatingSystem: platform }]))),
    ]);
  } catch (error) {
    // A Graph that refuses $count (400) still has the overview; anything else is a real failure.
    if ((error as { statusCode?: unknown }).statusCode !== 400) throw error;
  }
  if (total !== undefined && counts.every((count) => count !== undefined)) {
    const result: PlatformCount[] = OVERVIEW_PLATFORMS.map((platform, index) => ({ platform, count: counts[index] ?? 0 }));
    const other = total - result.reduce((sum, entry) => sum + entry.count, 0);
    if (other > 0) result.push({ platform: "Other", count: other });
    return result;
  }
  const overview: ManagedDeviceOverview = await client.api("/deviceManagement/managedDeviceOverview").version("v1.0").get();
  const summary = overview.deviceOperatingSystemSummary ?? {};
  const fromSummary: PlatformCount[] = [
    { platform: "Windows", count: summary.windowsCount ?? 0 },
    { platform: "iOS", count: summary.iosCount ?? 0 },
    { platform: "Android", count: summary.androidCount ?? 0 },
    { platform: "macOS", count: summary.macOSCount ?? 0 },
    { platform: "Linux", count: summary.linuxCount ?? 0 },
  ];
  const listed = fromSummary.reduce((sum, entry) => sum + entry.count, 0);
  const other = (overview.enrolledDeviceCount ?? listed) - listed;
  if (other > 0) fromSummary.push({ platform: "Other", count: other });
  return fromSummary;
}
