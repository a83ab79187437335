/**
 * The server's side of "one reset per device, whoever presses Yes": before it reads a device and sends it a reset or
 * a sync, the server takes the device's lock (tenant + device + action, never a token), and after a send it leaves a
 * short-lived marker saying who sent it and when. A colleague a second later, another tab, another instance (the
 * lock store is Redis when REDIS_URL is set) finds the lock or the marker and sends nothing.
 *
 * A marker is "confirmed" when Graph accepted the write, and unconfirmed when Graph's answer was unclear: the write may
 * still land for WRITE_LANDING_MARGIN_MS, so nobody sends, and nobody decides, until then (lib/bulk/send-window.ts).
 */
import { THROTTLED_WRITE_MARGIN_MS, WRITE_LANDING_MARGIN_MS } from "@/lib/bulk/send-window";
import type { DeviceAction, RecentReset } from "@/lib/devices/types";
import { DEFAULT_TIMEOUT_MS } from "@/lib/graph/client";
import { deviceLockKey, recentActionKey, type RecentAction } from "./device-lock";
import { getDeviceLockStore } from "./lock-store";

/** Longer than a pre-send read plus a write can take; bounds a holder that crashed. */
const DEVICE_LOCK_TTL_MS = 90_000;
/** A send starts only while the lock has at least this long left, so the lock outlives the write's timeout. */
const WRITE_BUDGET_MS = DEFAULT_TIMEOUT_MS + 15_000;
/** How long a confirmed send is remembered: Graph's own records (audits) may take a while to show it. */
const RECENT_SEND_TTL_MS: Record<DeviceAction, number> = { reset: 10 * 60_000, sync: 60_000 };

/** The record a send leaves on its device (see above). */
export type SendMarker = RecentAction & RecentReset;

export interface HeldDevice {
  deviceId: string;
  /** A confirmed send from a moment ago (unconfirmed ones make the device busy instead). */
  marker: SendMarker | null;
  acquiredAt: number;
  release: () => Promise<void>;
}

export interface BusyDevice {
  deviceId: string;
  busyForMs: number;
  by: string | null;
}

async function readMarker(tenantId: string, deviceId: string, action: DeviceAction): Promise<SendMarker | null> {
  const marker = await getDeviceLockStore().recall(recentActionKey(tenantId, deviceId, action));
  return marker && marker.until > Date.now() ? marker : null;
}

/** Takes the locks of the devices it can; the others are busy (held by someone, or an unclear send may still land). */
export async function holdDevices(
  tenantId: string,
  action: DeviceAction,
  deviceIds: readonly string[],
  by: string,
): Promise<{ held: HeldDevice[]; busy: BusyDevice[] }> {
  const store = getDeviceLockStore();
  const startedAt = new Date().toISOString();
  const results = await Promise.all(
    deviceIds.map(async (deviceId): Promise<HeldDevice | BusyDevice> => {
      const id = crypto.randomUUID();
      const taken = await store.acquire(deviceLockKey(tenantId, deviceId, action), { id, by, action, startedAt }, DEVICE_LOCK_TTL_MS);
      if (!taken.acquired) return { deviceId, busyForMs: Math.max(1_000, taken.remainingMs), by: taken.holder?.by ?? null };
      const acquiredAt = Date.now();
      try {
        const marker = await readMarker(tenantId, deviceId, action);
        if (marker && !marker.confirmed) {
          await taken.release();
          return { deviceId, busyForMs: Math.max(1_000, marker.until - Date.now()), by: marker.by };
        }
        return { deviceId, marker, acquiredAt, release: taken.release };
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
  return Date.now() - held.acquiredAt + WRITE_BUDGET_MS <= DEVICE_LOCK_TTL_MS;
}

/**
 * Leaves the marker of a send: confirmed (Graph accepted it), throttled (a 429: Graph answered, yet may have applied
 * it) or unclear (no answer, a timeout or a 5xx: Graph may still apply it).
 */
export async function rememberSend(
  tenantId: string,
  action: DeviceAction,
  deviceId: string,
  send: { by: string; at: string; outcome: "confirmed" | "throttled" | "unclear" },
): Promise<void> {
  const ttl =
    send.outcome === "confirmed" ? RECENT_SEND_TTL_MS[action] : send.outcome === "throttled" ? THROTTLED_WRITE_MARGIN_MS : WRITE_LANDING_MARGIN_MS;
  const marker: SendMarker = { by: send.by, at: send.at, confirmed: send.outcome === "confirmed", action, until: Date.now() + ttl };
  try {
    await getDeviceLockStore().remember(recentActionKey(tenantId, deviceId, action), marker, ttl);
  } catch (error) {
    // The write has gone to Graph already: its answer must reach the user, not "nothing was sent". Losing the marker
    // is safe, because no one can send without the store either (holdDevices fails closed), and Graph's own records
    // show the reset soon.
    console.warn("[device-guard] could not record a send", { name: (error as { name?: unknown })?.name });
  }
}

/** For reads: how long nothing about the device may be decided (its lock, or an unclear send), and a confirmed send. */
export async function peekDevice(
  tenantId: string,
  action: DeviceAction,
  deviceId: string,
): Promise<{ busyForMs: number; by: string | null; marker: SendMarker | null }> {
  const [lock, marker] = await Promise.all([
    getDeviceLockStore().peek(deviceLockKey(tenantId, deviceId, action)),
    readMarker(tenantId, deviceId, action),
  ]);
  const lockMs = lock ? lock.remainingMs : 0;
  const unclearMs = marker && !marker.confirmed ? marker.until - Date.now() : 0;
  return {
    busyForMs: Math.max(0, lockMs, unclearMs),
    by: lock?.holder?.by ?? marker?.by ?? null,
    marker: marker?.confirmed ? marker : null,
  };
}
