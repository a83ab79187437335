"use server";
/** The device-actions monitor (issue 5): recent Autopilot Resets and Syncs across the tenant, newest first. */
import { z } from "zod";
import { READ_DEVICES_SCOPE } from "@/lib/graph/device-actions";
import { CURSOR_MAX_LENGTH } from "@/lib/graph/cursor";
import { listRemoteActionAudits, type DeviceActionPage } from "@/lib/graph/audits";
import type { ActionResult } from "./result";
import { runAction } from "./define-action";

const listDeviceActionsSchema = z.object({
  since: z.iso.datetime({ offset: true, message: "The start time must be an ISO date and time." }).nullish(),
  cursor: z.string().max(CURSOR_MAX_LENGTH, { message: "This page link is not valid." }).nullish(),
  pageSize: z.number().int().min(1).max(200).nullish(),
});

export async function listDeviceActions(accessToken: string, input: unknown): Promise<ActionResult<DeviceActionPage>> {
  return runAction(
    {
      name: "listDeviceActions",
      input: listDeviceActionsSchema,
      errors: { operation: "read the device actions log", requiredScope: READ_DEVICES_SCOPE, rolePermission: "Audit data / Read" },
      handler: async (parsed, { graph, graphBaseUrl }) =>
        listRemoteActionAudits(graph, { since: parsed.since ?? null, cursor: parsed.cursor ?? null, pageSize: parsed.pageSize ?? 100 }, graphBaseUrl),
    },
    accessToken,
    input,
  );
}
