/**
 * A device's Windows Autopilot record (beta windowsAutopilotDeviceIdentity, docs/graph.md, "The Autopilot record before
 * and after") in the console's words: the device page's Autopilot section and the reset dialog speak through these.
 */
export const PROFILE_ASSIGNMENT_STATUSES = [
  "unknown",
  "assignedInSync",
  "assignedOutOfSync",
  "assignedUnkownSyncState",
  "notAssigned",
  "pending",
  "failed",
] as const;
export type ProfileAssignmentStatus = (typeof PROFILE_ASSIGNMENT_STATUSES)[number];

export const AUTOPILOT_ENROLLMENT_STATES = ["unknown", "enrolled", "pendingReset", "failed", "notContacted", "blocked"] as const;
export type AutopilotEnrollmentState = (typeof AUTOPILOT_ENROLLMENT_STATES)[number];

export const REMEDIATION_STATES = ["unknown", "noRemediationRequired", "automaticRemediationRequired", "manualRemediationRequired"] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];

export interface AutopilotRecord {
  id: string;
  /** "" when the device has none. */
  groupTag: string;
  /** The deployment profile assigned now (relationship deploymentProfile); null when none is, or Graph did not say. */
  profileName: string | null;
  /** From the list answer: a single GET reads "unknown" (microsoft-graph-docs-contrib#5985). */
  profileStatus: ProfileAssignmentStatus;
  profileAssignedAt: string | null;
  enrollmentState: AutopilotEnrollmentState;
  lastContactedAt: string | null;
  remediationState: RemediationState;
  remediationChangedAt: string | null;
}

/** What the device page knows of the record: found, or Graph has none for this device. */
export type AutopilotLookup = { kind: "found"; record: AutopilotRecord } | { kind: "none" };

export const PROFILE_STATUS_LABELS: Record<ProfileAssignmentStatus, string> = {
  unknown: "Unknown",
  assignedInSync: "Assigned",
  assignedOutOfSync: "Assigned, not yet synced to Autopilot",
  assignedUnkownSyncState: "Assigned, sync state unknown",
  notAssigned: "Not assigned",
  pending: "Assignment pending",
  failed: "Assignment failed",
};

export const ENROLLMENT_STATE_LABELS: Record<AutopilotEnrollmentState, string> = {
  unknown: "Unknown",
  enrolled: "Enrolled",
  pendingReset: "Reset pending",
  failed: "Enrollment failed",
  notContacted: "Not contacted",
  blocked: "Blocked",
};

export const REMEDIATION_STATE_LABELS: Record<RemediationState, string> = {
  unknown: "Unknown",
  noRemediationRequired: "None needed",
  automaticRemediationRequired: "Hardware changed: Autopilot remediates it by itself",
  manualRemediationRequired: "Hardware changed: needs manual remediation",
};

/** Graph's empty date (0001-01-01) means "never". */
export function graphDate(value: string | null | undefined): string | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  return value;
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export const profileStatusOf = (value: unknown) => oneOf(PROFILE_ASSIGNMENT_STATUSES, value, "unknown");
export const enrollmentStateOf = (value: unknown) => oneOf(AUTOPILOT_ENROLLMENT_STATES, value, "unknown");
export const remediationStateOf = (value: unknown) => oneOf(REMEDIATION_STATES, value, "unknown");

export interface AutopilotExpectation {
  tone: "info" | "warning";
  text: string;
}

/**
 * What the record changes about what the user should expect of a reset, one sentence each, for the reset dialog. The
 * reset keeps the Autopilot registration and the device's group memberships: its group tag decides which dynamic
 * groups, and so which apps and policies, it comes back with.
 */
export function autopilotExpectations(lookup: AutopilotLookup | undefined): AutopilotExpectation[] {
  if (!lookup) return [];
  if (lookup.kind === "none") {
    return [
      {
        tone: "warning",
        text: "Intune lists this device as Autopilot registered, but Graph returned no Autopilot record for it. Without the record the reset cannot bring it back with Autopilot: check Devices > Enrollment > Windows Autopilot devices first.",
      },
    ];
  }
  const r = lookup.record;
  const out: AutopilotExpectation[] = [];
  out.push(
    r.groupTag
      ? { tone: "info", text: `It keeps its group tag “${r.groupTag}”, so it comes back with the apps and policies of that tag's groups.` }
      : { tone: "info", text: "It has no group tag, so it comes back with what is assigned to all devices and to its other groups only." },
  );
  // A profile still catching up with the tag is warned of at the top of the dialog (oldProfileWarning), not here.
  if (r.profileStatus === "notAssigned" || r.profileStatus === "failed") {
    out.push({
      tone: "warning",
      text: `Its Autopilot deployment profile: ${PROFILE_STATUS_LABELS[r.profileStatus].toLowerCase()}. The reset keeps the Autopilot registration either way; check the profile before the device is ever fully wiped or reinstalled.`,
    });
  }
  if (r.remediationState === "manualRemediationRequired" || r.remediationState === "automaticRemediationRequired") {
    out.push({ tone: "warning", text: `Autopilot reports a hardware change (${REMEDIATION_STATE_LABELS[r.remediationState].split(": ")[1]}).` });
  }
  return out;
}
