/**
 * What a list's value resolved to (docs/product.md, "Journey 7: start from what the ticket names"), decided the same
 * way whichever road found the devices: a lookup per value (lib/graph/device-lookup.ts, lookupDevices) or one read of
 * the tenant's device list matched here (scanTicketDevices in lib/actions/ticket.ts). Pure.
 *
 * - A value matches a device when the field its lookup reads equals it, ignoring case (Graph's `eq` on text, and an
 *   Intune id in any case). Lookups are tried in the value's order; the first that matches anything decides.
 * - More than one device: "several", listed newest check-in first, never picked for the user. One physical device can
 *   have several Intune records after a re-enrollment, the stale one told apart only by its last check-in
 *   (docs/graph.md, "The device record").
 */
import { isWindows, resetEligibility, syncEligibility, type ResetEligibility, type SyncEligibility } from "./eligibility";
import type { ActionError } from "@/lib/result";
import type { LookupKind } from "./ticket-lines";
import type { Device } from "./types";

/** A device a value matched, with what Autopilot Reset and Sync would make of it (the device page's rules). */
export interface TicketMatch {
  device: Device;
  reset: ResetEligibility;
  sync: SyncEligibility;
}

export type TicketAnswer =
  | { value: string; kind: "found"; by: LookupKind; match: TicketMatch }
  /** More than one device answers to it (two devices with one name, a stale record of a re-enrolled device): the user picks. */
  | { value: string; kind: "several"; by: LookupKind; matches: TicketMatch[] }
  | { value: string; kind: "not-windows"; by: LookupKind; match: TicketMatch }
  | { value: string; kind: "not-found"; tried: LookupKind[] }
  | { value: string; kind: "refused"; message: string }
  | { value: string; kind: "error"; error: ActionError };

/**
 * A scan call (scanTicketDevices) carries every value of the list, or of a part of it: at most this many characters in
 * all, well inside a server action's 1 MB body; the browser splits a longer list.
 */
export const SCAN_MAX_CHARS = 400_000;
/** Pages one scan call reads at most (its worst case for pacing), and the time after which it starts no further page. */
export const SCAN_PAGES_PER_CALL = 50;
export const SCAN_CALL_MS = 10_000;

/** Devices one lookup reads at most: a name shared by more is shown up to here (a filter lookup's $top). */
export const MAX_MATCHES_PER_LOOKUP = 10;

/** The device field each lookup compares with the value. */
export const LOOKUP_FIELD: Record<LookupKind, "id" | "azureADDeviceId" | "serialNumber" | "deviceName"> = {
  "intune-id": "id",
  "entra-id": "azureADDeviceId",
  serial: "serialNumber",
  name: "deviceName",
};

/** The text a lookup compares: the value lower-cased, as Graph's `eq` on text ignores case. */
export function matchKey(value: string): string {
  return value.toLowerCase();
}

export function matchesLookup(kind: LookupKind, value: string, device: Pick<Device, "id" | "azureADDeviceId" | "serialNumber" | "deviceName">): boolean {
  const field = device[LOOKUP_FIELD[kind]];
  return typeof field === "string" && matchKey(field) === matchKey(value);
}

export function ticketMatch(device: Device, now: Date): TicketMatch {
  return { device, reset: resetEligibility(device, now), sync: syncEligibility(device, now) };
}

function checkedInAt(match: TicketMatch): number {
  const t = match.device.lastSyncDateTime ? Date.parse(match.device.lastSyncDateTime) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/** Newest check-in first; never checked in last; a tie by name, then id, so the order never depends on Graph's. */
export function newestFirst(matches: readonly TicketMatch[]): TicketMatch[] {
  return [...matches].sort(
    (a, b) =>
      checkedInAt(b) - checkedInAt(a) ||
      a.device.deviceName.localeCompare(b.device.deviceName, "en") ||
      (a.device.id < b.device.id ? -1 : a.device.id > b.device.id ? 1 : 0),
  );
}

/** The id of the one choice that checked in later than every other, if one did (a tie names none). */
export function mostRecentId(matches: readonly TicketMatch[]): string | undefined {
  const [first, second] = newestFirst(matches);
  if (!first || checkedInAt(first) === -Infinity) return undefined;
  return !second || checkedInAt(first) > checkedInAt(second) ? first.device.id : undefined;
}

/** The answer for a value whose lookup `by` matched `matches` (one or more). */
export function answerFromMatches(value: string, by: LookupKind, matches: readonly TicketMatch[]): TicketAnswer {
  if (matches.length === 0) throw new RangeError("answerFromMatches needs at least one match.");
  if (matches.length > 1) return { value, kind: "several", by, matches: newestFirst(matches) };
  const match = matches[0]!;
  return isWindows(match.device) ? { value, kind: "found", by, match } : { value, kind: "not-windows", by, match };
}

/**
 * A value's answer from the devices each of its lookups matched in a read of the whole list (`byKind`, each in the
 * list's order): the first lookup in the value's order that matched anything decides, as when looked up one by one.
 */
export function answerFromScan(value: string, lookups: readonly LookupKind[], byKind: ReadonlyMap<LookupKind, readonly TicketMatch[]>): TicketAnswer {
  for (const kind of lookups) {
    const matches = byKind.get(kind);
    if (matches && matches.length > 0) return answerFromMatches(value, kind, matches.slice(0, MAX_MATCHES_PER_LOOKUP));
  }
  return { value, kind: "not-found", tried: [...lookups] };
}

export interface ScanHit {
  /** The value's position in the values given. */
  index: number;
  by: LookupKind;
  device: Device;
}

/** The values of a list, indexed by what each lookup compares, to match pages of the tenant's list against. */
export function valueIndex(values: readonly { value: string; lookups: readonly LookupKind[] }[]): (devices: readonly Device[]) => ScanHit[] {
  const index = new Map<LookupKind, Map<string, number[]>>();
  values.forEach(({ value, lookups }, i) => {
    for (const kind of lookups) {
      let byValue = index.get(kind);
      if (!byValue) index.set(kind, (byValue = new Map()));
      const key = matchKey(value);
      const list = byValue.get(key);
      if (list) list.push(i);
      else byValue.set(key, [i]);
    }
  });
  const kinds = [...index];
  return (devices) => {
    const hits: ScanHit[] = [];
    for (const device of devices) {
      for (const [kind, byValue] of kinds) {
        const field = device[LOOKUP_FIELD[kind]];
        if (typeof field !== "string" || field === "") continue;
        const found = byValue.get(matchKey(field));
        if (found) for (const i of found) hits.push({ index: i, by: kind, device });
      }
    }
    return hits;
  };
}

/** Which of `values` (each with its lookups) name each device of a page of the tenant's list. */
export function matchDevices(values: readonly { value: string; lookups: readonly LookupKind[] }[], devices: readonly Device[]): ScanHit[] {
  return valueIndex(values)(devices);
}
