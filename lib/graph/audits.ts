/**
 * The tenant's recent remote actions, from beta remoteActionAudits (GRAPH.md §4), for the device-actions monitor.
 * Which `action` an Autopilot Reset records is UNVERIFIED: factoryResetKeepEnrollmentData and automaticRedeployment
 * both count as a reset. Whether Intune honours $filter on requestDateTime is UNVERIFIED too, so rows are checked
 * here and the page says when the filter was ignored.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ActionState, RemoteActionAudit } from "@microsoft/microsoft-graph-types-beta";
import { odataFilter } from "@/lib/devices/search";
import { checkedGraphLink, decodeCursor, encodeCursor, queryFingerprint } from "./cursor";

export const REMOTE_ACTION_AUDITS_PATH = "/deviceManagement/remoteActionAudits";
const BETA_AUDITS_PATH = `/beta${REMOTE_ACTION_AUDITS_PATH}`;
const RESET_AUDIT_ACTIONS = ["factoryresetkeepenrollmentdata", "automaticredeployment"];

export interface DeviceActionRecord {
  id: string;
  /** reset: an Autopilot Reset; sync: a Sync; other: any other remote action (shown as its raw name). */
  kind: "reset" | "sync" | "other";
  action: string;
  deviceId: string | null;
  deviceName: string | null;
  initiatedBy: string | null;
  deviceOwner: string | null;
  requestedAt: string | null;
  state: ActionState;
  category: "single" | "bulk" | "unknown";
  bulkActionId: string | null;
}

export interface DeviceActionPage {
  actions: DeviceActionRecord[];
  nextCursor: string | null;
  /** ["requestDateTime"] when Graph returned rows older than `since` (its filter was ignored). */
  ignoredByGraph: string[];
}

function kindOf(action: string): DeviceActionRecord["kind"] {
  const name = action.toLowerCase();
  if (RESET_AUDIT_ACTIONS.includes(name)) return "reset";
  if (name.includes("sync")) return "sync";
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

export async function listRemoteActionAudits(
  client: Client,
  query: { since: string | null; cursor: string | null; pageSize: number },
  graphBaseUrl: string,
): Promise<DeviceActionPage> {
  const fingerprint = queryFingerprint({ audits: query.since });
  let response: { value?: RemoteActionAudit[]; "@odata.nextLink"?: string };
  if (query.cursor) {
    const link = decodeCursor(query.cursor, { fingerprint, streamKeys: ["audits"], graphBaseUrl, path: BETA_AUDITS_PATH }).audits;
    if (!link) return { actions: [], nextCursor: null, ignoredByGraph: [] };
    response = await client.api(link.slice("/beta".length)).version("beta").get();
  } else {
    let request = client.api(REMOTE_ACTION_AUDITS_PATH).version("beta").top(query.pageSize).orderby("requestDateTime desc");
    if (query.since) request = request.filter(odataFilter([{ requestDateTime: { ge: new Date(query.since) } }]));
    response = await request.get();
  }
  const rows = (response.value ?? []).map(mapAudit);
  const since = query.since ? Date.parse(query.since) : undefined;
  const tooOld = (record: DeviceActionRecord) => since !== undefined && record.requestedAt !== null && Date.parse(record.requestedAt) < since;
  const next = response["@odata.nextLink"];
  return {
    actions: rows.filter((record) => !tooOld(record)).sort((a, b) => (b.requestedAt ?? "").localeCompare(a.requestedAt ?? "")),
    nextCursor: next ? encodeCursor(fingerprint, { audits: checkedGraphLink(next, graphBaseUrl, BETA_AUDITS_PATH) }) : null,
    ignoredByGraph: rows.some(tooOld) ? ["requestDateTime"] : [],
  };
}
