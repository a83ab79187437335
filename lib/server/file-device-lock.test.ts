/**
 * The file store's disk: what reaches it and when, how many writes a burst costs, what a restart (a second store
 * object over the same folder) finds, and how a damaged file or an unwritable folder is answered. The rules it shares
 * with the memory store are tested for both in ./device-lock.test.ts. Real files in a throwaway folder; only Date is
 * faked, where a test moves time.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setImmediate } from "node:timers";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deviceLockKey, LockStoreUnavailableError, recentActionKey, sendNotesKey, type LockHolder, type RecentAction } from "./device-lock";
import { createFileDeviceLockStore, HISTORY_FILE_NAME, LOCK_FILE_NAME, parseLockFile } from "./file-device-lock";

const TENANT = "7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87";
const device = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const T0 = new Date("2026-03-02T09:00:00.000Z").getTime();
/** Graph's clock, a little ahead of the server's. */
const GRAPH_NOW = T0 + 1_234;

const alice: LockHolder = { id: "holder-alice", by: "alice@contoso.com", action: "reset", startedAt: new Date(T0).toISOString() };
const bob: LockHolder = { id: "holder-bob", by: "Bob Jones", action: "reset", startedAt: new Date(T0).toISOString() };
const sent = (until: number): RecentAction => ({ by: "alice@contoso.com", action: "reset", at: new Date(T0).toISOString(), confirmed: false, until });

const scratch = mkdtempSync(path.join(tmpdir(), "arc-file-lock-"));
let folders = 0;
const newDataDir = () => path.join(scratch, `data-${++folders}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The state on disk right now, as the next process would load it (null: no file). */
function onDisk(dir: string, now = Date.now()) {
  let text: string;
  try {
    text = readFileSync(path.join(dir, LOCK_FILE_NAME), "utf8");
  } catch {
    return null;
  }
  const state = parseLockFile(text, now);
  if (!state) throw new Error(`not a lock file: ${text.slice(0, 80)}`);
  return state;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("file device lock store: writing", () => {
  it("resolves acquire, remember and release only once the file holds the change", async () => {
    const dir = newDataDir();
    const store = createFileDeviceLockStore(dir);
    const lock = deviceLockKey(TENANT, device(1), "reset");
    const marker = recentActionKey(TENANT, device(1), "reset");

    const acquiring = store.acquire(lock, alice, 90_000);
    expect(onDisk(dir)).toBeNull(); // nothing written yet: the call has not resolved either
    const taken = await acquiring;
    if (!taken.acquired) throw new Error("expected the lock");
    expect(JSON.parse(onDisk(dir)?.entries.get(lock)?.value ?? "null")).toEqual(alice);

    const record = sent(Date.now() + 60_000);
    const remembering = store.remember(marker, record, 60_000);
    expect(onDisk(dir)?.entries.has(marker)).toBe(false);
    await remembering;
    expect(JSON.parse(onDisk(dir)?.entries.get(marker)?.value ?? "null")).toEqual(record);

    await taken.release();
    expect(onDisk(dir)?.entries.has(lock)).toBe(false);
    expect(onDisk(dir)?.entries.has(marker)).toBe(true);
    // Only the file itself is left: the temporary file was renamed over it. Its entries name people: owner only.
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    if (process.platform !== "win32") expect(statSync(path.join(dir, LOCK_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it("a busy answer or a release of a lock no longer ours writes nothing", async () => {
    const store = createFileDeviceLockStore(newDataDir());
    const lock = deviceLockKey(TENANT, device(2), "reset");
    const mine = await store.acquire(lock, alice, 90_000);
    const writes = store.writes;
    expect(await store.acquire(lock, bob, 90_000)).toMatchObject({ acquired: false, holder: alice });
    await store.peek(lock);
    expect(store.writes).toBe(writes);
    if (mine.acquired) await mine.release();
    expect(store.writes).toBe(writes + 1);
    if (mine.acquired) await mine.release();
    expect(store.writes).toBe(writes + 1);
  });

  it("group-commits: 200 concurrent remembers cost one write, and 200 devices locked, marked and released cost a handful", async () => {
    const dir = newDataDir();
    const store = createFileDeviceLockStore(dir);
    const until = Date.now() + 60_000;
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.remember(recentActionKey(TENANT, device(i), "reset"), sent(until), 60_000)));
    expect(store.writes).toBe(1);
    expect(onDisk(dir)?.entries.size).toBe(200);

    // The path a bulk chunk takes (lib/server/device-guard.ts): each device's own acquire, marker and release.
    const before = store.writes;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const taken = await store.acquire(deviceLockKey(TENANT, device(i), "reset"), { ...alice, id: `holder-${i}` }, 90_000);
        if (!taken.acquired) throw new Error("expected the lock");
        await store.remember(recentActionKey(TENANT, device(i), "reset"), sent(until), 60_000);
        await taken.release();
      }),
    );
    expect(store.writes - before).toBeLessThanOrEqual(4);
    expect(onDisk(dir)?.entries.size).toBe(200); // the markers; every lock released
  });

  it("calls arriving while a write is under way share the next write", async () => {
    const store = createFileDeviceLockStore(newDataDir());
    const calls: Promise<void>[] = [];
    for (let turn = 0; turn < 40; turn++) {
      for (let i = 0; i < 5; i++) calls.push(store.remember(`arc:recent:t:${turn}-${i}:reset`, sent(Date.now() + 60_000), 60_000));
      await nextTurn();
    }
    await Promise.all(calls);
    // A write takes several turns (open, write, flush, rename, flush the folder), so 40 turns of calls share a few.
    expect(store.writes).toBeLessThanOrEqual(10);
    expect(store.writes).toBeGreaterThan(0);
  });
});

describe("file device lock store: a restart", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it("a second store over the same folder recalls the send records, and not the dead process's locks", async () => {
    const dir = newDataDir();
    const lock = deviceLockKey(TENANT, device(1), "reset");
    const marker = recentActionKey(TENANT, device(1), "reset");
    const before = createFileDeviceLockStore(dir);
    expect((await before.acquire(lock, alice, 90_000)).acquired).toBe(true);
    const record = sent(T0 + 60_000);
    await before.remember(marker, record, 60_000);
    // The process is killed here, holding its lock: nothing more of `before` runs.

    vi.setSystemTime(T0 + 20_000);
    const after = createFileDeviceLockStore(dir);
    expect(await after.recall(marker)).toEqual(record);
    // Its holder is gone; what it sent is in the record, which still refuses a second send (device-guard).
    expect(await after.peek(lock)).toBeNull();
    expect((await after.acquire(lock, bob, 90_000)).acquired).toBe(true);
    // A fresh folder remembered everything from the start: no quiet period after the restart either.
    expect(await after.claimEpoch(GRAPH_NOW)).toEqual({ since: 0, created: false });

    vi.setSystemTime(T0 + 60_000);
    expect(await after.recall(marker)).toBeNull();
  });

  it("drops the entries that expired while it was down, and writes none back", async () => {
    const dir = newDataDir();
    const store = createFileDeviceLockStore(dir);
    await store.remember("arc:recent:t:short:reset", sent(T0 + 1_000), 1_000);
    await store.remember("arc:recent:t:long:reset", sent(T0 + 60_000), 60_000);
    vi.setSystemTime(T0 + 5_000);
    const restarted = createFileDeviceLockStore(dir);
    expect(await restarted.recall("arc:recent:t:short:reset")).toBeNull();
    await restarted.remember("arc:recent:t:other:reset", sent(T0 + 65_000), 60_000);
    const raw = JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), "utf8")) as { entries: { key: string }[] };
    expect(raw.entries.map((e) => e.key).sort()).toEqual(["arc:recent:t:long:reset", "arc:recent:t:other:reset"]);
  });

  it("keeps a claimed epoch across restarts", async () => {
    const dir = newDataDir();
    mkdirSync(dir);
    writeFileSync(path.join(dir, LOCK_FILE_NAME), "{ half a file");
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = createFileDeviceLockStore(dir);
    expect(await first.claimEpoch(GRAPH_NOW)).toEqual({ since: GRAPH_NOW, created: true });
    expect(onDisk(dir)?.epoch).toBe(GRAPH_NOW);
    const second = createFileDeviceLockStore(dir);
    expect(await second.claimEpoch(GRAPH_NOW + 60_000)).toEqual({ since: GRAPH_NOW, created: false });
    vi.restoreAllMocks();
  });
});

describe("file device lock store: a damaged file", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ["not JSON", "{ half a file"],
    ["empty", ""],
    ["an array", "[]"],
    ["another version", JSON.stringify({ version: 2, epoch: 0, entries: [] })],
    ["an epoch that is not a time", JSON.stringify({ version: 1, epoch: "yesterday", entries: [] })],
    ["entries that are not a list", JSON.stringify({ version: 1, epoch: 0, entries: {} })],
    ["an entry without its expiry", JSON.stringify({ version: 1, epoch: 0, entries: [{ key: "arc:lock:t:d:reset", value: "{}" }] })],
  ])("a file that is %s: starts empty, as after a restart of unknown history (the first claim creates the epoch)", async (_what, text) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dir = newDataDir();
    mkdirSync(dir);
    const file = path.join(dir, LOCK_FILE_NAME);
    writeFileSync(file, text);
    const store = createFileDeviceLockStore(dir);
    expect(await store.peek("arc:lock:t:d:reset")).toBeNull();
    // Restarted again before anything was written: still unknown, so its own claim creates the epoch.
    expect(await createFileDeviceLockStore(dir).claimEpoch(GRAPH_NOW - 5)).toEqual({ since: GRAPH_NOW - 5, created: true });

    expect(await store.claimEpoch(GRAPH_NOW)).toEqual({ since: GRAPH_NOW, created: true });
    expect(await store.claimEpoch(GRAPH_NOW + 1_000)).toEqual({ since: GRAPH_NOW, created: false });
    expect(readFileSync(`${file}.corrupt`, "utf8")).toBe(text);
    expect(String(warn.mock.calls[0]?.[0])).toContain("unknown history");
  });

  it("concurrent first claims agree: one creates, every other waits for its write and reads the same time", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const dir = newDataDir();
    mkdirSync(dir);
    writeFileSync(path.join(dir, LOCK_FILE_NAME), "not json");
    const store = createFileDeviceLockStore(dir);
    const claims = await Promise.all([0, 1, 2, 3].map((n) => store.claimEpoch(GRAPH_NOW + n)));
    expect(claims).toEqual([{ since: GRAPH_NOW, created: true }, ...[1, 2, 3].map(() => ({ since: GRAPH_NOW, created: false }))]);
    expect(store.writes).toBe(1);
  });
});

describe("file device lock store: a disk that fails", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a write that fails throws LockStoreUnavailableError: the lock is given back, the marker kept for the next write", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const dir = newDataDir();
    const store = createFileDeviceLockStore(dir);
    writeFileSync(dir, "a file where the data folder should be");
    const lock = deviceLockKey(TENANT, device(1), "reset");
    const marker = recentActionKey(TENANT, device(1), "reset");
    const record = sent(Date.now() + 60_000);

    await expect(store.acquire(lock, alice, 90_000)).rejects.toBeInstanceOf(LockStoreUnavailableError);
    expect(await store.peek(lock)).toBeNull();
    await expect(store.remember(marker, record, 60_000)).rejects.toThrow(/could not save its device locks/);
    expect(await store.recall(marker)).toEqual(record);
    expect(warn).toHaveBeenCalledTimes(1); // once when it starts failing, not once per call

    rmSync(dir);
    const taken = await store.acquire(lock, bob, 90_000); // the folder is created again
    expect(taken.acquired).toBe(true);
    expect(JSON.parse(onDisk(dir)?.entries.get(marker)?.value ?? "null")).toEqual(record);
    expect(info).toHaveBeenCalledTimes(1);
  });

  it("a claim whose write fails is no claim: it throws, and the next claim creates the epoch with its own time", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    const dir = newDataDir();
    mkdirSync(dir);
    writeFileSync(path.join(dir, LOCK_FILE_NAME), "not json");
    const store = createFileDeviceLockStore(dir);
    rmSync(dir, { recursive: true });
    writeFileSync(dir, "a file where the data folder should be");

    const claims = await Promise.allSettled([store.claimEpoch(GRAPH_NOW), store.claimEpoch(GRAPH_NOW + 1)]);
    expect(claims.map((c) => c.status === "rejected" && c.reason instanceof LockStoreUnavailableError)).toEqual([true, true]);

    rmSync(dir);
    expect(await store.claimEpoch(GRAPH_NOW + 2_000)).toEqual({ since: GRAPH_NOW + 2_000, created: true });
    expect(onDisk(dir)?.epoch).toBe(GRAPH_NOW + 2_000);
  });

  it("a file that cannot be read fails every call closed, and is read again once it can be", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dir = newDataDir();
    const file = path.join(dir, LOCK_FILE_NAME);
    mkdirSync(file, { recursive: true }); // reading a folder fails (EISDIR), as an unreadable file would
    const store = createFileDeviceLockStore(dir);
    await expect(store.peek("arc:lock:t:d:reset")).rejects.toBeInstanceOf(LockStoreUnavailableError);
    await expect(store.recall("arc:recent:t:d:reset")).rejects.toBeInstanceOf(LockStoreUnavailableError);
    await expect(store.acquire("arc:lock:t:d:reset", alice, 1_000)).rejects.toBeInstanceOf(LockStoreUnavailableError);
    await expect(store.claimEpoch(GRAPH_NOW)).rejects.toBeInstanceOf(LockStoreUnavailableError);
    expect(String(warn.mock.calls[0]?.[0])).toContain("cannot read");

    rmSync(file, { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, epoch: 42, entries: [] }));
    expect(await store.claimEpoch(GRAPH_NOW)).toEqual({ since: 42, created: false });
  });
});

describe("file device lock store: the devices' history", () => {
  it("keeps send records in a file of their own, never rewritten with a lock, and a restart finds them", async () => {
    const dir = newDataDir();
    const store = createFileDeviceLockStore(dir);
    const notes = sendNotesKey(TENANT, device(7));
    await store.note(notes, "reset:2026-03-02T09:00:00.000Z", "sent, INC0012345", 31 * 86_400_000);
    const taken = await store.acquire(deviceLockKey(TENANT, device(7), "reset"), alice, 90_000);
    if (taken.acquired) await taken.release();
    expect(onDisk(dir)?.entries.has(notes)).toBe(false);
    const historyText = readFileSync(path.join(dir, HISTORY_FILE_NAME), "utf8");
    expect(parseLockFile(historyText, Date.now())?.entries.has(notes)).toBe(true);
    expect(await createFileDeviceLockStore(dir).notes(notes)).toEqual(["sent, INC0012345"]);
  });

  it("moves the records an earlier version kept in the lock file to the history file, and a damaged history file costs only the history", async () => {
    const dir = newDataDir();
    mkdirSync(dir, { recursive: true });
    const notes = sendNotesKey(TENANT, device(8));
    const expiresAt = Date.now() + 86_400_000;
    writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ version: 1, epoch: 5, entries: [{ key: notes, value: JSON.stringify({ "reset:x": "old" }), expiresAt }] }));
    const store = createFileDeviceLockStore(dir);
    expect(await store.notes(notes)).toEqual(["old"]);
    await store.remember(recentActionKey(TENANT, device(8), "reset"), sent(Date.now() + 60_000), 60_000);
    expect(onDisk(dir)?.entries.has(notes)).toBe(false);
    await expect.poll(() => readdirSync(dir).includes(HISTORY_FILE_NAME)).toBe(true);

    writeFileSync(path.join(dir, HISTORY_FILE_NAME), "not json");
    const after = createFileDeviceLockStore(dir);
    expect(await after.notes(notes)).toEqual([]);
    const lock = await after.acquire(deviceLockKey(TENANT, device(8), "reset"), bob, 90_000);
    expect(lock.acquired).toBe(true);
    expect(readdirSync(dir)).toContain(`${HISTORY_FILE_NAME}.corrupt`);
  });
});
