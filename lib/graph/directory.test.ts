import type { Client } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { GROUP_SOURCE_SCOPES, hasScope, LOGIN_SCOPES, PERSON_SOURCE_SCOPES, SCOPE_NAMES } from "@/lib/auth/scopes";
import { ActionFailure } from "@/lib/result";
import {
  checkDirectorySearch,
  groupDevices,
  groupSearchClause,
  groupSearchFilter,
  managedDeviceByAzureIdUrl,
  mapGroup,
  mapUser,
  parseAzureIdLookupBatch,
  personDevices,
  searchGroups,
  searchUsers,
  userSearchFilter,
} from "./directory";
import { mapGraphError, DIRECTORY_ERRORS, directoryConsentError } from "./errors";

const GRAPH = "https://graph.microsoft.com";
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

interface Call {
  path: string;
  version?: string;
  filter?: string;
  search?: string;
  select?: string[];
  top?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A Graph client whose answers come from `answer(call)`; every call is recorded. */
function fakeClient(answer: (call: Call) => unknown): { client: Client; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    api(path: string) {
      const call: Call = { path };
      const request = {
        version(v: string) { call.version = v; return request; },
        filter(f: string) { call.filter = f; return request; },
        search(q: string) { call.search = q; return request; },
        select(s: string[]) { call.select = s; return request; },
        top(t: number) { call.top = t; return request; },
        headers(h: Record<string, string>) { call.headers = { ...call.headers, ...h }; return request; },
        async get() { calls.push(call); const a = answer(call); if (a instanceof Error) throw a; return a; },
        async post(body: unknown) { call.body = body; calls.push(call); const a = answer(call); if (a instanceof Error) throw a; return a; },
      };
      return request;
    },
  } as unknown as Client;
  return { client, calls };
}

const graphError = (statusCode: number, code: string, message = "x") => Object.assign(new Error(message), { statusCode, code });

const managed = (n: number, extra: Record<string, unknown> = {}) => ({
  id: guid(n),
  deviceName: `PC-${n}`,
  operatingSystem: "Windows",
  joinType: "azureADJoined",
  autopilotEnrolled: true,
  azureADDeviceId: guid(1000 + n),
  ...extra,
});

/** Answers a lookup $batch: each azureADDeviceId maps to the managed devices in `fleet`. */
function lookupAnswer(call: Call, fleet: Record<string, unknown>[]) {
  const requests = (call.body as { requests: { id: string; url: string }[] }).requests;
  return {
    responses: requests.map((r) => {
      const id = /azureADDeviceId%20eq%20'([0-9a-f-]+)'/.exec(r.url)?.[1];
      if (r.url.includes("/deviceManagement/managedDevices/")) {
        const deviceId = r.url.split("/deviceManagement/managedDevices/")[1]!.split("?")[0];
        const d = fleet.find((x) => x.id === deviceId);
        return d ? { id: r.id, status: 200, body: d } : { id: r.id, status: 404, body: { error: { code: "ResourceNotFound" } } };
      }
      return { id: r.id, status: 200, body: { value: fleet.filter((d) => d.azureADDeviceId === id) } };
    }),
  };
}

describe("the directory scopes", () => {
  it("are asked for only by the sources, never at sign-in", () => {
    expect(PERSON_SOURCE_SCOPES).toEqual([`${GRAPH}/User.ReadBasic.All`]);
    expect(GROUP_SOURCE_SCOPES).toEqual([`${GRAPH}/GroupMember.Read.All`, `${GRAPH}/Device.Read.All`]);
    for (const name of [SCOPE_NAMES.readUsersBasic, SCOPE_NAMES.readGroupMembers, SCOPE_NAMES.readDirectoryDevices]) {
      expect(hasScope(LOGIN_SCOPES, name)).toBe(false);
    }
  });
});

describe("checkDirectorySearch", () => {
  it("trims and keeps quotes (OData escapes them)", () => {
    expect(checkDirectorySearch("  O'Brien ")).toEqual({ ok: true, text: "O'Brien" });
  });

  it.each([
    ["empty", "   "],
    ["a tab", "Megan\tB"],
    ["a line break", "Megan\nor 1 eq 1"],
    ["NUL", "a\u0000b"],
    ["a C1 control", "a\u0085b"],
    ["too long", "a".repeat(121)],
  ])("refuses %s", (_label, raw) => {
    const checked = checkDirectorySearch(raw);
    expect(checked.ok).toBe(false);
  });
});

describe("search filters", () => {
  it("asks for either a display name or a UPN prefix", () => {
    expect(userSearchFilter("meg")).toBe("((startswith(displayName,'meg')) or (startswith(userPrincipalName,'meg')))");
    expect(groupSearchFilter("Lab")).toBe("startswith(displayName,'Lab')");
  });

  it("doubles quotes and percent-encodes the literal, so a search cannot close it", () => {
    const filter = userSearchFilter("x') or startswith(id,'");
    expect(filter).toContain("startswith(displayName,'x'')%20or%20startswith(id%2C''')");
    expect(groupSearchFilter("O'Brien & Co")).toBe("startswith(displayName,'O''Brien%20%26%20Co')");
  });

  it("looks up a managed device by azureADDeviceId in an encoded sub-request URL, GUIDs only", () => {
    const url = managedDeviceByAzureIdUrl(guid(7).toUpperCase());
    expect(url).toMatch(/^\/deviceManagement\/managedDevices\?\$filter=azureADDeviceId%20eq%20'00000000-0000-4000-8000-000000000007'&\$select=id,/);
    expect(() => managedDeviceByAzureIdUrl("x' or 1 eq 1")).toThrow(TypeError);
  });
});

describe("mapping", () => {
  it("maps users and groups, dropping rows without a GUID id", () => {
    expect(mapUser({ id: guid(1), displayName: "Megan", userPrincipalName: "m@x" })).toEqual({ id: guid(1), displayName: "Megan", userPrincipalName: "m@x" });
    expect(mapUser({ id: guid(1), displayName: "", userPrincipalName: "m@x" })?.displayName).toBe("m@x");
    expect(mapUser({ id: "../me" })).toBeNull();
    expect(mapGroup({ id: guid(2), displayName: "Lab", description: null })).toEqual({ id: guid(2), displayName: "Lab", description: null });
  });

  it("searches users on v1.0 with the filter, three fields and 20 rows, sorted by name", async () => {
    const { client, calls } = fakeClient(() => ({ value: [{ id: guid(2), displayName: "zed" }, { id: guid(1), displayName: "Adele" }, { id: "bad" }] }));
    const users = await searchUsers(client, "a");
    expect(users.map((u) => u.displayName)).toEqual(["Adele", "zed"]);
    expect(calls[0]).toMatchObject({ path: "/users", version: "v1.0", select: ["id", "displayName", "userPrincipalName"], top: 20 });
  });

  it("words a directory refusal as Entra's, not as an Intune role", async () => {
    const { client } = fakeClient(() => graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    const failure = await searchUsers(client, "a").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as ActionFailure).error.message).toBe(DIRECTORY_ERRORS.users.directoryRefusal);
    expect(mapGraphError(graphError(404, "Request_ResourceNotFound"), DIRECTORY_ERRORS.groups).message).toBe(DIRECTORY_ERRORS.groups.notFoundMessage);
  });

  it("words a missing directory scope as the console's consent sentence", () => {
    const error = directoryConsentError(SCOPE_NAMES.readUsersBasic);
    expect(error.kind).toBe("forbidden-consent");
    expect(error.message).toContain("User.ReadBasic.All");
    expect(error.message).toContain("An administrator must grant admin consent");
  });
});

describe("parseAzureIdLookupBatch", () => {
  it("finds zero, one or two managed devices per deviceId and refuses rows Graph did not filter", () => {
    const ids = [guid(1001), guid(1002), guid(1003), guid(1004)];
    const body = {
      responses: [
        { id: "2", status: 200, body: { value: [] } },
        { id: "1", status: 200, body: { value: [managed(1), managed(9, { azureADDeviceId: guid(1001) })] } },
        { id: "3", status: 200, body: { value: [managed(5)] } },
        { id: "4", status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests" } } },
      ],
    };
    const [one, none, unfiltered, throttled] = parseAzureIdLookupBatch(ids, body);
    expect(one).toMatchObject({ kind: "found" });
    expect(one!.kind === "found" && one!.devices.map((d) => d.id)).toEqual([guid(1), guid(9)]);
    expect(none).toEqual({ deviceId: guid(1002), kind: "found", devices: [] });
    expect(unfiltered).toMatchObject({ kind: "error", error: { kind: "unavailable" } });
    expect(throttled).toMatchObject({ kind: "error", error: { kind: "throttled", retryAfterSeconds: 3 } });
  });
});

describe("groupDevices", () => {
  it("matches transitive device members to Intune, in $batches of 20, and counts what was left out and ignored", async () => {
    const fleet = [
      ...Array.from({ length: 25 }, (_, i) => managed(i + 1)),
      managed(30, { operatingSystem: "iOS", deviceName: "IPHONE-30" }),
    ];
    const members = [
      ...fleet.map((d) => ({ "@odata.type": "#microsoft.graph.device", id: guid(5000 + Number(d.id.slice(-3))), deviceId: d.azureADDeviceId, displayName: d.deviceName })),
      { "@odata.type": "#microsoft.graph.device", id: guid(6001), deviceId: guid(7001), displayName: "ENTRA-ONLY", operatingSystem: "Windows" },
      { "@odata.type": "#microsoft.graph.device", id: guid(6002), deviceId: null, displayName: null },
    ];
    const groupId = guid(42);
    const { client, calls } = fakeClient((call) => {
      if (call.path === "/$batch") return lookupAnswer(call, fleet);
      if (call.path.startsWith(`/groups/${groupId}/transitiveMembers/microsoft.graph.device?`)) {
        // Two pages: the nextLink continues the same path on the configured Graph.
        if (call.path.includes("$skiptoken")) return { value: members.slice(20) };
        return { value: members.slice(0, 20), "@odata.nextLink": `${GRAPH}/v1.0/groups/${groupId}/transitiveMembers/microsoft.graph.device?$skiptoken=abc` };
      }
      if (call.path.startsWith(`/groups/${groupId}/transitiveMembers?`)) {
        return {
          value: [
            ...members.map((m) => ({ "@odata.type": m["@odata.type"], id: m.id })),
            { "@odata.type": "#microsoft.graph.user", id: guid(8001) },
            { "@odata.type": "#microsoft.graph.user", id: guid(8002) },
            { "@odata.type": "#microsoft.graph.group", id: guid(8003) },
          ],
        };
      }
      throw new Error(`unexpected ${call.path}`);
    });
    const source = await groupDevices(client, groupId, GRAPH);
    expect(source.devices).toHaveLength(25);
    expect(source.devices.every((d) => d.operatingSystem === "Windows")).toBe(true);
    expect(source.leftOut).toEqual(
      expect.arrayContaining([
        { name: "IPHONE-30", reason: "not-windows", detail: "iOS" },
        { name: "ENTRA-ONLY", reason: "not-in-intune", detail: "In Entra ID (Windows), not enrolled in Intune" },
        expect.objectContaining({ reason: "not-described" }),
      ]),
    );
    expect(source.otherMembers).toEqual({ groups: 1, users: 2, other: 0, complete: true });
    const batches = calls.filter((c) => c.path === "/$batch");
    expect(batches.map((b) => (b.body as { requests: unknown[] }).requests.length).sort()).toEqual([20, 7]);
    const casts = calls.filter((c) => c.path.includes("transitiveMembers/microsoft.graph.device?"));
    expect(casts[0]?.version).toBe("v1.0");
    // The cast is an advanced query on every page: the header, and $count=true (kept by the nextLink on real Graph).
    expect(casts).toHaveLength(2);
    for (const cast of casts) expect(cast.headers).toEqual({ ConsistencyLevel: "eventual" });
    expect(casts[0]!.path).toContain("$count=true");
  });

  it("reads every transitive member and keeps the devices when Graph refuses the cast itself", async () => {
    const groupId = guid(43);
    const fleet = [managed(1), managed(2)];
    const { client, calls } = fakeClient((call) => {
      if (call.path === "/$batch") return lookupAnswer(call, fleet);
      if (call.path.includes("microsoft.graph.device")) return graphError(400, "Request_UnsupportedQuery", "The specified type cast is not supported.");
      if (call.path.startsWith(`/groups/${groupId}/transitiveMembers?`)) {
        return {
          value: [
            ...fleet.map((d, i) => ({ "@odata.type": "#microsoft.graph.device", id: guid(5000 + i), deviceId: d.azureADDeviceId, displayName: d.deviceName })),
            { "@odata.type": "#microsoft.graph.user", id: guid(8001), displayName: "Adele" },
          ],
        };
      }
      throw new Error(`unexpected ${call.path}`);
    });
    const source = await groupDevices(client, groupId, GRAPH);
    expect(source.devices.map((d) => d.id).sort()).toEqual([guid(1), guid(2)]);
    expect(source.otherMembers).toEqual({ groups: 0, users: 1, other: 0, complete: true });
    expect(calls.some((c) => c.path.startsWith(`/groups/${groupId}/transitiveMembers?$select=id,deviceId`))).toBe(true);
  });

  it("does not fall back when Graph refuses for another reason: the refusal is worded for the step", async () => {
    const { client } = fakeClient((call) => (call.path.includes("transitiveMembers") ? graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.") : { value: [] }));
    await expect(groupDevices(client, guid(44), GRAPH)).rejects.toMatchObject({ error: { kind: "forbidden-role" } });
  });

  it("refuses a nextLink to another host", async () => {
    const groupId = guid(42);
    const { client } = fakeClient((call) =>
      call.path.includes("microsoft.graph.device") ? { value: [], "@odata.nextLink": `https://evil.example/v1.0/groups/${groupId}/transitiveMembers/microsoft.graph.device` } : { value: [] },
    );
    await expect(groupDevices(client, groupId, GRAPH)).rejects.toThrow();
  });

  it("says the group is not found, and refuses a non-GUID id before calling Graph", async () => {
    const { client, calls } = fakeClient(() => graphError(404, "Request_ResourceNotFound"));
    await expect(groupDevices(client, guid(1), GRAPH)).rejects.toMatchObject({ error: { kind: "not-found", message: DIRECTORY_ERRORS.groupMembers.notFoundMessage } });
    const before = calls.length;
    await expect(groupDevices(client, "../me", GRAPH)).rejects.toMatchObject({ error: { kind: "not-found" } });
    expect(calls.length).toBe(before);
  });
});

describe("searchGroups", () => {
  it("searches any word of the name as an advanced query, with quotes and backslashes dropped", async () => {
    expect(groupSearchClause('  Lab  "Seattle\\ ')).toBe('"displayName:Lab Seattle"');
    expect(groupSearchClause('"\\"')).toBeNull();
    const { client, calls } = fakeClient(() => ({ value: [{ id: guid(5), displayName: "Lab - Seattle" }] }));
    expect((await searchGroups(client, "Seattle")).map((g) => g.displayName)).toEqual(["Lab - Seattle"]);
    expect(calls).toEqual([expect.objectContaining({ path: "/groups", search: '"displayName:Seattle"', headers: { ConsistencyLevel: "eventual" } })]);
  });

  it("falls back to 'starts with' when Graph refuses the search, and words any other refusal for groups", async () => {
    const { client, calls } = fakeClient((call) =>
      call.search ? graphError(400, "Request_UnsupportedQuery", "Unsupported query.") : { value: [{ id: guid(6), displayName: "Lab - Seattle" }] },
    );
    expect((await searchGroups(client, "Lab")).map((g) => g.id)).toEqual([guid(6)]);
    expect(calls.map((c) => (c.search ? "search" : c.filter))).toEqual(["search", groupSearchFilter("Lab")]);
    const refused = fakeClient(() => graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    await expect(searchGroups(refused.client, "Lab")).rejects.toMatchObject({ error: { message: DIRECTORY_ERRORS.groups.directoryRefusal } });
  });
});

describe("personDevices", () => {
  it("reads their managed devices again and adds registered devices Intune manages, once each", async () => {
    const userId = guid(77);
    const fleet = [managed(1), managed(2, { operatingSystem: "macOS", deviceName: "MAC-2" }), managed(3)];
    const { client } = fakeClient((call) => {
      if (call.path === "/$batch") return lookupAnswer(call, fleet);
      if (call.path.startsWith(`/users/${userId}/managedDevices`)) return { value: [{ id: guid(1) }, { id: guid(2) }] };
      if (call.path.startsWith(`/users/${userId}/registeredDevices`)) {
        return {
          value: [
            { "@odata.type": "#microsoft.graph.device", id: guid(9001), deviceId: guid(1001), displayName: "PC-1" },
            { "@odata.type": "#microsoft.graph.device", id: guid(9003), deviceId: guid(1003), displayName: "PC-3" },
          ],
        };
      }
      throw new Error(`unexpected ${call.path}`);
    });
    const source = await personDevices(client, userId, GRAPH);
    expect(source.devices.map((d) => d.deviceName)).toEqual(["PC-1", "PC-3"]);
    expect(source.leftOut).toEqual([{ name: "MAC-2", reason: "not-windows", detail: "macOS" }]);
    expect(source.notes).toEqual([]);
  });

  it("still answers with the managed devices when Graph refuses the registered ones, and says so", async () => {
    const userId = guid(77);
    const fleet = [managed(1)];
    const { client } = fakeClient((call) => {
      if (call.path === "/$batch") return lookupAnswer(call, fleet);
      if (call.path.startsWith(`/users/${userId}/managedDevices`)) return { value: [{ id: guid(1) }] };
      return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    });
    const source = await personDevices(client, userId, GRAPH);
    expect(source.devices.map((d) => d.id)).toEqual([guid(1)]);
    // Worded for the step that was refused, never as if listing people had failed (the people search worked).
    expect(source.notes).toEqual([`Their registered devices were not read. ${DIRECTORY_ERRORS.registeredDevices.directoryRefusal}`]);
    expect(source.notes[0]).not.toMatch(/list people/);
  });
});
