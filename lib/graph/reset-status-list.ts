/**
 * The grid's view filtered by reset status (lib/devices/reset-status-filter.ts): Intune has no $filter for it, so the
 * device ids come from the tenant's reset audits of the last 30 days (newest request first) and each page reads its
 * devices by id, in $batches, checking the search and the other filters on every device. The cursor is a position
 * in that list, which is rebuilt on every call (the server keeps nothing between calls).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { combineStreamCounts } from "@/lib/devices/list-count";
import { devicesWithResetStatus, RESET_STATUS_WINDOW_DAYS } from "@/lib/devices/reset-status-filter";
import { compareDevices, matchesSearch } from "@/lib/devices/search";
import type { ProvisionedBy } from "@/lib/devices/provisioning";
import type { Device } from "@/lib/devices/types";
import { ActionFailure } from "@/lib/result";
import { readResetAuditsSince } from "./audits";
import { readDeviceStates } from "./batch";
import { decodeOffsetCursor, encodeOffsetCursor } from "./cursor";
import type { DevicePage, DevicePageQuery } from "./device-record";

/** Pages of 1,000 audits read at most: a month of a tenant that resets far more than 500 a day. */
const MAX_AUDIT_PAGES = 20;

export async function listByResetStatus(
  client: Client,
  query: DevicePageQuery,
  context: { graphBaseUrl: string; now: Date; fingerprint: string; provisionedByOf?: (device: Device) => ProvisionedBy },
): Promise<DevicePage> {
  const status = query.filters.resetStatus!;
  const from = new Date(context.now.getTime() - RESET_STATUS_WINDOW_DAYS * 86_400_000);
  const audits = await readResetAuditsSince(client, from, context.graphBaseUrl, MAX_AUDIT_PAGES);
  const ids = devicesWithResetStatus(audits.actions, status);
  const offset = query.cursor ? decodeOffsetCursor(query.cursor, context.fingerprint) : 0;
  const slice = ids.slice(offset, offset + query.pageSize);

  const devices: Device[] = [];
  for (const read of await readDeviceStates(client, slice)) {
    if (read.kind === "error") throw new ActionFailure(read.error);
    // A device deleted since its reset, or one of another platform, is not in the Windows grid.
    if (read.kind === "found" && matchesSearch(read.device, query.search, query.filters, context.now, context.provisionedByOf)) devices.push(read.device);
  }
  const sort = query.sort;
  if (sort) devices.sort((a, b) => compareDevices(a, b, sort));

  const end = offset + slice.length;
  const nextCursor = end < ids.length ? encodeOffsetCursor(context.fingerprint, end) : null;
  const page: DevicePage = { devices, nextCursor, ignoredByGraph: [], sortedByGraph: !sort };
  if (!query.cursor) {
    // With nothing else narrowing the view, every id is a device of it (as far as the audits go); otherwise at most.
    const narrowed = query.search !== null || Object.keys(query.filters).some((key) => key !== "resetStatus");
    const total = combineStreamCounts([{ count: ids.length, trusted: true }], { loaded: devices.length, complete: nextCursor === null });
    if (total) page.total = narrowed && total.kind === "exact" && nextCursor !== null ? { kind: "at-most", count: total.count } : total;
  }
  return page;
}
