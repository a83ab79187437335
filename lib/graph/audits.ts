/**
 * The tenant's recent remote actions, from beta remoteActionAudits, for the device-actions monitor (docs/graph.md,
 * "Across the tenant (remoteActionAudits)").
 * Which `action` an Autopilot Reset records is UNVERIFIED: factoryResetKeepEnrollmentData and automaticRedeployment
 * both count as a reset. Whether Intune honours $filter on requestDateTime is UNVERIFIED too, so rows are checked
 * here and the page says when the filter was ignored.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ActionState, RemoteActionAudit } from "@microsoft/microsoft-graph-types-beta";
import { AUTOPILOT_RESET_AUDIT_ACTIONS, isActionNamed, RESET_ACTION_NAMES, RESET_AUDIT_ACTIONS } from "@/lib/devices/action-results";
import { odataFilter } from "@/lib/devices/search";
import type { DeviceAction, ResetAudit } from "@/lib/devices/types";
import { checkedGraphLink } from "./cursor";

const REMOTE_ACTION_AUDITS_PATH = "/deviceManagement/remoteActionAudits";
const BETA_AUDITS_PATH = `/beta${REMOTE_ACTION_AUDITS_PATH}`;

export interface DeviceActionRecord {
  id: string;
  /** reset: an Autopilot Reset; sync: a Sync; other: any other remote action (shown as its raw name). */
  kind: DeviceAction | "other";
  action: string;
  deviceId: string | null;
  deviceName: string | null;
  initiatedBy: string | null;
  deviceOwner: string | null;
  requestedAt: string | null;
  state: ActionState;
  category: "single" | "bulk" | "unknown";
  bulkActionId: string | null;
  /** The ticket reference this console's record of the same send holds (lib/actions/audits.ts adds it; Intune has none). */
  ticketReference?: string;
}

function kindOf(action: string): DeviceActionRecord["kind"] {
  // Not RESET_AUDIT_ACTIONS: a full wipe (factoryReset) is shown by its own name, never as "Autopilot Reset".
  if (isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, action)) return "reset";
  if (action.toLowerCase().includes("sync")) return "sync";
  return "other";
}

export function mapAudit(raw: RemoteActionAudit): DeviceActionRecord {
  const action = raw.action ?? "unknown";
  const category = raw.deviceActionCategory;
  return {
    id: raw.id ?? "",
    kind: kindOf(action),
    action,
    deviceId: raw.managedDeviceId || null,
    deviceName: raw.deviceDisplayName || null,
    initiatedBy: raw.initiatedByUserPrincipalName || null,
    deviceOwner: raw.deviceOwnerUserPrincipalName || null,
    requestedAt: raw.requestDateTime || null,
    state: raw.actionState ?? "none",
    category: category === "single" || category === "bulk" ? category : "unknown",
    bulkActionId: raw.bulkDeviceActionId || null,
  };
}

// ---- One device's resets, for "is a reset already pending?" ----------------------------------------------------------

/** How many of a device's newest audits are read: the newest reset is what matters. */
const DEVICE_AUDITS_TOP = 20;

function mapResetAudit(raw: RemoteActionAudit): ResetAudit {
  return {
    id: raw.id ?? "",
    action: raw.action ?? "unknown",
    state: raw.actionState ?? "none",
    requestedAt: raw.requestDateTime || null,
    initiatedBy: raw.initiatedByUserPrincipalName || null,
  };
}

/** The relative URL of one device's newest audits (also a $batch sub-request). The id is a validated GUID. */
export function deviceAuditsUrl(deviceId: string): string {
  const filter = encodeURIComponent(`managedDeviceId eq '${deviceId}'`);
  return `${REMOTE_ACTION_AUDITS_PATH}?$filter=${filter}&$orderby=requestDateTime%20desc&$top=${DEVICE_AUDITS_TOP}`;
}

/** Rows of one device's audit answer; rows of other devices are dropped, in case Graph ignored the filter. */
export function deviceAuditsFrom(deviceId: string, body: { value?: RemoteActionAudit[] } | undefined): ResetAudit[] {
  return (body?.value ?? [])
    .filter((raw) => (raw.managedDeviceId ?? "").toLowerCase() === deviceId.toLowerCase())
    .map(mapResetAudit);
}

export async function readDeviceAudits(client: Client, deviceId: string): Promise<ResetAudit[]> {
  const body: { value?: RemoteActionAudit[] } = await client
    .api(REMOTE_ACTION_AUDITS_PATH)
    .version("beta")
    .filter(`managedDeviceId eq '${deviceId}'`)
    .orderby("requestDateTime desc")
    .top(DEVICE_AUDITS_TOP)
    .get();
  return deviceAuditsFrom(deviceId, body);
}

// ---- The device-actions monitor's refresh (docs/product.md, "Journey 5: check reset status") -------------------------

const MANAGED_DEVICES_PATH = "/deviceManagement/managedDevices";
const V1_MANAGED_DEVICES_PATH = `/v1.0${MANAGED_DEVICES_PATH}`;
/** Graph's own page size for these lists: one request brings up to this many rows. */
const MONITOR_GRAPH_PAGE_SIZE = 1000;

export interface DeviceCheckIn {
  deviceId: string;
  deviceName: string | null;
  lastSyncDateTime: string | null;
}

export interface MonitorWindowRead {
  /** Autopilot Resets requested at or after `actionsFrom`, newest first (other remote actions are left out). */
  actions: DeviceActionRecord[];
  /** False when the page budget ran out before reaching `actionsFrom`: older rows were not refreshed. */
  actionsComplete: boolean;
  /** Devices whose last check-in is at or after `checkInsSince` (every device when it is null), newest first. */
  checkIns: DeviceCheckIn[];
  checkInsComplete: boolean;
  /** Graph requests this read made: the monitor paces itself on this, so its load is bounded whatever the row count. */
  graphRequests: number;
  /** Filters Graph ignored (its answer carried older rows; they were dropped here). */
  ignoredByGraph: string[];
}

type GraphPage<T> = { value?: T[]; "@odata.nextLink"?: string };

/**
 * Reads pages newest first until a row is older than `from` (also when Graph ignored the filter), the list ends, or
 * the page budget is spent.
 */
async function readNewestFirst<Raw, Row>(
  first: () => Promise<GraphPage<Raw>>,
  next: (link: string) => Promise<GraphPage<Raw>>,
  map: (raw: Raw) => Row,
  timeOf: (row: Row) => string | null,
  from: number | undefined,
  maxPages: number,
): Promise<{ rows: Row[]; complete: boolean; requests: number; filterIgnored: boolean }> {
  const rows: Row[] = [];
  let requests = 0;
  let filterIgnored = false;
  let page = await first();
  for (;;) {
    requests++;
    let reachedOlder = false;
    for (const raw of page.value ?? []) {
      const row = map(raw);
      const time = timeOf(row);
      if (from !== undefined && time !== null && Date.parse(time) < from) {
        reachedOlder = true;
        filterIgnored = true;
        continue;
      }
      rows.push(row);
    }
    const link = page["@odata.nextLink"];
    if (!link || reachedOlder) return { rows, complete: true, requests, filterIgnored };
    if (requests >= maxPages) return { rows, complete: false, requests, filterIgnored };
    page = await next(link);
  }
}

/**
 * One refresh of the monitor: the tenant's Autopilot Resets since `actionsFrom`, and the devices that checked in
 * since `checkInsSince` (one list call: never one request per device). The caller moves both bounds forward between
 * refreshes, so a steady-state refresh is one page of each.
 */
export async function readMonitorWindow(
  client: Client,
  query: { actionsFrom: string; checkInsSince: string | null; maxActionPages: number; maxCheckInPages: number },
  graphBaseUrl: string,
): Promise<MonitorWindowRead> {
  const audits = await readAuditsNewestFirst(client, new Date(Date.parse(query.actionsFrom)), graphBaseUrl, query.maxActionPages);

  const since = query.checkInsSince ? Date.parse(query.checkInsSince) : undefined;
  const checkIns = await readNewestFirst<{ id?: string; deviceName?: string | null; lastSyncDateTime?: string | null }, DeviceCheckIn>(
    () => {
      let request = client
        .api(MANAGED_DEVICES_PATH)
        .version("v1.0")
        .select(["id", "deviceName", "lastSyncDateTime"])
        .top(MONITOR_GRAPH_PAGE_SIZE)
        .orderby("lastSyncDateTime desc");
      if (since !== undefined) request = request.filter(odataFilter([{ lastSyncDateTime: { ge: new Date(since) } }]));
      return request.get();
    },
    (link) => client.api(checkedGraphLink(link, graphBaseUrl, V1_MANAGED_DEVICES_PATH).slice("/v1.0".length)).version("v1.0").get(),
    (raw) => ({
      deviceId: raw.id ?? "",
      deviceName: raw.deviceName || null,
      lastSyncDateTime: raw.lastSyncDateTime && !raw.lastSyncDateTime.startsWith("0001-01-01") ? raw.lastSyncDateTime : null,
    }),
    (checkIn) => checkIn.lastSyncDateTime,
    since,
    query.maxCheckInPages,
  );

  const ignored: string[] = [];
  if (audits.filterIgnored) ignored.push("requestDateTime");
  if (checkIns.filterIgnored) ignored.push("lastSyncDateTime");
  return {
    actions: audits.rows.filter((record) => record.kind === "reset"),
    actionsComplete: audits.complete,
    checkIns: checkIns.rows.filter((checkIn) => checkIn.deviceId !== ""),
    checkInsComplete: checkIns.complete,
    graphRequests: audits.requests + checkIns.requests,
    ignoredByGraph: ignored,
  };
}

/**
 * The tenant's Autopilot Resets requested since `from`, newest first, for the grid's reset status filter: the same
 * read as the monitor's, without the check-ins. `complete` is false when the page budget ran out first.
 */
export async function readResetAuditsSince(
  client: Client,
  from: Date,
  graphBaseUrl: string,
  maxPages: number,
): Promise<{ actions: DeviceActionRecord[]; complete: boolean; requests: number }> {
  const read = await readAuditsNewestFirst(client, from, graphBaseUrl, maxPages);
  return { actions: read.rows.filter((record) => record.kind === "reset"), complete: read.complete, requests: read.requests };
}

/** The tenant's remote action audits requested since `from`, newest first, at most `maxPages` pages. */
function readAuditsNewestFirst(client: Client, from: Date, graphBaseUrl: string, maxPages: number) {
  return readNewestFirst<RemoteActionAudit, DeviceActionRecord>(
    () =>
      client
        .api(REMOTE_ACTION_AUDITS_PATH)
        .version("beta")
        .top(MONITOR_GRAPH_PAGE_SIZE)
        .orderby("requestDateTime desc")
        .filter(odataFilter([{ requestDateTime: { ge: from } }]))
        .get(),
    (link) => client.api(checkedGraphLink(link, graphBaseUrl, BETA_AUDITS_PATH).slice("/beta".length)).version("beta").get(),
    mapAudit,
    (record) => record.requestedAt,
    from.getTime(),
    maxPages,
  );
}

// ---- The tenant's wipes of the last 24 hours, for the daily wipe limit (docs/graph.md, "Daily wipe limit") ----------

/**
 * Audit actions that count toward Intune's daily wipe limit: every wipe-type action the console knows (a full wipe,
 * either Autopilot Reset name, and "wipe" itself). Whether an Autopilot Reset counts is UNVERIFIED: assumed it does.
 */
const WIPE_AUDIT_ACTIONS: readonly string[] = [...new Set([...RESET_AUDIT_ACTIONS, ...RESET_ACTION_NAMES])];
/** Pages of 1,000 audits read at most: ten carry a day of a tenant that wipes far past the limit. */
const RECENT_WIPES_MAX_PAGES = 10;

export interface RecentWipes {
  /** requestDateTime (ms) of each wipe-type audit at or after `since`, newest first. */
  times: number[];
  /** False when the page budget ran out before reaching `since`: the count is a lower bound. */
  complete: boolean;
  /** Each device's newest Autopilot Reset since `since`: when, and who asked ("Recently reset", docs/product.md). */
  resets: { deviceId: string; at: string; by: string | null }[];
}

/**
 * The tenant's wipe-type remote actions requested at or after `since` (ISO, on Graph's clock), from beta
 * remoteActionAudits newest first; rows older than `since` are dropped here too, in case Graph ignored the filter.
 * Every state counts (a wipe that failed on the device was still executed).
 */
export async function countRecentWipes(client: Client, since: string, graphBaseUrl: string): Promise<RecentWipes> {
  const from = Date.parse(since);
  const read = await readNewestFirst<RemoteActionAudit, { action: string; requestedAt: string | null; deviceId: string; by: string | null }>(
    () =>
      client
        .api(REMOTE_ACTION_AUDITS_PATH)
        .version("beta")
        .top(MONITOR_GRAPH_PAGE_SIZE)
        .orderby("requestDateTime desc")
        .filter(odataFilter([{ requestDateTime: { ge: new Date(from) } }]))
        .select(["id", "action", "requestDateTime", "managedDeviceId", "initiatedByUserPrincipalName"])
        .get(),
    (link) => client.api(checkedGraphLink(link, graphBaseUrl, BETA_AUDITS_PATH).slice("/beta".length)).version("beta").get(),
    (raw) => ({ action: raw.action ?? "", requestedAt: raw.requestDateTime || null, deviceId: (raw.managedDeviceId ?? "").toLowerCase(), by: raw.initiatedByUserPrincipalName || null }),
    (row) => row.requestedAt,
    from,
    RECENT_WIPES_MAX_PAGES,
  );
  const times = read.rows
    .filter((row) => isActionNamed(WIPE_AUDIT_ACTIONS, row.action) && row.requestedAt !== null)
    .map((row) => Date.parse(row.requestedAt!))
    .filter((t) => Number.isFinite(t) && t >= from);
  const resets = new Map<string, { deviceId: string; at: string; by: string | null }>();
  for (const row of read.rows) {
    if (!row.deviceId || row.requestedAt === null || resets.has(row.deviceId) || !isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, row.action)) continue;
    if (Date.parse(row.requestedAt) >= from) resets.set(row.deviceId, { deviceId: row.deviceId, at: row.requestedAt, by: row.by });
  }
  return { times, complete: read.complete, resets: [...resets.values()] };
}
