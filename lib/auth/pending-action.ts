/**
 * A device action interrupted by a consent/sign-in redirect: saved just before acquireTokenRedirect, taken (and
 * removed) once on return, so the action continues after the prompt, neither lost nor sent twice.
 * Kept in sessionStorage (this tab only); it holds no token, only what the user asked for.
 */
import type { DeviceAction } from "@/lib/devices/types";

export interface PendingAction {
  deviceId: string;
  action: DeviceAction;
  nonce: string;
  savedAt: number;
}

export const PENDING_ACTION_KEY = "autopilot-console.pending-action";

/** A prompt that takes longer than this was abandoned: coming back later must not fire a reset out of the blue. */
export const PENDING_ACTION_MAX_AGE_MS = 10 * 60 * 1000;

type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function savePendingAction(storage: KeyValueStore, pending: PendingAction): void {
  storage.setItem(PENDING_ACTION_KEY, JSON.stringify(pending));
}

/**
 * The pending action for `deviceId`, removed from storage before it is returned (so a second reader, a re-render or
 * a reload finds nothing). An action for another device is left for that device's page; a stale or malformed one is
 * dropped.
 */
export function takePendingAction(storage: KeyValueStore, deviceId: string, now: number): PendingAction | null {
  const raw = storage.getItem(PENDING_ACTION_KEY);
  if (raw === null) return null;
  const pending = parsePendingAction(raw);
  if (!pending || now - pending.savedAt > PENDING_ACTION_MAX_AGE_MS || pending.savedAt > now + 60_000) {
    storage.removeItem(PENDING_ACTION_KEY);
    return null;
  }
  if (pending.deviceId !== deviceId) return null;
  storage.removeItem(PENDING_ACTION_KEY);
  return pending;
}

function parsePendingAction(raw: string): PendingAction | null {
  try {
    const value = JSON.parse(raw) as Partial<PendingAction> | null;
    if (
      value &&
      typeof value.deviceId === "string" &&
      value.deviceId.length > 0 &&
      (value.action === "reset" || value.action === "sync") &&
      typeof value.nonce === "string" &&
      value.nonce.length > 0 &&
      typeof value.savedAt === "number" &&
      Number.isFinite(value.savedAt)
    ) {
      return { deviceId: value.deviceId, action: value.action, nonce: value.nonce, savedAt: value.savedAt };
    }
  } catch {
    // Not JSON: dropped below.
  }
  return null;
}
