/**
 * How a Windows device was provisioned: classic Windows Autopilot (which Autopilot Reset serves) or Autopilot device
 * preparation (which it does not), told apart as docs/graph.md "Autopilot device preparation" says: the device's
 * `enrollmentProfileName` matched against both the tenant's device preparation policies and its classic deployment
 * profiles. An Autopilot record alone proves nothing. Pure: the lists come in as arguments.
 */

export type ProvisionedBy = "autopilot" | "device-preparation" | "unknown";

/** The tenant's two lists of names, as lib/graph/provisioning.ts read them (or why it could not). */
export type ProvisioningNames =
  | { kind: "read"; devicePreparationPolicies: readonly string[]; autopilotProfiles: readonly string[] }
  /**
   * `lasting`: Graph refused the read (a missing scope or role): resets go ahead with "not known" said. Otherwise the
   * failure is passing (throttled, an outage), and a sender waits rather than decide without the lists.
   */
  | { kind: "unreadable"; lasting: boolean; why: string };

export interface Provisioning {
  by: ProvisionedBy;
  /** One sentence: what the console knows and, for unknown, what it does not. */
  message: string;
}

export const PROVISIONED_BY_LABELS: Record<ProvisionedBy, string> = {
  autopilot: "Autopilot",
  "device-preparation": "Device preparation",
  unknown: "Unknown",
};

const fold = (name: string) => name.trim().toLowerCase();

export function provisioningOf(enrollmentProfileName: string | null, names: ProvisioningNames): Provisioning {
  const profile = enrollmentProfileName?.trim() ?? "";
  if (names.kind === "unreadable") {
    return {
      by: "unknown",
      message: profile
        ? `Enrolled with "${profile}"; whether that is an Autopilot profile or a device preparation policy is not known: ${names.why}`
        : `Intune names no enrollment profile for this device, and ${names.why}`,
    };
  }
  if (!profile) {
    return { by: "unknown", message: "Intune names no enrollment profile for this device, so how it was provisioned is not known." };
  }
  const isPolicy = names.devicePreparationPolicies.some((n) => fold(n) === fold(profile));
  const isProfile = names.autopilotProfiles.some((n) => fold(n) === fold(profile));
  if (isPolicy && isProfile) {
    return {
      by: "unknown",
      message: `"${profile}" is the name of both an Autopilot profile and a device preparation policy, so how this device was provisioned is not known.`,
    };
  }
  if (isPolicy) {
    return {
      by: "device-preparation",
      message: `Provisioned by the Autopilot device preparation policy "${profile}". Autopilot device preparation does not support Autopilot Reset.`,
    };
  }
  if (isProfile) return { by: "autopilot", message: `Provisioned by the Windows Autopilot profile "${profile}".` };
  return {
    by: "unknown",
    message: `Enrolled with "${profile}", which is neither an Autopilot profile nor a device preparation policy of this tenant now, so how it was provisioned is not known.`,
  };
}
