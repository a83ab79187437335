/**
 * What the monitor has read so far, and how the next refresh is asked for. Refreshes are incremental, so a steady
 * state costs the same however many rows there are:
 * - audits are re-read only from the oldest reset still under way (older rows are finished and never change), or
 *   from the newest row when nothing is under way (to catch new resets);
 * - check-ins are read only for devices that checked in since the newest check-in already seen.
 * Times used as bounds are Graph's own (requestDateTime, lastSyncDateTime), so the browser's clock never matters.
 */
import type { DeviceActionRecord, MonitorWindowRead } from "@/lib/graph/audits";
import { isInFlight, resetStateOfAudit, type KnownCheckIn } from "./monitor-row";
import { MONITOR_WINDOW, timeFilterStart } from "./filters";

export interface MonitorSnapshot {
  /** Only resets requested at or after this are kept (ISO). */
  windowStart: string;
  /** Autopilot Reset audits, newest first, one per audit id. */
  actions: DeviceActionRecord[];
  checkIns: Record<string, KnownCheckIn>;
  newestCheckIn: string | null;
  /** False when the last read could not reach back to where it was asked to (page budget). */
  actionsComplete: boolean;
  checkInsComplete: boolean;
  /** Graph requests of the last refresh: the next one is paced on it. */
  lastGraphRequests: number;
  ignoredByGraph: string[];
}

export interface MonitorRefreshQuery {
  actionsFrom: string;
  checkInsSince: string | null;
}

const timeOf = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);

export function nextRefreshQuery(previous: MonitorSnapshot | undefined, windowStart: string): MonitorRefreshQuery {
  if (!previous || previous.windowStart !== windowStart) return { actionsFrom: windowStart, checkInsSince: null };
  let from: string | null = null;
  for (const record of previous.actions) {
    if (!record.requestedAt) continue;
    if (isInFlight(resetStateOfAudit(record)) && (from === null || timeOf(record.requestedAt) < timeOf(from))) from = record.requestedAt;
  }
  // Nothing under way: only new rows can change the picture (actions are newest first).
  from ??= previous.actions.find((record) => record.requestedAt)?.requestedAt ?? windowStart;
  if (timeOf(from) < timeOf(windowStart)) from = windowStart;
  return { actionsFrom: from, checkInsSince: previous.newestCheckIn };
}

export function mergeRefresh(
  previous: MonitorSnapshot | undefined,
  read: MonitorWindowRead,
  windowStart: string,
): MonitorSnapshot {
  const keep = previous && previous.windowStart === windowStart ? previous : undefined;
  const start = timeOf(windowStart);
  const byId = new Map<string, DeviceActionRecord>();
  for (const record of keep?.actions ?? []) byId.set(record.id, record);
  for (const record of read.actions) byId.set(record.id, record);
  const actions = [...byId.values()]
    .filter((record) => record.requestedAt === null || timeOf(record.requestedAt) >= start)
    .sort((a, b) => timeOf(b.requestedAt) - timeOf(a.requestedAt) || a.id.localeCompare(b.id));

  const checkIns: Record<string, KnownCheckIn> = { ...(keep?.checkIns ?? {}) };
  let newestCheckIn = keep?.newestCheckIn ?? null;
  for (const checkIn of read.checkIns) {
    const known = checkIns[checkIn.deviceId];
    if (!known || timeOf(checkIn.lastSyncDateTime) >= timeOf(known.lastSyncDateTime)) {
      checkIns[checkIn.deviceId] = { deviceName: checkIn.deviceName, lastSyncDateTime: checkIn.lastSyncDateTime };
    }
    if (checkIn.lastSyncDateTime && timeOf(checkIn.lastSyncDateTime) > timeOf(newestCheckIn)) newestCheckIn = checkIn.lastSyncDateTime;
  }
  return {
    windowStart,
    actions,
    checkIns,
    newestCheckIn,
    actionsComplete: read.actionsComplete,
    checkInsComplete: keep ? keep.checkInsComplete || read.checkInsComplete : read.checkInsComplete,
    lastGraphRequests: read.graphRequests,
    ignoredByGraph: read.ignoredByGraph,
  };
}

/** The window start `days` back, on a whole hour. */
/** The start of the monitor's window (MONITOR_WINDOW back from now), on the hour. */
export function windowStartFor(now: Date): string {
  const hour = 3_600_000;
  return new Date(Math.floor(timeFilterStart(MONITOR_WINDOW, now).getTime() / hour) * hour).toISOString();
}

/**
 * The window the next refresh keeps: the previous one while it is less than a day behind, so the incremental state
 * (and the request budget) is not thrown away every hour; a day later the window moves and the log is read again.
 */
export function chooseWindowStart(previous: MonitorSnapshot | undefined, now: Date): string {
  const wanted = windowStartFor(now);
  if (previous && Date.parse(wanted) - Date.parse(previous.windowStart) < 24 * 3_600_000) return previous.windowStart;
  return wanted;
}
