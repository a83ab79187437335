/**
 * The device lock store of a single console instance (no REDIS_URL), kept in a file so that a console restarted while
 * a wipe was at Graph still knows it sent it. Same rules as every store (./device-lock); what this file adds is how
 * the state reaches the disk, and what a restart finds there.
 *
 * The file, DATA_DIR/device-locks.json, holds the store's whole state as JSON: the epoch and every live entry (locks
 * and send markers) with its expiry on the server's clock. It stays small: locks and markers live minutes at most.
 * Each device's send records (lib/server/send-notes.ts, kept 31 days: the history, not the safety) live in a file of
 * their own, DATA_DIR/device-history.json, written the same way, so a month of history is never rewritten with every
 * lock. A history file that cannot be read or written costs the history, never a send.
 *
 * Writing. A change (acquire, release, remember, a claimed epoch) resolves only once the file holding it is on disk.
 * The whole state is written to a temporary file, flushed (fdatasync), and renamed over the old one, and then the
 * folder is flushed (fsync) so the new name survives a power cut too. A rename is atomic: whoever reads the file (the
 * next process) sees the old state or the new, never half of one, and a process killed mid-write leaves the old file
 * intact. A flush costs a few milliseconds (about 7 ms for the pair on the machine it was measured on), so writes are
 * group-committed: every change made in one turn of the event loop, or while a write is under way, is carried by one
 * write, and a bulk chunk's hundreds of markers cost a handful of writes. Each write carries the whole state, so a
 * marker whose own write failed reaches the disk with the next write that succeeds, and no acquire returns before it.
 * Folders cannot be flushed on Windows; there the rename alone protects against a killed process, not a power cut.
 * Only node:fs: no native module, no database.
 *
 * A write that fails (disk full, no permission, DATA_DIR not a folder) fails closed: the call throws
 * LockStoreUnavailableError, the caller sends nothing, and a lock it would have taken is given back. DATA_DIR is
 * created, if missing, at each write.
 *
 * Loading, once, when the store is created:
 * - no file: a new data folder, where nothing was ever sent. Empty, epoch 0 (no quiet period on a fresh clone);
 * - a file: its send records, expired ones dropped, and its epoch. Not its locks: they belonged to the process that
 *   wrote the file, which is gone (one process per folder), and holding them would keep a resumed run or a colleague
 *   waiting out their 90 s for nobody. What that process had sent is in its in-flight records, written before each
 *   write left (docs/safety.md), so dropping its locks lets nothing be sent twice;
 * - a file that is not this JSON (edited by hand, a damaged disk): empty, but with no epoch, so the first claim sets
 *   it like a Redis restarted empty, and senders wait out whatever may still be landing. A copy is kept beside it
 *   (device-locks.json.corrupt) for whoever looks into it;
 * - a file that cannot be read (permissions): every call throws LockStoreUnavailableError, and reading is tried again
 *   on the next call.
 *
 * One process per data folder: two processes writing one file would overwrite each other's entries. Several
 * instances share a Redis instead (REDIS_URL). In a container, DATA_DIR must be on a volume that outlives it: a
 * container started over an empty folder cannot tell a restart from a fresh install.
 */
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { atomicFile } from "./atomic-file";
import { isDeviceLockKey, isSendNotesKey, LockStoreUnavailableError, type DeviceLockStore } from "./device-lock";
import { createMapDeviceLockStore, type Entry, type StoreState } from "./map-device-lock";
import { serverNow } from "./clock";

export const LOCK_FILE_NAME = "device-locks.json";
export const HISTORY_FILE_NAME = "device-history.json";
const FORMAT_VERSION = 1;

export interface FileDeviceLockStore extends DeviceLockStore {
  /** The absolute path of the store's file. */
  readonly file: string;
  /** How many times the file has been written since the store was created (each write carries a group of changes). */
  readonly writes: number;
}

interface StoredEntry extends Entry {
  key: string;
}

interface StoredFile {
  version: typeof FORMAT_VERSION;
  /** Graph time (ms) since when every send is in this file; null: unknown until the next claim. */
  epoch: number | null;
  entries: StoredEntry[];
}

const UNWRITABLE = "The console could not save its device locks to its data folder (DATA_DIR), so no device action was sent. Try again shortly.";
const UNREADABLE = "The console could not read its device locks from its data folder (DATA_DIR), so no device action was sent.";
const UNWRITABLE_HISTORY = "The console could not save the devices' history to its data folder (DATA_DIR).";

/** A code or class name for the log (never the file's contents). */
function describe(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return typeof code === "string" ? code : typeof name === "string" ? name : typeof error;
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

/** The stored state, or null when the text is not a file this store wrote. */
export function parseLockFile(text: string, now: number): StoreState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.version !== FORMAT_VERSION || !Array.isArray(data.entries)) return null;
  const { epoch } = data;
  if (epoch !== null && !(Number.isSafeInteger(epoch) && (epoch as number) >= 0)) return null;
  const entries = new Map<string, Entry>();
  for (const item of data.entries as unknown[]) {
    if (!isRecord(item) || typeof item.key !== "string" || typeof item.value !== "string" || !Number.isFinite(item.expiresAt)) return null;
    const expiresAt = item.expiresAt as number;
    if (expiresAt > now) entries.set(item.key, { value: item.value, expiresAt });
  }
  return { entries, epoch: epoch as number | null };
}

function serialize(state: StoreState, now: number): string {
  const entries: StoredEntry[] = [];
  for (const [key, { value, expiresAt }] of state.entries) if (expiresAt > now) entries.push({ key, value, expiresAt });
  const stored: StoredFile = { version: FORMAT_VERSION, epoch: state.epoch, entries };
  return JSON.stringify(stored);
}

/** dataDir: the folder (DATA_DIR, resolved by lib/config.ts); created at the first write if missing. */
export function createFileDeviceLockStore(dataDir: string): FileDeviceLockStore {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE_NAME);
  const historyFile = path.join(dir, HISTORY_FILE_NAME);
  const state: StoreState = { entries: new Map(), epoch: null };
  const history: StoreState = { entries: new Map(), epoch: 0 };
  let loaded = false;

  const locks = atomicFile(file, () => serialize(state, serverNow()), {
    failed: (error, first) => {
      if (first) console.warn(`[device-lock] cannot write ${file} (${describe(error)}); device actions are refused until it can be written.`);
      return new LockStoreUnavailableError(UNWRITABLE, { cause: error });
    },
    recovered: () => console.info(`[device-lock] ${file} is written again.`),
  });
  const historyWriter = atomicFile(historyFile, () => serialize(history, serverNow()), {
    failed: (error, first) => {
      if (first) console.warn(`[device-lock] cannot write ${historyFile} (${describe(error)}); the devices' history is kept in memory only.`);
      return new LockStoreUnavailableError(UNWRITABLE_HISTORY, { cause: error });
    },
    recovered: () => console.info(`[device-lock] ${historyFile} is written again.`),
  });

  /** A copy of a file that is not this store's, for whoever looks into it. */
  function keepCopy(of: string, name: string): string {
    try {
      copyFileSync(of, `${of}.corrupt`);
      return ` (a copy is kept as ${name}.corrupt)`;
    } catch {
      // The copy is for a person to look at; the store does not need it.
      return "";
    }
  }

  /** The history file into `history` (best effort: none, unreadable or not this store's leaves it empty). */
  function loadHistory(): void {
    let text: string;
    try {
      text = readFileSync(historyFile, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT") console.warn(`[device-lock] cannot read ${historyFile} (${describe(error)}): the devices' history starts empty.`);
      return;
    }
    const restored = parseLockFile(text, serverNow());
    if (!restored) {
      console.warn(`[device-lock] ${historyFile} is not a history file${keepCopy(historyFile, HISTORY_FILE_NAME)}: the devices' history starts empty.`);
      return;
    }
    for (const [key, entry] of restored.entries) if (isSendNotesKey(key)) history.entries.set(key, entry);
  }

  /** Reads the files into `state` and `history` (see the top of this file), or throws LockStoreUnavailableError. */
  function load(): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT") {
        console.warn(`[device-lock] cannot read ${file} (${describe(error)}); device actions are refused until it can be read.`);
        throw new LockStoreUnavailableError(UNREADABLE, { cause: error });
      }
      state.epoch = 0;
      loadHistory();
      loaded = true;
      return;
    }
    loadHistory();
    const restored = parseLockFile(text, serverNow());
    if (restored) {
      let moved = false;
      for (const [key, entry] of restored.entries) {
        if (isDeviceLockKey(key)) continue;
        // Send records a version before this one kept in the lock file: they move to the history file.
        if (isSendNotesKey(key)) {
          if (!history.entries.has(key)) history.entries.set(key, entry);
          moved = true;
        } else state.entries.set(key, entry);
      }
      if (moved) historyWriter.save().catch(() => undefined);
      state.epoch = restored.epoch;
    } else {
      console.warn(`[device-lock] ${file} is not a device lock file${keepCopy(file, LOCK_FILE_NAME)}: starting empty, as after a restart of unknown history.`);
      state.epoch = null;
    }
    loaded = true;
  }

  try {
    load();
  } catch {
    // Tried again by the first call, which then fails closed.
  }

  const core = createMapDeviceLockStore(state, locks.save);
  const historyCore = createMapDeviceLockStore(history, historyWriter.save);
  const ready = () => {
    if (!loaded) load();
  };

  return {
    file,
    get writes() {
      return locks.writes;
    },
    async acquire(key, holder, ttlMs) {
      ready();
      return core.acquire(key, holder, ttlMs);
    },
    async peek(key) {
      ready();
      return core.peek(key);
    },
    async remember(key, action, ttlMs) {
      ready();
      return core.remember(key, action, ttlMs);
    },
    async recall(key) {
      ready();
      return core.recall(key);
    },
    async claimEpoch(graphNow) {
      ready();
      return core.claimEpoch(graphNow);
    },
    async note(key, field, value, ttlMs) {
      ready();
      return historyCore.note(key, field, value, ttlMs);
    },
    async notes(key) {
      ready();
      return historyCore.notes(key);
    },
  };
}
