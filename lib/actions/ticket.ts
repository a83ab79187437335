"use server";
/**
 * Finding the devices a ticket names (docs/product.md, "Journey 7: start from what the ticket names"). The browser
 * parses the list (lib/devices/ticket-lines.ts) and takes one of two roads, whichever costs Graph fewer requests
 * (lib/queries/ticket.ts decides, after `countTicketTenant`):
 *
 * - `resolveTicketLines`: its distinct values in pages, each value looked up on its own ($batches side by side,
 *   lib/graph/device-lookup.ts);
 * - `scanTicketDevices`: every value at once against a few pages of the tenant's device list per call, resumed by an
 *   opaque cursor (lib/graph/cursor.ts), each call bounded in pages and time, the devices matched by the same rules
 *   (lib/devices/ticket-answers.ts).
 *
 * Calls go one at a time (Next dispatches a client's actions one after another: docs/architecture.md, "Server actions
 * run one at a time per client"). Every value is classified again here: a value the browser should have refused is
 * answered "refused" and never reaches Graph. Read-only: nothing here writes.
 */
import { z } from "zod";
import {
  answerFromMatches,
  SCAN_CALL_MS,
  SCAN_MAX_CHARS,
  SCAN_PAGES_PER_CALL,
  ticketMatch,
  type TicketAnswer,
  type TicketMatch,
  valueIndex,
} from "@/lib/devices/ticket-answers";
import { classifyValue, MAX_LINES, MAX_VALUE_CHARS, type LookupKind } from "@/lib/devices/ticket-lines";
import type { Device } from "@/lib/devices/types";
import { decodeCursor, encodeCursor, InvalidCursorError, queryFingerprint } from "@/lib/graph/cursor";
import { cursorSchema } from "./schemas";
import { countManagedDevices, lookupDevices, scanDevicesPage, SCAN_LINK_PATH, SCAN_SELECT, type LookupRequest } from "@/lib/graph/device-lookup";
import { READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import type { ActionResult } from "@/lib/result";
import { runAction } from "./define-action";
import { serverNow } from "@/lib/server/clock";

export type { TicketAnswer, TicketMatch } from "@/lib/devices/ticket-answers";

/** Values one call may carry (the browser sends fewer, paced by the Graph requests each call made). */
const MAX_TICKET_VALUES_PER_CALL = 500;

const valueSchema = z.string({ message: "Each value must be text." }).max(MAX_VALUE_CHARS * 4, { message: "A value is far too long." });

const resolveTicketLinesSchema = z.object({
  values: z
    .array(valueSchema, { message: "A list of values is required." })
    .min(1, { message: "Give at least one value." })
    .max(MAX_TICKET_VALUES_PER_CALL, { message: `At most ${MAX_TICKET_VALUES_PER_CALL} values per request.` }),
});

const scanTicketDevicesSchema = z.object({
  values: z
    .array(valueSchema, { message: "A list of values is required." })
    .min(1, { message: "Give at least one value." })
    .max(MAX_LINES, { message: `At most ${MAX_LINES.toLocaleString("en")} values per request.` })
    .refine((values) => values.reduce((sum, v) => sum + v.length, 0) <= SCAN_MAX_CHARS, { message: "These values are too long in all for one request: send them in parts." }),
  cursor: cursorSchema.nullable(),
});

export interface TicketResolution {
  /** One answer per value given, in order. */
  answers: TicketAnswer[];
  /** Graph sub-requests this call made (each counts toward Intune's 2,000 per 20 s). */
  graphRequests: number;
  serverTime: number;
}

/**
 * Looks up to 500 values up: per value found (its device), several (all matches, newest check-in first), not
 * Windows, not found, refused, or an error the browser may ask again about (throttled, unavailable).
 */
export async function resolveTicketLines(accessToken: string, input: unknown): Promise<ActionResult<TicketResolution>> {
  return runAction(
    {
      name: "resolveTicketLines",
      input: resolveTicketLinesSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async ({ values }, { graph }) => {
        const classified = values.map((value) => classifyValue(value));
        const requests = new Map<string, LookupRequest>();
        for (const c of classified) if (c.ok && !requests.has(c.key)) requests.set(c.key, { key: c.key, value: c.value, lookups: c.lookups });
        const { answers, graphRequests } = requests.size > 0 ? await lookupDevices(graph, [...requests.values()]) : { answers: [], graphRequests: 0 };
        const byKey = new Map(answers.map((a) => [a.key, a]));
        const now = new Date(serverNow());
        return {
          answers: values.map((value, index): TicketAnswer => {
            const c = classified[index]!;
            if (!c.ok) return { value, kind: "refused", message: c.message };
            const answer = byKey.get(c.key)!;
            if (answer.kind === "not-found") return { value, kind: "not-found", tried: answer.tried };
            if (answer.kind === "error") return { value, kind: "error", error: answer.error };
            return answerFromMatches(value, answer.by, answer.devices.map((device) => ticketMatch(device, now)));
          }),
          graphRequests,
          serverTime: serverNow(),
        };
      },
    },
    accessToken,
    input,
  );
}

export interface TicketTenantCount {
  /** Managed devices in the tenant, or null when Graph does not say (the browser then looks values up one by one). */
  devices: number | null;
  graphRequests: number;
}

/** How many devices a scan would read: one request. */
export async function countTicketTenant(accessToken: string, input?: unknown): Promise<ActionResult<TicketTenantCount>> {
  return runAction(
    {
      name: "countTicketTenant",
      input: z.unknown(),
      errors: READ_DEVICES_ERRORS,
      handler: async (_input, { graph }) => ({ devices: await countManagedDevices(graph), graphRequests: 1 }),
    },
    accessToken,
    input,
  );
}

export interface TicketScanHit {
  /** The value's position in the values given. */
  index: number;
  by: LookupKind;
  match: TicketMatch;
}

export interface TicketScanPage {
  /** Every value a device of these pages matched, by each of the value's lookups, in the list's order. */
  hits: TicketScanHit[];
  /** Values refused before any request (the browser refuses them too), by position. */
  refused: { index: number; message: string }[];
  /** Where the next call resumes, or null when the list has been read to its end. */
  nextCursor: string | null;
  devicesRead: number;
  graphRequests: number;
  serverTime: number;
}

const SCAN_FINGERPRINT = queryFingerprint({ ticketScan: SCAN_SELECT });
const SCAN_STREAM = "all";

/**
 * Reads the tenant's device list from `cursor` (null: from its start) for up to 25 pages or 8 seconds, and answers
 * which of `values` each device matched. A page that fails after the first of a call ends the call early, with the
 * cursor at that page, so what was read is kept and the browser resumes there; a first page that fails is the call's
 * error (throttled or unavailable: the browser asks again after Graph's Retry-After).
 */
export async function scanTicketDevices(accessToken: string, input: unknown): Promise<ActionResult<TicketScanPage>> {
  return runAction(
    {
      name: "scanTicketDevices",
      input: scanTicketDevicesSchema,
      errors: READ_DEVICES_ERRORS,
      handler: async ({ values, cursor }, { graph, graphBaseUrl }) => {
        const started = serverNow();
        let link = cursor ? decodeCursor(cursor, { fingerprint: SCAN_FINGERPRINT, streamKeys: [SCAN_STREAM], graphBaseUrl, path: SCAN_LINK_PATH })[SCAN_STREAM]! : null;
        // A finished scan has no cursor: one whose link is null was not made here.
        if (cursor && link === null) throw new InvalidCursorError();
        const refused: TicketScanPage["refused"] = [];
        const wanted: { value: string; lookups: LookupKind[] }[] = [];
        const positions: number[] = [];
        values.forEach((value, index) => {
          const c = classifyValue(value);
          if (!c.ok) refused.push({ index, message: c.message });
          else {
            wanted.push({ value: c.value, lookups: c.lookups });
            positions.push(index);
          }
        });
        const match = valueIndex(wanted);
        const now = new Date(serverNow());
        const matches = new Map<Device, TicketMatch>();
        const hits: TicketScanHit[] = [];
        let devicesRead = 0;
        let pages = 0;
        let done = false;
        const read = (from: string | null) => {
          pages++;
          return scanDevicesPage(graph, from, graphBaseUrl);
        };
        // The next page is asked for as soon as its link is known, and this one is matched meanwhile.
        let pending: ReturnType<typeof read> | null = read(link);
        while (pending) {
          let page: Awaited<ReturnType<typeof read>>;
          try {
            page = await pending;
          } catch (error) {
            // The cursor stays at the page that failed: the next call asks for it again.
            if (pages === 1) throw error;
            break;
          }
          pending = null;
          if (page.next === null) done = true;
          else {
            link = page.next;
            if (pages < SCAN_PAGES_PER_CALL && serverNow() - started < SCAN_CALL_MS) pending = read(link);
          }
          devicesRead += page.devices.length;
          for (const hit of match(page.devices)) {
            let found = matches.get(hit.device);
            if (!found) matches.set(hit.device, (found = ticketMatch(hit.device, now)));
            hits.push({ index: positions[hit.index]!, by: hit.by, match: found });
          }
        }
        return {
          hits,
          refused,
          nextCursor: done ? null : encodeCursor(SCAN_FINGERPRINT, { [SCAN_STREAM]: link }),
          devicesRead,
          graphRequests: pages,
          serverTime: serverNow(),
        };
      },
    },
    accessToken,
    input,
  );
}
