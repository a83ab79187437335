/**
 * A short per-device lock held on the server around "read the device, then send a reset or sync".
 *
 * Why: reading a device and then sending it an action is two Graph calls, and nothing makes the pair atomic. Two
 * helpdesk people pressing Yes on the same device within a second (in two browsers, or served by two console
 * instances) would both read "no reset pending" and both send one. Whoever takes this lock first reads and sends; the
 * other is told who is already doing it. After sending, `remember` keeps "who sent what, when" for a short while, so a
 * colleague arriving a moment later is told that instead of sending again.
 *
 * The lock has a TTL, so a holder that crashes (or a server that dies between acquire and release) blocks the device
 * for seconds, never for good. release() removes the lock only while it is still ours: once the TTL has passed, the
 * lock may already belong to someone else.
 *
 * A store that forgot its sends (a restart) must say so, or a write still landing at Graph would be sent again: the
 * store's epoch (`claimEpoch`) is the moment since which it has remembered every send.
 *
 * This is coordination, not data. Without REDIS_URL one instance keeps it in a file under DATA_DIR, so a restarted
 * console still knows what it sent (lib/server/file-device-lock.ts); with it, every instance shares one Redis
 * (lib/server/lock-store.ts chooses). A store that cannot be reached or written fails closed: the call throws
 * LockStoreUnavailableError and the caller sends nothing. Holders carry a display name or UPN only, never a token.
 */
import { DEVICE_ACTIONS, type DeviceAction } from "@/lib/devices/types";

export interface LockHolder {
  /** Unique per acquisition (e.g. crypto.randomUUID()); release() compares it. */
  id: string;
  /** Who pressed Yes: a display name or UPN (never a token). */
  by: string;
  action: DeviceAction;
  /** Server ISO time. */
  startedAt: string;
}

export interface RecentAction {
  by: string;
  action: DeviceAction;
  /** When it was sent: Graph's clock where Graph said, else the server's (ISO). */
  at: string;
  /** Graph accepted the write (false: its answer was unclear, and the write may still land). */
  confirmed: boolean;
  /** Server time (ms) until which the record stands. */
  until: number;
  /**
   * For an unconfirmed send: Graph's time (ms) by which the write has landed if it ever will (lib/bulk/send-window.ts).
   * Decisions compare it with Graph's clock, never a server's.
   */
  landsBy?: number;
}

export type Acquired = { acquired: true; release: () => Promise<void> };
/** holder is null only when the lock's stored value could not be read (written by something else). */
export type Busy = { acquired: false; holder: LockHolder | null; remainingMs: number };

export interface DeviceLockStore {
  /** SET NX PX semantics: takes the lock for ttlMs unless someone holds it. */
  acquire(key: string, holder: LockHolder, ttlMs: number): Promise<Acquired | Busy>;
  /** Who holds the lock now and for how much longer (null: free). */
  peek(key: string): Promise<{ holder: LockHolder | null; remainingMs: number } | null>;
  /** Remembers that an action was just sent to the device, for ttlMs (a colleague a second later is told who and when). */
  remember(key: string, action: RecentAction, ttlMs: number): Promise<void>;
  recall(key: string): Promise<RecentAction | null>;
  /**
   * The store's epoch: since when (on Graph's clock, ms) it has remembered every send. The first caller that finds no
   * epoch sets it to the Graph time it passes and gets created: true. Senders must treat every device as possibly
   * having a write in flight until Graph's clock passes `since` plus the landing margin. 0: it has remembered since
   * nothing was ever sent (a new data folder).
   */
  claimEpoch(graphNow: number): Promise<{ since: number; created: boolean }>;
  /**
   * The console's own record of a device's sends (lib/server/send-notes.ts): sets one field of the key's map (a send,
   * by its action and time) and keeps the whole map for ttlMs from now. A few short fields per send, never a token.
   */
  note(key: string, field: string, value: string, ttlMs: number): Promise<void>;
  /** Every field's value of the key's map (none: an empty list). */
  notes(key: string): Promise<string[]>;
}

/**
 * Thrown by any store call when the store cannot be reached (Redis) or written (the data folder). Fail closed: the
 * caller then sends nothing.
 */
export class LockStoreUnavailableError extends Error {
  constructor(message = "The console's lock store cannot be reached, so no device action was sent. Try again shortly.", options?: ErrorOptions) {
    super(message, options);
    this.name = "LockStoreUnavailableError";
  }
}

export function deviceLockKey(tenantId: string, deviceId: string, action: DeviceAction): string {
  return `arc:lock:${tenantId.toLowerCase()}:${deviceId.toLowerCase()}:${action}`;
}

/** A lock's key (not a send record's): a lock belongs to the process that took it. */
export const isDeviceLockKey = (key: string): boolean => key.startsWith("arc:lock:");

/** The key of a device's send records (the console's own history of it; lib/server/send-notes.ts). */
export function sendNotesKey(tenantId: string, deviceId: string): string {
  return `arc:notes:${tenantId.toLowerCase()}:${deviceId.toLowerCase()}`;
}

/** A device's send records' key (not a lock's or a marker's). */
export const isSendNotesKey = (key: string): boolean => key.startsWith("arc:notes:");

export function recentActionKey(tenantId: string, deviceId: string, action: DeviceAction): string {
  return `arc:recent:${tenantId.toLowerCase()}:${deviceId.toLowerCase()}:${action}`;
}

// --- Shared by both stores: what is stored, and how it is read back ---------------------------------------------------

/** A JWT (its header is base64url JSON, so it starts "eyJ"); a real access token is also far over the length limit. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const MAX_FIELD_LENGTH = 320;

/** Refuses a TTL Redis would refuse (PX takes a positive integer), so both stores behave alike. */
export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`A lock TTL is a positive whole number of milliseconds; got ${ttlMs}.`);
}

/** Refuses a Graph time that is not a whole, non-negative number of milliseconds (Date.parse of Graph's Date header). */
export function checkGraphTime(graphNow: number): void {
  if (!Number.isSafeInteger(graphNow) || graphNow < 0) throw new RangeError(`An epoch is a Graph time in whole milliseconds; got ${graphNow}.`);
}

function checkField(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_FIELD_LENGTH || JWT_SHAPE.test(value)) {
    // A token passed by mistake must not be stored, nor echoed here.
    throw new TypeError(`A device lock's ${name} must be a short non-empty string (a name or UPN, never a token).`);
  }
  return value;
}

function checkAction(value: unknown): DeviceAction {
  if (!(DEVICE_ACTIONS as readonly unknown[]).includes(value)) throw new TypeError(`A device lock's action is "reset" or "sync".`);
  return value as DeviceAction;
}

/** The holder as stored: exactly its four fields (anything else spread into the object stays out). */
export function serializeHolder(holder: LockHolder): string {
  const stored: LockHolder = {
    id: checkField("holder id", holder.id),
    by: checkField("holder name", holder.by),
    action: checkAction(holder.action),
    startedAt: checkField("start time", holder.startedAt),
  };
  return JSON.stringify(stored);
}

export function serializeRecent(action: RecentAction): string {
  if (!Number.isFinite(action.until)) throw new RangeError("A recent action needs the time it stands until.");
  const stored: RecentAction = {
    by: checkField("sender name", action.by),
    action: checkAction(action.action),
    at: checkField("time", action.at),
    confirmed: action.confirmed === true,
    until: action.until,
    ...(Number.isFinite(action.landsBy) ? { landsBy: action.landsBy } : {}),
  };
  return JSON.stringify(stored);
}

export function parseObject(raw: string | null | undefined): Record<string, unknown> | null {
  if (typeof raw !== "string") return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isString = (value: unknown): value is string => typeof value === "string";

/** A stored holder, or null when the value is not one (never throws). */
export function parseHolder(raw: string | null | undefined): LockHolder | null {
  const o = parseObject(raw);
  if (!o || !isString(o.id) || !isString(o.by) || !(DEVICE_ACTIONS as readonly unknown[]).includes(o.action) || !isString(o.startedAt)) return null;
  return { id: o.id, by: o.by, action: o.action as DeviceAction, startedAt: o.startedAt };
}

export function parseRecent(raw: string | null | undefined): RecentAction | null {
  const o = parseObject(raw);
  if (!o || !isString(o.by) || !(DEVICE_ACTIONS as readonly unknown[]).includes(o.action) || !isString(o.at) || typeof o.until !== "number") return null;
  return {
    by: o.by,
    action: o.action as DeviceAction,
    at: o.at,
    confirmed: o.confirmed === true,
    until: o.until,
    ...(typeof o.landsBy === "number" && Number.isFinite(o.landsBy) ? { landsBy: o.landsBy } : {}),
  };
}
