import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryDeviceLockStore } from "./map-device-lock";
import {
  deviceLockKey,
  recentActionKey,
  type DeviceLockStore,
  type LockHolder,
  type RecentAction,
} from "./device-lock";
import { createFileDeviceLockStore } from "./file-device-lock";
import { getDeviceLockStore } from "./lock-store";

const scratch = mkdtempSync(path.join(tmpdir(), "arc-device-lock-"));
let folders = 0;
/** A new data folder, not created yet (the store creates it at its first write). */
const newDataDir = () => path.join(scratch, `data-${++folders}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TENANT = "7D3F0A2E-5B1C-4E8A-9F60-3C2D1B0A9E87";
const DEVICE = "0F8FAD5B-D9CB-469F-A165-70867728950E";
const KEY = deviceLockKey(TENANT, DEVICE, "reset");
const T0 = new Date("2026-03-02T09:00:00.000Z");

const alice: LockHolder = { id: "holder-alice", by: "alice@contoso.com", action: "reset", startedAt: T0.toISOString() };
const bob: LockHolder = { id: "holder-bob", by: "Bob Jones", action: "reset", startedAt: T0.toISOString() };
const sent: RecentAction = { by: "alice@contoso.com", action: "reset", at: T0.toISOString(), confirmed: true, until: T0.getTime() + 60_000 };

describe("device lock keys", () => {
  it("lower-case tenant and device ids, so two spellings of one GUID share one lock", () => {
    expect(KEY).toBe("arc:lock:7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87:0f8fad5b-d9cb-469f-a165-70867728950e:reset");
    expect(deviceLockKey(TENANT.toLowerCase(), DEVICE.toLowerCase(), "reset")).toBe(KEY);
    expect(recentActionKey(TENANT, DEVICE, "sync")).toBe(
      "arc:recent:7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87:0f8fad5b-d9cb-469f-a165-70867728950e:sync",
    );
  });

  it("keep locks, recent actions and the two actions apart", () => {
    const keys = new Set([
      deviceLockKey(TENANT, DEVICE, "reset"),
      deviceLockKey(TENANT, DEVICE, "sync"),
      recentActionKey(TENANT, DEVICE, "reset"),
      recentActionKey(TENANT, DEVICE, "sync"),
    ]);
    expect(keys.size).toBe(4);
  });
});

// The same rules for both one-process stores: the file store only adds the disk (./file-device-lock.test.ts).
describe.each([
  { kind: "memory", create: (): DeviceLockStore => createMemoryDeviceLockStore() },
  { kind: "file", create: (): DeviceLockStore => createFileDeviceLockStore(newDataDir()) },
])("$kind device lock store", ({ kind, create }) => {
  let store: DeviceLockStore;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    store = create();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets the first caller take a free lock and tells the second who holds it and for how long", async () => {
    const first = await store.acquire(KEY, alice, 10_000);
    expect(first.acquired).toBe(true);
    vi.advanceTimersByTime(1_500);
    const second = await store.acquire(KEY, bob, 10_000);
    expect(second).toEqual({ acquired: false, holder: alice, remainingMs: 8_500 });
    expect(await store.peek(KEY)).toEqual({ holder: alice, remainingMs: 8_500 });
  });

  it("answers one of many simultaneous acquires, like SET NX", async () => {
    const holders = Array.from({ length: 20 }, (_, i) => ({ ...bob, id: `holder-${i}` }));
    const results = await Promise.all(holders.map((h) => store.acquire(KEY, h, 5_000)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });

  it("keeps different devices and actions apart", async () => {
    expect((await store.acquire(KEY, alice, 10_000)).acquired).toBe(true);
    expect((await store.acquire(deviceLockKey(TENANT, DEVICE, "sync"), bob, 10_000)).acquired).toBe(true);
    expect((await store.acquire(deviceLockKey(TENANT, "11111111-2222-3333-4444-555555555555", "reset"), bob, 10_000)).acquired).toBe(true);
  });

  it("frees the lock at its TTL (a crashed holder blocks the device for seconds, not for good)", async () => {
    await store.acquire(KEY, alice, 10_000);
    vi.advanceTimersByTime(9_999);
    expect(await store.peek(KEY)).toEqual({ holder: alice, remainingMs: 1 });
    expect((await store.acquire(KEY, bob, 10_000)).acquired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await store.peek(KEY)).toBeNull();
    const next = await store.acquire(KEY, bob, 10_000);
    expect(next.acquired).toBe(true);
    expect(await store.peek(KEY)).toEqual({ holder: bob, remainingMs: 10_000 });
  });

  it("peek answers null for a lock nobody took", async () => {
    expect(await store.peek(KEY)).toBeNull();
  });

  it("release frees our lock at once", async () => {
    const taken = await store.acquire(KEY, alice, 10_000);
    if (!taken.acquired) throw new Error("expected the lock");
    await taken.release();
    expect(await store.peek(KEY)).toBeNull();
    expect((await store.acquire(KEY, bob, 10_000)).acquired).toBe(true);
  });

  it("release never removes a lock that expired and was taken by someone else", async () => {
    const mine = await store.acquire(KEY, alice, 1_000);
    if (!mine.acquired) throw new Error("expected the lock");
    vi.advanceTimersByTime(1_000);
    const theirs = await store.acquire(KEY, bob, 10_000);
    expect(theirs.acquired).toBe(true);
    await mine.release();
    expect(await store.peek(KEY)).toEqual({ holder: bob, remainingMs: 10_000 });
    await mine.release(); // twice is harmless
    expect((await store.peek(KEY))?.holder).toEqual(bob);
  });

  it("compares holder ids, not names: the same person in a second tab is a different holder", async () => {
    const tab1 = await store.acquire(KEY, alice, 10_000);
    expect(tab1.acquired).toBe(true);
    const tab2 = await store.acquire(KEY, { ...alice, id: "holder-alice-tab-2" }, 10_000);
    expect(tab2).toMatchObject({ acquired: false, holder: alice });
  });

  it("stores a copy: changing the holder object afterwards changes nothing", async () => {
    const holder = { ...alice };
    await store.acquire(KEY, holder, 10_000);
    holder.by = "mallory@contoso.com";
    holder.id = "holder-bob";
    expect((await store.peek(KEY))?.holder).toEqual(alice);
  });

  it("stores only the holder's four fields, and refuses anything token-like", async () => {
    const withExtra = { ...alice, accessToken: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" } as LockHolder;
    await store.acquire(KEY, withExtra, 10_000);
    expect((await store.peek(KEY))?.holder).toEqual(alice);

    const other = deviceLockKey(TENANT, DEVICE, "sync");
    const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    await expect(store.acquire(other, { ...bob, by: token }, 10_000)).rejects.toThrow(TypeError);
    await expect(store.acquire(other, { ...bob, by: "x".repeat(2_000) }, 10_000)).rejects.toThrow(TypeError);
    await expect(store.remember(other, { ...sent, by: token }, 10_000)).rejects.toThrow(TypeError);
    await expect(store.acquire(other, { ...bob, action: "wipe" as "reset" }, 10_000)).rejects.toThrow(TypeError);
    expect(await store.peek(other)).toBeNull();
    // Names with dots are names, not tokens.
    expect((await store.acquire(other, { ...bob, by: "j.r.r.tolkien" }, 10_000)).acquired).toBe(true);
  });

  it("refuses a TTL Redis would refuse, so both stores behave alike", async () => {
    for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.acquire(KEY, alice, ttl)).rejects.toThrow(RangeError);
      await expect(store.remember(KEY, sent, ttl)).rejects.toThrow(RangeError);
    }
    expect(await store.peek(KEY)).toBeNull();
  });

  it("remembers a sent action for its TTL, then forgets it", async () => {
    const key = recentActionKey(TENANT, DEVICE, "reset");
    expect(await store.recall(key)).toBeNull();
    await store.remember(key, sent, 60_000);
    vi.advanceTimersByTime(59_999);
    expect(await store.recall(key)).toEqual(sent);
    vi.advanceTimersByTime(1);
    expect(await store.recall(key)).toBeNull();
  });

  it("a later remember replaces the earlier one and restarts its TTL", async () => {
    const key = recentActionKey(TENANT, DEVICE, "sync");
    await store.remember(key, { ...sent, action: "sync" }, 10_000);
    vi.advanceTimersByTime(8_000);
    const later = { by: "Bob Jones", action: "sync" as const, at: new Date(Date.now()).toISOString(), confirmed: true, until: Date.now() + 10_000 };
    await store.remember(key, later, 10_000);
    vi.advanceTimersByTime(8_000);
    expect(await store.recall(key)).toEqual(later);
  });

  it("a lock and a recent action never read each other's values", async () => {
    await store.acquire(KEY, alice, 10_000);
    expect(await store.recall(KEY)).toBeNull();
    const key = recentActionKey(TENANT, DEVICE, "reset");
    await store.remember(key, sent, 10_000);
    expect(await store.peek(key)).toEqual({ holder: null, remainingMs: 10_000 });
  });

  it("claims its epoch once: later claims, whatever time they pass, get the first one", async () => {
    // A fresh data folder has remembered every send there ever was; memory (tests) knows nothing until claimed.
    const first = await store.claimEpoch(T0.getTime());
    expect(first).toEqual(kind === "file" ? { since: 0, created: false } : { since: T0.getTime(), created: true });
    expect(await store.claimEpoch(T0.getTime() + 5_000)).toEqual({ since: first.since, created: false });
    const together = await Promise.all([1, 2, 3].map((n) => store.claimEpoch(T0.getTime() + n)));
    expect(together).toEqual([1, 2, 3].map(() => ({ since: first.since, created: false })));
  });

  it("keeps a device's send records as a map, one value per field, for its TTL", async () => {
    const key = "arc:notes:t:d";
    expect(await store.notes(key)).toEqual([]);
    await store.note(key, "reset:a", "first", 10_000);
    await store.note(key, "reset:b", "second", 10_000);
    await store.note(key, "reset:a", "first, answered", 10_000);
    expect((await store.notes(key)).sort()).toEqual(["first, answered", "second"]);
    vi.advanceTimersByTime(10_000);
    expect(await store.notes(key)).toEqual([]);
    await expect(store.note(key, "f", "v", 0)).rejects.toThrow(RangeError);
  });

  it("refuses an epoch time that is not whole non-negative milliseconds", async () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) await expect(store.claimEpoch(bad)).rejects.toThrow(RangeError);
  });

  // 3,000 writes of a growing file: the file store's sweep is tested in its own file.
  it.runIf(kind === "memory")("leaves no timer running and forgets expired keys as it grows", async () => {
    for (let i = 0; i < 1_500; i++) await store.acquire(`k${i}`, { ...alice, id: `h${i}` }, 1_000);
    await store.remember("recent", sent, 1_000);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    for (let i = 0; i < 1_500; i++) expect((await store.acquire(`k${i}`, bob, 1_000)).acquired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("getDeviceLockStore", () => {
  const STORE = Symbol.for("autopilot-reset-console.device-lock-store");
  const saved = { REDIS_URL: process.env.REDIS_URL, DATA_DIR: process.env.DATA_DIR };
  const forget = () => delete (globalThis as Record<symbol, unknown>)[STORE];

  beforeEach(forget);
  afterEach(() => {
    forget();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("keeps one store per process, in DATA_DIR's file, when REDIS_URL is unset", async () => {
    delete process.env.REDIS_URL;
    const dir = newDataDir();
    process.env.DATA_DIR = dir;
    const store = getDeviceLockStore();
    expect(getDeviceLockStore()).toBe(store);
    expect(store).not.toHaveProperty("close");
    expect(store).toHaveProperty("file", path.join(dir, "device-locks.json"));
    expect((await store.acquire("arc:lock:t:d:reset", alice, 1_000)).acquired).toBe(true);
    expect((await getDeviceLockStore().acquire("arc:lock:t:d:reset", bob, 1_000)).acquired).toBe(false);
  });

  it("throws the one-line configuration error for a DATA_DIR that is not a folder path", () => {
    delete process.env.REDIS_URL;
    process.env.DATA_DIR = "file:///var/lib/console";
    expect(() => getDeviceLockStore()).toThrowError(/^DATA_DIR must be a folder path/);
  });

  it("uses Redis when REDIS_URL is set, without connecting until first used", () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    const store = getDeviceLockStore();
    expect(store).toHaveProperty("close");
    expect(getDeviceLockStore()).toBe(store);
  });

  it("throws the one-line configuration error for a malformed REDIS_URL", () => {
    process.env.REDIS_URL = "localhost:6379";
    expect(() => getDeviceLockStore()).toThrowError(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
