/**
 * The Redis device lock store against a real redis-server (CI installs Debian's; so does .ci/run). Each server is a
 * throwaway child process on a free port, without persistence, killed in afterAll.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LockStoreUnavailableError, type LockHolder, type RecentAction } from "./device-lock";
import { createRedisDeviceLockStore, EPOCH_KEY, type RedisDeviceLockStore } from "./redis-device-lock";

const SLOW = 60_000; // the test machine is slow and shared: generous timeouts everywhere
const MISSING = "redis-server is missing: apt-get install -y redis-server";

const children = new Set<ChildProcess>();
const stores = new Set<RedisDeviceLockStore>();

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One raw PING over TCP: true when the server answers +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  if (!onPath("redis-server")) throw new Error(MISSING);
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  child.once("exit", () => children.delete(child));
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) before answering PING: ${stderr.trim()}`);
    if (await pings(port)) return child;
    await sleep(100);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 30 s`);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

function newStore(port: number): RedisDeviceLockStore {
  const store = createRedisDeviceLockStore(`redis://127.0.0.1:${port}`);
  stores.add(store);
  return store;
}

function holder(by: string): LockHolder {
  return { id: randomUUID(), by, action: "reset", startedAt: new Date().toISOString() };
}

/** A fresh key per test, so tests never see each other's locks. */
const key = () => `arc:lock:test-${randomUUID()}:device:reset`;

afterAll(async () => {
  for (const store of stores) await store.close().catch(() => {});
  for (const child of children) await kill(child);
}, SLOW);

describe("Redis device lock store", { timeout: SLOW }, () => {
  let port = 0;
  let store: RedisDeviceLockStore;
  let raw: ReturnType<typeof createClient>;

  beforeAll(async () => {
    port = await freePort();
    await startRedis(port);
    store = newStore(port);
    raw = createClient({ url: `redis://127.0.0.1:${port}` });
    raw.on("error", () => {});
    await raw.connect();
  }, SLOW);

  afterAll(async () => {
    if (raw?.isOpen) await raw.close();
  });

  it("takes a free lock, and tells the next caller who holds it and for how long (PTTL)", async () => {
    const k = key();
    const alice = holder("alice@contoso.com");
    expect(await store.peek(k)).toBeNull();
    expect((await store.acquire(k, alice, 20_000)).acquired).toBe(true);
    const busy = await store.acquire(k, holder("Bob Jones"), 20_000);
    expect(busy).toMatchObject({ acquired: false, holder: alice });
    if (busy.acquired) throw new Error("unreachable");
    expect(busy.remainingMs).toBeGreaterThan(10_000);
    expect(busy.remainingMs).toBeLessThanOrEqual(20_000);
    const peeked = await store.peek(k);
    expect(peeked?.holder).toEqual(alice);
    expect(peeked?.remainingMs).toBeGreaterThan(10_000);
    expect(peeked?.remainingMs).toBeLessThanOrEqual(20_000);
  });

  it("stores the holder as JSON with exactly its four fields, under the given key with its TTL", async () => {
    const k = key();
    const alice = holder("alice@contoso.com");
    await store.acquire(k, { ...alice, token: "eyJhbGciOiJub25lIn0.e30.x" } as LockHolder, 20_000);
    expect(JSON.parse((await raw.get(k)) ?? "null")).toEqual(alice);
    const pttl = await raw.pTTL(k);
    expect(pttl).toBeGreaterThan(10_000);
    expect(pttl).toBeLessThanOrEqual(20_000);
  });

  it("frees the lock at its TTL", async () => {
    const k = key();
    expect((await store.acquire(k, holder("alice@contoso.com"), 300)).acquired).toBe(true);
    await sleep(450);
    expect(await store.peek(k)).toBeNull();
    const bob = holder("Bob Jones");
    expect((await store.acquire(k, bob, 20_000)).acquired).toBe(true);
    expect((await store.peek(k))?.holder).toEqual(bob);
  });

  it("release frees our own lock", async () => {
    const k = key();
    const taken = await store.acquire(k, holder("alice@contoso.com"), 20_000);
    if (!taken.acquired) throw new Error("expected the lock");
    await taken.release();
    expect(await store.peek(k)).toBeNull();
    expect(await raw.exists(k)).toBe(0);
  });

  it("release never deletes a lock that expired and was taken by someone else", async () => {
    const k = key();
    const mine = await store.acquire(k, holder("alice@contoso.com"), 200);
    if (!mine.acquired) throw new Error("expected the lock");
    await sleep(350);
    const bob = holder("Bob Jones");
    expect((await store.acquire(k, bob, 20_000)).acquired).toBe(true);
    await mine.release();
    expect((await store.peek(k))?.holder).toEqual(bob);
  });

  it("release leaves alone a value it cannot read, and peek reports it as held by nobody known", async () => {
    const k = key();
    const mine = await store.acquire(k, holder("alice@contoso.com"), 20_000);
    if (!mine.acquired) throw new Error("expected the lock");
    await raw.set(k, "not json", { expiration: "KEEPTTL" });
    await mine.release();
    expect(await raw.get(k)).toBe("not json");
    const peeked = await store.peek(k);
    expect(peeked?.holder).toBeNull();
    expect(peeked?.remainingMs).toBeGreaterThan(0);
    expect(await store.acquire(k, holder("Bob Jones"), 20_000)).toMatchObject({ acquired: false, holder: null });
  });

  it("remembers a sent action for its TTL, then forgets it", async () => {
    const k = `arc:recent:test-${randomUUID()}:device:reset`;
    const sent: RecentAction = { by: "alice@contoso.com", action: "reset", at: new Date().toISOString(), confirmed: false, until: Date.now() + 400 };
    expect(await store.recall(k)).toBeNull();
    await store.remember(k, sent, 400);
    expect(await store.recall(k)).toEqual(sent);
    expect(JSON.parse((await raw.get(k)) ?? "null")).toEqual(sent);
    await sleep(600);
    expect(await store.recall(k)).toBeNull();
  });

  it("keeps a device's send records as a hash, one value per field, for its TTL", async () => {
    const k = `arc:notes:${randomUUID()}`;
    expect(await store.notes(k)).toEqual([]);
    await store.note(k, "reset:a", "first", 400);
    await store.note(k, "reset:b", "second", 400);
    await store.note(k, "reset:a", "first, answered", 400);
    expect((await store.notes(k)).sort()).toEqual(["first, answered", "second"]);
    await sleep(600); // Redis expires it on its own clock: a real wait, as in the TTL test above
    expect(await store.notes(k)).toEqual([]);
  });

  it("refuses bad TTLs and token-like names before anything reaches Redis", async () => {
    const k = key();
    await expect(store.acquire(k, holder("alice@contoso.com"), 0)).rejects.toThrow(RangeError);
    await expect(store.acquire(k, holder("eyJhbGciOiJub25lIn0.e30.x"), 1_000)).rejects.toThrow(TypeError);
    expect(await raw.exists(k)).toBe(0);
  });

  it("two stores on one server (two console instances): only one of them acquires", async () => {
    const other = newStore(port);
    for (let round = 0; round < 10; round++) {
      const k = key();
      const a = holder("alice@contoso.com");
      const b = holder("Bob Jones");
      const [ra, rb] = await Promise.all([store.acquire(k, a, 20_000), other.acquire(k, b, 20_000)]);
      expect([ra.acquired, rb.acquired].filter(Boolean)).toHaveLength(1);
      const [winner, loser] = ra.acquired ? [a, rb] : [b, ra];
      expect(loser).toMatchObject({ acquired: false, holder: winner });
      expect((await store.peek(k))?.holder).toEqual(winner);
      expect((await other.peek(k))?.holder).toEqual(winner);
    }
  });

  it("across instances, release only removes the releasing instance's own lock", async () => {
    const other = newStore(port);
    const k = key();
    const mine = await store.acquire(k, holder("alice@contoso.com"), 200);
    if (!mine.acquired) throw new Error("expected the lock");
    await sleep(350);
    const bob = holder("Bob Jones");
    const theirs = await other.acquire(k, bob, 20_000);
    expect(theirs.acquired).toBe(true);
    await mine.release();
    expect((await other.peek(k))?.holder).toEqual(bob);
    if (theirs.acquired) await theirs.release();
    expect(await store.peek(k)).toBeNull();
  });
});

describe("Redis device lock store: the epoch", { timeout: SLOW }, () => {
  // A server of its own: these tests empty it (FLUSHALL), as a restart without persistence would.
  let port = 0;
  let raw: ReturnType<typeof createClient>;
  const T = Date.parse("2026-03-02T09:00:00.000Z");

  beforeAll(async () => {
    port = await freePort();
    await startRedis(port);
    raw = createClient({ url: `redis://127.0.0.1:${port}` });
    raw.on("error", () => {});
    await raw.connect();
  }, SLOW);

  afterAll(async () => {
    if (raw?.isOpen) await raw.close();
  });

  it("the first claim creates it with the caller's Graph time, without expiry; later claims read it", async () => {
    await raw.flushAll();
    const store = newStore(port);
    expect(await store.claimEpoch(T)).toEqual({ since: T, created: true });
    expect(await raw.get(EPOCH_KEY)).toBe(String(T));
    expect(await raw.pTTL(EPOCH_KEY)).toBe(-1);
    expect(await store.claimEpoch(T + 30_000)).toEqual({ since: T, created: false });
  });

  it("two stores on one Redis (two instances) agree, also when they claim at the same moment", async () => {
    for (let round = 0; round < 10; round++) {
      await raw.flushAll();
      const [a, b] = [newStore(port), newStore(port)];
      const claims = await Promise.all([a.claimEpoch(T + round), b.claimEpoch(T + round + 7)]);
      expect(claims.filter((c) => c.created)).toHaveLength(1);
      const since = claims.find((c) => c.created)!.since;
      expect(claims.map((c) => c.since)).toEqual([since, since]);
      expect(await b.claimEpoch(T + 60_000)).toEqual({ since, created: false });
      expect(await a.claimEpoch(T + 60_000)).toEqual({ since, created: false });
    }
  });

  it("a Redis that comes back empty (FLUSHALL) is noticed: the next claim creates the epoch again, with its new time", async () => {
    await raw.flushAll();
    const [a, b] = [newStore(port), newStore(port)];
    const marker = `arc:recent:test-${randomUUID()}:device:reset`;
    expect(await a.claimEpoch(T)).toEqual({ since: T, created: true });
    await a.remember(marker, { by: "alice@contoso.com", action: "reset", at: new Date(T).toISOString(), confirmed: false, until: Date.now() + 60_000 }, 60_000);

    await raw.flushAll();
    expect(await b.recall(marker)).toBeNull(); // the marker is gone...
    expect(await b.claimEpoch(T + 29_000)).toEqual({ since: T + 29_000, created: true }); // ...and that is known
    expect(await a.claimEpoch(T + 31_000)).toEqual({ since: T + 29_000, created: false });
  });

  it("replaces an epoch it cannot read (written by something else) with the caller's time", async () => {
    await raw.set(EPOCH_KEY, "not a time");
    expect(await newStore(port).claimEpoch(T)).toEqual({ since: T, created: true });
  });

  it("refuses a time that is not whole non-negative milliseconds before anything reaches Redis", async () => {
    await raw.flushAll();
    for (const bad of [-1, 1.5, Number.NaN]) await expect(newStore(port).claimEpoch(bad)).rejects.toThrow(RangeError);
    expect(await raw.exists(EPOCH_KEY)).toBe(0);
  });
});

describe("Redis device lock store when Redis is down", { timeout: SLOW }, () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function expectUnavailableFast(call: () => Promise<unknown>): Promise<void> {
    const started = Date.now();
    await expect(call()).rejects.toBeInstanceOf(LockStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
  }

  it("makes every call throw LockStoreUnavailableError within 5 s once redis-server is killed, and recovers when it is back", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    const port = await freePort();
    const child = await startRedis(port);
    const store = newStore(port);
    const k = key();
    const held = await store.acquire(k, holder("alice@contoso.com"), 20_000);
    expect(held.acquired).toBe(true);

    await kill(child);
    await expectUnavailableFast(() => store.acquire(key(), holder("Bob Jones"), 20_000));
    await expectUnavailableFast(() => store.peek(k));
    await expectUnavailableFast(() => store.remember(`arc:recent:${randomUUID()}`, { by: "Bob Jones", action: "sync", at: new Date().toISOString(), confirmed: true, until: Date.now() + 1_000 }, 1_000));
    await expectUnavailableFast(() => store.recall(`arc:recent:${randomUUID()}`));
    await expectUnavailableFast(() => store.claimEpoch(Date.now()));
    if (held.acquired) await expectUnavailableFast(() => held.release());
    // One warning when it went down, not one per call; it names no URL.
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).not.toContain(String(port));

    await startRedis(port);
    expect(await store.peek(k)).toBeNull(); // a fresh server: nothing survived, and the store reconnected by itself
    expect((await store.claimEpoch(Date.now())).created).toBe(true); // ...which the epoch says
    expect((await store.acquire(k, holder("Bob Jones"), 20_000)).acquired).toBe(true);
  });

  it("fails fast when Redis was never there, on every call", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const store = newStore(await freePort());
    await expectUnavailableFast(() => store.peek(key()));
    await expectUnavailableFast(() => store.acquire(key(), holder("alice@contoso.com"), 1_000));
  });

  it("gives up on a server that accepts connections but never answers", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    const port = await freePort();
    const child = await startRedis(port);
    const store = newStore(port);
    expect(await store.peek(key())).toBeNull();
    child.kill("SIGSTOP");
    try {
      await expectUnavailableFast(() => store.peek(key()));
      await expectUnavailableFast(() => store.recall(key()));
    } finally {
      child.kill("SIGCONT");
    }
    expect(await store.peek(key())).toBeNull();
  });
});
