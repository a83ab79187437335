/**
 * The emulator's Entra directory through the real @microsoft/microsoft-graph-client: user search by prefix and by
 * $search, paging, a user's managed and registered devices, a group's members vs transitiveMembers (nested), the
 * device cast, /devices?$filter=deviceId eq, and each scope's refusal (docs/graph.md, "Users, groups and Entra devices").
 */
import { describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { createGraphClient } from "@/lib/graph/client";
import { failureOf, withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 600, seed: 31 });

interface GroupSummary {
  id: string;
  displayName: string;
  members: { total: number; devices: number; users: number; groups: number };
  transitiveMembers: { total: number; devices: number; users: number; groups: number };
  nestedGroupIds: string[];
}

/** A client whose token carries exactly `scopes` (POST /_emulator/token {scopes}). */
async function scoped(scopes: string[], version: "v1.0" | "beta" = "v1.0"): Promise<Client> {
  const { access_token } = await emulator.control<{ access_token: string }>("POST", "/_emulator/token", { persona: "helpdesk", scopes });
  return createGraphClient(access_token, { version, graphBaseUrl: emulator.url });
}

async function groupNamed(name: string): Promise<GroupSummary> {
  const { value } = await emulator.control<{ value: GroupSummary[] }>("GET", "/_emulator/groups");
  return value.find((g) => g.displayName === name)!;
}

/** A nextLink as the client's relative path (the SDK treats only Graph's own hosts as absolute URLs). */
const relative = (link: string) => link.replace(emulator.url, "").replace(/^\/(v1\.0|beta)/, "");

const keys = (row: Record<string, unknown>) => Object.keys(row).filter((k) => !k.startsWith("@odata")).sort();

describe("users", () => {
  it("finds users by displayName or userPrincipalName prefix, with the default property set", async () => {
    const graph = await emulator.client("helpdesk");
    const page = await graph.api("/users").filter("startswith(displayName,'ad') or startswith(userPrincipalName,'ad')").get();
    expect(page.value.length).toBeGreaterThan(0);
    for (const u of page.value) expect(`${u.displayName}|${u.userPrincipalName}`.toLowerCase()).toMatch(/^ad|\|ad/);
    expect(keys(page.value[0])).toEqual(
      ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"],
    );
    const selected = await graph.api("/users").select(["id", "department", "accountEnabled"]).top(3).get();
    expect(keys(selected.value[0])).toEqual(["accountEnabled", "department", "id"]);
  });

  it("pages 999 at most, by @odata.nextLink", async () => {
    const graph = await emulator.client("helpdesk");
    const first = await graph.api("/users").top(200).select(["id"]).get();
    expect(first.value).toHaveLength(200);
    expect(first["@odata.nextLink"]).toContain("$skiptoken=");
    const second = await graph.api(relative(first["@odata.nextLink"])).get();
    expect(second.value[0].id).not.toBe(first.value[0].id);
    const error = await failureOf(graph.api("/users").top(1000).get());
    expect(error.statusCode).toBe(400);
  });

  it("answers $search only with ConsistencyLevel: eventual", async () => {
    const graph = await emulator.client("helpdesk");
    const error = await failureOf(graph.api("/users").search('"displayName:adele"').get());
    expect([error.statusCode, error.code]).toEqual([400, "Request_UnsupportedQuery"]);
    const found = await graph.api("/users").header("ConsistencyLevel", "eventual").search('"displayName:adele"').count(true).get();
    expect(found["@odata.count"]).toBe(found.value.length);
    for (const u of found.value) expect(u.displayName.toLowerCase()).toMatch(/\badele/);
  });

  it("gets a user by id or userPrincipalName, and lists the Intune devices whose primary user they are", async () => {
    const { value } = await emulator.control<{ value: { id: string; userPrincipalName: string; windowsDeviceIds: string[] }[] }>(
      "GET", "/_emulator/users?withDevices=2&limit=1",
    );
    const person = value[0]!;
    const graph = await emulator.client("helpdesk", "beta");
    expect((await graph.api(`/users/${person.userPrincipalName}`).get()).id).toBe(person.id);
    const devices = await graph.api(`/users/${person.id}/managedDevices`).select(["id", "userPrincipalName", "azureADDeviceId"]).get();
    expect(devices.value.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(person.windowsDeviceIds));
    for (const d of devices.value) expect(d.userPrincipalName).toBe(person.userPrincipalName);
  });

  it("lists registered devices as directory objects, with limited information without Device.Read.All", async () => {
    const { value } = await emulator.control<{ value: { id: string; registeredDeviceIds: string[] }[] }>("GET", "/_emulator/users?withDevices=1&limit=1");
    const person = value[0]!;
    const full = await (await scoped(["User.Read.All", "Device.Read.All"])).api(`/users/${person.id}/registeredDevices`).get();
    expect(full.value[0]["@odata.type"]).toBe("#microsoft.graph.device");
    expect(full.value[0].deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(full.value[0].id).not.toBe(full.value[0].deviceId);
    const limited = await (await scoped(["User.Read.All"])).api(`/users/${person.id}/registeredDevices`).get();
    expect(limited.value[0].id).toBe(full.value[0].id);
    expect(limited.value[0].deviceId).toBeNull();
  });
});

describe("Entra devices", () => {
  it("finds the device object of a managed device by deviceId (= azureADDeviceId)", async () => {
    const beta = await emulator.client("helpdesk", "beta");
    const managed = (await beta.api("/deviceManagement/managedDevices").select(["id", "azureADDeviceId", "deviceName"]).top(1).get()).value[0];
    const found = await (await emulator.client("helpdesk")).api("/devices").filter(`deviceId eq '${managed.azureADDeviceId}'`).get();
    expect(found.value).toHaveLength(1);
    const device = found.value[0];
    expect(device.displayName).toBe(managed.deviceName);
    expect(device.id).not.toBe(device.deviceId);
    expect(["AzureAd", "ServerAd", "Workplace"]).toContain(device.trustType);
    const byId = await (await emulator.client("helpdesk")).api(`/devices/${device.id}`).get();
    expect(byId.deviceId).toBe(managed.azureADDeviceId);
  });
});

describe("groups", () => {
  it("finds groups by prefix; a nested group's transitive members differ from its direct ones", async () => {
    const graph = await emulator.client("helpdesk");
    const labs = await graph.api("/groups").filter("startswith(displayName,'Lab - Seattle')").select(["id", "displayName"]).get();
    expect(labs.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual(["Lab - Seattle", "Lab - Seattle Room 101", "Lab - Seattle Room 102"]);
    const site = await groupNamed("Lab - Seattle");
    expect(site.nestedGroupIds).toHaveLength(2);
    const direct = await graph.api(`/groups/${site.id}/members`).top(999).get();
    const transitive = await graph.api(`/groups/${site.id}/transitiveMembers`).top(999).get();
    expect(direct.value).toHaveLength(site.members.total);
    expect(transitive.value).toHaveLength(site.transitiveMembers.total);
    expect(transitive.value.length).toBeGreaterThan(direct.value.length);
    expect(direct.value.filter((m: { "@odata.type": string }) => m["@odata.type"] === "#microsoft.graph.group")).toHaveLength(2);
    expect(new Set(transitive.value.map((m: { id: string }) => m.id)).size).toBe(transitive.value.length);
  });

  it("casts members to devices, and pages a large group", async () => {
    const graph = await emulator.client("helpdesk");
    const mixed = await groupNamed("Field Sales - Phones and Laptops");
    const devices = await graph
      .api(`/groups/${mixed.id}/members/microsoft.graph.device`).header("ConsistencyLevel", "eventual").count(true).select(["id", "deviceId", "operatingSystem"]).get();
    expect(devices["@odata.count"]).toBe(mixed.members.devices);
    expect(devices.value).toHaveLength(mixed.members.devices);
    expect(devices.value.some((d: { operatingSystem: string }) => d.operatingSystem !== "Windows")).toBe(true);
    const all = await groupNamed("All Autopilot devices");
    expect(all.transitiveMembers.devices).toBeGreaterThan(400);
    let link: string | undefined = `/groups/${all.id}/transitiveMembers/microsoft.graph.device?$select=id,deviceId&$top=100&$count=true`;
    let seen = 0;
    let pages = 0;
    while (link) {
      const page: { value: unknown[]; "@odata.nextLink"?: string } = await graph.api(link).header("ConsistencyLevel", "eventual").get();
      seen += page.value.length;
      pages++;
      link = page["@odata.nextLink"] && relative(page["@odata.nextLink"]);
    }
    expect(seen).toBe(all.transitiveMembers.devices);
    expect(pages).toBe(Math.ceil(seen / 100));
  });
});

describe("advanced queries (docs/graph.md, \"Users, groups and Entra devices\")", () => {
  it("refuses a cast on a member list without ConsistencyLevel: eventual and $count=true, as Graph does", async () => {
    const graph = await emulator.client("helpdesk");
    const room = await groupNamed("Lab - Seattle Room 101");
    const path = `/groups/${room.id}/transitiveMembers/microsoft.graph.device`;
    for (const request of [graph.api(path), graph.api(path).header("ConsistencyLevel", "eventual"), graph.api(path).count(true)]) {
      const error = await failureOf(request.get());
      expect([error.statusCode, error.code]).toEqual([400, "Request_UnsupportedQuery"]);
    }
    const ok = await graph.api(path).header("ConsistencyLevel", "eventual").count(true).get();
    expect(ok["@odata.count"]).toBe(room.transitiveMembers.devices);
  });

  it("ignores $count=true without the header (200, no @odata.count); /$count without it is 400", async () => {
    const graph = await emulator.client("helpdesk");
    const page = await graph.api("/users").count(true).top(5).get();
    expect(page.value).toHaveLength(5);
    expect(page["@odata.count"]).toBeUndefined();
    const error = await failureOf(graph.api("/users/$count").get());
    expect([error.statusCode, error.code]).toEqual([400, "Request_BadRequest"]);
    const count = await graph.api("/users/$count").header("ConsistencyLevel", "eventual").get();
    expect(Number(count)).toBeGreaterThan(0);
  });

  it("takes ne only as an advanced query", async () => {
    const graph = await emulator.client("helpdesk");
    const error = await failureOf(graph.api("/users").filter("userType ne 'Guest'").header("ConsistencyLevel", "eventual").get());
    expect([error.statusCode, error.code]).toEqual([400, "Request_UnsupportedQuery"]);
  });

  it("selects any property of the schema on lists, null where the tenant has no value", async () => {
    const graph = await emulator.client("helpdesk");
    const users = await graph.api("/users").select(["id", "city", "employeeId", "createdDateTime", "onPremisesSyncEnabled"]).top(2).get();
    expect(keys(users.value[0])).toEqual(["city", "createdDateTime", "employeeId", "id", "onPremisesSyncEnabled"]);
    const groups = await graph.api("/groups").select(["id", "expirationDateTime", "renewedDateTime", "uniqueName"]).top(2).get();
    expect(keys(groups.value[0])).toEqual(["expirationDateTime", "id", "renewedDateTime", "uniqueName"]);
    const devices = await graph.api("/devices").select(["id", "enrollmentType", "managementType", "isRooted"]).top(2).get();
    expect(keys(devices.value[0])).toEqual(["enrollmentType", "id", "isRooted", "managementType"]);
    const error = await failureOf(graph.api("/users").select(["id", "notAProperty"]).get());
    expect([error.statusCode, error.code]).toEqual([400, "Request_BadRequest"]);
  });
});

describe("scope refusals", () => {
  const refusal = async (graph: Client, path: string) => {
    const error = await failureOf(graph.api(path).get());
    return [error.statusCode, error.code, error.message];
  };
  const DENIED = [403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."];

  it("users need User.ReadBasic.All (or wider), groups GroupMember.Read.All, devices Device.Read.All", async () => {
    const intuneOnly = await scoped(["DeviceManagementManagedDevices.Read.All", "User.Read"]);
    expect(await refusal(intuneOnly, "/users")).toEqual(DENIED);
    expect(await refusal(intuneOnly, "/groups")).toEqual(DENIED);
    expect(await refusal(intuneOnly, "/devices")).toEqual(DENIED);
    const { value } = await emulator.control<{ value: { id: string }[] }>("GET", "/_emulator/users?withDevices=1&limit=1");
    expect(await refusal(intuneOnly, `/users/${value[0]!.id}`)).toEqual(DENIED);
    expect(await refusal(await scoped(["User.ReadBasic.All"]), `/users/${value[0]!.id}/registeredDevices`)).toEqual(DENIED);
    expect((await (await scoped(["Directory.Read.All"])).api("/groups").top(1).get()).value).toHaveLength(1);
  });

  it("a user's managed devices need DeviceManagementManagedDevices.Read.All (Intune's refusal)", async () => {
    const { value } = await emulator.control<{ value: { id: string }[] }>("GET", "/_emulator/users?withDevices=1&limit=1");
    const error = await failureOf((await scoped(["User.ReadBasic.All"])).api(`/users/${value[0]!.id}/managedDevices`).get());
    expect([error.statusCode, error.code]).toEqual([403, "Forbidden"]);
  });

  it("noconsent's tokens lack GroupMember.Read.All and Device.Read.All: group members without device details are refused", async () => {
    const patti = await emulator.client("noconsent");
    expect(await refusal(patti, "/groups")).toEqual(DENIED);
    expect(await refusal(patti, "/devices")).toEqual(DENIED);
    const members = await (await scoped(["GroupMember.Read.All"])).api(`/groups/${(await groupNamed("Lab - Seattle Room 101")).id}/members`).get();
    expect(members.value[0]).toMatchObject({ "@odata.type": "#microsoft.graph.device", deviceId: null, displayName: null });
  });
});
