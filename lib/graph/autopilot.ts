/**
 * A managed device's Windows Autopilot record (docs/graph.md, "Autopilot registration" and "The Autopilot record before
 * and after"), in two reads:
 *
 *   GET /beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'<serial>')
 *   GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}?$expand=deploymentProfile
 *
 * `contains(serialNumber, …)` is the filter this collection is known to accept (`serialNumber eq` has been refused,
 * msgraph-sdk-powershell#1260); the row whose managedDeviceId is the device is kept. The profile's assignment status
 * comes from the list, because a single GET reads it as "unknown" (microsoft-graph-docs-contrib#5985); the GET gives
 * the assigned profile's name.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  enrollmentStateOf,
  graphDate,
  profileStatusOf,
  remediationStateOf,
  type AutopilotLookup,
} from "@/lib/devices/autopilot";
import { odataString } from "./device-lookup";

const AUTOPILOT_PATH = "/deviceManagement/windowsAutopilotDeviceIdentities";
const LIST_SELECT = [
  "id",
  "serialNumber",
  "managedDeviceId",
  "groupTag",
  "deploymentProfileAssignmentStatus",
  "deploymentProfileAssignedDateTime",
  "enrollmentState",
  "lastContactedDateTime",
  "remediationState",
  "remediationStateLastModifiedDateTime",
];

interface RawIdentity {
  id?: string;
  serialNumber?: string | null;
  managedDeviceId?: string | null;
  groupTag?: string | null;
  deploymentProfileAssignmentStatus?: string | null;
  deploymentProfileAssignedDateTime?: string | null;
  enrollmentState?: string | null;
  lastContactedDateTime?: string | null;
  remediationState?: string | null;
  remediationStateLastModifiedDateTime?: string | null;
  deploymentProfile?: { displayName?: string | null } | null;
}

/** The identity whose managedDeviceId is the device; else one with the device's exact serial and no other device. */
function pick(rows: readonly RawIdentity[], device: { id: string; serialNumber: string }): RawIdentity | undefined {
  const id = device.id.toLowerCase();
  const byDevice = rows.find((row) => row.managedDeviceId?.toLowerCase() === id);
  if (byDevice) return byDevice;
  const serial = device.serialNumber.toLowerCase();
  return rows.find(
    (row) =>
      row.serialNumber?.toLowerCase() === serial &&
      (!row.managedDeviceId || row.managedDeviceId === "00000000-0000-0000-0000-000000000000"),
  );
}

export async function getAutopilotRecord(client: Client, device: { id: string; serialNumber: string }): Promise<AutopilotLookup> {
  const page: { value?: RawIdentity[] } = await client
    .api(AUTOPILOT_PATH)
    .version("beta")
    .filter(`contains(serialNumber,${odataString(device.serialNumber)})`)
    .select(LIST_SELECT)
    .top(20)
    .get();
  const row = pick(page.value ?? [], device);
  if (!row?.id) return { kind: "none" };
  const detail: RawIdentity = await client
    .api(`${AUTOPILOT_PATH}/${encodeURIComponent(row.id)}`)
    .version("beta")
    .expand("deploymentProfile")
    .get();
  return {
    kind: "found",
    record: {
      id: row.id,
      groupTag: row.groupTag ?? "",
      profileName: detail.deploymentProfile?.displayName ?? null,
      profileStatus: profileStatusOf(row.deploymentProfileAssignmentStatus),
      profileAssignedAt: graphDate(row.deploymentProfileAssignedDateTime),
      enrollmentState: enrollmentStateOf(row.enrollmentState),
      lastContactedAt: graphDate(row.lastContactedDateTime),
      remediationState: remediationStateOf(row.remediationState),
      remediationChangedAt: graphDate(row.remediationStateLastModifiedDateTime),
    },
  };
}
