/**
 * When does a read of Graph tell the truth about a send? (docs/safety.md, "A reload or a closed tab while a write is
 * slow" and "A restart forgets nothing that matters".) A request can outlive the page, and the server, that made it:
 * after a reload, a closed tab, a lost connection or a restarted server, Graph may apply the write long after. A read
 * made before then shows an untouched device, and resending on it would reset the device twice. The rule, on Graph's
 * own clock (the `Date` header of its answers), never a browser's or a server's:
 *
 * 1. Every bulk send carries a ticket, `issuedAt`: Graph's time as of the browser's latest answer from the server.
 * 2. The server starts no write on a ticket older than SEND_TICKET_LIFETIME_MS, measured on Graph's time of its own
 *    pre-send read; so every write of that send left Graph's door before issuedAt + SEND_TICKET_LIFETIME_MS.
 * 3. A write that left at Graph time T lands, if ever, before T + WRITE_LANDING_MARGIN_MS (an assumption: see
 *    docs/safety.md). So once Graph's clock is past issuedAt + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS, a
 *    read is final for that send, whatever the servers remember: the run bounds its own resends from its own record.
 *    The server's markers only repeat this for other pages and people (lib/server/send).
 */
export const SEND_TICKET_LIFETIME_MS = 30_000;

/**
 * The longest a write is assumed to take at Graph after it left, including a write whose caller gave up (our client
 * times out at 30 s) and one Graph answered 5xx but applies anyway. 3 minutes: well past the 100 s at which the
 * .NET and Graph SDK clients give up by default; docs/safety.md says why and what stays UNVERIFIED.
 */
export const WRITE_LANDING_MARGIN_MS = 180_000;

/**
 * After a 429 Graph has answered, so it is done with the request (it may still have applied it: docs/graph.md,
 * "Throttling and Retry-After"); this only covers a read that lags the write by a moment.
 */
export const THROTTLED_WRITE_MARGIN_MS = 5_000;

/** The browser fetches a fresh ticket when its latest is older than this (leaves the rest for the trip). */
export const TICKET_REFRESH_MS = 10_000;

/**
 * How long (on Graph's clock) before a read of the device is final (0: now). `busyForMs` is what the server said about
 * the device's lock and markers; `issuedAt` the ticket of a send whose answer was unclear or never came (undefined
 * once a definite answer came); `graphTime` Graph's clock when the device was read.
 */
export function msUntilFinalRead(input: { issuedAt?: number; graphTime: number; busyForMs?: number }): number {
  const ticket = input.issuedAt === undefined ? 0 : input.issuedAt + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS - input.graphTime;
  return Math.max(0, ticket, input.busyForMs ?? 0);
}
