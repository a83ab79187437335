/**
 * The device lock store of a single console instance (no REDIS_URL), kept in a file so that a console restarted while
 * a wipe was at Graph still knows it sent it. Same rules as every store (./device-lock); what this file adds is how
 * the state reaches the disk, and what a restart finds there.
 *
 * The file, DATA_DIR/device-locks.json, holds the store's whole state as JSON: the epoch and every live entry (locks
 * and send markers) with its expiry on the server's clock. It stays small: locks and markers live minutes at most, and
 * each device's send records (lib/server/send-notes.ts) are a few short lines kept 30 days.
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
import { mkdir, open, rename, unlink } from "node:fs/promises";
import path from "node:path";
// Not the global: tests that fake timers (vi.useFakeTimers) must not hold back the store's writes.
import { setImmediate } from "node:timers";
import { isDeviceLockKey, LockStoreUnavailableError, type DeviceLockStore } from "./device-lock";
import { createMapDeviceLockStore, type Entry, type StoreState } from "./map-device-lock";
import { serverNow } from "./clock";

export const LOCK_FILE_NAME = "device-locks.json";
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

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** dataDir: the folder (DATA_DIR, resolved by lib/config.ts); created at the first write if missing. */
export function createFileDeviceLockStore(dataDir: string): FileDeviceLockStore {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE_NAME);
  const temp = `${file}.${process.pid}.tmp`;
  const state: StoreState = { entries: new Map(), epoch: null };
  let loaded = false;
  let writes = 0;
  let healthy = true;

  /** Reads the file into `state` (see the top of this file), or throws LockStoreUnavailableError. */
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
      loaded = true;
      return;
    }
    const restored = parseLockFile(text, serverNow());
    if (restored) {
      for (const [key, entry] of restored.entries) if (!isDeviceLockKey(key)) state.entries.set(key, entry);
      state.epoch = restored.epoch;
    } else {
      let kept = "";
      try {
        copyFileSync(file, `${file}.corrupt`);
        kept = ` (a copy is kept as ${LOCK_FILE_NAME}.corrupt)`;
      } catch {
        // The copy is for a person to look at; the store does not need it.
      }
      console.warn(`[device-lock] ${file} is not a device lock file${kept}: starting empty, as after a restart of unknown history.`);
      state.epoch = null;
    }
    loaded = true;
  }

  async function flushFolder(): Promise<void> {
    if (process.platform === "win32") return;
    const handle = await open(dir, "r").catch(() => null);
    if (!handle) return;
    // Best effort: the rename is already visible to any later process; this only guards it against a power cut.
    await handle.sync().catch(() => undefined);
    await handle.close().catch(() => undefined);
  }

  async function writeAtomically(body: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      // 0o600: the entries name people (who sent what).
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(body, "utf8");
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await flushFolder();
  }

  /** The changes waiting for the next write, and whether one is under way. */
  let waiting: Deferred | null = null;
  let writing = false;

  async function flush(): Promise<void> {
    const batch = waiting;
    if (!batch) return;
    waiting = null;
    writing = true;
    try {
      await writeAtomically(serialize(state, serverNow()));
      writes++;
      if (!healthy) console.info(`[device-lock] ${file} is written again.`);
      healthy = true;
      batch.resolve();
    } catch (error) {
      if (healthy) console.warn(`[device-lock] cannot write ${file} (${describe(error)}); device actions are refused until it can be written.`);
      healthy = false;
      batch.reject(new LockStoreUnavailableError(UNWRITABLE, { cause: error }));
    } finally {
      writing = false;
    }
    // Changes made while this write was under way: one more write carries them all.
    if (waiting) void flush();
  }

  /** Resolves once the state as of this call is on disk. */
  function save(): Promise<void> {
    if (!waiting) {
      waiting = deferred();
      if (!writing) setImmediate(() => void flush());
    }
    return waiting.promise;
  }

  try {
    load();
  } catch {
    // Tried again by the first call, which then fails closed.
  }

  const core = createMapDeviceLockStore(state, save);
  const ready = () => {
    if (!loaded) load();
  };

  return {
    file,
    get writes() {
      return writes;
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
      return core.note(key, field, value, ttlMs);
    },
    async notes(key) {
      ready();
      return core.notes(key);
    },
  };
}
