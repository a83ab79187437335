/** "Pending for": how long a reset or sync has waited since it was requested, in the monitor's short form. */
import { isInFlight, type MonitorRow } from "./monitor-row";

const MINUTE_MS = 60_000;

/**
 * The one duration wording. By minutes (the monitor's "pending for"): "under a minute", "14 min", "3 h 5 min",
 * "2 d 4 h". By seconds (a bulk run's waits, which are short): "45 s", "2 min", "2 min 5 s".
 */
export function formatDuration(ms: number, precision: "minutes" | "seconds" = "minutes"): string {
  if (precision === "seconds") {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) return `${seconds} s`;
    const rest = seconds % 60;
    return rest ? `${Math.floor(seconds / 60)} min ${rest} s` : `${Math.floor(seconds / 60)} min`;
  }
  if (!Number.isFinite(ms) || ms < MINUTE_MS) return "under a minute";
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/**
 * Only rows still under way (or still awaiting approval) are "pending for" anything; null otherwise. Clock skew never
 * gives a negative age.
 */
export function pendingFor(row: Pick<MonitorRow, "state" | "requestedAt">, now: Date): string | null {
  if (!(isInFlight(row.state) || row.state === "awaitingApproval") || !row.requestedAt) return null;
  const requested = Date.parse(row.requestedAt);
  if (Number.isNaN(requested)) return null;
  return formatDuration(Math.max(0, now.getTime() - requested));
}

/**
 * The service's "now" as its own timestamps show it: when the newest check-in Graph reported was ahead of the browser's
 * clock at the time of the read (clock skew, or an emulator whose clock was moved on), ages are measured on Graph's
 * clock so "pending for" and the time filter stay right. Never earlier than the browser's clock.
 */
export function serviceNow(browserNow: Date, newestCheckIn: string | null, readAtMs: number): Date {
  const newest = newestCheckIn ? Date.parse(newestCheckIn) : Number.NaN;
  if (Number.isNaN(newest) || !readAtMs) return browserNow;
  const skew = newest - readAtMs;
  return skew > 0 ? new Date(browserNow.getTime() + skew) : browserNow;
}

/** A time Graph reported, and when the browser read it. */
export interface SeenTime {
  iso: string | null | undefined;
  readAtMs: number;
}

/**
 * serviceNow over every time the page has from Graph (check-ins, requests): the largest lead any of them had on the
 * browser's clock when it was read. Relative times ("2 hours ago") are then measured on the clock the dates beside them
 * come from, so a moved service clock never shows "just now" beside a date 20 hours away (issue 23, item 10).
 */
export function serviceNowOf(browserNow: Date, seen: readonly SeenTime[]): Date {
  let skew = 0;
  for (const { iso, readAtMs } of seen) {
    const at = iso ? Date.parse(iso) : Number.NaN;
    if (Number.isNaN(at) || !readAtMs) continue;
    skew = Math.max(skew, at - readAtMs);
  }
  return skew > 0 ? new Date(browserNow.getTime() + skew) : browserNow;
}
