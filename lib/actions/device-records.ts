"use server";
/**
 * What a page needs to judge a reset as the server will (lib/server/send/judge.ts): the tenant's provisioning names,
 * and a device's records (the other Intune records with its serial, and whether its Autopilot record agrees).
 * Reads only: the server reads all of this again itself before any reset.
 */
import { z } from "zod";
import { isDeviceId } from "@/lib/devices/ids";
import type { ProvisioningNames } from "@/lib/devices/provisioning";
import { recordsAgree, type RecordsVerdict } from "@/lib/devices/records";
import { readAutopilotLinks } from "@/lib/graph/autopilot";
import { getManagedDevice } from "@/lib/graph/devices";
import { mapGraphError, NO_SUCH_DEVICE, READ_AUTOPILOT_ERRORS, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { readProvisioningNames } from "@/lib/graph/provisioning";
import { readSerialRecords, type SerialRecords } from "@/lib/graph/siblings";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

/** The tenant's Autopilot profile and device preparation policy names; a failed read is an answer, not an error. */
export async function getProvisioningNames(accessToken: string, input?: unknown): Promise<ActionResult<ProvisioningNames>> {
  return runAction(
    {
      name: "getProvisioningNames",
      input: z.object({}).strict().optional(),
      handler: async (_parsed, { graph, graphBaseUrl }) => readProvisioningNames(graph, graphBaseUrl),
    },
    accessToken,
    input,
  );
}

export interface DeviceRecords {
  deviceId: string;
  serialNumber: string | null;
  /** Every Intune record with the device's serial (this one too), newest check-in first; or why it was not read. */
  siblings: SerialRecords | { error: ActionError };
  /** For a device Intune says is registered with Autopilot: whether its records agree, as the server judges it. */
  autopilot: { kind: "not-registered" } | { kind: "judged"; verdict: RecordsVerdict } | { kind: "error"; error: ActionError };
}

export async function getDeviceRecords(accessToken: string, input: unknown): Promise<ActionResult<DeviceRecords>> {
  return runAction(
    {
      name: "getDeviceRecords",
      input: z.object({ deviceId: z.string({ message: "A device id is required." }).max(1_000, { message: NO_SUCH_DEVICE }) }).strict(),
      errors: { ...READ_DEVICES_ERRORS, operation: "read this device", notFoundMessage: NO_SUCH_DEVICE },
      handler: async ({ deviceId }, { graph }): Promise<DeviceRecords> => {
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        // The device as Graph has it now, not as the browser last read it: the verdict must be the server's.
        const device = await getManagedDevice(graph, deviceId);
        const serial = device.serialNumber?.trim() ?? "";
        const [siblings, autopilot] = await Promise.all([
          serial
            ? readSerialRecords(graph, serial).catch((error: unknown) => ({ error: mapGraphError(error, READ_DEVICES_ERRORS) }))
            : Promise.resolve<SerialRecords>({ records: [], incomplete: null }),
          device.autopilotEnrolled
            ? readAutopilotLinks(graph, [device]).then(
                (links): DeviceRecords["autopilot"] => {
                  const mine = links.get(device.id) ?? [];
                  return Array.isArray(mine) ? { kind: "judged", verdict: recordsAgree(device, mine) } : { kind: "error", error: mine };
                },
                (error: unknown): DeviceRecords["autopilot"] => ({ kind: "error", error: mapGraphError(error, READ_AUTOPILOT_ERRORS) }),
              )
            : Promise.resolve<DeviceRecords["autopilot"]>({ kind: "not-registered" }),
        ]);
        return { deviceId: device.id, serialNumber: device.serialNumber, siblings, autopilot };
      },
    },
    accessToken,
    input,
  );
}
