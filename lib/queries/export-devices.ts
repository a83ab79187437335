"use client";
/**
 * "Export (CSV)" on the Windows grid: every device matching the view, read page by page through the grid's own list
 * action (200 a call, one call at a time, as lib/queries/load-selection.ts reads a selection: Next would queue a
 * second call behind the first anyway), a throttled or unavailable page asked again after Graph's Retry-After, at
 * most three times. The rows become the grid's CSV (lib/bulk/grid-csv.ts), reset status in the grid's words.
 */
import { useCallback, useRef, useState } from "react";
import { listWindowsDevices } from "@/lib/actions/devices";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { deriveResetStatus } from "@/lib/devices/action-status";
import type { Device } from "@/lib/devices/types";
import type { DevicePage } from "@/lib/graph/devices";
import type { ListTotal } from "@/lib/devices/list-count";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";
import { toActionError } from "./action-failure";
import { useLatestResetAudits } from "./device-actions-monitor";
import type { DeviceListParams } from "./keys";

export const EXPORT_PAGE_SIZE = 200;
/** More than this and the user is asked to narrow the view (a spreadsheet of 100,000 rows is already a lot). */
export const MAX_EXPORT_DEVICES = 100_000;
const PAGE_ATTEMPTS = 3;

export interface ExportLoaders {
  getAccessToken: () => Promise<string>;
  listWindowsDevices: (token: string, input: unknown) => Promise<ActionResult<DevicePage>>;
  sleep?: (ms: number) => Promise<void>;
}

export interface ExportProgress {
  loaded: number;
  total: ListTotal | null;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every device of the view, each once, in the view's order. Throws ActionFailure with a sentence when it cannot. */
export async function loadEveryDevice(
  params: DeviceListParams,
  loaders: ExportLoaders,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<Device[]> {
  const sleep = loaders.sleep ?? wait;
  const devices: Device[] = [];
  const seen = new Set<string>();
  let total: ListTotal | null = null;
  let cursor: string | null = null;
  for (;;) {
    let page: DevicePage | undefined;
    let lastError: ActionError | undefined;
    for (let attempt = 1; attempt <= PAGE_ATTEMPTS && !page; attempt++) {
      if (signal?.aborted) throw new DOMException("Aborted", "AbortError");
      const result = await loaders.listWindowsDevices(await loaders.getAccessToken(), {
        search: params.search || undefined,
        filters: params.filters,
        sort: params.sort ?? undefined,
        cursor,
        pageSize: EXPORT_PAGE_SIZE,
      });
      if (!result.error) page = result.data;
      else if (result.error.kind !== "throttled" && result.error.kind !== "unavailable") throw new ActionFailure(result.error);
      else {
        lastError = result.error;
        if (attempt < PAGE_ATTEMPTS) await sleep(Math.min((result.error.retryAfterSeconds ?? attempt) * 1000, 10_000));
      }
    }
    if (!page) throw new ActionFailure(lastError ?? { kind: "unavailable", message: "Some devices could not be read. Try again." });
    if (page.total) total = page.total;
    for (const device of page.devices) {
      if (seen.has(device.id)) continue;
      seen.add(device.id);
      devices.push(device);
    }
    if (devices.length > MAX_EXPORT_DEVICES) {
      throw new ActionFailure({ kind: "invalid", message: `More than ${MAX_EXPORT_DEVICES.toLocaleString("en")} devices match: narrow the search or filters, then export again.` });
    }
    onProgress({ loaded: devices.length, total });
    cursor = page.nextCursor;
    if (!cursor) return devices;
  }
}

export type ExportState =
  | { kind: "idle" }
  | { kind: "running"; progress: ExportProgress }
  | { kind: "done"; count: number }
  | { kind: "failed"; error: ActionError };

/** The grid's export: start, cancel, and where it stands. `save` gets the CSV text when every page is in. */
export function useDeviceExport(save: (csv: string, fileName: string) => void) {
  const getToken = useAccessToken();
  const audits = useLatestResetAudits();
  const [state, setState] = useState<ExportState>({ kind: "idle" });
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(
    async (params: DeviceListParams) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setState({ kind: "running", progress: { loaded: 0, total: null } });
      try {
        // The CSV writer (papaparse) and the reset status's wording load on the first export, not with the grid.
        const [devices, { gridToCsv, gridCsvFileName }, { reconcileResetStatus }, { RESET_STATE_LABELS }] = await Promise.all([
          loadEveryDevice(params, { getAccessToken: getToken, listWindowsDevices }, (progress) => setState({ kind: "running", progress }), abort.signal),
          import("@/lib/bulk/grid-csv"),
          import("@/lib/monitor/monitor-row"),
          import("@/lib/monitor/status-wording"),
        ]);
        const now = new Date();
        const resetWords = (device: Device) => RESET_STATE_LABELS[reconcileResetStatus(deriveResetStatus(device, now), audits.get(device.id), device).state];
        save(gridToCsv(devices, resetWords), gridCsvFileName(new Date()));
        setState({ kind: "done", count: devices.length });
      } catch (error) {
        if (abort.signal.aborted) setState({ kind: "idle" });
        else setState({ kind: "failed", error: toActionError(error) });
      } finally {
        if (controller.current === abort) controller.current = null;
      }
    },
    [getToken, audits, save],
  );
  const cancel = useCallback(() => controller.current?.abort(), []);
  const dismiss = useCallback(() => setState({ kind: "idle" }), []);
  return { state, start, cancel, dismiss };
}
