/**
 * managedDevice, v1.0 and beta: one row per property, in the order Graph writes them. Property lists follow
 * @microsoft/microsoft-graph-types(-beta); values nobody models here are the defaults Intune returns for a Windows
 * device (empty strings, nulls, 0001-01-01 dates). The types are what $filter checks literals against.
 */
import type { Fleet } from "../../fleet/fleet";
import { autopilotEnrolledOf, joinTypeOf, modelOf, platformOf, type DeviceRecord } from "../../fleet/device";
import { EMPTY_DATE, EMPTY_DATE_MS, iso, v1Enum, type Property, type PropertyTable, type Value } from "./table";

export const DEVICE_NAVIGATION = [
  "deviceCategory", "deviceCompliancePolicyStates", "deviceConfigurationStates", "logCollectionRequests", "users",
  "windowsProtectionState", "assignmentFilterEvaluationStatusDetails", "detectedApps", "deviceHealthScriptStates",
  "managedDeviceMobileAppConfigurationStates", "securityBaselineStates",
];

const COMPLIANCE_STATES = ["unknown", "compliant", "noncompliant", "conflict", "error", "inGracePeriod", "configManager"];
const OWNER_TYPES = ["unknown", "company", "personal"];
const ENROLLMENT_TYPES = [
  "unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
  "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
  "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount",
  "azureAdJoinUsingAzureVmExtension", "androidEnterpriseDedicatedDevice", "androidEnterpriseFullyManaged",
  "androidEnterpriseCorporateWorkProfile", "androidAOSPUserOwnedDeviceEnrollment", "androidAOSPUserlessDeviceEnrollment",
  "appleAccountDrivenUserEnrollment", "unknownFutureValue",
];
/** v1.0's deviceEnrollmentType (msgraph-metadata clean_v10_metadata, 2026-08): the Android Enterprise and later members are beta only. */
const V1_ENROLLMENT_TYPES = [
  "unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
  "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
  "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount", "unknownFutureValue",
];
const MANAGEMENT_AGENTS = [
  "eas", "mdm", "easMdm", "intuneClient", "easIntuneClient", "configurationManagerClient", "configurationManagerClientMdm",
  "configurationManagerClientMdmEas", "unknown", "jamf", "googleCloudDevicePolicyController", "microsoft365ManagedMdm", "msSense",
  "intuneAosp",
];
const V1_MANAGEMENT_AGENTS = MANAGEMENT_AGENTS.filter((a) => a !== "intuneAosp");
const JOIN_TYPES = ["unknown", "azureADJoined", "azureADRegistered", "hybridAzureADJoined"];
const MANAGEMENT_STATES = [
  "managed", "retirePending", "retireFailed", "wipePending", "wipeFailed", "unhealthy", "deletePending", "retireIssued",
  "wipeIssued", "wipeCanceled", "retireCanceled", "discovered", "unknownFutureValue",
];
/** beta managedDeviceArchitecture: note the spelling arM64 (msgraph-metadata type-mappings/beta-enum-types.json). */
const ARCHITECTURES = ["unknown", "x86", "x64", "arm", "arM64"];

type P = Property<DeviceRecord>;
type Get = (d: DeviceRecord, now: number) => Value;
const str = (value: Get): P => ({ type: "string", value });
const queried = (value: Get, sortable = true): P => ({ type: "string", filterable: true, sortable: sortable || undefined, value });
const enumOf = (enumValues: readonly string[], value: Get): P => ({ type: "enum", enumValues, filterable: true, sortable: true, value });
const bool = (value: Get): P => ({ type: "bool", value });
const num = (value: Get): P => ({ type: "number", value });
const date = (value: (d: DeviceRecord, now: number) => number): P => ({ type: "datetime", value });
const beta = (p: P): P => ({ ...p, betaOnly: true });
const constant = (v: Value) => () => v;

function enrollmentType(d: DeviceRecord): string {
  switch (d.kind) {
    case "hybrid": return "windowsCoManagement";
    case "nonWindows": return platformOf(d) === "Android" ? "androidEnterpriseFullyManaged" : "appleBulkWithUser";
    default: return "windowsAzureADJoin";
  }
}

function managementAgent(d: DeviceRecord): string {
  return d.kind === "hybrid" ? "configurationManagerClientMdm" : "mdm";
}

function deviceTypeOf(d: DeviceRecord): string {
  const p = platformOf(d);
  return p === "Windows" ? "windowsRT" : p === "iOS" ? "iPhone" : p === "Android" ? "androidEnterprise" : "macMDM";
}

const storage = (d: DeviceRecord) => (d.index % 3 === 0 ? 511_101_108_224 : 255_550_554_112);
const windowsOr = <T extends Value>(d: DeviceRecord, windows: T, other: T) => (platformOf(d) === "Windows" ? windows : other);

const freeStorage = (d: DeviceRecord) => Math.floor(storage(d) * (0.2 + (d.index % 7) / 10));

/**
 * Beta hardwareInformation, every property of the type (msgraph-metadata type-mappings/beta-complex-types.json, types
 * from @microsoft/microsoft-graph-types-beta): the fleet's values where it has them, Graph's defaults (0, false, [],
 * null) where it does not.
 */
function hardwareInformation(d: DeviceRecord): Value {
  const windows = platformOf(d) === "Windows";
  return {
    batteryChargeCycles: 0,
    batteryHealthPercentage: 0,
    batteryLevelPercentage: null,
    batterySerialNumber: null,
    cellularTechnology: null,
    deviceFullQualifiedDomainName: null,
    deviceGuardLocalSystemAuthorityCredentialGuardState: windows ? "notConfigured" : "notLicensed",
    deviceGuardVirtualizationBasedSecurityHardwareRequirementState: "meetHardwareRequirements",
    deviceGuardVirtualizationBasedSecurityState: windows ? "running" : "notConfigured",
    deviceLicensingLastErrorCode: 0,
    deviceLicensingLastErrorDescription: null,
    deviceLicensingStatus: "unknown",
    esimIdentifier: null,
    freeStorageSpace: freeStorage(d),
    imei: null,
    ipAddressV4: null,
    isEncrypted: d.complianceState !== "noncompliant",
    isSharedDevice: false,
    isSupervised: platformOf(d) === "iOS",
    manufacturer: modelOf(d).manufacturer,
    meid: null,
    model: modelOf(d).model,
    operatingSystemEdition: windows ? "Enterprise" : null,
    operatingSystemLanguage: null,
    operatingSystemProductType: windows ? 4 : 0,
    osBuildNumber: null,
    phoneNumber: null,
    productName: null,
    residentUsersCount: null,
    serialNumber: d.serialNumber,
    sharedDeviceCachedUsers: [],
    subnetAddress: null,
    subscriberCarrier: null,
    systemManagementBIOSVersion: null,
    totalStorageSpace: storage(d),
    tpmManufacturer: null,
    tpmSpecificationVersion: null,
    tpmVersion: windows ? "2.0" : null,
    wifiMac: null,
    wiredIPv4Addresses: [],
  };
}

/** The managedDevice property table over a fleet. */
export function deviceTable(f: Fleet): PropertyTable<DeviceRecord> {
  const upn = (d: DeviceRecord) => f.userOf(d)?.userPrincipalName ?? "";
  const managedDeviceName = (d: DeviceRecord) => {
    const enrolled = iso(d.enrolledMs);
    return `${upn(d).split("@")[0]}_${platformOf(d)}_${enrolled.slice(5, 10).replace("-", "/")}/${enrolled.slice(0, 4)}_${enrolled.slice(11, 16)}`;
  };
  const actionResults = (d: DeviceRecord): Value => {
    // The device-side HRESULT of a failed reset (0x80070032) has no documented place in Graph: only actionState shows it.
    const silent = f.silentWipe(d);
    return (d.actions ?? []).filter((a) => !(silent && a.actionName === "wipe")).map((a) => ({
      actionName: a.actionName,
      actionState: a.actionState,
      startDateTime: iso(a.startMs),
      lastUpdatedDateTime: iso(a.updatedMs),
    }));
  };
  return {
    id: { type: "guid", filterable: true, value: (d) => d.id },
    userId: queried((d) => f.userOf(d)?.id ?? "", false),
    deviceName: queried((d) => d.deviceName),
    managedDeviceOwnerType: enumOf(OWNER_TYPES, (d) => d.ownerType),
    enrolledDateTime: { ...date((d) => d.enrolledMs), filterable: true, sortable: true },
    lastSyncDateTime: { ...date((d, now) => f.lastSyncMs(d, now)), filterable: true, sortable: true },
    operatingSystem: queried((d) => platformOf(d)),
    complianceState: enumOf(COMPLIANCE_STATES, (d) => d.complianceState),
    jailBroken: str((d) => windowsOr(d, "Unknown", "False")),
    managementAgent: { ...enumOf(MANAGEMENT_AGENTS, managementAgent), v1: v1Enum(V1_MANAGEMENT_AGENTS, managementAgent) },
    osVersion: queried((d) => d.osVersion),
    easActivated: bool(constant(false)),
    easDeviceId: str(constant("")),
    easActivationDateTime: date(() => EMPTY_DATE_MS),
    azureADRegistered: bool(constant(true)),
    // v1.0 has no androidEnterpriseFullyManaged: it writes unknownFutureValue there (UNVERIFIED, see v1Enum).
    deviceEnrollmentType: { ...enumOf(ENROLLMENT_TYPES, enrollmentType), v1: v1Enum(V1_ENROLLMENT_TYPES, enrollmentType) },
    activationLockBypassCode: str(constant(null)),
    emailAddress: str(upn),
    azureADDeviceId: queried((d) => f.azureADDeviceId(d), false),
    deviceRegistrationState: str(constant("registered")),
    deviceCategoryDisplayName: str(constant("Unknown Category")),
    isSupervised: bool((d) => platformOf(d) === "iOS"),
    exchangeLastSuccessfulSyncDateTime: date(() => EMPTY_DATE_MS),
    exchangeAccessState: str(constant("none")),
    exchangeAccessStateReason: str(constant("none")),
    remoteAssistanceSessionUrl: str(constant(null)),
    remoteAssistanceSessionErrorDetails: str(constant(null)),
    isEncrypted: bool((d) => d.complianceState !== "noncompliant"),
    userPrincipalName: queried(upn),
    model: queried((d) => modelOf(d).model),
    manufacturer: queried((d) => modelOf(d).manufacturer),
    imei: str(constant("")),
    complianceGracePeriodExpirationDateTime: date(() => Date.parse("9999-12-31T23:59:59Z")),
    serialNumber: queried((d) => d.serialNumber),
    phoneNumber: str(constant("")),
    androidSecurityPatchLevel: str(constant("")),
    userDisplayName: { type: "string", sortable: true, value: (d) => f.userOf(d)?.displayName ?? "" },
    configurationManagerClientEnabledFeatures: str(constant(null)),
    wiFiMacAddress: str(constant("")),
    deviceHealthAttestationState: str(constant(null)),
    subscriberCarrier: str(constant("")),
    meid: str(constant("")),
    totalStorageSpaceInBytes: num(storage),
    freeStorageSpaceInBytes: num(freeStorage),
    managedDeviceName: str(managedDeviceName),
    partnerReportedThreatState: str(constant("unknown")),
    requireUserEnrollmentApproval: str(constant(null)),
    managementCertificateExpirationDate: date((d) => d.enrolledMs + 365 * 86_400_000),
    iccid: str(constant(null)),
    udid: str(constant(null)),
    notes: str(constant(null)),
    ethernetMacAddress: str(constant(null)),
    physicalMemoryInBytes: num(constant(0)),
    // The device preparation policy's name or the classic profile's displayName (docs/graph.md, "Autopilot device preparation").
    enrollmentProfileName: str((d) => f.enrollmentProfileName(d)),
    // Lists write [] (docs/graph.md, "Action history (deviceActionResults)"); only a single GET with $select fills it.
    deviceActionResults: { type: "complex", value: () => [], single: actionResults },
    // In v1.0 too since late 2025 (msgraph-metadata clean_v10_metadata, 2026-08; docs/graph.md, "Beta-only fields"). On the type without
    // $filter support, like joinType and autopilotEnrolled: such clauses are dropped.
    managementState: { type: "enum", enumValues: MANAGEMENT_STATES, value: (d) => d.managementState },

    ownerType: beta(str((d) => d.ownerType)),
    deviceType: beta(str(deviceTypeOf)),
    chassisType: beta(str((d) => (modelOf(d).form === "DT" ? "desktop" : modelOf(d).form === "PH" ? "phone" : "laptop"))),
    // joinType and autopilotEnrolled are on the type without $filter support: such clauses are dropped.
    joinType: beta({ type: "enum", enumValues: JOIN_TYPES, value: joinTypeOf }),
    autopilotEnrolled: beta(bool(autopilotEnrolledOf)),
    skuFamily: beta(str((d) => windowsOr(d, "Enterprise", ""))),
    skuNumber: beta(str((d) => windowsOr(d, 4, 0))),
    processorArchitecture: beta({ type: "enum", enumValues: ARCHITECTURES, value: (d) => windowsOr(d, "x64", "arM64") }),
    enrolledByUserPrincipalName: beta(str(upn)),
    aadRegistered: beta(bool(constant(true))),
    azureActiveDirectoryDeviceId: beta(str((d) => f.azureADDeviceId(d))),
    lostModeState: beta(str(constant("disabled"))),
    roleScopeTagIds: beta(str(() => ["0"])),
    retireAfterDateTime: beta(str(constant(EMPTY_DATE))),
    usersLoggedOn: beta(str(() => [])),
    preferMdmOverGroupPolicyAppliedDateTime: beta(str(constant(EMPTY_DATE))),
    bootstrapTokenEscrowed: beta(bool(constant(false))),
    deviceFirmwareConfigurationInterfaceManaged: beta(bool(constant(false))),
    windowsActiveMalwareCount: beta(str(constant(0))),
    windowsRemediatedMalwareCount: beta(str(constant(0))),
    securityPatchLevel: beta(str(constant(null))),
    specificationVersion: beta(str(constant(null))),
    managementFeatures: beta(str(constant("none"))),
    hardwareInformation: beta({ type: "complex", value: constant(null), single: hardwareInformation }),
    configurationManagerClientHealthState: beta(str(constant(null))),
    configurationManagerClientInformation: beta(str(constant(null))),
    chromeOSDeviceInfo: beta(str(() => [])),
    cloudPcRemoteActionResults: beta(str(() => [])),
  };
}
