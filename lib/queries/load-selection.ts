"use client";
/**
 * Turns the grid's selection into fresh device records for the preflight and for "Export selection (CSV)":
 * explicit ids are read again (up to 200 per call, which the server reads as $batches of 20 side by side, so a device
 * deleted since it was selected, or one whose reset is already pending, is seen), and "all N matching" is resolved
 * page by page on the server. One call at a time: Next would queue a second behind the first anyway.
 */
import { readActionStates, resolveSelection } from "@/lib/actions/bulk";
import type { ActionError, ActionResult } from "@/lib/result";
import type { DeviceRead } from "@/lib/graph/batch-types";
import { MAX_DEVICES_PER_CALL } from "@/lib/bulk/types";
import type { Device, DeviceFilters } from "@/lib/devices/types";
import type { DevicePage } from "@/lib/graph/devices";
import type { DeviceSelection } from "@/lib/devices/selection";

export interface SelectionLoaders {
  getAccessToken: () => Promise<string>;
  readActionStates: (token: string, input: { deviceIds: string[] }) => Promise<ActionResult<{ reads: DeviceRead[]; graphTime?: number; serverTime?: number }>>;
  resolveSelection: (token: string, input: { search: string; filters: DeviceFilters; cursor: string | null }) => Promise<ActionResult<DevicePage>>;
}

/** The bulk server actions, each call with a fresh token. */
export function serverSelectionLoaders(getAccessToken: () => Promise<string>): SelectionLoaders {
  return { getAccessToken, readActionStates, resolveSelection };
}

export interface LoadedSelection {
  devices: Device[];
  /** Selected ids that no longer exist in Intune. */
  missingIds: string[];
  /**
   * Devices reset in the last 24 hours on Graph's clock, as the server found them (explicit ids only: "all matching"
   * is resolved from the list, which carries no audits), with Graph's time of that read.
   */
  recentResets?: { byId: Map<string, { at: string; by: string | null }>; graphNow: number };
}

export class SelectionLoadError extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
    this.name = "SelectionLoadError";
  }
}

const READ_ATTEMPTS = 3;
/** "All matching" is bounded: past this the user is asked to narrow the search. */
const MAX_RESOLVED_DEVICES = 100_000;

async function readChunk(loaders: SelectionLoaders, ids: string[], signal?: AbortSignal, clock?: { graphNow: number }): Promise<DeviceRead[]> {
  let pending = ids;
  const done = new Map<string, DeviceRead>();
  let lastError: ActionError | undefined;
  for (let attempt = 1; attempt <= READ_ATTEMPTS && pending.length > 0; attempt++) {
    if (signal?.aborted) throw new DOMException("Aborted", "AbortError");
    const result = await loaders.readActionStates(await loaders.getAccessToken(), { deviceIds: pending });
    if (result.error) {
      if (result.error.kind !== "throttled" && result.error.kind !== "unavailable") throw new SelectionLoadError(result.error);
      lastError = result.error;
    } else {
      if (clock && result.data.graphTime !== undefined) clock.graphNow = result.data.graphTime;
      for (const read of result.data.reads) {
        if (read.kind === "error") lastError = read.error;
        else done.set(read.deviceId, read);
      }
      pending = pending.filter((id) => !done.has(id));
    }
    if (pending.length > 0 && attempt < READ_ATTEMPTS) {
      const wait = (lastError?.retryAfterSeconds ?? attempt) * 1000;
      await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
    }
  }
  if (pending.length > 0) {
    throw new SelectionLoadError(lastError ?? { kind: "unavailable", message: "Some devices could not be read. Try again." });
  }
  return ids.map((id) => done.get(id)!);
}

export async function loadSelection(
  selection: DeviceSelection,
  loaders: SelectionLoaders,
  onProgress?: (loaded: number) => void,
  signal?: AbortSignal,
  /** Stop as soon as the selection is known to hold more: by Graph's count on the first page, or by the rows read. */
  limit?: { devices: number; tooMany: (count: number, exact: boolean) => string },
): Promise<LoadedSelection> {
  if (selection.kind === "ids") {
    const ids = [...selection.ids];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_DEVICES_PER_CALL) chunks.push(ids.slice(i, i + MAX_DEVICES_PER_CALL));
    const devices: Device[] = [];
    const missingIds: string[] = [];
    const byId = new Map<string, { at: string; by: string | null }>();
    const clock = { graphNow: Date.now() };
    let loaded = 0;
    for (const chunk of chunks) {
      for (const read of await readChunk(loaders, chunk, signal, clock)) {
        if (read.kind === "found") {
          devices.push(read.device);
          if (read.lastReset) byId.set(read.deviceId, read.lastReset);
        } else if (read.kind === "not-found") missingIds.push(read.deviceId);
      }
      loaded += chunk.length;
      onProgress?.(loaded);
    }
    return { devices, missingIds, recentResets: { byId, graphNow: clock.graphNow } };
  }

  const devices: Device[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    if (signal?.aborted) throw new DOMException("Aborted", "AbortError");
    const result = await loaders.resolveSelection(await loaders.getAccessToken(), { search: selection.search, filters: selection.filters, cursor });
    if (result.error) throw new SelectionLoadError(result.error);
    const total = page === 0 ? result.data.total : undefined;
    if (limit && total?.kind === "exact" && total.count > limit.devices) {
      throw new SelectionLoadError({ kind: "invalid", message: limit.tooMany(total.count, true) });
    }
    for (const device of result.data.devices) {
      if (seen.has(device.id)) continue;
      seen.add(device.id);
      devices.push(device);
    }
    onProgress?.(devices.length);
    if (limit && devices.length > limit.devices) {
      throw new SelectionLoadError({ kind: "invalid", message: limit.tooMany(devices.length, false) });
    }
    if (devices.length > MAX_RESOLVED_DEVICES) {
      throw new SelectionLoadError({ kind: "invalid", message: `More than ${MAX_RESOLVED_DEVICES.toLocaleString()} devices match: narrow the search first.` });
    }
    cursor = result.data.nextCursor;
    if (!cursor) break;
  }
  return { devices, missingIds: [] };
}
