"use server";
/**
 * Server actions for reading devices. Each takes the caller's access token (from acquireTokenSilent) and an input
 * object, and answers {data} or {error: {kind, message}} (lib/result.ts).
 */
import { z } from "zod";
import { isDeviceId } from "@/lib/devices/ids";
import { normalizeSearch } from "@/lib/devices/search";
import type { Device } from "@/lib/devices/types";
import { countDevicesByPlatform, getManagedDevice, listWindowsDevicesPage, type DevicePage, type PlatformCount } from "@/lib/graph/devices";
import { NO_SUCH_DEVICE, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";
import { DEFAULT_PAGE_SIZE, listWindowsDevicesSchema } from "./schemas";


/** One page of Windows devices: search by name, user or serial; filters; sort; an opaque cursor for the next page. */
export async function listWindowsDevices(accessToken: string, input: unknown): Promise<ActionResult<DevicePage>> {
  return runAction(
    {
      name: "listWindowsDevices",
      input: listWindowsDevicesSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async (parsed, { graph, graphBaseUrl }) => {
        const search = normalizeSearch(parsed.search);
        if (!search.ok) throw new ActionFailure({ kind: "invalid", message: search.message });
        return listWindowsDevicesPage(
          graph,
          {
            search: search.search,
            filters: parsed.filters ?? {},
            sort: parsed.sort ?? null,
            cursor: parsed.cursor ?? null,
            pageSize: parsed.pageSize ?? DEFAULT_PAGE_SIZE,
          },
          graphBaseUrl,
        );
      },
    },
    accessToken,
    input,
  );
}

/** One device with its action history. An unknown or malformed id is "not-found". */
export async function getDevice(accessToken: string, input: unknown): Promise<ActionResult<Device>> {
  return runAction(
    {
      name: "getDevice",
      input: z.object({ id: z.string({ message: "A device id is required." }).max(1_000, { message: NO_SUCH_DEVICE }) }),
      errors: { ...READ_DEVICES_ERRORS, operation: "read this device", notFoundMessage: NO_SUCH_DEVICE },
      handler: async ({ id }, { graph }) => {
        if (!isDeviceId(id)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        return getManagedDevice(graph, id);
      },
    },
    accessToken,
    input,
  );
}

/** Devices per platform for Devices > Overview (a handful of $count requests whatever the fleet size). */
export async function getPlatformCounts(accessToken: string, input?: unknown): Promise<ActionResult<PlatformCount[]>> {
  return runAction(
    {
      name: "getPlatformCounts",
      input: z.unknown(),
      errors: READ_DEVICES_ERRORS,
      handler: async (_parsed, { graph }) => countDevicesByPlatform(graph),
    },
    accessToken,
    input,
  );
}
