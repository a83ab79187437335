/**
 * Intune's daily wipe limit, and a bulk reset planned in waves under it (docs/graph.md, "Daily wipe limit"; docs/product.md,
 * "Journey 4"). Graph does not expose the limit, so the server's configuration says it (lib/config.ts
 * dailyWipeLimit: 500 unless support raised it) and every function here takes it; whether an Autopilot Reset counts
 * toward it is UNVERIFIED, and the console assumes it does. The wipes already counted come from the tenant's
 * remoteActionAudits of the last 24 hours (lib/graph/audits.ts countRecentWipes), read on Graph's clock. Other admins
 * share the limit, so every figure here is "about".
 *
 * Pure: every time is Graph's (ms since epoch from its Date header and its audits' requestDateTime), never the browser's.
 */

/** The day the limit counts over: a sliding 24 hours (UNVERIFIED; the emulator does the same). */
export const DAILY_WINDOW_MS = 86_400_000;
/**
 * A later wave waits until at least this many wipes fit (or all that are left): a write window's worth, so the user is
 * not asked to start a wave of one device each time one old wipe ages out.
 */
export const MIN_LATER_WAVE = 200;
/** Slack on the times: audits carry whole seconds, and Graph's clock was read a moment before the audits. */
const EDGE_MS = 1_000;

/** What the tenant has left today, as the server read it. */
export interface WipeBudget {
  limit: number;
  /** Wipe-type audits with requestDateTime in the 24 hours up to `graphTime`. */
  counted: number;
  /** max(0, limit - counted). */
  remaining: number;
  /** Graph's clock when the audits were read. */
  graphTime: number;
  /** The counted wipes' request times (Graph ms), oldest first. */
  countedTimes: number[];
  /** False when the audit log was longer than the server reads: `counted` is then a lower bound. */
  complete: boolean;
}

/** The budget as of `graphTime`, from the request times of the wipe audits the server found (any order, any age). */
export function budgetFrom(times: readonly number[], graphTime: number, limit: number, complete = true): WipeBudget {
  const countedTimes = times.filter((t) => Number.isFinite(t) && t > graphTime - DAILY_WINDOW_MS && t <= graphTime + EDGE_MS).sort((a, b) => a - b);
  return { limit, counted: countedTimes.length, remaining: Math.max(0, limit - countedTimes.length), graphTime, countedTimes, complete };
}

/**
 * The earliest time at or after `from` when `needed` more wipes fit, given the wipes counted (oldest first): the
 * moment enough of the oldest leave the 24-hour window. Infinity when `needed` exceeds the limit itself.
 */
export function roomAt(countedTimes: readonly number[], needed: number, from: number, limit: number): number {
  if (needed <= 0) return from;
  if (needed > limit) return Number.POSITIVE_INFINITY;
  const inWindow = countedTimes.filter((t) => t > from - DAILY_WINDOW_MS);
  // At most limit - needed may still be in the window: the (len - (limit - needed))-th oldest has to leave it.
  const mustLeave = inWindow.length - (limit - needed);
  if (mustLeave <= 0) return from;
  return inWindow[mustLeave - 1]! + DAILY_WINDOW_MS + EDGE_MS;
}

export interface Wave {
  /** 1 for the wave sent now. */
  number: number;
  count: number;
  /** When it can start (Graph ms): `budget.graphTime` for the first when wipes are left today. */
  startsAt: number;
}

/**
 * Splits `devices` resets into waves under the limit: the first takes what is left now (it may be empty when nothing
 * is left), and each later one starts when room for all that is left, or for MIN_LATER_WAVE, opens, counting the
 * wipes of the waves before it as sent when they start. An estimate: other admins' wipes change it, so each wave's
 * size is decided again, from a fresh count, when the user starts it.
 */
export function planWaves(devices: number, budget: Pick<WipeBudget, "limit" | "countedTimes" | "graphTime">, minLaterWave = MIN_LATER_WAVE): Wave[] {
  const { limit, graphTime } = budget;
  if (devices <= 0) return [];
  if (limit <= 0) return [{ number: 1, count: 0, startsAt: graphTime }];
  const counted = budget.countedTimes.filter((t) => t > graphTime - DAILY_WINDOW_MS).sort((a, b) => a - b);
  const waves: Wave[] = [];
  let left = devices;
  let at = graphTime;
  const roomNow = (t: number) => limit - counted.filter((x) => x > t - DAILY_WINDOW_MS).length;
  const first = Math.min(left, Math.max(0, roomNow(at)));
  waves.push({ number: 1, count: first, startsAt: at });
  for (let i = 0; i < first; i++) counted.push(at);
  left -= first;
  while (left > 0 && waves.length < 10_000) {
    const target = Math.min(left, minLaterWave, limit);
    at = roomAt(counted, target, at, limit);
    const count = Math.min(left, Math.max(0, roomNow(at)));
    waves.push({ number: waves.length + 1, count, startsAt: at });
    for (let i = 0; i < count; i++) counted.push(at);
    left -= count;
  }
  return waves;
}

/** How many of `waiting` devices the next wave may take now: what is left today (none when the limit is reached). */
export function nextWaveSize(waiting: number, budget: Pick<WipeBudget, "remaining">): number {
  return Math.max(0, Math.min(waiting, budget.remaining));
}
