/**
 * Beta windowsAutopilotDeploymentProfile (as azureADWindowsAutopilotDeploymentProfile: graph-docs beta
 * intune-enrollment-azureadwindowsautopilotdeploymentprofile.md, property order as its JSON representation) and beta
 * deviceManagementConfigurationPolicy (intune-deviceconfigv2-devicemanagementconfigurationpolicy.md). Rows are
 * positions in the fixed lists of fleet/enrollment.ts; ids derive from the seed.
 */
import {
  CLASSIC_PROFILES, DEVICE_PREPARATION_TEMPLATE_ID, SETTINGS_CATALOG_POLICIES,
} from "../../fleet/enrollment";
import { derivedGuid } from "../../fleet/random";
import type { Schema } from "../odata";
import { Writer, schemaOf, type PropertyTable, type Value } from "./table";

export const PROFILE_TYPE = "microsoft.graph.azureADWindowsAutopilotDeploymentProfile";
export const POLICY_TYPE = "microsoft.graph.deviceManagementConfigurationPolicy";
export const PROFILE_NAVIGATION = ["assignedDevices", "assignments"];
export const POLICY_NAVIGATION = ["assignments", "settings"];

// The day the emulated tenant's profiles and policies were made (they have no history of their own).
const PROFILE_CREATED_MS = Date.UTC(2024, 0, 15, 9, 30);
const POLICY_CREATED_MS = Date.UTC(2024, 2, 4, 14, 0);
const DAY_MS = 86_400_000;
const PLATFORMS = ["none", "android", "iOS", "macOS", "windows10X", "windows10", "linux", "unknownFutureValue", "androidEnterprise", "aosp", "visionOS", "tvOS"];

export const profileId = (seed: number, i: number) => derivedGuid(seed, i, 7);
export const policyId = (seed: number, i: number) => derivedGuid(seed, i, 0xc0f);

function profileTable(seed: number): PropertyTable<number> {
  const p = (i: number) => CLASSIC_PROFILES[i]!;
  const usage = (i: number) => (p(i).shared ? "shared" : "singleUser");
  const created = () => PROFILE_CREATED_MS;
  return {
    id: { type: "string", value: (i) => profileId(seed, i) },
    displayName: { type: "string", sortable: true, value: (i) => p(i).displayName },
    description: { type: "string", sortable: true, value: (i) => p(i).description },
    language: { type: "string", value: () => "os-default" },
    locale: { type: "string", value: () => "os-default" },
    createdDateTime: { type: "datetime", value: created },
    lastModifiedDateTime: { type: "datetime", value: created },
    outOfBoxExperienceSettings: {
      type: "complex",
      value: (i) => ({ hidePrivacySettings: true, hideEULA: true, userType: "standard", deviceUsageType: usage(i), skipKeyboardSelectionPage: true, hideEscapeLink: true }),
    },
    outOfBoxExperienceSetting: {
      type: "complex",
      value: (i) => ({ privacySettingsHidden: true, eulaHidden: true, userType: "standard", deviceUsageType: usage(i), keyboardSelectionPageSkipped: true, escapeLinkHidden: true }),
    },
    enrollmentStatusScreenSettings: { type: "complex", value: () => null },
    extractHardwareHash: { type: "bool", value: () => false },
    hardwareHashExtractionEnabled: { type: "bool", value: () => false },
    deviceNameTemplate: { type: "string", value: () => "" },
    deviceType: { type: "enum", value: () => "windowsPc" },
    enableWhiteGlove: { type: "bool", value: () => false },
    preprovisioningAllowed: { type: "bool", value: () => false },
    roleScopeTagIds: { type: "complex", value: () => ["0"] },
    managementServiceAppId: { type: "string", value: () => null },
  };
}

/**
 * A plain settings catalog policy references no template (templateId "", family none); a device preparation policy
 * references its template. templateDisplayName and templateDisplayVersion of that template are UNVERIFIED (the
 * emulator's wording): key on templateId.
 */
function templateReference(i: number): Value {
  if (!SETTINGS_CATALOG_POLICIES[i]!.devicePreparation) {
    return { templateId: "", templateFamily: "none", templateDisplayName: null, templateDisplayVersion: null };
  }
  return {
    templateId: DEVICE_PREPARATION_TEMPLATE_ID, templateFamily: "enrollmentConfiguration",
    templateDisplayName: "Windows Autopilot device preparation", templateDisplayVersion: "Version 1",
  };
}

function policyTable(seed: number): PropertyTable<number> {
  const p = (i: number) => SETTINGS_CATALOG_POLICIES[i]!;
  const created = (i: number) => POLICY_CREATED_MS + i * 11 * DAY_MS;
  return {
    id: { type: "string", filterable: true, value: (i) => policyId(seed, i) },
    name: { type: "string", filterable: true, sortable: true, value: (i) => p(i).name },
    description: { type: "string", value: (i) => p(i).description },
    platforms: { type: "enum", enumValues: PLATFORMS, filterable: true, value: (i) => p(i).platforms },
    technologies: { type: "string", value: (i) => p(i).technologies },
    createdDateTime: { type: "datetime", sortable: true, value: created },
    lastModifiedDateTime: { type: "datetime", sortable: true, value: (i) => created(i) + (i % 5) * 7 * DAY_MS },
    settingCount: { type: "number", value: (i) => p(i).settingCount },
    creationSource: { type: "string", value: () => null },
    roleScopeTagIds: { type: "complex", value: () => ["0"] },
    isAssigned: { type: "bool", value: () => true },
    disableEntraGroupPolicyAssignment: { type: "bool", value: () => false },
    templateReference: { type: "complex", value: templateReference },
    // Enrollment policies carry their priority; the others have none.
    priorityMetaData: { type: "complex", value: (i) => (p(i).devicePreparation ? { priority: 1 + SETTINGS_CATALOG_POLICIES.slice(0, i).filter((x) => x.devicePreparation).length } : null) },
  };
}

export class EnrollmentResources {
  readonly profileSchema: Schema<number>;
  readonly policySchema: Schema<number>;
  private readonly profiles: Writer<number>;
  private readonly policies: Writer<number>;

  constructor(readonly seed: number) {
    const profiles = profileTable(seed);
    const policies = policyTable(seed);
    this.profileSchema = schemaOf(PROFILE_TYPE, profiles);
    this.policySchema = schemaOf(POLICY_TYPE, policies);
    this.profiles = new Writer(profiles, { odataType: `#${PROFILE_TYPE}`, navigation: PROFILE_NAVIGATION });
    this.policies = new Writer(policies, { navigation: POLICY_NAVIGATION });
  }

  profile(i: number, select?: string[]): Record<string, Value> {
    return this.profiles.write(i, { version: "beta", now: 0, select });
  }

  policy(i: number, select?: string[]): Record<string, Value> {
    return this.policies.write(i, { version: "beta", now: 0, select });
  }
}
