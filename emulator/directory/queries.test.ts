/** Directory query options as Graph answers them (docs/graph.md, "Users, groups and Entra devices"; issue 20). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../server";
import { testClient } from "../test-client";

let emu: RunningEmulator;
const { graph } = testClient(() => emu);
const ADVANCED = { ConsistencyLevel: "eventual" };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 300, seed: 31 });
});
afterAll(() => emu.close());

const names = (answer: { json: { value: { displayName: string }[] } }) => answer.json.value.map((v) => v.displayName);
const sorted = (list: string[]) => [...list].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

describe("directory queries", () => {
  it("sorts users and groups by displayName, both ways, across pages", async () => {
    const first = await graph("intuneadmin", "GET", "/v1.0/users?$orderby=displayName&$top=50&$select=id,displayName");
    expect(first.status).toBe(200);
    expect(names(first)).toEqual(sorted(names(first)));
    const second = await graph("intuneadmin", "GET", first.json["@odata.nextLink"].replace(/^https?:\/\/[^/]+/, ""));
    expect(names(second)[0]!.toLowerCase().localeCompare(names(first).at(-1)!.toLowerCase())).toBeGreaterThanOrEqual(0);
    const groups = await graph("intuneadmin", "GET", "/v1.0/groups?$orderby=displayName desc");
    expect(names(groups)).toEqual(sorted(names(groups)).reverse());
    const refused = await graph("intuneadmin", "GET", "/v1.0/users?$orderby=jobTitle");
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: "Request_UnsupportedQuery", message: "Sorting not supported for current query." });
  });

  it("takes endsWith only as an advanced query", async () => {
    const path = "/v1.0/users?$filter=endswith(userPrincipalName,'@contoso.onmicrosoft.com')&$top=5";
    expect((await graph("intuneadmin", "GET", path)).json.error.code).toBe("Request_UnsupportedQuery");
    const ok = await graph("intuneadmin", "GET", `${path}&$count=true`, undefined, ADVANCED);
    expect(ok.status).toBe(200);
    expect(ok.json["@odata.count"]).toBeGreaterThan(5);
    expect(ok.json.value.every((u: { userPrincipalName: string }) => u.userPrincipalName.endsWith("@contoso.onmicrosoft.com"))).toBe(true);
  });

  it("writes the $select list into @odata.context, on lists and on one object", async () => {
    const list = await graph("intuneadmin", "GET", "/v1.0/groups?$select=displayName,id&$top=1");
    expect(list.json["@odata.context"]).toMatch(/\$metadata#groups\(displayName,id\)$/);
    const one = await graph("intuneadmin", "GET", `/v1.0/groups/${list.json.value[0].id}?$select=id`);
    expect(one.json["@odata.context"]).toMatch(/\$metadata#groups\(id\)\/\$entity$/);
  });

  it("answers /me as /users/{me}: the same object, and $select applies", async () => {
    const me = await graph("intuneadmin", "GET", "/v1.0/me");
    const byId = await graph("intuneadmin", "GET", `/v1.0/users/${me.json.id}`);
    expect(me.json).toEqual(byId.json);
    const selected = await graph("intuneadmin", "GET", "/v1.0/me?$select=displayName");
    expect(selected.json.displayName).toBe(me.json.displayName);
    expect(selected.json).not.toHaveProperty("jobTitle");
  });
});

describe("in", () => {
  it("takes `in` wherever it takes eq (graph-docs concepts/aad-advanced-queries.md), without the advanced parameters", async () => {
    const two = await graph("intuneadmin", "GET", "/v1.0/users?$top=2&$select=id,userPrincipalName");
    const upns: string[] = two.json.value.map((u: { userPrincipalName: string }) => u.userPrincipalName);
    const found = await graph("intuneadmin", "GET", `/v1.0/users?$filter=userPrincipalName in (${upns.map((u) => `'${u}'`).join(",")})&$select=id,userPrincipalName`);
    expect(found.status).toBe(200);
    expect(found.json.value.map((u: { userPrincipalName: string }) => u.userPrincipalName).sort()).toEqual([...upns].sort());
    expect((await graph("intuneadmin", "GET", "/v1.0/users?$filter=userPrincipalName in 'x'")).status).toBe(400);
    // Intune's managedDevices is not known to take it: still a syntax error there.
    expect((await graph("intuneadmin", "GET", "/beta/deviceManagement/managedDevices?$filter=deviceName in ('x')")).status).toBe(400);
  });
});

describe("member lists", () => {
  it("take $filter and $search on a cast list as an advanced query (the documented examples), and refuse them otherwise", async () => {
    const groups = await graph("intuneadmin", "GET", "/v1.0/groups?$filter=startswith(displayName,'Field Sales')");
    const id = groups.json.value[0].id;
    const users = `/v1.0/groups/${id}/transitiveMembers/microsoft.graph.user`;
    const all = await graph("intuneadmin", "GET", `${users}?$count=true`, undefined, ADVANCED);
    expect(all.json.value.length).toBeGreaterThan(1);
    const first = all.json.value[0];
    const filtered = await graph("intuneadmin", "GET", `${users}?$count=true&$filter=userPrincipalName eq '${first.userPrincipalName}'`, undefined, ADVANCED);
    expect(filtered.status).toBe(200);
    expect(filtered.json.value.map((u: { id: string }) => u.id)).toEqual([first.id]);
    const word = first.displayName.split(" ")[0];
    const searched = await graph("intuneadmin", "GET", `${users}?$count=true&$search="displayName:${word}"`, undefined, ADVANCED);
    expect(searched.json.value.some((u: { id: string }) => u.id === first.id)).toBe(true);
    for (const refused of [
      await graph("intuneadmin", "GET", `${users}?$filter=userPrincipalName eq 'x'`),
      await graph("intuneadmin", "GET", `/v1.0/groups/${id}/transitiveMembers?$count=true&$filter=displayName eq 'x'`, undefined, ADVANCED),
    ]) {
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe("Request_UnsupportedQuery");
    }
  });
});
