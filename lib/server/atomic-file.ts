/**
 * A JSON file written whole and atomically, with group commit (lib/server/file-device-lock.ts says why each step):
 * the whole text goes to a temporary file, is flushed (fdatasync) and renamed over the old one, and then the folder is
 * flushed so the new name survives a power cut too. Every change saved in one turn of the event loop, or while a write
 * is under way, is carried by one write. The folder is created, if missing, at each write.
 */
import { mkdir, open, rename, unlink } from "node:fs/promises";
import path from "node:path";
// Not the global: tests that fake timers (vi.useFakeTimers) must not hold back the writes.
import { setImmediate } from "node:timers";

export interface AtomicFile {
  /** Resolves once the text as of this call is on disk; rejects with `failed(error)` when it cannot be written. */
  save(): Promise<void>;
  /** How many times the file has been written. */
  readonly writes: number;
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

export function atomicFile(
  file: string,
  body: () => string,
  /** Called with the write's error: what the save rejects with. `recovered`: a write worked again after failing. */
  report: { failed: (error: unknown, firstFailure: boolean) => unknown; recovered: () => void },
): AtomicFile {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.tmp`;
  let writes = 0;
  let healthy = true;
  let waiting: Deferred | null = null;
  let writing = false;

  async function flushFolder(): Promise<void> {
    if (process.platform === "win32") return;
    const handle = await open(dir, "r").catch(() => null);
    if (!handle) return;
    // Best effort: the rename is already visible to any later process; this only guards it against a power cut.
    await handle.sync().catch(() => undefined);
    await handle.close().catch(() => undefined);
  }

  async function writeAtomically(text: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      // 0o600: the entries name people (who sent what).
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(text, "utf8");
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

  async function flush(): Promise<void> {
    const batch = waiting;
    if (!batch) return;
    waiting = null;
    writing = true;
    try {
      await writeAtomically(body());
      writes++;
      if (!healthy) report.recovered();
      healthy = true;
      batch.resolve();
    } catch (error) {
      batch.reject(report.failed(error, healthy));
      healthy = false;
    } finally {
      writing = false;
    }
    // Changes made while this write was under way: one more write carries them all.
    if (waiting) void flush();
  }

  return {
    save() {
      if (!waiting) {
        waiting = deferred();
        if (!writing) setImmediate(() => void flush());
      }
      return waiting.promise;
    },
    get writes() {
      return writes;
    },
  };
}
