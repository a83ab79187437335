/**
 * The server's side of "one reset per device, whoever presses Yes" (docs/safety.md, "Two people on one device" and
 * "A restart forgets nothing that matters"): before it reads a device and sends it a reset or a sync, the server takes
 * the device's lock (tenant + device + action, never a token). Before a write leaves it records the send as in flight,
 * and after Graph's answer it records the outcome: a colleague a second later, another tab, another instance (the store
 * is Redis when REDIS_URL is set, else a file in the data folder) finds the lock or the record and sends nothing.
 *
 * Every record of a send that may still land carries `landsBy`, on Graph's clock (lib/bulk/send-window.ts); whether
 * it still stands is decided against Graph's clock too, so a server restart, another instance's clock, or a moved
 * emulator clock cannot shorten it. The store's own expiry only clears old records away.
 */
import { SEND_TICKET_LIFETIME_MS, THROTTLED_WRITE_MARGIN_MS, WRITE_LANDING_MARGIN_MS } from "@/lib/bulk/send-window";
import type { DeviceAction, RecentReset } from "@/lib/devices/types";
import { DEFAULT_TIMEOUT_MS } from "@/lib/graph/client";
import { serverNow } from "./clock";
import { deviceLockKey, recentActionKey, type RecentAction } from "./device-lock";
import { getDeviceLockStore } from "./lock-store";

/** Longer than a pre-send read plus a write can take; bounds a holder that crashed. */
const DEVICE_LOCK_TTL_MS = 90_000;
/** A send starts only while the lock has at least this long left, so the lock outlives the write's timeout. */
const WRITE_BUDGET_MS = DEFAULT_TIMEOUT_MS + 15_000;
/** How long a confirmed send is remembered: Graph's own records (audits) may take a while to show it. */
const RECENT_SEND_TTL_MS: Record<DeviceAction, number> = { reset: 10 * 60_000, sync: 60_000 };
/**
 * How long the store keeps a record of a send that may still land (server time, housekeeping only): the landing
 * margin, with room for a Graph clock running ahead of the server's.
 */
const UNCONFIRMED_KEEP_MS = SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS + 10 * 60_000;

/** The record a send leaves on its device (see above). */
export type SendMarker = RecentAction & RecentReset;

export interface HeldDevice {
  deviceId: string;
  /** The device's latest send record, confirmed or not: the sender judges it against Graph's clock. */
  marker: SendMarker | null;
  acquiredAt: number;
  release: () => Promise<void>;
}

export interface BusyDevice {
  deviceId: string;
  busyForMs: number;
  by: string | null;
}

/** What a send is recorded as: before it leaves, and after each kind of answer. */
export type SendRecord =
  /** About to leave: it may land until landsBy. */
  | { state: "in-flight"; landsBy: number }
  /** No answer, a timeout or a 5xx: it may land until landsBy. */
  | { state: "unclear"; landsBy: number }
  /** A 429: Graph answered, yet may have applied it; a lagging read is covered until landsBy. */
  | { state: "throttled"; landsBy: number }
  /** Graph accepted it. */
  | { state: "confirmed" }
  /** Graph refused it: nothing was applied. */
  | { state: "cleared" };

async function readMarker(tenantId: string, deviceId: string, action: DeviceAction): Promise<SendMarker | null> {
  const marker = await getDeviceLockStore().recall(recentActionKey(tenantId, deviceId, action));
  return marker && marker.until > serverNow() ? marker : null;
}

/** Takes the locks of the devices it can; the others are busy (someone is reading or sending to them now). */
export async function holdDevices(
  tenantId: string,
  action: DeviceAction,
  deviceIds: readonly string[],
  by: string,
): Promise<{ held: HeldDevice[]; busy: BusyDevice[] }> {
  const store = getDeviceLockStore();
  const startedAt = new Date(serverNow()).toISOString();
  const results = await Promise.all(
    deviceIds.map(async (deviceId): Promise<HeldDevice | BusyDevice> => {
      const id = crypto.randomUUID();
      const taken = await store.acquire(deviceLockKey(tenantId, deviceId, action), { id, by, action, startedAt }, DEVICE_LOCK_TTL_MS);
      if (!taken.acquired) return { deviceId, busyForMs: Math.max(1_000, taken.remainingMs), by: taken.holder?.by ?? null };
      const acquiredAt = serverNow();
      try {
        return { deviceId, marker: await readMarker(tenantId, deviceId, action), acquiredAt, release: taken.release };
      } catch (error) {
        await taken.release().catch(() => undefined);
        throw error;
      }
    }),
  );
  return {
    held: results.filter((r): r is HeldDevice => "release" in r),
    busy: results.filter((r): r is BusyDevice => "busyForMs" in r),
  };
}

export async function releaseAll(held: readonly HeldDevice[]): Promise<void> {
  await Promise.all(held.map((h) => h.release().catch(() => undefined)));
}

/** Whether a write may still start under this lock (it must end, or time out, before the lock lapses). */
export function mayStillSend(held: HeldDevice): boolean {
  return serverNow() - held.acquiredAt + WRITE_BUDGET_MS <= DEVICE_LOCK_TTL_MS;
}

/** How long, on Graph's clock, an unconfirmed send may still land (0: it cannot, or it was confirmed or refused). */
export function landingLeftMs(marker: SendMarker | null, graphNow: number): number {
  if (!marker || marker.confirmed || marker.landsBy === undefined) return 0;
  return Math.max(0, marker.landsBy - graphNow);
}

/** The landsBy of a write about to leave, or whose answer never came clear: the ticket rule's bound from now. */
export function landsByFrom(graphNow: number): number {
  return graphNow + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS;
}

export function throttledLandsBy(graphNow: number): number {
  return graphNow + THROTTLED_WRITE_MARGIN_MS;
}

/**
 * Records a send. "in-flight" is written before the write leaves and throws when it cannot be recorded (the caller
 * then sends nothing). The records after Graph's answer do not throw: the write has gone, its answer must reach the
 * user, and the in-flight record already keeps everyone from sending until it can no longer land.
 */
export async function rememberSend(
  tenantId: string,
  action: DeviceAction,
  deviceId: string,
  send: { by: string; at: string } & SendRecord,
): Promise<void> {
  const confirmed = send.state === "confirmed";
  const ttl = confirmed ? RECENT_SEND_TTL_MS[action] : send.state === "cleared" ? 1_000 : UNCONFIRMED_KEEP_MS;
  const marker: SendMarker = {
    by: send.by,
    at: send.at,
    confirmed,
    action,
    until: serverNow() + ttl,
    ...("landsBy" in send ? { landsBy: send.landsBy } : send.state === "cleared" ? { landsBy: 0 } : {}),
  };
  const key = recentActionKey(tenantId, deviceId, action);
  if (send.state === "in-flight") {
    await getDeviceLockStore().remember(key, marker, ttl);
    return;
  }
  try {
    await getDeviceLockStore().remember(key, marker, ttl);
  } catch (error) {
    console.warn("[device-guard] could not record a send's answer", { name: (error as { name?: unknown })?.name });
  }
}

/**
 * Since the store came back empty (a Redis restart, a lost data file), how long on Graph's clock nothing may be sent:
 * a write sent before it could still land (docs/safety.md, "A restart forgets nothing that matters").
 */
export async function storeQuietMs(graphNow: number): Promise<number> {
  const { since } = await getDeviceLockStore().claimEpoch(graphNow);
  return since <= 0 ? 0 : Math.max(0, landsByFrom(since) - graphNow);
}

/** For reads: how long, on Graph's clock, nothing about the device may be decided, and a confirmed send. */
export async function peekDevice(
  tenantId: string,
  action: DeviceAction,
  deviceId: string,
  graphNow: number,
): Promise<{ busyForMs: number; by: string | null; marker: SendMarker | null }> {
  const [lock, marker] = await Promise.all([
    getDeviceLockStore().peek(deviceLockKey(tenantId, deviceId, action)),
    readMarker(tenantId, deviceId, action),
  ]);
  const lockMs = lock ? lock.remainingMs : 0;
  const landingMs = landingLeftMs(marker, graphNow);
  return {
    busyForMs: Math.max(0, lockMs, landingMs),
    by: lock?.holder?.by ?? (landingMs > 0 ? marker?.by : null) ?? null,
    marker: marker?.confirmed ? marker : null,
  };
}
