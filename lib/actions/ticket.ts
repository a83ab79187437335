"use server";
/**
 * Finding the devices a ticket names (docs/product.md, "Journey 7: start from what the ticket names"). The browser
 * parses the list (lib/devices/ticket-lines.ts) and sends its distinct values in pages, one call at a time (Next
 * dispatches a client's actions one after another: docs/architecture.md, "Server actions run one at a time per
 * client"); each call looks its values up as $batches side by side (lib/graph/device-lookup.ts). Every value is
 * classified again here: a value the browser should have refused is answered "refused" and never reaches Graph.
 * Read-only: nothing here writes.
 */
import { z } from "zod";
import { resetEligibility, syncEligibility, isWindows, type ResetEligibility, type SyncEligibility } from "@/lib/devices/eligibility";
import { classifyValue, MAX_VALUE_CHARS, type LookupKind } from "@/lib/devices/ticket-lines";
import type { Device } from "@/lib/devices/types";
import { lookupDevices, type LookupRequest } from "@/lib/graph/device-lookup";
import { READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import type { ActionError, ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

/** Values one call may carry (the browser sends fewer, paced by the Graph requests each call made). */
const MAX_TICKET_VALUES_PER_CALL = 500;

const resolveTicketLinesSchema = z.object({
  values: z
    .array(z.string({ message: "Each value must be text." }).max(MAX_VALUE_CHARS * 4, { message: "A value is far too long." }), { message: "A list of values is required." })
    .min(1, { message: "Give at least one value." })
    .max(MAX_TICKET_VALUES_PER_CALL, { message: `At most ${MAX_TICKET_VALUES_PER_CALL} values per request.` }),
});

/** A device a value matched, with what Autopilot Reset and Sync would make of it (the device page's rules). */
export interface TicketMatch {
  device: Device;
  reset: ResetEligibility;
  sync: SyncEligibility;
}

export type TicketAnswer =
  | { value: string; kind: "found"; by: LookupKind; match: TicketMatch }
  /** More than one device answers to it (two devices with one name): the user picks. */
  | { value: string; kind: "several"; by: LookupKind; matches: TicketMatch[] }
  | { value: string; kind: "not-windows"; by: LookupKind; match: TicketMatch }
  | { value: string; kind: "not-found"; tried: LookupKind[] }
  | { value: string; kind: "refused"; message: string }
  | { value: string; kind: "error"; error: ActionError };

export interface TicketResolution {
  /** One answer per value given, in order. */
  answers: TicketAnswer[];
  /** Graph sub-requests this call made (each counts toward Intune's 2,000 per 20 s). */
  graphRequests: number;
  serverTime: number;
}

/**
 * Looks up to 500 values up: per value found (its device), several (all matches), not Windows, not found, refused, or
 * an error the browser may ask again about (throttled, unavailable).
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
        const now = new Date();
        const matchOf = (device: Device): TicketMatch => ({ device, reset: resetEligibility(device, now), sync: syncEligibility(device, now) });
        return {
          answers: values.map((value, index): TicketAnswer => {
            const c = classified[index]!;
            if (!c.ok) return { value, kind: "refused", message: c.message };
            const answer = byKey.get(c.key)!;
            if (answer.kind === "not-found") return { value, kind: "not-found", tried: answer.tried };
            if (answer.kind === "error") return { value, kind: "error", error: answer.error };
            if (answer.devices.length > 1) return { value, kind: "several", by: answer.by, matches: answer.devices.map(matchOf) };
            const match = matchOf(answer.devices[0]!);
            return isWindows(match.device) ? { value, kind: "found", by: answer.by, match } : { value, kind: "not-windows", by: answer.by, match };
          }),
          graphRequests,
          serverTime: Date.now(),
        };
      },
    },
    accessToken,
    input,
  );
}
