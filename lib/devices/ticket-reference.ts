/**
 * A ticket reference (docs/product.md, "Ticket reference"): free text such as INC0012345 that a helpdesk person gives
 * once per single reset, bulk run or list run. The browser and the server action check it with the same function; the
 * server's check is the one that counts. It is kept short and plain so that it can never be read as HTML or as a
 * spreadsheet formula wherever it is shown or exported: letters, digits and a few separators, starting with a letter or
 * a digit. It is not sent to Intune, except as the start of a Multi Admin Approval justification.
 */

/** At most this many characters (UTF-16 code units, as JavaScript and .NET count). */
export const MAX_TICKET_REFERENCE_CHARS = 64;

/** Letters and digits of any script, then also space and . _ - : / # ( ) , + */
const TICKET_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._:/#(),+-]*$/u;

export const TICKET_REFERENCE_HINT = "Optional, for example INC0012345. It stays in this console's records and results; Intune does not store it.";

export type TicketCheck = { ok: true; ticket: string | undefined } | { ok: false; message: string };

/** Trimmed; empty is "no ticket". The sentence says what to change; nothing is sent while it is not ok. */
export function checkTicketReference(raw: string | null | undefined): TicketCheck {
  const text = (raw ?? "").trim();
  if (text === "") return { ok: true, ticket: undefined };
  if (text.length > MAX_TICKET_REFERENCE_CHARS) {
    return { ok: false, message: `A ticket reference is at most ${MAX_TICKET_REFERENCE_CHARS} characters; this one has ${text.length}.` };
  }
  if (!TICKET_PATTERN.test(text)) {
    return {
      ok: false,
      message:
        "A ticket reference starts with a letter or a digit and holds only letters, digits, spaces and . _ - : / # ( ) , + (for example INC0012345).",
    };
  }
  return { ok: true, ticket: text.replace(/\s+/g, " ") };
}

/** What the approver reads under Multi Admin Approval: "INC0012345: <text>", or the text alone. */
export function withTicket(text: string, ticket: string | undefined): string {
  return ticket ? `${ticket}: ${text}` : text;
}

/** Room the ticket takes in front of a justification, at most ("<ticket>: "). */
export const TICKET_PREFIX_MAX_CHARS = MAX_TICKET_REFERENCE_CHARS + 2;
