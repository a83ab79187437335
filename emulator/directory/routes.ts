/**
 * The directory's routes, in /v1.0 and /beta alike. Without a scope they name, Graph's directory answers 403
 * Authorization_RequestDenied "Insufficient privileges to complete the operation." (not Intune's JSON-in-message).
 */
import { INTUNE_ACTIONS, SCOPES } from "../tenant";
import type { Route } from "../graph/routes";
import { denied } from "./list";
import {
  DEVICE_SCOPES, GROUP_SCOPES, USER_RELATION_SCOPES, USER_SCOPES, getEntraDevice, getGroup, getUser, groupMembers, listEntraDevices, listGroups,
  listUsers, userDirectoryDevices, userManagedDevices,
} from "./handlers";

const KEY = "([^/]+)";
const COUNT = "(/\\$count)?";
const refuse = { scopeRefusal: denied };
/** The caller's own user needs User.Read only; the handler refuses anyone else's without a wider scope. */
const SELF_OR = (scopes: readonly string[]) => [SCOPES.userRead, ...scopes];

export const DIRECTORY_ROUTES: Route[] = [
  { method: "GET", pattern: new RegExp(`^/users${COUNT}$`, "i"), scopes: USER_SCOPES, handle: listUsers, ...refuse },
  {
    method: "GET", pattern: new RegExp(`^/users/${KEY}/managedDevices$`, "i"), scopes: [SCOPES.read, SCOPES.readWrite],
    permission: () => INTUNE_ACTIONS.devicesRead, handle: userManagedDevices,
  },
  { method: "GET", pattern: new RegExp(`^/users/${KEY}/(?:registeredDevices|ownedDevices)$`, "i"), scopes: SELF_OR(USER_RELATION_SCOPES), handle: userDirectoryDevices, ...refuse },
  { method: "GET", pattern: new RegExp(`^/users/${KEY}$`, "i"), scopes: SELF_OR(USER_SCOPES), handle: getUser, ...refuse },
  { method: "GET", pattern: new RegExp(`^/devices${COUNT}$`, "i"), scopes: DEVICE_SCOPES, handle: listEntraDevices, ...refuse },
  { method: "GET", pattern: /^\/devices(\(deviceId='[^']*'\)|\/[^/]+)$/i, scopes: DEVICE_SCOPES, handle: (s, c, p) => getEntraDevice(s, c, [p[0]!.replace(/^\//, "")]), ...refuse },
  { method: "GET", pattern: new RegExp(`^/groups${COUNT}$`, "i"), scopes: GROUP_SCOPES, handle: listGroups, ...refuse },
  {
    method: "GET", pattern: new RegExp(`^/groups/${KEY}/(members|transitiveMembers)(?:/((?:microsoft\\.)?graph\\.[A-Za-z]+))?${COUNT}$`, "i"),
    scopes: GROUP_SCOPES, handle: groupMembers, ...refuse,
  },
  { method: "GET", pattern: new RegExp(`^/groups/${KEY}$`, "i"), scopes: GROUP_SCOPES, handle: getGroup, ...refuse },
];
