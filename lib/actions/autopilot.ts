"use server";
/** The device page's Autopilot section: the device's Windows Autopilot record (lib/graph/autopilot.ts). */
import { z } from "zod";
import type { AutopilotLookup } from "@/lib/devices/autopilot";
import { isDeviceId } from "@/lib/devices/ids";
import { getAutopilotRecord } from "@/lib/graph/autopilot";
import { NO_SUCH_DEVICE, READ_AUTOPILOT_ERRORS } from "@/lib/graph/errors";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

const autopilotInput = z.object({
  deviceId: z.string().max(1_000),
  // A serial number as Intune reports it: printable, no control characters (it goes into an OData string).
  serialNumber: z.string().min(1).max(128).regex(/^[^\p{Cc}\p{Cf}]+$/u, { message: "This serial number cannot be looked up." }),
});

export async function getDeviceAutopilot(accessToken: string, input: unknown): Promise<ActionResult<AutopilotLookup>> {
  return runAction(
    {
      name: "getDeviceAutopilot",
      input: autopilotInput,
      errors: READ_AUTOPILOT_ERRORS,
      handler: async ({ deviceId, serialNumber }, { graph }) => {
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        return getAutopilotRecord(graph, { id: deviceId, serialNumber: serialNumber.trim() });
      },
    },
    accessToken,
    input,
  );
}
