"use server";
/**
 * The device-actions monitor's one read (docs/product.md, "Journey 5: check reset status").
 */
import { z } from "zod";
import { READ_AUDITS_ERRORS } from "@/lib/graph/errors";
import { readMonitorWindow, type DeviceActionRecord, type MonitorWindowRead } from "@/lib/graph/audits";
import { twinOf } from "@/lib/devices/history";
import { readSendNotes } from "@/lib/server/send-notes";
import type { ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

/** A first read walks the whole window; after that a refresh is normally one page of audits and one of check-ins. */
const MAX_ACTION_PAGES = 10;
const MAX_CHECKIN_PAGES_FIRST = 10;
const MAX_CHECKIN_PAGES_SINCE = 2;

const refreshMonitorSchema = z.object({
  actionsFrom: z.iso.datetime({ offset: true, message: "The start time must be an ISO date and time." }),
  checkInsSince: z.iso.datetime({ offset: true, message: "The check-in time must be an ISO date and time." }).nullable(),
});

/**
 * Each reset's ticket reference, from this console's record of the same send (docs/product.md, "Ticket reference"):
 * one read of the store per device; a store that cannot be read leaves the rows without one.
 */
async function withTicketReferences(tenantId: string, actions: DeviceActionRecord[]): Promise<DeviceActionRecord[]> {
  const ids = [...new Set(actions.filter((a) => a.kind === "reset" && a.deviceId).map((a) => a.deviceId!.toLowerCase()))];
  const records = new Map(await Promise.all(ids.map(async (id) => [id, await readSendNotes(tenantId, id).catch(() => [])] as const)));
  return actions.map((a) => {
    if (a.kind !== "reset" || !a.deviceId) return a;
    const ticket = twinOf("reset", a.requestedAt, records.get(a.deviceId.toLowerCase()) ?? [])?.ticketReference;
    return ticket ? { ...a, ticketReference: ticket } : a;
  });
}

/**
 * One refresh of the device-actions monitor (docs/product.md, "Journey 5: check reset status"): Autopilot Resets
 * requested since `actionsFrom` and the devices that checked in since `checkInsSince`. Its Graph request count is
 * bounded and reported, so the page can keep its requests per minute under a fixed budget whatever the number of rows.
 */
export async function refreshDeviceActionsMonitor(accessToken: string, input: unknown): Promise<ActionResult<MonitorWindowRead>> {
  return runAction(
    {
      name: "refreshDeviceActionsMonitor",
      input: refreshMonitorSchema,
      errors: READ_AUDITS_ERRORS,
      handler: async (parsed, { graph, graphBaseUrl, caller }) => {
        const read = await readMonitorWindow(
          graph,
          {
            actionsFrom: parsed.actionsFrom,
            checkInsSince: parsed.checkInsSince,
            maxActionPages: MAX_ACTION_PAGES,
            maxCheckInPages: parsed.checkInsSince ? MAX_CHECKIN_PAGES_SINCE : MAX_CHECKIN_PAGES_FIRST,
          },
          graphBaseUrl,
        );
        return { ...read, actions: await withTicketReferences(caller.tenantId, read.actions) };
      },
    },
    accessToken,
    input,
  );
}
