"use server";
/**
 * Changing a device's Autopilot group tag (and the record's user) before a reset (docs/graph.md, "Changing the group
 * tag"). The browser names the managed device and the new tag; the server re-reads the device and its Autopilot record
 * on every call and takes the record's id from Graph, never from the browser. A tag change is not a reset: it goes
 * nowhere near the send protocol, the monitor, the audit counts or the daily limit.
 */
import { z } from "zod";
import { hasScope, SCOPE_NAMES } from "@/lib/auth/scopes";
import { groupTagSchema } from "@/lib/devices/group-tag";
import { isDeviceId } from "@/lib/devices/ids";
import { getAutopilotRecord, updateAutopilotDeviceProperties } from "@/lib/graph/autopilot";
import { getManagedDevice } from "@/lib/graph/device-record";
import { directoryConsentError, GROUP_TAG_ERRORS, mapGraphError, NO_SUCH_DEVICE, READ_AUTOPILOT_ERRORS, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { scopesInToken } from "@/lib/graph/permissions";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

export interface GroupTagChanged {
  previousTag: string;
  groupTag: string;
}

const changeInput = z.object({
  deviceId: z.string().max(1_000),
  groupTag: groupTagSchema,
  // A user principal name as Entra writes one: name@domain, no spaces, markup or quotes.
  userPrincipalName: z
    .string()
    .max(113, { message: "A user principal name is at most 113 characters." })
    .regex(/^[^\s@<>"'&]+@[^\s@<>"'&]+\.[^\s@<>"'&]+$/, { message: "Enter the user as name@domain (their user principal name)." })
    .optional(),
});

async function read<T>(work: () => Promise<T>, errors: typeof READ_DEVICES_ERRORS): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ActionFailure(mapGraphError(error, errors));
  }
}

export async function changeGroupTag(accessToken: string, input: unknown): Promise<ActionResult<GroupTagChanged>> {
  return runAction(
    {
      name: "changeGroupTag",
      input: changeInput,
      errors: GROUP_TAG_ERRORS,
      handler: async ({ deviceId, groupTag, userPrincipalName }, { graph, accessToken: token }) => {
        // Refused before Graph is called when the tenant never granted the write scope: Graph's 403 would say the same.
        const granted = scopesInToken(token);
        if (granted && !hasScope(granted, SCOPE_NAMES.writeServiceConfig)) throw new ActionFailure(directoryConsentError(SCOPE_NAMES.writeServiceConfig));
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        const device = await read(() => getManagedDevice(graph, deviceId), { ...READ_DEVICES_ERRORS, notFoundMessage: NO_SUCH_DEVICE });
        if ((device.operatingSystem ?? "").toLowerCase() !== "windows" || !device.autopilotEnrolled) {
          throw new ActionFailure({ kind: "invalid", message: "Only Windows devices registered with Windows Autopilot have a group tag." });
        }
        const serialNumber = device.serialNumber?.trim() ?? "";
        if (!serialNumber) throw new ActionFailure({ kind: "invalid", message: "Intune reports no serial number for this device, so its Autopilot record cannot be found." });
        const lookup = await read(() => getAutopilotRecord(graph, { id: device.id, serialNumber }), READ_AUTOPILOT_ERRORS);
        if (lookup.kind === "none") {
          throw new ActionFailure({ kind: "not-found", message: "Graph returned no Windows Autopilot record for this device, so there is no group tag to change." });
        }
        const previousTag = lookup.record.groupTag;
        if (previousTag === groupTag && userPrincipalName === undefined) {
          throw new ActionFailure({ kind: "invalid", message: `The group tag is already “${groupTag || "none"}”: nothing was changed.` });
        }
        await updateAutopilotDeviceProperties(graph, lookup.record.id, { groupTag, ...(userPrincipalName !== undefined ? { userPrincipalName } : {}) });
        return { previousTag, groupTag };
      },
    },
    accessToken,
    input,
  );
}
