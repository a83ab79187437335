/**
 * Graph resource shapes the emulator serves: managedDevice (v1.0 and beta), windowsAutopilotDeviceIdentity and
 * remoteActionAudit. Property lists follow @microsoft/microsoft-graph-types(-beta); v1.0 answers carry no beta-only
 * property. Values nobody models here are the defaults Intune returns for a Windows device (empty strings, nulls,
 * 0001-01-01 dates).
 */
import type { Fleet, AuditRecord } from "../fleet/fleet";
import { autopilotEnrolledOf, joinTypeOf, modelOf, platformOf, type DeviceRecord } from "../fleet/device";
import type { PropSpec, Schema } from "./odata";

export type ApiVersion = "v1.0" | "beta";
type Value = string | number | boolean | null | unknown[] | Record<string, unknown>;

const EMPTY_DATE = "0001-01-01T00:00:00Z";
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export const V1_DEVICE_PROPS = [
  "id", "userId", "deviceName", "managedDeviceOwnerType", "enrolledDateTime", "lastSyncDateTime", "operatingSystem",
  "complianceState", "jailBroken", "managementAgent", "osVersion", "easActivated", "easDeviceId", "easActivationDateTime",
  "azureADRegistered", "deviceEnrollmentType", "activationLockBypassCode", "emailAddress", "azureADDeviceId",
  "deviceRegistrationState", "deviceCategoryDisplayName", "isSupervised", "exchangeLastSuccessfulSyncDateTime",
  "exchangeAccessState", "exchangeAccessStateReason", "remoteAssistanceSessionUrl", "remoteAssistanceSessionErrorDetails",
  "isEncrypted", "userPrincipalName", "model", "manufacturer", "imei", "complianceGracePeriodExpirationDateTime",
  "serialNumber", "phoneNumber", "androidSecurityPatchLevel", "userDisplayName", "configurationManagerClientEnabledFeatures",
  "wiFiMacAddress", "deviceHealthAttestationState", "subscriberCarrier", "meid", "totalStorageSpaceInBytes",
  "freeStorageSpaceInBytes", "managedDeviceName", "partnerReportedThreatState", "requireUserEnrollmentApproval",
  "managementCertificateExpirationDate", "iccid", "udid", "notes", "ethernetMacAddress", "physicalMemoryInBytes",
  "enrollmentProfileName", "deviceActionResults",
] as const;

export const BETA_ONLY_DEVICE_PROPS = [
  "ownerType", "deviceType", "chassisType", "joinType", "autopilotEnrolled", "managementState", "skuFamily", "skuNumber",
  "processorArchitecture", "enrolledByUserPrincipalName", "aadRegistered", "azureActiveDirectoryDeviceId", "lostModeState",
  "roleScopeTagIds", "retireAfterDateTime", "usersLoggedOn", "preferMdmOverGroupPolicyAppliedDateTime",
  "bootstrapTokenEscrowed", "deviceFirmwareConfigurationInterfaceManaged", "windowsActiveMalwareCount",
  "windowsRemediatedMalwareCount", "securityPatchLevel", "specificationVersion", "managementFeatures", "hardwareInformation",
  "configurationManagerClientHealthState", "configurationManagerClientInformation", "chromeOSDeviceInfo",
  "cloudPcRemoteActionResults",
] as const;

export const DEVICE_NAVIGATION = [
  "deviceCategory", "deviceCompliancePolicyStates", "deviceConfigurationStates", "logCollectionRequests", "users",
  "windowsProtectionState", "assignmentFilterEvaluationStatusDetails", "detectedApps", "deviceHealthScriptStates",
  "managedDeviceMobileAppConfigurationStates", "securityBaselineStates",
];

const ALL_BETA_DEVICE_PROPS: readonly string[] = [...V1_DEVICE_PROPS, ...BETA_ONLY_DEVICE_PROPS];

/**
 * Properties that only a single-device GET with $select fills (docs/graph.md, "Action history (deviceActionResults)");
 * lists return empty/null.
 */
const SINGLE_GET_ONLY = new Set(["deviceActionResults", "hardwareInformation", "notes", "activationLockBypassCode"]);

export interface SerializeOptions {
  version: ApiVersion;
  select?: string[];
  /** A single-device GET whose $select names the property. */
  singleWithSelect: boolean;
  now: number;
}

function enrollmentType(d: DeviceRecord): string {
  switch (d.kind) {
    case "hybrid": return "windowsCoManagement";
    case "nonWindows": return platformOf(d) === "Android" ? "androidEnterpriseFullyManaged" : "appleBulkWithUser";
    default: return "windowsAzureADJoin";
  }
}

function deviceTypeOf(d: DeviceRecord): string {
  const p = platformOf(d);
  return p === "Windows" ? "windowsRT" : p === "iOS" ? "iPhone" : p === "Android" ? "androidEnterprise" : "macMDM";
}

export class Resources {
  readonly deviceSchemas: Record<ApiVersion, Schema<DeviceRecord>>;
  readonly autopilotSchema: Schema<AutopilotRow>;
  readonly auditSchema: Schema<AuditRecord>;
  private readonly deviceGetters: Record<string, (d: DeviceRecord, now: number) => Value>;

  constructor(private readonly fleet: Fleet) {
    const f = fleet;
    const upn = (d: DeviceRecord) => f.userOf(d)?.userPrincipalName ?? "";
    const storage = (d: DeviceRecord) => (d.index % 3 === 0 ? 511_101_108_224 : 255_550_554_112);
    this.deviceGetters = {
      id: (d) => d.id,
      userId: (d) => f.userOf(d)?.id ?? "",
      deviceName: (d) => d.deviceName,
      managedDeviceOwnerType: (d) => d.ownerType,
      ownerType: (d) => d.ownerType,
      enrolledDateTime: (d) => iso(d.enrolledMs),
      lastSyncDateTime: (d, now) => iso(f.lastSyncMs(d, now)),
      operatingSystem: (d) => platformOf(d),
      complianceState: (d) => d.complianceState,
      jailBroken: (d) => (platformOf(d) === "Windows" ? "Unknown" : "False"),
      managementAgent: (d) => (d.kind === "hybrid" ? "configurationManagerClientMdm" : "mdm"),
      osVersion: (d) => d.osVersion,
      easActivated: () => false,
      easDeviceId: () => "",
      easActivationDateTime: () => EMPTY_DATE,
      azureADRegistered: () => true,
      aadRegistered: () => true,
      deviceEnrollmentType: (d) => enrollmentType(d),
      activationLockBypassCode: () => null,
      emailAddress: (d) => upn(d),
      azureADDeviceId: (d) => f.azureADDeviceId(d),
      azureActiveDirectoryDeviceId: (d) => f.azureADDeviceId(d),
      deviceRegistrationState: () => "registered",
      deviceCategoryDisplayName: () => "Unknown Category",
      isSupervised: (d) => platformOf(d) === "iOS",
      exchangeLastSuccessfulSyncDateTime: () => EMPTY_DATE,
      exchangeAccessState: () => "none",
      exchangeAccessStateReason: () => "none",
      remoteAssistanceSessionUrl: () => null,
      remoteAssistanceSessionErrorDetails: () => null,
      isEncrypted: (d) => d.complianceState !== "noncompliant",
      userPrincipalName: (d) => upn(d),
      model: (d) => modelOf(d).model,
      manufacturer: (d) => modelOf(d).manufacturer,
      imei: () => "",
      complianceGracePeriodExpirationDateTime: () => "9999-12-31T23:59:59Z",
      serialNumber: (d) => d.serialNumber,
      phoneNumber: () => "",
      androidSecurityPatchLevel: () => "",
      userDisplayName: (d) => f.userOf(d)?.displayName ?? "",
      configurationManagerClientEnabledFeatures: () => null,
      wiFiMacAddress: () => "",
      deviceHealthAttestationState: () => null,
      subscriberCarrier: () => "",
      meid: () => "",
      totalStorageSpaceInBytes: (d) => storage(d),
      freeStorageSpaceInBytes: (d) => Math.floor(storage(d) * (0.2 + (d.index % 7) / 10)),
      managedDeviceName: (d) => {
        const enrolled = iso(d.enrolledMs);
        return `${upn(d).split("@")[0]}_${platformOf(d)}_${enrolled.slice(5, 10).replace("-", "/")}/${enrolled.slice(0, 4)}_${enrolled.slice(11, 16)}`;
      },
      partnerReportedThreatState: () => "unknown",
      requireUserEnrollmentApproval: () => null,
      managementCertificateExpirationDate: (d) => iso(d.enrolledMs + 365 * 86_400_000),
      iccid: () => null,
      udid: () => null,
      notes: () => null,
      ethernetMacAddress: () => null,
      physicalMemoryInBytes: () => 0,
      enrollmentProfileName: (d) => (autopilotEnrolledOf(d) ? "Autopilot - User Driven" : null),
      deviceActionResults: () => [],
      deviceType: (d) => deviceTypeOf(d),
      chassisType: (d) => (modelOf(d).form === "DT" ? "desktop" : modelOf(d).form === "PH" ? "phone" : "laptop"),
      joinType: (d) => joinTypeOf(d),
      autopilotEnrolled: (d) => autopilotEnrolledOf(d),
      managementState: (d) => d.managementState,
      skuFamily: (d) => (platformOf(d) === "Windows" ? "Enterprise" : ""),
      skuNumber: (d) => (platformOf(d) === "Windows" ? 4 : 0),
      processorArchitecture: (d) => (platformOf(d) === "Windows" ? "x64" : "arm64"),
      enrolledByUserPrincipalName: (d) => upn(d),
      lostModeState: () => "disabled",
      roleScopeTagIds: () => ["0"],
      retireAfterDateTime: () => EMPTY_DATE,
      usersLoggedOn: () => [],
      preferMdmOverGroupPolicyAppliedDateTime: () => EMPTY_DATE,
      bootstrapTokenEscrowed: () => false,
      deviceFirmwareConfigurationInterfaceManaged: () => false,
      windowsActiveMalwareCount: () => 0,
      windowsRemediatedMalwareCount: () => 0,
      securityPatchLevel: () => null,
      specificationVersion: () => null,
      managementFeatures: () => "none",
      hardwareInformation: () => null,
      configurationManagerClientHealthState: () => null,
      configurationManagerClientInformation: () => null,
      chromeOSDeviceInfo: () => [],
      cloudPcRemoteActionResults: () => [],
    };

    const iso2ms = (get: (d: DeviceRecord, now: number) => number) => get;
    const deviceSpecs = (version: ApiVersion): Record<string, PropSpec<DeviceRecord>> => {
      const names: string[] = version === "v1.0" ? [...V1_DEVICE_PROPS] : [...V1_DEVICE_PROPS, ...BETA_ONLY_DEVICE_PROPS];
      const specs: Record<string, PropSpec<DeviceRecord>> = {};
      for (const name of names) specs[name] = { type: "string" };
      const str = (name: string, get: (d: DeviceRecord) => string, sortable = true) => {
        specs[name] = { type: "string", filterable: true, sortable, get };
      };
      const en = (name: string, values: readonly string[], get: (d: DeviceRecord) => string, filterable = true) => {
        specs[name] = { type: "enum", enumValues: values, filterable, sortable: filterable, get };
      };
      specs.id = { type: "guid", filterable: true, get: (d) => d.id };
      str("deviceName", (d) => d.deviceName);
      str("userPrincipalName", upn);
      str("serialNumber", (d) => d.serialNumber);
      str("operatingSystem", (d) => platformOf(d));
      str("osVersion", (d) => d.osVersion);
      str("model", (d) => modelOf(d).model);
      str("manufacturer", (d) => modelOf(d).manufacturer);
      str("userId", (d) => f.userOf(d)?.id ?? "", false);
      str("azureADDeviceId", (d) => f.azureADDeviceId(d), false);
      specs.userDisplayName = { type: "string", sortable: true, get: (d) => f.userOf(d)?.displayName ?? "" };
      en("complianceState", ["unknown", "compliant", "noncompliant", "conflict", "error", "inGracePeriod", "configManager"], (d) => d.complianceState);
      en("managedDeviceOwnerType", ["unknown", "company", "personal"], (d) => d.ownerType);
      en("deviceEnrollmentType", [
        "unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
        "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
        "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount",
        "azureAdJoinUsingAzureVmExtension", "androidEnterpriseDedicatedDevice", "androidEnterpriseFullyManaged",
        "androidEnterpriseCorporateWorkProfile",
      ], enrollmentType);
      en("managementAgent", [
        "eas", "mdm", "easMdm", "intuneClient", "easIntuneClient", "configurationManagerClient", "configurationManagerClientMdm",
        "configurationManagerClientMdmEas", "unknown", "jamf", "googleCloudDevicePolicyController", "microsoft365ManagedMdm", "msSense",
        "intuneAosp",
      ], (d) => (d.kind === "hybrid" ? "configurationManagerClientMdm" : "mdm"));
      specs.lastSyncDateTime = { type: "datetime", filterable: true, sortable: true, get: iso2ms((d, now) => f.lastSyncMs(d, now)) };
      specs.enrolledDateTime = { type: "datetime", filterable: true, sortable: true, get: (d) => d.enrolledMs };
      for (const name of ["easActivated", "azureADRegistered", "isSupervised", "isEncrypted"]) specs[name] = { type: "bool" };
      for (const name of ["totalStorageSpaceInBytes", "freeStorageSpaceInBytes", "physicalMemoryInBytes"]) specs[name] = { type: "number" };
      for (const name of ["easActivationDateTime", "exchangeLastSuccessfulSyncDateTime", "complianceGracePeriodExpirationDateTime", "managementCertificateExpirationDate"]) {
        specs[name] = { type: "datetime" };
      }
      specs.deviceActionResults = { type: "complex" };
      if (version === "beta") {
        // Present on the type but without $filter support: such clauses are dropped silently.
        specs.joinType = { type: "enum", enumValues: ["unknown", "azureADJoined", "azureADRegistered", "hybridAzureADJoined"] };
        specs.autopilotEnrolled = { type: "bool" };
        specs.managementState = { type: "enum" };
        specs.hardwareInformation = { type: "complex" };
        for (const name of ["aadRegistered", "bootstrapTokenEscrowed", "deviceFirmwareConfigurationInterfaceManaged"]) specs[name] = { type: "bool" };
      }
      return specs;
    };
    this.deviceSchemas = {
      "v1.0": { typeName: "microsoft.graph.managedDevice", props: deviceSpecs("v1.0") },
      beta: { typeName: "microsoft.graph.managedDevice", props: deviceSpecs("beta") },
    };

    const apDevice = (r: AutopilotRow) => (typeof r === "number" ? undefined : r);
    const apSerial = (r: AutopilotRow) => (typeof r === "number" ? orphanSerial(f, r) : r.serialNumber);
    this.autopilotSchema = {
      typeName: "microsoft.graph.windowsAutopilotDeviceIdentity",
      props: {
        id: { type: "string", filterable: true, get: (r) => this.autopilotId(r) },
        serialNumber: { type: "string", filterable: true, sortable: true, get: apSerial },
        groupTag: { type: "string", filterable: true, sortable: true, get: (r) => apDevice(r)?.groupTag ?? "" },
        managedDeviceId: { type: "string", filterable: true, get: (r) => apDevice(r)?.id ?? "00000000-0000-0000-0000-000000000000" },
        azureActiveDirectoryDeviceId: { type: "string", filterable: true, get: (r) => { const d = apDevice(r); return d ? f.azureADDeviceId(d) : ""; } },
        enrollmentState: { type: "enum", enumValues: ["unknown", "enrolled", "pendingReset", "failed", "notContacted", "blocked"], filterable: true, get: (r) => this.enrollmentState(r) },
        lastContactedDateTime: { type: "datetime", sortable: true, get: (r, now) => { const d = apDevice(r); return d ? f.lastSyncMs(d, now) : 0; } },
        model: { type: "string", get: (r) => (apDevice(r) ? modelOf(apDevice(r)!).model : "Latitude 5440") },
        manufacturer: { type: "string", get: (r) => (apDevice(r) ? modelOf(apDevice(r)!).manufacturer : "Dell Inc.") },
        productKey: { type: "string" }, purchaseOrderIdentifier: { type: "string" }, addressableUserName: { type: "string" },
        userPrincipalName: { type: "string" }, systemFamily: { type: "string" }, skuNumber: { type: "string" },
        displayName: { type: "string" }, azureAdDeviceId: { type: "string" }, managedDeviceName: { type: "string" },
        deploymentProfileAssignmentStatus: { type: "enum" }, deploymentProfileAssignmentDetailedStatus: { type: "enum" },
        deploymentProfileAssignedDateTime: { type: "datetime" }, resourceName: { type: "string" },
        remediationState: { type: "enum" }, remediationStateLastModifiedDateTime: { type: "datetime" },
        userlessEnrollmentStatus: { type: "enum" },
      },
    };

    this.auditSchema = {
      typeName: "microsoft.graph.remoteActionAudit",
      props: {
        id: { type: "string", filterable: true, get: (a) => a.id },
        deviceDisplayName: { type: "string", filterable: true, sortable: true, get: (a) => a.deviceDisplayName },
        userName: { type: "string", get: (a) => a.initiatedByUserPrincipalName },
        initiatedByUserPrincipalName: { type: "string", filterable: true, sortable: true, get: (a) => a.initiatedByUserPrincipalName },
        action: { type: "enum", filterable: true, get: (a) => a.action },
        requestDateTime: { type: "datetime", filterable: true, sortable: true, get: (a) => a.requestMs },
        deviceOwnerUserPrincipalName: { type: "string", filterable: true, get: (a) => a.deviceOwnerUserPrincipalName },
        deviceIMEI: { type: "string" },
        actionState: { type: "enum", enumValues: ["none", "pending", "canceled", "active", "done", "failed", "notSupported"], filterable: true, get: (a) => a.tracked.actionState },
        managedDeviceId: { type: "string", filterable: true, get: (a) => a.device.id },
        deviceActionCategory: { type: "enum", filterable: true, get: (a) => a.category },
        bulkDeviceActionId: { type: "string", filterable: true, get: (a) => a.bulkDeviceActionId },
      },
    };
  }

  /** Per (version, $select, single) the ordered getters to run: built once, reused for every row of every page. */
  private readonly plans = new Map<string, [string, (d: DeviceRecord, now: number) => Value][]>();

  private plan(options: SerializeOptions): [string, (d: DeviceRecord, now: number) => Value][] {
    const key = `${options.version}|${options.select?.join(",") ?? "*"}|${options.singleWithSelect}`;
    let plan = this.plans.get(key);
    if (plan) return plan;
    const names: readonly string[] = options.select ?? (options.version === "v1.0" ? V1_DEVICE_PROPS : ALL_BETA_DEVICE_PROPS);
    plan = [];
    if (options.select && !options.select.includes("id")) plan.push(["id", (d) => d.id]);
    for (const name of names) {
      if (DEVICE_NAVIGATION.includes(name)) continue;
      if (SINGLE_GET_ONLY.has(name) && options.singleWithSelect) plan.push([name, (d) => this.singleOnly(d, name)]);
      else plan.push([name, this.deviceGetters[name] ?? (() => null)]);
    }
    if (this.plans.size > 200) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }

  serializeDevice(d: DeviceRecord, options: SerializeOptions): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, get] of this.plan(options)) out[name] = get(d, options.now);
    return out;
  }

  private singleOnly(d: DeviceRecord, name: string): Value {
    if (name === "deviceActionResults") {
      // The device-side HRESULT of a failed reset (0x80070032) has no documented place in Graph: only actionState shows it.
      const silent = this.fleet.silentWipe(d);
      return (d.actions ?? []).filter((a) => !(silent && a.actionName === "wipe")).map((a) => ({
        actionName: a.actionName,
        actionState: a.actionState,
        startDateTime: iso(a.startMs),
        lastUpdatedDateTime: iso(a.updatedMs),
      }));
    }
    if (name === "hardwareInformation") {
      return {
        serialNumber: d.serialNumber,
        totalStorageSpace: 0,
        freeStorageSpace: 0,
        operatingSystemEdition: platformOf(d) === "Windows" ? "Enterprise" : null,
        isSupervised: false,
        model: modelOf(d).model,
        manufacturer: modelOf(d).manufacturer,
        tpmVersion: "2.0",
        deviceGuardVirtualizationBasedSecurityState: "running",
      };
    }
    return null;
  }

  autopilotId(r: AutopilotRow): string {
    return typeof r === "number" ? this.fleet.orphanAutopilotId(r) : this.fleet.autopilotId(r);
  }

  private enrollmentState(r: AutopilotRow): string {
    return typeof r === "number" ? "notContacted" : this.fleet.autopilotEnrollmentState(r);
  }

  serializeAutopilot(r: AutopilotRow, version: ApiVersion, now: number, select?: string[]): Record<string, Value> {
    const d = typeof r === "number" ? undefined : r;
    const f = this.fleet;
    const full: Record<string, Value> = {
      "@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity",
      id: this.autopilotId(r),
      deploymentProfileAssignmentStatus: d ? "assignedInSync" : "notAssigned",
      deploymentProfileAssignmentDetailedStatus: "none",
      deploymentProfileAssignedDateTime: d ? iso(d.enrolledMs - 86_400_000) : EMPTY_DATE,
      groupTag: d?.groupTag ?? "",
      purchaseOrderIdentifier: "",
      serialNumber: d ? d.serialNumber : orphanSerial(f, r as number),
      productKey: "",
      manufacturer: d ? modelOf(d).manufacturer : "Dell Inc.",
      model: d ? modelOf(d).model : "Latitude 5440",
      enrollmentState: this.enrollmentState(r),
      lastContactedDateTime: d ? iso(f.lastSyncMs(d, now)) : EMPTY_DATE,
      addressableUserName: "",
      userPrincipalName: "",
      resourceName: "",
      skuNumber: "",
      systemFamily: "",
      azureActiveDirectoryDeviceId: d ? f.azureADDeviceId(d) : "",
      azureAdDeviceId: d ? f.azureADDeviceId(d) : "",
      managedDeviceId: d ? d.id : "00000000-0000-0000-0000-000000000000",
      displayName: "",
      userlessEnrollmentStatus: "unknown",
      remediationState: "unknown",
      remediationStateLastModifiedDateTime: EMPTY_DATE,
    };
    if (version === "v1.0") {
      for (const name of ["deploymentProfileAssignmentStatus", "deploymentProfileAssignmentDetailedStatus", "deploymentProfileAssignedDateTime", "managedDeviceName", "azureAdDeviceId", "userlessEnrollmentStatus", "remediationState", "remediationStateLastModifiedDateTime"]) delete full[name];
    }
    return pick(full, select);
  }

  serializeAudit(a: AuditRecord, select?: string[]): Record<string, Value> {
    return pick(
      {
        id: a.id,
        deviceDisplayName: a.deviceDisplayName,
        userName: a.initiatedByUserPrincipalName,
        initiatedByUserPrincipalName: a.initiatedByUserPrincipalName,
        action: a.action,
        requestDateTime: iso(a.requestMs),
        deviceOwnerUserPrincipalName: a.deviceOwnerUserPrincipalName,
        deviceIMEI: "",
        actionState: a.tracked.actionState,
        managedDeviceId: a.device.id,
        deviceActionCategory: a.category,
        bulkDeviceActionId: a.bulkDeviceActionId ?? "",
      },
      select,
    );
  }
}

/** An Autopilot identity row: a managed device registered with Autopilot, or the n-th identity never enrolled. */
export type AutopilotRow = DeviceRecord | number;

function orphanSerial(f: Fleet, n: number): string {
  return `ORPH${String(f.seed % 9973).padStart(4, "0")}${String(n).padStart(5, "0")}`;
}

function pick(full: Record<string, Value>, select?: string[]): Record<string, Value> {
  if (!select) return full;
  const out: Record<string, Value> = { id: full.id ?? null };
  for (const name of select) if (name in full) out[name] = full[name]!;
  return out;
}
