/**
 * When does a read of Graph tell the truth about a send? A request can outlive the page that made it: after a reload,
 * a closed tab or a lost connection, the server action keeps going, and Graph may apply its write seconds later. A
 * read made before then shows an untouched device, and resending on it would reset the device twice. The rule:
 *
 * 1. Every send carries a ticket, `issuedAt`: the server's clock as of the browser's latest answer from it.
 * 2. The server starts no write on a ticket older than SEND_TICKET_LIFETIME_MS (on its own clock), and holds the
 *    device's lock from before its pre-send read until the write has answered or timed out. A write whose answer was
 *    unclear leaves a marker on the device for UNCLEAR_WRITE_MARGIN_MS: Graph may still apply it.
 * 3. So once the server's clock is past issuedAt + SEND_TICKET_LIFETIME_MS, and the device has neither a lock nor a
 *    marker, nothing from that send can still land: a read from then on is final.
 *
 * No browser clock is in this rule: the browser only waits the durations the server tells it.
 */
export const SEND_TICKET_LIFETIME_MS = 30_000;

/**
 * After a timeout, a 5xx or a lost connection, Graph may still be working on the write behind its gateway: the write
 * timeout of the server's Graph client (30 s) plus a margin for Graph's own processing.
 */
export const UNCLEAR_WRITE_MARGIN_MS = 60_000;

/**
 * After a 429 Graph has answered, so it is done with the request (it may still have applied it: docs/graph.md,
 * "Throttling and Retry-After"); this only covers a read that lags the write by a moment.
 */
export const THROTTLED_WRITE_MARGIN_MS = 5_000;

/** The browser fetches a fresh ticket when its latest is older than this (leaves the rest for the trip). */
export const TICKET_REFRESH_MS = 10_000;

/**
 * How long to wait before a read of the device is final (0: now). `busyForMs` is what the server said about the
 * device's lock and markers; `issuedAt` the ticket of the send whose answer never came (undefined when it came).
 */
export function msUntilFinalRead(input: { issuedAt?: number; serverTime: number; busyForMs?: number }): number {
  const ticket = input.issuedAt === undefined ? 0 : input.issuedAt + SEND_TICKET_LIFETIME_MS - input.serverTime;
  return Math.max(0, ticket, input.busyForMs ?? 0);
}
