/**
 * The in-process device-lock store (./device-lock.ts has the rules every store keeps): the memory store, for tests and
 * tools, and the core the file store (./file-device-lock.ts) writes to disk.
 */
import { serverNow } from "./clock";
import { checkGraphTime, checkTtl, parseHolder, parseObject, parseRecent, serializeHolder, serializeRecent, type DeviceLockStore } from "./device-lock";

/** A stored map of send records (field to value), or null when the value is not one. */
export function parseNotes(raw: string): Record<string, string> | null {
  const o = parseObject(raw);
  if (!o) return null;
  const map: Record<string, string> = {};
  for (const [field, value] of Object.entries(o)) if (typeof value === "string") map[field] = value;
  return map;
}

export interface Entry {
  value: string;
  /** Server time (ms). */
  expiresAt: number;
}

/** What a one-process store holds: its entries, and its epoch (null: not claimed yet). */
export interface StoreState {
  entries: Map<string, Entry>;
  epoch: number | null;
}

/** Sweep every expired entry once the map holds this many, so keys never read again do not pile up. */
const SWEEP_AT = 1_000;

/**
 * The store's rules over a map, for one process: the in-memory store, and the file store, which passes `save` to put
 * every change on disk before the call that made it resolves (save throws LockStoreUnavailableError when it cannot).
 * Uses the server's clock (serverNow()) and expires entries lazily, when they are read or when the map grows: no timer
 * is ever left running. Values are stored as JSON, as in Redis, so a caller cannot change a stored holder by mutating
 * its object.
 */
export function createMapDeviceLockStore(state: StoreState, save: () => Promise<void> = async () => {}): DeviceLockStore {
  const { entries } = state;
  /** The write that carries a just-claimed epoch: the other claimers wait for it too. */
  let epochSaving: Promise<void> | null = null;

  function live(key: string, now = serverNow()): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function put(key: string, value: string, ttlMs: number): void {
    const now = serverNow();
    if (entries.size >= SWEEP_AT) for (const [k, e] of entries) if (e.expiresAt <= now) entries.delete(k);
    entries.set(key, { value, expiresAt: now + ttlMs });
  }

  const ours = (key: string, id: string) => {
    const entry = live(key);
    return entry !== undefined && parseHolder(entry.value)?.id === id;
  };

  return {
    async acquire(key, holder, ttlMs) {
      checkTtl(ttlMs);
      const value = serializeHolder(holder);
      const now = serverNow();
      const current = live(key, now);
      if (current) return { acquired: false, holder: parseHolder(current.value), remainingMs: current.expiresAt - now };
      put(key, value, ttlMs);
      const id = holder.id;
      try {
        await save();
      } catch (error) {
        // Not on disk, so not ours: the caller sends nothing, and nobody waits out a lock that was never granted.
        if (ours(key, id)) entries.delete(key);
        throw error;
      }
      return {
        acquired: true,
        release: async () => {
          if (!ours(key, id)) return;
          entries.delete(key);
          await save();
        },
      };
    },

    async peek(key) {
      const now = serverNow();
      const current = live(key, now);
      return current ? { holder: parseHolder(current.value), remainingMs: current.expiresAt - now } : null;
    },

    async remember(key, action, ttlMs) {
      checkTtl(ttlMs);
      // Kept in memory even if the write fails: the send happened, and the next write that succeeds carries it.
      put(key, serializeRecent(action), ttlMs);
      await save();
    },

    async recall(key) {
      return parseRecent(live(key)?.value);
    },

    async note(key, field, value, ttlMs) {
      checkTtl(ttlMs);
      const current = live(key)?.value;
      const map = (current ? parseNotes(current) : null) ?? {};
      map[field] = value;
      put(key, JSON.stringify(map), ttlMs);
      await save();
    },

    async notes(key) {
      const current = live(key)?.value;
      return Object.values((current ? parseNotes(current) : null) ?? {});
    },

    async claimEpoch(graphNow) {
      checkGraphTime(graphNow);
      if (state.epoch === null) {
        state.epoch = graphNow;
        const saving = save();
        epochSaving = saving;
        try {
          await saving;
        } catch (error) {
          // Unclaimed again: the next caller claims it with its own, later, time.
          if (epochSaving === saving) {
            state.epoch = null;
            epochSaving = null;
          }
          throw error;
        }
        if (epochSaving === saving) epochSaving = null;
        return { since: graphNow, created: true };
      }
      const since = state.epoch;
      if (epochSaving) await epochSaving;
      return { since, created: false };
    },
  };
}

/** For tests and tools: everything in this process's memory, lost with it. Its epoch is set by the first claim. */
export function createMemoryDeviceLockStore(): DeviceLockStore {
  return createMapDeviceLockStore({ entries: new Map(), epoch: null });
}
