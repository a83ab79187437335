/** Input schemas shared by the server actions (and their types, for the UI). Bounded everywhere: strings, sizes. */
import { z } from "zod";
import { CURSOR_MAX_LENGTH } from "@/lib/graph/cursor";
import { GUID_PATTERN } from "@/lib/devices/ids";
import { checkTicketReference } from "@/lib/devices/ticket-reference";
import {
  AUTOPILOT_FILTER_VALUES,
  CHECK_IN_FILTER_VALUES,
  COMPLIANCE_FILTER_VALUES,
  JOIN_TYPE_FILTER_VALUES,
  OWNERSHIP_FILTER_VALUES,
  PROVISIONED_BY_FILTER_VALUES,
  RESET_STATUS_FILTER_VALUES,
  SORT_DIRECTIONS,
  SORT_FIELDS,
  TEXT_FILTER_MAX_LENGTH,
  type DeviceFilters,
  type DeviceSort,
} from "@/lib/devices/types";

export const deviceIdSchema = z
  .string({ message: "A device id is required." })
  .regex(GUID_PATTERN, { message: "A device id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e." });

/** OS version or model text: one line, trimmed, at most TEXT_FILTER_MAX_LENGTH characters; empty means no filter. */
function textFilter(name: string) {
  return z
    .string({ message: `The ${name} filter must be text.` })
    .trim()
    .max(TEXT_FILTER_MAX_LENGTH, { message: `The ${name} filter takes at most ${TEXT_FILTER_MAX_LENGTH} characters.` })
    .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), { message: `The ${name} filter must be one line of text.` })
    .transform((text) => text || undefined)
    .optional();
}

const deviceFiltersSchema = z
  .object({
    compliance: z.enum(COMPLIANCE_FILTER_VALUES, { message: "Unknown compliance filter." }).optional(),
    ownership: z.enum(OWNERSHIP_FILTER_VALUES, { message: "Unknown ownership filter." }).optional(),
    joinType: z.enum(JOIN_TYPE_FILTER_VALUES, { message: "Unknown join type filter." }).optional(),
    autopilot: z.enum(AUTOPILOT_FILTER_VALUES, { message: "Unknown Autopilot filter." }).optional(),
    checkIn: z.enum(CHECK_IN_FILTER_VALUES, { message: "Unknown last check-in filter." }).optional(),
    resetStatus: z.enum(RESET_STATUS_FILTER_VALUES, { message: "Unknown reset status filter." }).optional(),
    provisionedBy: z.enum(PROVISIONED_BY_FILTER_VALUES, { message: "Unknown provisioned by filter." }).optional(),
    osVersion: textFilter("OS version"),
    model: textFilter("model"),
  })
  .strip() satisfies z.ZodType<DeviceFilters>;

const deviceSortSchema = z.object({
  field: z.enum(SORT_FIELDS, { message: "Devices can't be sorted by that column." }),
  direction: z.enum(SORT_DIRECTIONS, { message: "Sort direction must be asc or desc." }),
}) satisfies z.ZodType<DeviceSort>;

export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 200;

// Length is checked by normalizeSearch (after trimming) so a long search gets the same sentence however long it is;
// this bound only keeps absurd payloads out of the parser.
const searchSchema = z.string({ message: "The search must be text." }).max(100_000, { message: "The search is far too long." });
export const cursorSchema = z.string().max(CURSOR_MAX_LENGTH, { message: "This page link is not valid." });

export const listWindowsDevicesSchema = z.object({
  search: searchSchema.nullish(),
  filters: deviceFiltersSchema.nullish(),
  sort: deviceSortSchema.nullish(),
  cursor: cursorSchema.nullish(),
  pageSize: z
    .number({ message: "The page size must be a number." })
    .int({ message: "The page size must be a whole number." })
    .min(1, { message: `The page size must be between 1 and ${MAX_PAGE_SIZE}.` })
    .max(MAX_PAGE_SIZE, { message: `The page size must be between 1 and ${MAX_PAGE_SIZE}.` })
    .nullish(),
});

/**
 * A ticket reference (lib/devices/ticket-reference.ts): trimmed, at most 64 plain characters; a hostile one is refused
 * with its sentence and nothing is sent. Empty is none.
 */
export const ticketReferenceSchema = z
  .string({ message: "A ticket reference must be text." })
  .max(1_000, { message: "A ticket reference is at most 64 characters." })
  .transform((raw, ctx) => {
    const check = checkTicketReference(raw);
    if (check.ok) return check.ticket;
    ctx.addIssue({ code: "custom", message: check.message });
    return z.NEVER;
  });
