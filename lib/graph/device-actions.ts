/**
 * The two remote actions on one device (docs/graph.md, "The two actions"). Both answer 204 with no operation id; what
 * happened afterwards is read from the device (getManagedDevice, deviceActionResults). The client never resends these
 * (lib/graph/client).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { encodeJustificationHeader } from "@/lib/devices/approval";
import { isDeviceId, isGuid } from "@/lib/devices/ids";
import type { Device } from "@/lib/devices/types";
import { getManagedDevice, MANAGED_DEVICES_PATH } from "./device-record";

/** Autopilot Reset is the wipe action with these flags: keep enrollment (Entra join, Intune), remove user data. */
export const AUTOPILOT_RESET_BODY = { keepEnrollmentData: true, keepUserData: false } as const;

function devicePath(deviceId: string): string {
  // Callers validate ids; this guard keeps a stray value out of the URL whatever the caller did.
  if (!isDeviceId(deviceId)) throw new TypeError("A managed device id must be a GUID.");
  return `${MANAGED_DEVICES_PATH}/${deviceId}`;
}

/** Multi Admin Approval's request headers (docs/graph.md, "Multi Admin Approval"). */
const APPROVAL_JUSTIFICATION_HEADER = "x-msft-approval-justification";
const APPROVAL_CODE_HEADER = "x-msft-approval-code";

/**
 * Under Multi Admin Approval: ask for approval with a justification (the whole text, prefix included; sent as Base64 of
 * its UTF-8), or complete an approved request with its code (the request's id). Without either, the plain wipe.
 */
export type ResetApproval = { justification: string } | { code: string };

/** POST .../managedDevices/{id}/wipe {keepEnrollmentData:true, keepUserData:false}: an Autopilot Reset. */
export async function sendAutopilotReset(client: Client, deviceId: string, approval?: ResetApproval): Promise<void> {
  let request = client.api(`${devicePath(deviceId)}/wipe`).version("v1.0");
  if (approval && "code" in approval) {
    if (!isGuid(approval.code)) throw new TypeError("An approval code is the approval request's id, a GUID.");
    request = request.header(APPROVAL_CODE_HEADER, approval.code.toLowerCase());
  } else if (approval) {
    request = request.header(APPROVAL_JUSTIFICATION_HEADER, encodeJustificationHeader(approval.justification));
  }
  await request.post(AUTOPILOT_RESET_BODY);
}

/** POST .../managedDevices/{id}/syncDevice, no body. */
export async function sendSyncDevice(client: Client, deviceId: string): Promise<void> {
  await client.api(`${devicePath(deviceId)}/syncDevice`).version("v1.0").post(undefined);
}

/** The device with its action history, for status and for "is a reset already pending?". */
export async function readDeviceActionState(client: Client, deviceId: string): Promise<Device> {
  return getManagedDevice(client, deviceId);
}
