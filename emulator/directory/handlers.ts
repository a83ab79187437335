/** Handlers of /users, /users/{id}/{managedDevices|registeredDevices|ownedDevices}, /devices and /groups (+ members). */
import { SCOPES } from "../tenant";
import type { Reply } from "../http";
import type { EmulatorState } from "../state";
import type { GraphCall } from "../graph/call";
import { graphError } from "../graph/errors";
import { listReply } from "../graph/handlers/list";
import { DEVICE_NAVIGATION } from "../graph/resources";
import { directoryOf, type DirObject, type DirUser } from "./model";
import { GROUP_SHAPE, USER_SHAPE, deviceShape, memberQueryShape, write, writeMember, type MemberShapes, type Shape } from "./shapes";
import { denied, entityReply, listDirectory, notFound } from "./list";

/** Delegated scopes per object type (graph-docs v1.0 user-list.md, device-list.md, group-list.md, group-list-members.md). */
export const USER_SCOPES = [SCOPES.userReadBasicAll, SCOPES.userReadAll, SCOPES.userReadWriteAll, SCOPES.directoryReadAll, SCOPES.directoryReadWriteAll];
/** Another user's registeredDevices/ownedDevices (user-list-registereddevices.md); User.Read covers the caller's own. */
export const USER_RELATION_SCOPES = [SCOPES.userReadAll, SCOPES.userReadWriteAll, SCOPES.directoryReadAll, SCOPES.directoryReadWriteAll];
export const DEVICE_SCOPES = [SCOPES.deviceReadAll, "Device.ReadWrite.All", SCOPES.directoryReadAll, SCOPES.directoryReadWriteAll];
export const GROUP_SCOPES = [
  SCOPES.groupMemberReadAll, SCOPES.groupMemberReadWriteAll, SCOPES.groupReadAll, SCOPES.groupReadWriteAll, SCOPES.directoryReadAll, SCOPES.directoryReadWriteAll,
];

const has = (call: GraphCall, scopes: readonly string[]) => scopes.some((s) => call.auth.scopes.has(s));
const USER_SEARCH = ["displayName", "givenName", "surname", "mail", "userPrincipalName"];

function shapes(state: EmulatorState): MemberShapes {
  return { user: USER_SHAPE, device: deviceShape(state.fleet), group: GROUP_SHAPE };
}

/** The user a key names (object id or userPrincipalName); the caller's own with User.Read alone. */
function findUser(state: EmulatorState, call: GraphCall, raw: string, wider: readonly string[]): DirUser | Reply {
  const key = raw.replace(/^\('?|'?\)$/g, "");
  const user = directoryOf(state.fleet).user(key);
  const self = user?.id === call.auth.persona.oid;
  if (!has(call, wider) && !(self && call.auth.scopes.has(SCOPES.userRead))) return denied(call);
  return user ?? notFound(call, key);
}

export function listUsers(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  return listDirectory(state, call, {
    entitySet: "users", rows: directoryOf(state.fleet).users, shape: USER_SHAPE, selectable: [USER_SHAPE as Shape<unknown>],
    searchable: USER_SEARCH, write: (u, select, now) => write(USER_SHAPE, u, select, now), countOnly: params[0] !== undefined,
  });
}

export function getUser(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const user = findUser(state, call, params[0]!, USER_SCOPES);
  if ("status" in user) return user;
  return entityReply(call, "users", USER_SHAPE, (select) => write(USER_SHAPE, user, select, state.clock.now()));
}

/** Intune's devices whose primary user this is: the managedDevice shape and query options of deviceManagement/managedDevices. */
export function userManagedDevices(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const key = params[0]!.replace(/^\('?|'?\)$/g, "");
  const user = directoryOf(state.fleet).user(key);
  if (!user) return notFound(call, key);
  const devices = directoryOf(state.fleet).managedDevices(user);
  return listReply(state, call, {
    entitySet: `users('${user.id}')/managedDevices`,
    schema: state.resources.deviceSchemas[call.version],
    source: { length: devices.length, at: (i) => devices[i] },
    cacheKey: (filterText) => `userDevices|${user.id}|${call.version}|${filterText}|${state.fleet.version}`,
    serialize: (d, select, now) => state.resources.serializeDevice(d, { version: call.version, select, singleWithSelect: false, now }),
    navigation: DEVICE_NAVIGATION,
  });
}

/** registeredDevices / ownedDevices: directoryObjects; device properties need Device.Read.All (else id only). */
export function userDirectoryDevices(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const user = findUser(state, call, params[0]!, USER_RELATION_SCOPES);
  if ("status" in user) return user;
  const s = shapes(state);
  const readable = has(call, DEVICE_SCOPES);
  return listDirectory(state, call, {
    entitySet: "directoryObjects", rows: directoryOf(state.fleet).ownedDevices(user), selectable: [s.device as Shape<unknown>],
    write: (d, select, now) => writeMember(d, s, select, now, readable),
  });
}

export function listEntraDevices(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const shape = deviceShape(state.fleet);
  return listDirectory(state, call, {
    entitySet: "devices", rows: directoryOf(state.fleet).devices, shape, selectable: [shape as Shape<unknown>],
    searchable: ["displayName"], write: (d, select, now) => write(shape, d, select, now), countOnly: params[0] !== undefined,
  });
}

/** GET /devices/{objectId} or /devices(deviceId='{deviceId}'). */
export function getEntraDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const dir = directoryOf(state.fleet);
  const byDeviceId = /^\(deviceId='([^']*)'\)$/i.exec(params[0]!);
  const key = byDeviceId ? byDeviceId[1]! : params[0]!.replace(/^\('?|'?\)$/g, "");
  const device = byDeviceId ? dir.deviceByDeviceId(key) : dir.device(key);
  if (!device) return notFound(call, key);
  const shape = deviceShape(state.fleet);
  return entityReply(call, "devices", shape, (select) => write(shape, device, select, state.clock.now()));
}

export function listGroups(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  return listDirectory(state, call, {
    entitySet: "groups", rows: directoryOf(state.fleet).groups, shape: GROUP_SHAPE, selectable: [GROUP_SHAPE as Shape<unknown>],
    searchable: ["displayName", "description", "mailNickname"], write: (g, select, now) => write(GROUP_SHAPE, g, select, now),
    countOnly: params[0] !== undefined,
  });
}

export function getGroup(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const group = directoryOf(state.fleet).group(params[0]!.replace(/^\('?|'?\)$/g, ""));
  if (!group) return notFound(call, params[0]!);
  return entityReply(call, "groups", GROUP_SHAPE, (select) => write(GROUP_SHAPE, group, select, state.clock.now()));
}

const CASTS = { user: "users", device: "devices", group: "groups" } as const;
const MEMBER_SEARCH = { user: USER_SEARCH, device: ["displayName"], group: ["displayName", "description", "mailNickname"] } as const;
/** A member list of every type: $search on displayName and description (group-list-transitivemembers.md). */
const MIXED_MEMBER_SEARCH = ["displayName", "description"];

/** members / transitiveMembers, optionally cast to user, device or group, optionally /$count. */
export function groupMembers(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const [rawId, relation, cast, count] = params;
  const dir = directoryOf(state.fleet);
  const group = dir.group(rawId!.replace(/^\('?|'?\)$/g, ""));
  if (!group) return notFound(call, rawId!);
  // "microsoft.graph.device" or its alias "graph.device" (the path Microsoft's Kiota SDKs send).
  const castKind = cast?.replace(/^(?:microsoft\.)?graph\./i, "") as keyof typeof CASTS | undefined;
  if (castKind !== undefined && !(castKind in CASTS)) {
    // group-list-transitivemembers.md: a cast to an unsupported member type is 400 Request_UnsupportedQuery.
    return graphError(400, "Request_UnsupportedQuery", `The type '${cast}' is not a supported member type of a group for this request.`, call.ctx);
  }
  if (castKind !== undefined && state.fidelity.memberCasts === "refused") {
    return graphError(400, "Request_UnsupportedQuery", "The specified type cast on the reference property query is currently not supported.", call.ctx);
  }
  const all = relation === "transitiveMembers" ? dir.transitiveMembers(group) : dir.members(group);
  const rows = castKind ? all.filter((m) => m.kind === castKind) : all;
  const s = shapes(state);
  const readable = (m: DirObject) => (m.kind === "device" ? has(call, DEVICE_SCOPES) : m.kind === "user" ? has(call, USER_SCOPES) : true);
  const typed = castKind ? (s[castKind] as Shape<DirObject>) : undefined;
  return listDirectory<DirObject>(state, call, {
    // $filter/$search as an advanced query (group-list-transitivemembers.md): a cast list on its type's properties,
    // a mixed one on what every member has.
    entitySet: castKind ? CASTS[castKind] : "directoryObjects", rows, shape: typed ?? memberQueryShape(s),
    searchable: castKind ? MEMBER_SEARCH[castKind] : MIXED_MEMBER_SEARCH, memberList: true,
    selectable: typed ? [typed as Shape<unknown>] : [s.user, s.device, s.group] as Shape<unknown>[],
    write: (m, select, now) => writeMember(m, s, select, now, readable(m)), countOnly: count !== undefined, cast: castKind !== undefined,
  });
}
