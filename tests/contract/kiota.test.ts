/**
 * Microsoft's own Kiota SDK reads what the console reads, from the emulator: users (list, by id, $select), groups (list,
 * a group's transitiveMembers, its device cast as an advanced query), beta managed devices, and beta approval
 * requests. Kiota parses with the models generated from Microsoft's published schema, so a field the emulator writes
 * with the wrong type or an enum value the schema does not have shows here (a date that is no date, an enum read as
 * undefined). The docs win: a failure here means the emulator is wrong (docs/fidelity.md).
 *
 * npm has a fluent package for users only (`@microsoft/msgraph-sdk-users`); groups, deviceManagement and every beta
 * path have none, so those reads go through Kiota's request adapter with the SDK's own model parsers, which is what a
 * fluent builder does underneath.
 */
import { describe, expect, it } from "vitest";
import { HttpMethod, RequestInformation, type AuthenticationProvider, type Parsable, type ParsableFactory } from "@microsoft/kiota-abstractions";
import { GraphRequestAdapter, createGraphServiceClient } from "@microsoft/msgraph-sdk";
import "@microsoft/msgraph-sdk-users";
import {
  createDeviceCollectionResponseFromDiscriminatorValue, createDirectoryObjectCollectionResponseFromDiscriminatorValue,
  createGroupCollectionResponseFromDiscriminatorValue, type Device, type DeviceCollectionResponse, type DirectoryObjectCollectionResponse,
  type GroupCollectionResponse, type User,
} from "@microsoft/msgraph-sdk/models/index.js";
import { createODataErrorFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import { GraphBetaRequestAdapter } from "@microsoft/msgraph-beta-sdk";
import {
  createManagedDeviceCollectionResponseFromDiscriminatorValue, createOperationApprovalRequestCollectionResponseFromDiscriminatorValue,
  type ManagedDeviceCollectionResponse, type OperationApprovalRequestCollectionResponse,
} from "@microsoft/msgraph-beta-sdk/models/index.js";
import { encodeJustificationHeader } from "@/lib/devices/approval";
import { DEVICE_DETAIL_SELECT } from "@/lib/graph/device-record";
import { withEmulator, type Persona } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 300, seed: 23, approvalPolicy: "wipe" });

/** The emulator's bearer token on every request (Kiota's AuthenticationProvider contract). */
function bearer(persona: Persona): AuthenticationProvider {
  return {
    async authenticateRequest(request: RequestInformation) {
      request.headers.add("Authorization", `Bearer ${await emulator.token(persona)}`);
    },
  };
}

function v1(persona: Persona = "helpdesk") {
  const adapter = new GraphRequestAdapter(bearer(persona));
  adapter.baseUrl = `${emulator.url}/v1.0`;
  return { adapter, client: createGraphServiceClient(adapter) };
}

function beta(persona: Persona = "helpdesk") {
  const adapter = new GraphBetaRequestAdapter(bearer(persona));
  adapter.baseUrl = `${emulator.url}/beta`;
  return adapter;
}

/** GET `url` and parse the answer with `factory`, as a generated request builder does (errors as ODataError). */
async function getParsed<T extends Parsable>(
  adapter: GraphRequestAdapter | GraphBetaRequestAdapter, url: string, factory: ParsableFactory<T>, headers: Record<string, string> = {},
): Promise<T> {
  const request = new RequestInformation(HttpMethod.GET);
  request.URL = url;
  request.headers.tryAdd("Accept", "application/json");
  for (const [name, value] of Object.entries(headers)) request.headers.add(name, value);
  const answer = await adapter.send<T>(request, factory, { XXX: createODataErrorFromDiscriminatorValue });
  if (!answer) throw new Error(`no body from ${url}`);
  return answer;
}

function expectDate(value: Date | null | undefined) {
  expect(value).toBeInstanceOf(Date);
  expect(Number.isNaN(value!.getTime())).toBe(false);
}

interface GroupSummary { id: string; displayName: string; transitiveMembers: { devices: number; users: number; groups: number } }

async function groupNamed(name: string): Promise<GroupSummary> {
  const { value } = await emulator.control<{ value: GroupSummary[] }>("GET", "/_emulator/groups");
  return value.find((g) => g.displayName === name)!;
}

describe("users through the fluent users package", () => {
  it("lists users with the default property set, and with $select", async () => {
    const { client } = v1();
    const page = await client.users.get({ queryParameters: { top: 5 } });
    expect(page?.value).toHaveLength(5);
    for (const u of page!.value!) {
      expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(u.displayName).toBeTruthy();
      expect(u.userPrincipalName).toContain("@");
      expect(Array.isArray(u.businessPhones)).toBe(true);
    }
    expect(page?.odataNextLink).toContain("$skiptoken=");

    const selected = await client.users.get({ queryParameters: { select: ["id", "displayName", "userPrincipalName", "accountEnabled"], top: 3 } });
    const first = selected!.value![0]!;
    expect(typeof first.accountEnabled).toBe("boolean");
    expect(first.jobTitle).toBeUndefined();
  });

  it("reads one user by id with $select, and the Intune devices whose primary user they are", async () => {
    const { value } = await emulator.control<{ value: { id: string; userPrincipalName: string; managedDeviceIds: string[] }[] }>(
      "GET", "/_emulator/users?withDevices=1&limit=1",
    );
    const person = value[0]!;
    const { client } = v1();
    const user: User | undefined = await client.users.byUserId(person.id).get({ queryParameters: { select: ["id", "displayName", "userPrincipalName"] } });
    expect(user).toMatchObject({ id: person.id, userPrincipalName: person.userPrincipalName });
    expect(user?.displayName).toBeTruthy();

    const devices = await client.users.byUserId(person.id).managedDevices.get({ queryParameters: { select: ["id", "deviceName", "userPrincipalName", "azureADDeviceId"] } });
    expect(devices?.value?.map((d) => d.id)).toEqual(expect.arrayContaining(person.managedDeviceIds));
    for (const d of devices!.value!) expect(d.userPrincipalName).toBe(person.userPrincipalName);
  });

  it("answers Graph's error shape where Kiota expects one (ODataError with code and message)", async () => {
    const { client } = v1();
    const error = await client.users.byUserId("00000000-0000-0000-0000-000000000000").get().then(() => null, (e: unknown) => e);
    // Kiota keeps the body's "error" as errorEscaped ("error" is reserved) and its message as the Error's.
    expect(error).toMatchObject({ responseStatusCode: 404, errorEscaped: { code: "Request_ResourceNotFound" } });
    expect((error as Error).message).toContain("does not exist");
  });
});

describe("groups and their members", () => {
  it("lists groups with the default property set and with the console's $select", async () => {
    const { adapter } = v1();
    const all = await getParsed<GroupCollectionResponse>(adapter, `${adapter.baseUrl}/groups`, createGroupCollectionResponseFromDiscriminatorValue);
    expect(all.value!.length).toBeGreaterThan(3);
    for (const g of all.value!) {
      expect(g.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(g.displayName).toBeTruthy();
      expectDate(g.createdDateTime);
      expect(Array.isArray(g.groupTypes)).toBe(true);
      expect(Array.isArray(g.proxyAddresses)).toBe(true);
      expect(typeof g.securityEnabled).toBe("boolean");
    }
    const selected = await getParsed<GroupCollectionResponse>(
      adapter, `${adapter.baseUrl}/groups?$select=id,displayName,description&$top=2`, createGroupCollectionResponseFromDiscriminatorValue,
    );
    expect(selected.value).toHaveLength(2);
    expect(selected.value![0]!.description).toBeTruthy();
    expect(selected.value![0]!.createdDateTime).toBeUndefined();
  });

  it("reads a group's transitiveMembers as users, devices and groups by @odata.type", async () => {
    const site = await groupNamed("Lab - Seattle");
    const { adapter } = v1();
    const members = await getParsed<DirectoryObjectCollectionResponse>(
      adapter, `${adapter.baseUrl}/groups/${site.id}/transitiveMembers?$top=999`, createDirectoryObjectCollectionResponseFromDiscriminatorValue,
    );
    const byType = (t: string) => members.value!.filter((m) => m.odataType === `#microsoft.graph.${t}`);
    expect(byType("device")).toHaveLength(site.transitiveMembers.devices);
    expect(byType("group")).toHaveLength(site.transitiveMembers.groups);
    expect(members.value).toHaveLength(site.transitiveMembers.devices + site.transitiveMembers.users + site.transitiveMembers.groups);
    // Kiota builds the derived type from @odata.type: a device member carries the device's own fields.
    const device = byType("device")[0] as Device;
    expect(device.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(device.operatingSystem).toBe("Windows");
  });

  for (const cast of ["microsoft.graph.device", "graph.device"]) {
    it(`reads a group's device cast (${cast}) as an advanced query: ConsistencyLevel, $count, the console's $select`, async () => {
      const site = await groupNamed("Lab - Seattle");
      const { adapter } = v1();
      const devices = await getParsed<DeviceCollectionResponse>(
        adapter, `${adapter.baseUrl}/groups/${site.id}/transitiveMembers/${cast}?$select=id,deviceId,displayName,operatingSystem&$top=999&$count=true`,
        createDeviceCollectionResponseFromDiscriminatorValue, { ConsistencyLevel: "eventual" },
      );
      expect(devices.odataCount).toBe(site.transitiveMembers.devices);
      expect(devices.value).toHaveLength(site.transitiveMembers.devices);
      for (const d of devices.value!) {
        expect(d.deviceId).toMatch(/^[0-9a-f-]{36}$/);
        expect(d.displayName).toBeTruthy();
        expect(d.operatingSystem).toBe("Windows");
      }
    });
  }

  it("gets Graph's refusal of a cast without the advanced parameters as an ODataError", async () => {
    const site = await groupNamed("Lab - Seattle");
    const { adapter } = v1();
    const error = await getParsed(adapter, `${adapter.baseUrl}/groups/${site.id}/transitiveMembers/graph.device`, createDeviceCollectionResponseFromDiscriminatorValue)
      .then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ responseStatusCode: 400, errorEscaped: { code: "Request_UnsupportedQuery" } });
  });
});

describe("beta managed devices", () => {
  it("parses the console's fields, enums and dates included", async () => {
    const adapter = beta();
    const page = await getParsed<ManagedDeviceCollectionResponse>(
      adapter, `${adapter.baseUrl}/deviceManagement/managedDevices?$select=${DEVICE_DETAIL_SELECT.join(",")}&$top=200`,
      createManagedDeviceCollectionResponseFromDiscriminatorValue,
    );
    expect(page.value).toHaveLength(200);
    for (const d of page.value!) {
      expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(d.deviceName).toBeTruthy();
      expect(d.operatingSystem).toBeTruthy();
      // Enums read as undefined when the emulator writes a value the schema does not have.
      expect(d.complianceState).toBeDefined();
      expect(d.managedDeviceOwnerType).toBeDefined();
      expect(d.joinType).toBeDefined();
      expect(d.managementState).toBeDefined();
      expect(typeof d.autopilotEnrolled).toBe("boolean");
      expectDate(d.lastSyncDateTime);
      expectDate(d.enrolledDateTime);
      expect(Array.isArray(d.deviceActionResults)).toBe(true);
    }
    expect(new Set(page.value!.map((d) => d.joinType)).size).toBeGreaterThan(1);
  });
});

describe("beta approval requests", () => {
  it("parses requests: status, requestor, dates and the required policy types", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    const response = await fetch(`${emulator.url}/beta/deviceManagement/managedDevices/${device!.id}/wipe`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await emulator.token("helpdesk")}`,
        "Content-Type": "application/json",
        "x-msft-approval-justification": encodeJustificationHeader(`Autopilot Reset of ${device!.deviceName}: Kiota contract test`),
      },
      body: JSON.stringify({ keepEnrollmentData: true, keepUserData: false }),
    });
    expect(response.status).toBe(403);
    const code = response.headers.get("x-msft-approval-code");

    const adapter = beta("approver");
    const page = await getParsed<OperationApprovalRequestCollectionResponse>(
      adapter, `${adapter.baseUrl}/deviceManagement/operationApprovalRequests`, createOperationApprovalRequestCollectionResponseFromDiscriminatorValue,
    );
    const request = page.value!.find((r) => r.id === code);
    expect(request).toBeDefined();
    expect(request!.status).toBe("needsApproval");
    expectDate(request!.requestDateTime);
    expectDate(request!.expirationDateTime);
    expectDate(request!.lastModifiedDateTime);
    expect(request!.expirationDateTime!.getTime() - request!.requestDateTime!.getTime()).toBe(3 * 86_400_000);
    expect(request!.requestor?.user?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(request!.requestor?.user?.displayName).toBeTruthy();
    expect(request!.requestJustification).toContain(device!.deviceName);
    expect(request!.requiredOperationApprovalPolicyTypes).toEqual(["deviceWipe"]);
  });
});
