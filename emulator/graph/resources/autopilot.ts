/**
 * windowsAutopilotDeviceIdentity: a managed device registered with Autopilot, or the n-th identity never enrolled
 * (an orphan). One schema for both versions; v1.0 answers leave the beta-only properties out.
 */
import type { Fleet } from "../../fleet/fleet";
import { modelOf, type DeviceRecord } from "../../fleet/device";
import { derivedGuid } from "../../fleet/random";
import { EMPTY_DATE_MS, type Property, type PropertyTable, type Value } from "./table";

export type AutopilotRow = DeviceRecord | number;

type P = Property<AutopilotRow>;
const NO_DEVICE = "00000000-0000-0000-0000-000000000000";
const ENROLLMENT_STATES = ["unknown", "enrolled", "pendingReset", "failed", "notContacted", "blocked"];
// An orphan has no device to read a model from.
const ORPHAN_MODEL = { model: "Latitude 5440", manufacturer: "Dell Inc." };

const deviceOf = (r: AutopilotRow) => (typeof r === "number" ? undefined : r);
const blank = (type: P["type"] = "string", value: Value = ""): P => ({ type, value: () => value });
const beta = (p: P): P => ({ ...p, betaOnly: true });

function orphanSerial(f: Fleet, n: number): string {
  return `ORPH${String(f.seed % 9973).padStart(4, "0")}${String(n).padStart(5, "0")}`;
}

export function autopilotId(f: Fleet, r: AutopilotRow): string {
  return typeof r === "number" ? f.orphanAutopilotId(r) : f.autopilotId(r);
}

/**
 * The tenant's Autopilot deployment profiles, one per group tag (as if each were assigned to a dynamic group on
 * `[OrderID]`); an untagged device is in none of those groups, so no profile is assigned to it.
 */
const PROFILE_BY_TAG: Record<string, { name: string; description: string }> = {
  Standard: { name: "Contoso user-driven", description: "Entra join, user-driven; standard apps." },
  Finance: { name: "Contoso user-driven", description: "Entra join, user-driven; standard apps." },
  Engineering: { name: "Contoso engineering", description: "Entra join, user-driven; developer tools." },
  Kiosk: { name: "Contoso kiosk", description: "Self-deploying kiosk." },
  "Shared-Lab": { name: "Contoso shared lab", description: "Self-deploying, shared PC mode." },
};
const PROFILE_NAMES = [...new Set(Object.values(PROFILE_BY_TAG).map((p) => p.name))];
// The day the emulated tenant's profiles were made (they have no history of their own).
const PROFILE_CREATED_MS = Date.UTC(2024, 0, 15, 9, 30);

/** The deployment profile assigned to an identity (beta navigation property deploymentProfile), when one is. */
export function deploymentProfileOf(f: Fleet, r: AutopilotRow): Record<string, Value> | undefined {
  const tag = deviceOf(r)?.groupTag;
  const profile = tag ? PROFILE_BY_TAG[tag] : undefined;
  if (!profile) return undefined;
  const created = new Date(PROFILE_CREATED_MS).toISOString();
  return {
    "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
    id: derivedGuid(f.seed, PROFILE_NAMES.indexOf(profile.name), 7),
    displayName: profile.name,
    description: profile.description,
    language: "os-default",
    createdDateTime: created,
    lastModifiedDateTime: created,
  };
}

function enrollmentState(f: Fleet, r: AutopilotRow): string {
  return typeof r === "number" ? "notContacted" : f.autopilotEnrollmentState(r);
}

/** The windowsAutopilotDeviceIdentity property table over a fleet, in the order Graph writes them. */
export function autopilotTable(f: Fleet): PropertyTable<AutopilotRow> {
  const model = (r: AutopilotRow) => { const d = deviceOf(r); return d ? modelOf(d) : ORPHAN_MODEL; };
  const aadId = (r: AutopilotRow) => { const d = deviceOf(r); return d ? f.azureADDeviceId(d) : ""; };
  return {
    id: { type: "string", filterable: true, value: (r) => autopilotId(f, r) },
    deploymentProfileAssignmentStatus: beta({ type: "enum", value: (r) => (deploymentProfileOf(f, r) ? "assignedInSync" : "notAssigned") }),
    deploymentProfileAssignmentDetailedStatus: beta(blank("enum", "none")),
    deploymentProfileAssignedDateTime: beta({ type: "datetime", value: (r) => { const d = deviceOf(r); return d && deploymentProfileOf(f, r) ? d.enrolledMs - 86_400_000 : EMPTY_DATE_MS; } }),
    groupTag: { type: "string", filterable: true, sortable: true, value: (r) => deviceOf(r)?.groupTag ?? "" },
    purchaseOrderIdentifier: blank(),
    serialNumber: { type: "string", filterable: true, sortable: true, value: (r) => (typeof r === "number" ? orphanSerial(f, r) : r.serialNumber) },
    productKey: blank(),
    manufacturer: { type: "string", value: (r) => model(r).manufacturer },
    model: { type: "string", value: (r) => model(r).model },
    enrollmentState: { type: "enum", enumValues: ENROLLMENT_STATES, filterable: true, value: (r) => enrollmentState(f, r) },
    // An orphan never checked in: 0001-01-01, which also sorts it before every device.
    lastContactedDateTime: { type: "datetime", sortable: true, value: (r, now) => { const d = deviceOf(r); return d ? f.lastSyncMs(d, now) : EMPTY_DATE_MS; } },
    addressableUserName: blank(),
    userPrincipalName: blank(),
    resourceName: blank(),
    skuNumber: blank(),
    systemFamily: blank(),
    azureActiveDirectoryDeviceId: { type: "string", filterable: true, value: aadId },
    azureAdDeviceId: beta({ type: "string", value: aadId }),
    managedDeviceId: { type: "string", filterable: true, value: (r) => deviceOf(r)?.id ?? NO_DEVICE },
    displayName: blank(),
    userlessEnrollmentStatus: beta(blank("enum", "unknown")),
    // A registered device whose hardware has not changed; an orphan was never looked at.
    remediationState: beta({ type: "enum", value: (r) => (deviceOf(r) ? "noRemediationRequired" : "unknown") }),
    remediationStateLastModifiedDateTime: beta({ type: "datetime", value: (r) => deviceOf(r)?.enrolledMs ?? EMPTY_DATE_MS }),
    // Surface Hub / HoloLens device accounts (msgraph-metadata type-mappings/beta-entity-types.json): a PC has none, so
    // the password reads null and the names empty, like the other unset strings here.
    deviceAccountPassword: beta(blank("string", null)),
    deviceAccountUpn: beta(blank()),
    deviceFriendlyName: beta(blank()),
    // On the type (so $select accepts it) but never written.
    managedDeviceName: { type: "string" },
  };
}
