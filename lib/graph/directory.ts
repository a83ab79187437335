// Over 300 lines: a person's and a group's devices share one Graph plumbing (paging, errors, $batch matching).
/**
 * The ticket's directory sources (docs/product.md, "Journey 7: start from what the ticket names"): find a person or an
 * Entra group in Microsoft Entra ID, and turn them into Intune managed devices for the bulk preflight.
 *
 * - A person: `GET /users?$filter=startswith(displayName,'x') or startswith(userPrincipalName,'x')` (User.ReadBasic.All),
 *   then the Intune devices whose primary user they are (`/users/{id}/managedDevices`) and, where Graph describes them,
 *   their registered Entra devices (`/users/{id}/registeredDevices`) matched to managed devices by deviceId.
 * - A group: `GET /groups?$search="displayName:x"` as an advanced query (any word of the name that starts with x; the
 *   `startswith` filter when Graph refuses the search) (GroupMember.Read.All), its transitive device members
 *   (`/groups/{id}/transitiveMembers/microsoft.graph.device` as an advanced query, paged; every member kept by
 *   `@odata.type` when Graph refuses the cast; Device.Read.All, or Graph leaves out their deviceId), each matched to a
 *   managed device by `azureADDeviceId eq '<deviceId>'` in $batches of 20 side by side.
 *
 * Every literal goes through odata-query (quotes doubled, percent-encoded); ids reach a path only once checked as GUIDs;
 * nextLinks are followed only on the configured Graph and the path they continue (lib/graph/cursor.ts).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import { isGuid } from "@/lib/devices/ids";
import { isWindows } from "@/lib/devices/eligibility";
import { odataFilter } from "@/lib/devices/search";
import type { Device } from "@/lib/devices/types";
import { ActionFailure, type ActionError } from "@/lib/result";
import { inParallelBatches, readDeviceStates, responsesById, subResponseError, type BatchSubRequest } from "./batch";
import { checkedGraphLink } from "./cursor";
import { DEVICE_DETAIL_SELECT, MANAGED_DEVICES_PATH, mapManagedDevice } from "./devices";
import { DIRECTORY_ERRORS, mapGraphError, READ_DEVICES_ERRORS, type ErrorContext } from "./errors";

/** How long a search may be: longer than any display name or UPN prefix a helpdesk person types. */
export const DIRECTORY_SEARCH_MAX_LENGTH = 120;
/** How many people or groups one search shows: the user narrows the search past this. */
export const DIRECTORY_SEARCH_LIMIT = 20;
/** A group with more device members than one bulk run takes (lib/bulk/planner.ts MAX_DEVICES_PER_RUN) is refused. */
export const MAX_GROUP_DEVICES = 15_000;
/** Pages of 999 members read to count a group's other members; past this they are "more than". */
const MAX_MEMBER_COUNT_PAGES = 20;
/** Pages of every member read when Graph refuses the device cast: room for 15,000 devices among other members. */
const MAX_FALLBACK_MEMBER_PAGES = 40;
/** Pages of a person's devices; nobody is the primary user of 10 x 999 devices. */
const MAX_PERSON_PAGES = 10;

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string | null;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  description: string | null;
}

/** Why a device the person or group names is not offered for the run. */
export type LeftOutReason = "not-windows" | "not-in-intune" | "not-described";

export interface LeftOutDevice {
  /** The device's name (Intune's, else Entra's), or its object id when Graph gave no name. */
  name: string;
  reason: LeftOutReason;
  /** A short sentence: "iOS", "Registered in Entra ID, not enrolled in Intune". */
  detail: string;
}

export interface SourceDevices {
  /** The Windows devices in Intune, fresh records: what the preflight classifies (eligible or skipped and why). */
  devices: Device[];
  leftOut: LeftOutDevice[];
  /**
   * A group's transitive members that are not devices: the nested groups whose devices are included (transitive
   * membership takes them in), and the users and other objects (contacts, service principals) a reset cannot take.
   */
  otherMembers?: { groups: number; users: number; other: number; complete: boolean };
  /** Sentences about what could not be read (a person's registered devices) and so is not in the list. */
  notes: string[];
}

export type DirectorySearchCheck = { ok: true; text: string } | { ok: false; message: string };

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A person or group search as typed: trimmed; refused when empty, too long, or carrying control characters (tabs,
 * line breaks, NUL: nothing a name holds, and nothing to smuggle into OData). Quotes are fine: odata-query doubles them.
 */
export function checkDirectorySearch(raw: string): DirectorySearchCheck {
  if (CONTROL_CHARACTERS.test(raw)) return { ok: false, message: "The search can't contain control characters such as tabs or line breaks." };
  const text = raw.trim();
  if (text === "") return { ok: false, message: "Type the start of a name or user principal name." };
  if (text.length > DIRECTORY_SEARCH_MAX_LENGTH) {
    return { ok: false, message: `The search is too long (${text.length} characters); use at most ${DIRECTORY_SEARCH_MAX_LENGTH}.` };
  }
  return { ok: true, text };
}

/** `startswith(displayName,'x') or startswith(userPrincipalName,'x')`, literals escaped by odata-query. */
export function userSearchFilter(text: string): string {
  return odataFilter([{ or: [{ displayName: { startswith: text } }, { userPrincipalName: { startswith: text } }] }]);
}

/**
 * `"displayName:x"` for $search: Entra matches names with a word that starts with each word of x, so "Seattle" finds
 * "Lab - Seattle" (docs/graph.md, "Users, groups and Entra devices"). Double quotes and backslashes would end or
 * escape the clause, so they are dropped; null when nothing is left to search for.
 */
export function groupSearchClause(text: string): string | null {
  const words = text.replace(/["\\]/g, " ").replace(/\s+/g, " ").trim();
  return words === "" ? null : `"displayName:${words}"`;
}

/** `startswith(displayName,'x')`, the literal escaped by odata-query. */
export function groupSearchFilter(text: string): string {
  return odataFilter([{ displayName: { startswith: text } }]);
}

/** `azureADDeviceId eq '<deviceId>'` as one $batch sub-request URL (the whole query string encoded). */
export function managedDeviceByAzureIdUrl(deviceId: string): string {
  if (!isGuid(deviceId)) throw new TypeError("An Entra deviceId must be a GUID.");
  const filter = encodeURIComponent(`azureADDeviceId eq '${deviceId.toLowerCase()}'`);
  return `${MANAGED_DEVICES_PATH}?$filter=${filter}&$select=${DEVICE_DETAIL_SELECT.join(",")}`;
}

interface RawUser {
  id?: string | null;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

interface RawGroup {
  id?: string | null;
  displayName?: string | null;
  description?: string | null;
}

/** A directory object as a member list gives it: a device carries deviceId and operatingSystem when Graph says so. */
interface RawDirectoryObject {
  "@odata.type"?: string;
  id?: string | null;
  deviceId?: string | null;
  displayName?: string | null;
  operatingSystem?: string | null;
}

interface ODataList<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

const text = (value: string | null | undefined): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

export function mapUser(raw: RawUser): DirectoryUser | null {
  if (!raw.id || !isGuid(raw.id)) return null;
  return { id: raw.id, displayName: text(raw.displayName) ?? text(raw.userPrincipalName) ?? raw.id, userPrincipalName: text(raw.userPrincipalName) };
}

export function mapGroup(raw: RawGroup): DirectoryGroup | null {
  if (!raw.id || !isGuid(raw.id)) return null;
  return { id: raw.id, displayName: text(raw.displayName) ?? raw.id, description: text(raw.description) };
}

const byName = <T extends { displayName: string }>(a: T, b: T) => a.displayName.localeCompare(b.displayName, "en", { sensitivity: "base" });

/** Runs one Graph step and words its failure for that step (a directory read is not an Intune read). */
async function step<T>(context: ErrorContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    throw new ActionFailure(mapGraphError(error, context));
  }
}

/**
 * The advanced-query header. A type cast on a member list needs it and `$count=true` together, or Graph answers 400
 * Request_UnsupportedQuery (docs/graph.md, "Users, groups and Entra devices"); a nextLink keeps the `$count=true`, and
 * every page is sent with the header again.
 */
export const ADVANCED_QUERY_HEADERS: Readonly<Record<string, string>> = { ConsistencyLevel: "eventual" };

/** Reads every page of a list, following nextLinks on the configured Graph and the same path only. */
async function readAllPages<T>(
  client: Client, version: "v1.0" | "beta", path: string, query: string, graphBaseUrl: string, maxPages: number, headers: Readonly<Record<string, string>> = {},
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let link: string | null = `${path}?${query}`;
  for (let page = 0; page < maxPages && link; page++) {
    const answer: ODataList<T> = await client.api(link).version(version).headers({ ...headers }).get();
    items.push(...(answer.value ?? []));
    const next = answer["@odata.nextLink"];
    link = next ? checkedGraphLink(next, graphBaseUrl, `/${version}${path}`).slice(`/${version}`.length) : null;
  }
  return { items, complete: link === null };
}

export async function searchUsers(client: Client, search: string): Promise<DirectoryUser[]> {
  return step(DIRECTORY_ERRORS.users, async () => {
    const answer: ODataList<RawUser> = await client
      .api("/users")
      .version("v1.0")
      .filter(userSearchFilter(search))
      .select(["id", "displayName", "userPrincipalName"])
      .top(DIRECTORY_SEARCH_LIMIT)
      .get();
    return (answer.value ?? []).map(mapUser).filter((u): u is DirectoryUser => u !== null).sort(byName);
  });
}

export async function getUser(client: Client, userId: string): Promise<DirectoryUser> {
  if (!isGuid(userId)) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.users.notFoundMessage });
  return step(DIRECTORY_ERRORS.users, async () => {
    const raw: RawUser = await client.api(`/users/${userId}`).version("v1.0").select(["id", "displayName", "userPrincipalName"]).get();
    const user = mapUser(raw);
    if (!user) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.users.notFoundMessage });
    return user;
  });
}

export async function searchGroups(client: Client, search: string): Promise<DirectoryGroup[]> {
  const groups = (answer: ODataList<RawGroup>) => (answer.value ?? []).map(mapGroup).filter((g): g is DirectoryGroup => g !== null).sort(byName);
  const clause = groupSearchClause(search);
  if (clause !== null) {
    try {
      const request = client.api("/groups").version("v1.0").headers(ADVANCED_QUERY_HEADERS).search(clause);
      return groups(await request.select(["id", "displayName", "description"]).top(DIRECTORY_SEARCH_LIMIT).get());
    } catch (error) {
      if (!isUnsupportedQuery(error)) return step(DIRECTORY_ERRORS.groups, () => Promise.reject(error));
    }
  }
  return step(DIRECTORY_ERRORS.groups, async () =>
    groups(await client.api("/groups").version("v1.0").filter(groupSearchFilter(search)).select(["id", "displayName", "description"]).top(DIRECTORY_SEARCH_LIMIT).get()),
  );
}

export async function getGroup(client: Client, groupId: string): Promise<DirectoryGroup> {
  if (!isGuid(groupId)) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.groups.notFoundMessage });
  return step(DIRECTORY_ERRORS.groups, async () => {
    const raw: RawGroup = await client.api(`/groups/${groupId}`).version("v1.0").select(["id", "displayName", "description"]).get();
    const group = mapGroup(raw);
    if (!group) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.groups.notFoundMessage });
    return group;
  });
}

const isDeviceObject = (o: RawDirectoryObject) => o["@odata.type"] === "#microsoft.graph.device";
const isUserObject = (o: RawDirectoryObject) => o["@odata.type"] === "#microsoft.graph.user";
const isGroupObject = (o: RawDirectoryObject) => o["@odata.type"] === "#microsoft.graph.group";

/** What one `azureADDeviceId eq` lookup found: the managed devices (one, or more after a re-enrolment), or why not. */
export type AzureIdLookup = { deviceId: string; kind: "found"; devices: Device[] } | { deviceId: string; kind: "error"; error: ActionError };

/** Judges a lookup $batch's answer. A row for another deviceId means Graph ignored the filter: refused, never trusted. */
export function parseAzureIdLookupBatch(deviceIds: readonly string[], body: unknown): AzureIdLookup[] {
  const byId = responsesById(body);
  return deviceIds.map((deviceId, index): AzureIdLookup => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
    if (!sub || !Number.isInteger(status)) return { deviceId, kind: "error", error: { kind: "unavailable", message: "Graph's batch answer had no result for this device." } };
    if (status < 200 || status >= 300) return { deviceId, kind: "error", error: mapGraphError(subResponseError(sub, status), READ_DEVICES_ERRORS) };
    const rows = ((sub.body as ODataList<ManagedDevice> | undefined)?.value ?? []).map(mapManagedDevice);
    if (rows.some((row) => row.azureADDeviceId?.toLowerCase() !== deviceId.toLowerCase())) {
      return { deviceId, kind: "error", error: { kind: "unavailable", message: "Microsoft Graph did not apply the azureADDeviceId filter, so the devices could not be matched. Try again later." } };
    }
    return { deviceId, kind: "found", devices: rows };
  });
}

/** Managed devices by Entra deviceId, in $batches of 20 side by side (one server action, one round trip). */
export async function managedDevicesByAzureIds(client: Client, deviceIds: readonly string[]): Promise<AzureIdLookup[]> {
  const ids = [...new Set(deviceIds.map((id) => id.toLowerCase()))].filter(isGuid);
  return inParallelBatches(ids, async (chunk) => {
    const body: { requests: BatchSubRequest[] } = {
      requests: chunk.map((deviceId, index) => ({ id: String(index + 1), method: "GET", url: managedDeviceByAzureIdUrl(deviceId) })),
    };
    let answer: unknown;
    try {
      answer = await client.api("/$batch").version("beta").post(body);
    } catch (error) {
      const mapped = mapGraphError(error, READ_DEVICES_ERRORS);
      return chunk.map((deviceId): AzureIdLookup => ({ deviceId, kind: "error", error: mapped }));
    }
    return parseAzureIdLookupBatch(chunk, answer);
  });
}

/** The first lookup that failed stops the answer: a partial list would read as "these are all the devices". */
function foundOrThrow(lookups: AzureIdLookup[]): Map<string, Device[]> {
  const found = new Map<string, Device[]>();
  for (const lookup of lookups) {
    if (lookup.kind === "error") throw new ActionFailure(lookup.error);
    found.set(lookup.deviceId, lookup.devices);
  }
  return found;
}

/** Splits Intune records into the Windows devices offered and the others, left out as not Windows. */
function splitWindows(devices: Iterable<Device>, leftOut: LeftOutDevice[]): Device[] {
  const windows: Device[] = [];
  const seen = new Set<string>();
  for (const device of devices) {
    if (seen.has(device.id)) continue;
    seen.add(device.id);
    if (isWindows(device)) windows.push(device);
    else leftOut.push({ name: device.deviceName || device.id, reason: "not-windows", detail: device.operatingSystem || "Unknown platform" });
  }
  return windows.sort((a, b) => a.deviceName.localeCompare(b.deviceName, "en", { sensitivity: "base" }));
}

/** Entra devices (members, registered devices) matched to Intune: found records, and what is left out and why. */
async function matchEntraDevices(client: Client, entra: RawDirectoryObject[], leftOut: LeftOutDevice[], alreadyMatched: ReadonlySet<string> = new Set()): Promise<Device[]> {
  const described = entra.filter((d) => d.deviceId && isGuid(d.deviceId));
  for (const d of entra) {
    if (!d.deviceId || !isGuid(d.deviceId)) {
      leftOut.push({ name: text(d.displayName) ?? d.id ?? "Unknown device", reason: "not-described", detail: "Microsoft Graph did not give its device id" });
    }
  }
  const toLookUp = described.filter((d) => !alreadyMatched.has(d.deviceId!.toLowerCase()));
  const found = foundOrThrow(await managedDevicesByAzureIds(client, toLookUp.map((d) => d.deviceId!)));
  const devices: Device[] = [];
  for (const d of toLookUp) {
    const records = found.get(d.deviceId!.toLowerCase()) ?? [];
    if (records.length === 0) {
      leftOut.push({ name: text(d.displayName) ?? d.deviceId!, reason: "not-in-intune", detail: `In Entra ID${d.operatingSystem ? ` (${d.operatingSystem})` : ""}, not enrolled in Intune` });
    }
    devices.push(...records);
  }
  return devices;
}

/**
 * A person's devices: the Intune devices whose primary user they are, and their registered Entra devices that Intune
 * manages. The registered devices are a best effort: when Graph refuses them, or gives them without their deviceId,
 * a note or a left-out line says so and the managed devices still come back.
 */
export async function personDevices(client: Client, userId: string, graphBaseUrl: string): Promise<SourceDevices> {
  if (!isGuid(userId)) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.users.notFoundMessage });
  const [managed, registered] = await Promise.all([
    step({ ...READ_DEVICES_ERRORS, operation: "read this person's devices", notFoundMessage: DIRECTORY_ERRORS.users.notFoundMessage }, () =>
      readAllPages<{ id?: string | null }>(client, "v1.0", `/users/${userId}/managedDevices`, "$select=id", graphBaseUrl, MAX_PERSON_PAGES),
    ),
    readAllPages<RawDirectoryObject>(client, "v1.0", `/users/${userId}/registeredDevices`, "$select=id,deviceId,displayName,operatingSystem", graphBaseUrl, MAX_PERSON_PAGES).then(
      (answer) => ({ ok: true as const, items: answer.items }),
      (error: unknown) => ({ ok: false as const, error: error instanceof ActionFailure ? error.error : mapGraphError(error, DIRECTORY_ERRORS.registeredDevices) }),
    ),
  ]);

  const leftOut: LeftOutDevice[] = [];
  const notes: string[] = [];
  const ids = [...new Set(managed.items.map((d) => d.id).filter((id): id is string => typeof id === "string" && isGuid(id)))];
  const devices: Device[] = [];
  if (ids.length > 0) {
    for (const read of await readDeviceStates(client, ids)) {
      if (read.kind === "found") devices.push(read.device);
      else if (read.kind === "error") throw new ActionFailure(read.error);
    }
  }
  if (registered.ok) {
    const matched = new Set(devices.map((d) => d.azureADDeviceId?.toLowerCase()).filter((id): id is string => !!id));
    devices.push(...(await matchEntraDevices(client, registered.items.filter(isDeviceObject), leftOut, matched)));
  } else {
    notes.push(`Their registered devices were not read. ${registered.error.message}`);
  }
  if (!managed.complete) notes.push("They are the primary user of more devices than one list reads; only the first were read.");
  return { devices: splitWindows(devices, leftOut), leftOut, notes };
}

/**
 * An Entra group's devices: its transitive device members matched to Intune by deviceId, and how many members were
 * users or other objects (ignored). More than MAX_GROUP_DEVICES device members is refused: no run takes them.
 */
/** Graph refused the query itself (400 Request_UnsupportedQuery), not the caller or the group. */
export function isUnsupportedQuery(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  return e?.statusCode === 400 && e.code === "Request_UnsupportedQuery";
}

const MEMBER_DEVICE_SELECT = "$select=id,deviceId,displayName,operatingSystem&$top=999";

/**
 * A group's transitive device members: the cast `/transitiveMembers/microsoft.graph.device` as an advanced query;
 * when Graph refuses the cast itself, every transitive member, kept by `@odata.type` (docs/graph.md, "Users, groups and
 * Entra devices"). Anything else Graph refuses is worded for the step.
 */
async function readMemberDevices(client: Client, groupId: string, graphBaseUrl: string): Promise<{ items: RawDirectoryObject[]; complete: boolean }> {
  const pagesForDevices = Math.ceil(MAX_GROUP_DEVICES / 999) + 1;
  try {
    return await readAllPages<RawDirectoryObject>(
      client, "v1.0", `/groups/${groupId}/transitiveMembers/microsoft.graph.device`, `${MEMBER_DEVICE_SELECT}&$count=true`, graphBaseUrl, pagesForDevices, ADVANCED_QUERY_HEADERS,
    );
  } catch (error) {
    if (!isUnsupportedQuery(error)) return step(DIRECTORY_ERRORS.groupMembers, () => Promise.reject(error));
  }
  return step(DIRECTORY_ERRORS.groupMembers, async () => {
    const all = await readAllPages<RawDirectoryObject>(client, "v1.0", `/groups/${groupId}/transitiveMembers`, MEMBER_DEVICE_SELECT, graphBaseUrl, MAX_FALLBACK_MEMBER_PAGES);
    return { items: all.items.filter(isDeviceObject), complete: all.complete };
  });
}

export async function groupDevices(client: Client, groupId: string, graphBaseUrl: string): Promise<SourceDevices> {
  if (!isGuid(groupId)) throw new ActionFailure({ kind: "not-found", message: DIRECTORY_ERRORS.groups.notFoundMessage });
  const [members, everyone] = await Promise.all([
    readMemberDevices(client, groupId, graphBaseUrl),
    // Counting the others is a courtesy: when it fails, the devices still come back, and the count says it is unknown.
    readAllPages<RawDirectoryObject>(client, "v1.0", `/groups/${groupId}/transitiveMembers`, "$select=id&$top=999", graphBaseUrl, MAX_MEMBER_COUNT_PAGES).catch(() => null),
  ]);
  if (!members.complete || members.items.length > MAX_GROUP_DEVICES) {
    throw new ActionFailure({
      kind: "invalid",
      message: `This group has more than ${MAX_GROUP_DEVICES.toLocaleString("en")} devices; one bulk run takes at most that many. Choose a smaller group.`,
    });
  }
  const leftOut: LeftOutDevice[] = [];
  const devices = await matchEntraDevices(client, members.items, leftOut);
  let otherMembers: SourceDevices["otherMembers"];
  if (everyone) {
    const groups = everyone.items.filter(isGroupObject).length;
    const users = everyone.items.filter(isUserObject).length;
    const other = everyone.items.filter((o) => !isUserObject(o) && !isDeviceObject(o) && !isGroupObject(o)).length;
    otherMembers = { groups, users, other, complete: everyone.complete };
  }
  return { devices: splitWindows(devices, leftOut), leftOut, ...(otherMembers ? { otherMembers } : {}), notes: [] };
}
