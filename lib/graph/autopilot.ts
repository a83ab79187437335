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
 *
 * One write (docs/graph.md, "Changing the group tag"):
 *
 *   POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/updateDeviceProperties {groupTag, userPrincipalName?}
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  enrollmentStateOf,
  graphDate,
  profileStatusOf,
  remediationStateOf,
  type AutopilotLookup,
} from "@/lib/devices/autopilot";
import type { AutopilotLink } from "@/lib/devices/records";
import type { ActionError } from "@/lib/result";
import { inParallelBatches, responsesById, subResponseError } from "./batch";
import { odataString } from "./device-lookup";
import { mapGraphError, READ_AUTOPILOT_ERRORS } from "./errors";

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

const LINK_SELECT = ["id", "serialNumber", "managedDeviceId", "azureActiveDirectoryDeviceId"];

/** The relative URL (in a beta $batch) of the identities whose serial contains this one. */
export function autopilotLinksUrl(serialNumber: string): string {
  const filter = encodeURIComponent(`contains(serialNumber,${odataString(serialNumber)})`);
  return `${AUTOPILOT_PATH}?$filter=${filter}&$select=${LINK_SELECT.join(",")}&$top=20`;
}

function linkOf(row: { serialNumber?: string | null; managedDeviceId?: string | null; azureActiveDirectoryDeviceId?: string | null }): AutopilotLink {
  return {
    serialNumber: row.serialNumber ?? "",
    managedDeviceId: row.managedDeviceId ?? "",
    azureActiveDirectoryDeviceId: row.azureActiveDirectoryDeviceId ?? "",
  };
}

/**
 * Per device, the Autopilot identities that share its serial (lib/devices/records.ts judges them), in beta $batches of
 * 20 side by side; an error per device that could not be read. A device with no serial gets none (nothing to match).
 */
export async function readAutopilotLinks(
  client: Client,
  devices: readonly { id: string; serialNumber: string | null }[],
): Promise<Map<string, AutopilotLink[] | ActionError>> {
  const result = new Map<string, AutopilotLink[] | ActionError>();
  const withSerial = devices.filter((d) => d.serialNumber?.trim());
  for (const d of devices) if (!d.serialNumber?.trim()) result.set(d.id, []);
  const serialOf = new Map(withSerial.map((d) => [d.id, d.serialNumber!.trim()]));
  await inParallelBatches(
    withSerial.map((d) => d.id),
    async (ids) => {
      const body = { requests: ids.map((id, index) => ({ id: String(index + 1), method: "GET", url: autopilotLinksUrl(serialOf.get(id)!) })) };
      let response: unknown;
      try {
        response = await client.api("/$batch").version("beta").post(body);
      } catch (error) {
        const mapped = mapGraphError(error, READ_AUTOPILOT_ERRORS);
        for (const id of ids) result.set(id, mapped);
        return [];
      }
      const byId = responsesById(response);
      ids.forEach((id, index) => {
        const sub = byId.get(String(index + 1));
        const status = typeof sub?.status === "number" ? sub.status : Number(sub?.status);
        if (sub && status >= 200 && status < 300) {
          const rows = ((sub.body as { value?: unknown[] } | undefined)?.value ?? []) as Parameters<typeof linkOf>[0][];
          result.set(id, rows.map(linkOf));
          return;
        }
        result.set(
          id,
          sub && Number.isInteger(status)
            ? mapGraphError(subResponseError(sub, status), READ_AUTOPILOT_ERRORS)
            : { kind: "unavailable", message: "Graph's batch answer had no result for this device." },
        );
      });
      return [];
    },
  );
  return result;
}

export interface AutopilotPropertyChange {
  groupTag: string;
  /** The Autopilot record's user; left as it is when absent. */
  userPrincipalName?: string;
}

/** Sets the identity's group tag (and user): Graph answers 204; the profile catches up later (the list's status). */
export async function updateAutopilotDeviceProperties(client: Client, identityId: string, change: AutopilotPropertyChange): Promise<void> {
  const body: Record<string, string> = { groupTag: change.groupTag };
  if (change.userPrincipalName !== undefined) body.userPrincipalName = change.userPrincipalName;
  await client.api(`${AUTOPILOT_PATH}/${encodeURIComponent(identityId)}/updateDeviceProperties`).version("beta").post(body);
}
