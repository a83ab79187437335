/**
 * The console's own record of what it sent to a device (docs/product.md, "A device's reset history"; docs/safety.md,
 * "What the console keeps"): for each reset or sync, who pressed Yes, when (Graph's clock), what came of it, and the
 * ticket reference they gave. Intune's wipe request has no field for a ticket reference, so this record is where it
 * lives; it is never sent to Intune, except in a Multi Admin Approval justification. Kept in the coordination store
 * (lib/server/lock-store.ts) under one key per device, one field per send (action and time), for 31 days.
 *
 * Best effort: a record that cannot be written is logged and the send goes on (the send marker, written before the
 * write leaves, is what keeps sends single; this is history).
 */
import { checkTicketReference } from "@/lib/devices/ticket-reference";
import { deviceHistory, lastResetSince, SEND_RECORD_STATES, type ConsoleSendRecord } from "@/lib/devices/history";
import type { DeviceRead } from "@/lib/graph/batch-types";
import { DEVICE_ACTIONS } from "@/lib/devices/types";
import { parseObject, sendNotesKey } from "./device-lock";
import { getDeviceLockStore } from "./lock-store";

const KEEP_MS = 31 * 86_400_000;
const MAX_BY_CHARS = 320;

export function serializeSendRecord(record: ConsoleSendRecord): string {
  const ticket = checkTicketReference(record.ticketReference);
  return JSON.stringify({
    action: record.action,
    at: record.at,
    by: record.by.slice(0, MAX_BY_CHARS),
    state: record.state,
    ...(ticket.ok && ticket.ticket ? { ticketReference: ticket.ticket } : {}),
  });
}

/** A stored record, or null when the value is not one (never throws). */
export function parseSendRecord(raw: string): ConsoleSendRecord | null {
  const o = parseObject(raw);
  if (!o) return null;
  const { action, at, by, state, ticketReference } = o;
  if (!(DEVICE_ACTIONS as readonly unknown[]).includes(action) || typeof at !== "string" || Number.isNaN(Date.parse(at)) || typeof by !== "string") return null;
  if (!(SEND_RECORD_STATES as readonly unknown[]).includes(state)) return null;
  const ticket = typeof ticketReference === "string" ? checkTicketReference(ticketReference) : null;
  return {
    action: action as ConsoleSendRecord["action"],
    at,
    by,
    state: state as ConsoleSendRecord["state"],
    ...(ticket?.ok && ticket.ticket ? { ticketReference: ticket.ticket } : {}),
  };
}

/** Records a send, or what became of it (the same action and time replace the earlier record). Never throws. */
export async function noteSend(tenantId: string, deviceId: string, record: ConsoleSendRecord): Promise<void> {
  try {
    await getDeviceLockStore().note(sendNotesKey(tenantId, deviceId), `${record.action}:${record.at}`, serializeSendRecord(record), KEEP_MS);
  } catch (error) {
    console.warn("[send-notes] could not record a send for the device's history", { name: (error as { name?: unknown })?.name });
  }
}

/** A day, for "Recently reset" (docs/product.md). */
export const RECENT_RESET_MS = 24 * 3_600_000;

/**
 * Each found device's newest Autopilot Reset of the last 24 hours on Graph's clock, from its audits and this console's
 * records (history only: a store that cannot be read leaves the audits).
 */
export async function lastResets(
  tenantId: string,
  reads: readonly DeviceRead[],
  graphNow: number,
  /** A send being made now (its time): never its own "recent reset". */
  excludeAt?: string,
): Promise<Map<string, { at: string; by: string | null }>> {
  const found = new Map<string, { at: string; by: string | null }>();
  await Promise.all(
    reads.map(async (read) => {
      if (read.kind !== "found") return;
      const records = (await readSendNotes(tenantId, read.deviceId).catch(() => [])).filter((r) => r.at !== excludeAt);
      const last = lastResetSince(deviceHistory({ audits: read.audits ?? [], records, now: graphNow }), graphNow - RECENT_RESET_MS);
      if (last) found.set(read.deviceId, { at: last.at, by: last.by });
    }),
  );
  return found;
}

/** The device's records, as stored (lib/devices/history.ts keeps the last 30 days and orders them). */
export async function readSendNotes(tenantId: string, deviceId: string): Promise<ConsoleSendRecord[]> {
  const raw = await getDeviceLockStore().notes(sendNotesKey(tenantId, deviceId));
  return raw.flatMap((value) => parseSendRecord(value) ?? []);
}
