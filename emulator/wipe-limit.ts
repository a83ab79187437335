/**
 * Intune's daily limit on wipes: per tenant per day, 500 by default, "across the admin center, bulk actions and Graph"
 * (memdocs intune/device-management/actions/index.md; docs/graph.md, "Daily wipe limit"). Emulator choices (UNVERIFIED, emulator/README.md):
 * - the day is a sliding 24 hours of the emulator clock (advancing the clock frees it, unlike throttling);
 * - every executed wipe counts, an Autopilot Reset (keepEnrollmentData) and a duplicate wipe of a device in flight
 *   included; a wipe refused before it ran (by the limit itself, Multi Admin Approval, a bad body) does not;
 * - `null` means no limit.
 */

export const DEFAULT_DAILY_WIPE_LIMIT = 500;
export const DAY_MS = 86_400_000;
const MAX_DAILY_WIPE_LIMIT = 1_000_000;

export class DailyWipeLimit {
  /** Emulator-clock times of the wipes counted, oldest first (the clock only moves forward). */
  private times: number[] = [];

  constructor(public limit: number | null = DEFAULT_DAILY_WIPE_LIMIT) {}

  private prune(now: number): void {
    const cutoff = now - DAY_MS;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= cutoff) drop++;
    if (drop) this.times.splice(0, drop);
  }

  /** Wipes counted in the 24 hours up to now. */
  used(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  /** How many more wipes fit now (Infinity without a limit). */
  room(now: number): number {
    if (this.limit === null) return Infinity;
    return Math.max(0, this.limit - this.used(now));
  }

  /** When the next wipe fits again (emulator ms); now when it fits already. */
  nextRoomAt(now: number): number {
    if (this.room(now) > 0 || this.limit === null) return now;
    // The window is full: the (used - limit + 1)-th oldest wipe has to leave it.
    return this.times[this.times.length - this.limit]! + DAY_MS;
  }

  record(now: number): void {
    this.times.push(now);
  }

  reset(): void {
    this.times = [];
  }

  describe(now: number) {
    return { limit: this.limit, used: this.used(now), windowSeconds: DAY_MS / 1000, nextRoomDateTime: new Date(this.nextRoomAt(now)).toISOString() };
  }
}

/** EMULATOR_DAILY_WIPE_LIMIT and the control API: a whole number 0..1,000,000, or "none"/null for no limit. */
export function parseDailyWipeLimit(value: unknown): number | null | string {
  if (value === null || value === "none") return null;
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_DAILY_WIPE_LIMIT) {
    return `the daily wipe limit must be a whole number from 0 to ${MAX_DAILY_WIPE_LIMIT}, or "none"`;
  }
  return n;
}
