/**
 * Control endpoints for the directory (no real Graph has them): the seeded groups with their member counts, users with
 * several Windows devices, and the consents personas gave themselves.
 */
import { json, type Reply } from "../http";
import type { EmulatorState } from "../state";
import { platformOf } from "../fleet/device";
import { directoryOf, type DirGroup, type DirObject } from "./model";

function counts(members: readonly DirObject[]) {
  const c = { total: members.length, devices: 0, users: 0, groups: 0 };
  for (const m of members) c[`${m.kind}s`]++;
  return c;
}

function groupSummary(state: EmulatorState, g: DirGroup, withMembers: boolean) {
  const dir = directoryOf(state.fleet);
  const transitive = dir.transitiveMembers(g);
  const summary: Record<string, unknown> = {
    id: g.id,
    displayName: g.displayName,
    dynamic: g.membershipRule !== null,
    members: counts(g.members),
    transitiveMembers: counts(transitive),
    nestedGroupIds: g.members.filter((m) => m.kind === "group").map((m) => m.id),
    parentGroupIds: dir.groups.filter((p) => p.members.includes(g)).map((p) => p.id),
  };
  if (withMembers) {
    const devices = transitive.filter((m) => m.kind === "device");
    summary.transitiveDevices = devices.map((d) => ({
      id: d.id, deviceId: d.deviceId, displayName: d.record.deviceName, managedDeviceId: d.record.deleted ? null : d.record.id,
      operatingSystem: platformOf(d.record), direct: g.members.includes(d),
    }));
    summary.transitiveUsers = transitive.filter((m) => m.kind === "user").map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName }));
  }
  return summary;
}

/** Answers /groups, /groups/{id}, /users and /consent; undefined for any other path. */
export function handleDirectoryControl(state: EmulatorState, method: string, path: string, query: URLSearchParams): Reply | undefined {
  const dir = () => directoryOf(state.fleet);
  if (path === "/groups" && method === "GET") return json(200, { value: dir().groups.map((g) => groupSummary(state, g, false)) });
  const groupMatch = /^\/groups\/([^/]+)$/.exec(path);
  if (groupMatch && method === "GET") {
    const g = dir().group(decodeURIComponent(groupMatch[1]!));
    return g ? json(200, groupSummary(state, g, true)) : json(404, { error: { code: "NotFound", message: `No group with id '${groupMatch[1]}'.` } });
  }
  if (path === "/users" && method === "GET") {
    const minWindows = Math.max(Number(query.get("withDevices") ?? "0") || 0, 0);
    const limit = Math.min(Math.max(Number(query.get("limit") ?? "20") || 20, 1), 1000);
    const value = [];
    for (const u of dir().users) {
      const managed = dir().managedDevices(u);
      const windows = managed.filter((d) => platformOf(d) === "Windows");
      if (windows.length < minWindows || (minWindows > 0 && u.fleetIndex < 0)) continue;
      value.push({
        id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName, accountEnabled: u.accountEnabled,
        managedDeviceIds: managed.map((d) => d.id), windowsDeviceIds: windows.map((d) => d.id),
        registeredDeviceIds: dir().ownedDevices(u).map((d) => d.id),
      });
      if (value.length >= limit) break;
    }
    return json(200, { value });
  }
  if (path === "/consent") {
    if (method === "GET") return json(200, state.consents.describe());
    if (method === "DELETE") {
      state.consents.clear();
      return json(200, state.consents.describe());
    }
  }
  return undefined;
}
