/**
 * The emulator against Graph's current schema, read through the real @microsoft/microsoft-graph-client with
 * lib/graph's middleware: v1.0 managementState, no beta-only property or enum member in v1.0, beta spellings,
 * whole-second Retry-After, '#' in @odata.type, the wipe parameters per version, the Autopilot and hardwareInformation
 * property sets, and getEffectivePermissions without a scope. Property lists: microsoftgraph/msgraph-metadata
 * (clean_v10_metadata/cleanMetadata.xml and schemas/type-mappings/beta-*.json, as of 2026-08).
 */
import { describe, expect, it } from "vitest";
import { failureOf, withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 400, seed: 12 });


const props = (row: Record<string, unknown>) => Object.keys(row).filter((key) => !key.startsWith("@odata")).sort();

/** v1.0 managedDevice (clean_v10_metadata): every property, managementState included. */
const V1_MANAGED_DEVICE = [
  "activationLockBypassCode", "androidSecurityPatchLevel", "azureADDeviceId", "azureADRegistered",
  "complianceGracePeriodExpirationDateTime", "complianceState", "configurationManagerClientEnabledFeatures",
  "deviceActionResults", "deviceCategoryDisplayName", "deviceEnrollmentType", "deviceHealthAttestationState", "deviceName",
  "deviceRegistrationState", "easActivated", "easActivationDateTime", "easDeviceId", "emailAddress", "enrolledDateTime",
  "enrollmentProfileName", "ethernetMacAddress", "exchangeAccessState", "exchangeAccessStateReason",
  "exchangeLastSuccessfulSyncDateTime", "freeStorageSpaceInBytes", "iccid", "id", "imei", "isEncrypted", "isSupervised",
  "jailBroken", "lastSyncDateTime", "managedDeviceName", "managedDeviceOwnerType", "managementAgent",
  "managementCertificateExpirationDate", "managementState", "manufacturer", "meid", "model", "notes", "operatingSystem",
  "osVersion", "partnerReportedThreatState", "phoneNumber", "physicalMemoryInBytes", "remoteAssistanceSessionErrorDetails",
  "remoteAssistanceSessionUrl", "requireUserEnrollmentApproval", "serialNumber", "subscriberCarrier",
  "totalStorageSpaceInBytes", "udid", "userDisplayName", "userId", "userPrincipalName", "wiFiMacAddress",
].sort();
/** v1.0 deviceEnrollmentType members (clean_v10_metadata). */
const V1_ENROLLMENT_TYPES = [
  "unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
  "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
  "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount", "unknownFutureValue",
];
/** v1.0 windowsAutopilotDeviceIdentity (clean_v10_metadata). */
const V1_AUTOPILOT = [
  "addressableUserName", "azureActiveDirectoryDeviceId", "displayName", "enrollmentState", "groupTag", "id",
  "lastContactedDateTime", "managedDeviceId", "manufacturer", "model", "productKey", "purchaseOrderIdentifier",
  "resourceName", "serialNumber", "skuNumber", "systemFamily", "userPrincipalName",
].sort();
/** beta hardwareInformation (type-mappings/beta-complex-types.json). */
const BETA_HARDWARE_INFORMATION = [
  "batteryChargeCycles", "batteryHealthPercentage", "batteryLevelPercentage", "batterySerialNumber", "cellularTechnology",
  "deviceFullQualifiedDomainName", "deviceGuardLocalSystemAuthorityCredentialGuardState",
  "deviceGuardVirtualizationBasedSecurityHardwareRequirementState", "deviceGuardVirtualizationBasedSecurityState",
  "deviceLicensingLastErrorCode", "deviceLicensingLastErrorDescription", "deviceLicensingStatus", "esimIdentifier",
  "freeStorageSpace", "imei", "ipAddressV4", "isEncrypted", "isSharedDevice", "isSupervised", "manufacturer", "meid", "model",
  "operatingSystemEdition", "operatingSystemLanguage", "operatingSystemProductType", "osBuildNumber", "phoneNumber",
  "productName", "residentUsersCount", "serialNumber", "sharedDeviceCachedUsers", "subnetAddress", "subscriberCarrier",
  "systemManagementBIOSVersion", "totalStorageSpace", "tpmManufacturer", "tpmSpecificationVersion", "tpmVersion", "wifiMac",
  "wiredIPv4Addresses",
].sort();

describe("v1.0 managedDevice", () => {
  it("carries managementState in lists and gets, and accepts $select=managementState", async () => {
    const v1 = await emulator.client("readonly", "v1.0");
    const page = await v1.api("/deviceManagement/managedDevices").top(5).get();
    for (const row of page.value) expect(row.managementState).toBe("managed");
    const one = await v1.api(`/deviceManagement/managedDevices/${page.value[0].id}`).get();
    expect(one.managementState).toBe("managed");
    const selected = await v1.api("/deviceManagement/managedDevices").select(["managementState"]).top(2).get();
    expect(props(selected.value[0])).toEqual(["id", "managementState"]);
  });

  it("has exactly the v1.0 schema's properties, no beta-only ones", async () => {
    const page = await (await emulator.client("readonly", "v1.0")).api("/deviceManagement/managedDevices").top(3).get();
    expect(props(page.value[0])).toEqual(V1_MANAGED_DEVICE);
  });

  it("writes no beta-only enum member: an Android Enterprise device's enrollment type is unknownFutureValue in v1.0", async () => {
    const beta = await emulator.client("readonly", "beta");
    const android = await beta.api("/deviceManagement/managedDevices").filter("deviceEnrollmentType eq 'androidEnterpriseFullyManaged'").top(1).get();
    expect(android.value).toHaveLength(1);
    const v1 = await emulator.client("readonly", "v1.0");
    const same = await v1.api(`/deviceManagement/managedDevices/${android.value[0].id}`).get();
    expect(same.deviceEnrollmentType).toBe("unknownFutureValue");
    const all = await v1.api("/deviceManagement/managedDevices").select(["deviceEnrollmentType"]).top(400).get();
    for (const row of all.value) expect(V1_ENROLLMENT_TYPES).toContain(row.deviceEnrollmentType);
    const error = await failureOf(v1.api("/deviceManagement/managedDevices").filter("deviceEnrollmentType eq 'androidEnterpriseFullyManaged'").get());
    expect(error.statusCode).toBe(400);
  });
});

describe("beta spellings and property sets", () => {
  it("spells processorArchitecture arM64 (managedDeviceArchitecture), x64 on the Windows fleet", async () => {
    const beta = await emulator.client("readonly", "beta");
    const rows = (await beta.api("/deviceManagement/managedDevices").select(["operatingSystem", "processorArchitecture"]).top(400).get()).value;
    for (const row of rows) expect(row.processorArchitecture).toBe(row.operatingSystem === "Windows" ? "x64" : "arM64");
    expect(rows.some((row: { operatingSystem: string }) => row.operatingSystem !== "Windows")).toBe(true);
  });

  it("fills hardwareInformation's every property on a single GET that selects it", async () => {
    const beta = await emulator.client("readonly", "beta");
    const [device] = await emulator.findDevices("eligible", 1);
    const one = await beta.api(`/deviceManagement/managedDevices/${device!.id}`).select(["hardwareInformation"]).get();
    expect(Object.keys(one.hardwareInformation).sort()).toEqual(BETA_HARDWARE_INFORMATION);
    expect(one.hardwareInformation).toMatchObject({ serialNumber: device!.serialNumber, tpmVersion: "2.0", ipAddressV4: null, wiredIPv4Addresses: [] });
  });

  it("gives beta Autopilot identities deviceAccountPassword, deviceAccountUpn and deviceFriendlyName, and v1.0 only its schema", async () => {
    const beta = (await (await emulator.client("readonly", "beta")).api("/deviceManagement/windowsAutopilotDeviceIdentities").top(1).get()).value[0];
    expect(beta).toMatchObject({ "@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", deviceAccountPassword: null, deviceAccountUpn: "", deviceFriendlyName: "" });
    const v1 = (await (await emulator.client("readonly", "v1.0")).api("/deviceManagement/windowsAutopilotDeviceIdentities").top(1).get()).value[0];
    expect(props(v1)).toEqual(V1_AUTOPILOT);
  });
});

describe("wire details", () => {
  it("sends Retry-After as whole seconds", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    await emulator.control("PUT", "/_emulator/faults", { rules: [{ fault: "throttle", method: "POST", pathContains: "/syncDevice", times: 1, retryAfterSeconds: 1.5 }] });
    try {
      const error = await failureOf((await emulator.client("helpdesk", "v1.0")).api(`/deviceManagement/managedDevices/${device!.id}/syncDevice`).post(undefined));
      expect(error.statusCode).toBe(429);
      expect(error.headers?.get("Retry-After")).toBe("2");
    } finally {
      await emulator.control("DELETE", "/_emulator/faults");
    }
  });

  it("writes @odata.type with its leading '#'", async () => {
    const permissions = await (await emulator.client("readonly", "beta")).api("/deviceManagement/getEffectivePermissions(scope='*')").get();
    expect(permissions.value[0]["@odata.type"]).toBe("#microsoft.graph.rolePermission");
    expect(permissions.value[0].resourceActions[0]["@odata.type"]).toBe("#microsoft.graph.resourceAction");
  });

  it("answers getEffectivePermissions without a scope with its rolePermission collection, in both versions", async () => {
    for (const version of ["v1.0", "beta"] as const) {
      const graph = await emulator.client("helpdesk", version);
      for (const path of ["/deviceManagement/getEffectivePermissions", "/deviceManagement/getEffectivePermissions()"]) {
        const answer = await graph.api(path).get();
        expect(answer["@odata.context"]).toMatch(/Collection\(microsoft\.graph\.rolePermission\)$/);
        expect(answer.value[0].resourceActions[0].allowedResourceActions).toContain("Microsoft.Intune_RemoteTasks_Wipe");
        if (version === "v1.0") expect(answer.value[0]).not.toHaveProperty("actions");
      }
    }
  });
});

describe("wipe parameters per version", () => {
  it("refuses beta-only useProtectedWipe in v1.0 like Graph's unknown parameter, and takes obliterationBehavior in beta", async () => {
    const [a, b] = await emulator.findDevices("eligible", 2);
    const v1 = await emulator.client("intuneadmin", "v1.0");
    const error = await failureOf(v1.api(`/deviceManagement/managedDevices/${a!.id}/wipe`).post({ keepEnrollmentData: true, keepUserData: false, useProtectedWipe: true }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/'useProtectedWipe'.*not a valid parameter/);
    const beta = await emulator.client("intuneadmin", "beta");
    await beta.api(`/deviceManagement/managedDevices/${b!.id}/wipe`).post({ keepEnrollmentData: true, keepUserData: false, useProtectedWipe: false, obliterationBehavior: "default" });
    const bad = await failureOf(beta.api(`/deviceManagement/managedDevices/${b!.id}/wipe`).post({ obliterationBehavior: "sometimes" }));
    expect(bad.statusCode).toBe(400);
    expect((await emulator.counters()).wipes).toEqual({ [b!.id]: 1 });
  });
});
