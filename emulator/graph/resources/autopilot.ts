/**
 * windowsAutopilotDeviceIdentity: a managed device registered with Autopilot, or the n-th identity never enrolled
 * (an orphan). One schema for both versions; v1.0 answers leave the beta-only properties out.
 */
import type { Fleet } from "../../fleet/fleet";
import { modelOf, type DeviceRecord } from "../../fleet/device";
import { classicProfileIndexForTag } from "../../fleet/enrollment";
import type { EnrollmentResources } from "./enrollment";
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
 * The deployment profile assigned to an identity (beta navigation property deploymentProfile), when one is: its group
 * tag's (fleet/enrollment.ts). The whole profile, as the profiles list writes it.
 */
export function deploymentProfileOf(r: AutopilotRow, profiles: EnrollmentResources, f: Fleet, now: number): Record<string, Value> | undefined {
  const i = assignedProfileIndexOf(f, r, now);
  return i === undefined ? undefined : profiles.profile(i);
}

function profileIndexOf(r: AutopilotRow): number | undefined {
  const tag = deviceOf(r)?.groupTag;
  return tag ? classicProfileIndexForTag(tag) : undefined;
}

/** The profile assigned now: while a group tag change catches up, the previous tag's (fleet/group-tags.ts). */
function assignedProfileIndexOf(f: Fleet, r: AutopilotRow, now: number): number | undefined {
  const d = deviceOf(r);
  if (!d) return undefined;
  const tag = f.groupTags.assignedTag(d, now);
  return tag ? classicProfileIndexForTag(tag) : undefined;
}

function assignmentStatus(f: Fleet, r: AutopilotRow, now: number): string {
  const d = deviceOf(r);
  if (d && f.groupTags.catchingUp(d, now)) return "pending";
  return profileIndexOf(r) !== undefined ? "assignedInSync" : "notAssigned";
}

function assignedDateMs(f: Fleet, r: AutopilotRow, now: number): number {
  const d = deviceOf(r);
  if (!d || assignedProfileIndexOf(f, r, now) === undefined) return EMPTY_DATE_MS;
  return f.groupTags.assignedMs(d, now) ?? d.enrolledMs - 86_400_000;
}

function enrollmentState(f: Fleet, r: AutopilotRow): string {
  return typeof r === "number" ? "notContacted" : f.autopilotEnrollmentState(r);
}

/** The windowsAutopilotDeviceIdentity property table over a fleet, in the order Graph writes them. */
export function autopilotTable(f: Fleet): PropertyTable<AutopilotRow> {
  const model = (r: AutopilotRow) => { const d = deviceOf(r); return d ? modelOf(d) : ORPHAN_MODEL; };
  // The identity's own record of the Entra device: the scenario set's entraMismatch devices disagree with Intune's.
  const aadId = (r: AutopilotRow) => { const d = deviceOf(r); return d ? f.autopilotAzureADDeviceId(d) : ""; };
  return {
    id: { type: "string", filterable: true, value: (r) => autopilotId(f, r) },
    deploymentProfileAssignmentStatus: beta({ type: "enum", value: (r, now) => assignmentStatus(f, r, now) }),
    deploymentProfileAssignmentDetailedStatus: beta(blank("enum", "none")),
    deploymentProfileAssignedDateTime: beta({ type: "datetime", value: (r, now) => assignedDateMs(f, r, now) }),
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
    userPrincipalName: { type: "string", value: (r) => { const d = deviceOf(r); return d ? f.groupTags.userPrincipalName(d) : ""; } },
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
