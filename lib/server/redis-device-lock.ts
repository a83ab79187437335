/**
 * The device lock store shared by several console instances (REDIS_URL). Same behaviour as the in-memory store in
 * ./device-lock, with Redis doing the atomic parts: acquire is SET NX PX (and, when that fails, the holder and PTTL
 * read in the same script), release is a compare-and-delete script, so it never removes a lock that has expired and
 * been taken by someone else.
 *
 * The epoch is one key without expiry, `arc:epoch`, created by the first claim (a script: read it, or set it if
 * absent, atomically). A Redis restarted empty has lost every lock and marker, and its epoch with them: the next claim
 * creates it again with that caller's Graph time, and every instance then reads the same new `since`.
 *
 * The client connects on first use, with a short connect timeout and no reconnect loop: when Redis is down, every call
 * throws LockStoreUnavailableError within a few seconds (fail closed: the caller sends nothing), and the next call
 * tries a fresh connection, so a restarted Redis is picked up at once.
 */
import { createClient } from "redis";
import {
  checkGraphTime,
  checkTtl,
  LockStoreUnavailableError,
  parseHolder,
  parseRecent,
  serializeHolder,
  serializeRecent,
  type DeviceLockStore,
  type LockHolder,
} from "./device-lock";

export interface RedisDeviceLockOptions {
  /** TCP (and TLS) connect timeout. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Deadline for one whole call, connecting included. Default 3000 ms. */
  callTimeoutMs?: number;
}

export interface RedisDeviceLockStore extends DeviceLockStore {
  /** Closes the connection, if one is open (tests, shutdown). A later call opens a new one. */
  close(): Promise<void>;
}

/** Takes the lock, or reads who holds it and for how long, atomically. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {0, redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
`;

/** Deletes the lock only if it still holds our holder id. */
const RELEASE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, holder = pcall(cjson.decode, raw)
if ok and type(holder) == 'table' and holder.id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** The store's epoch (see DeviceLockStore.claimEpoch). Never expires: a Redis that lost it lost everything else too. */
export const EPOCH_KEY = "arc:epoch";

/**
 * Reads the epoch, or sets it to ARGV[1] when there is none, atomically: two instances claiming at once agree. A value
 * that is not a whole number (written by something else) is replaced, which starts a new quiet period: the safe side.
 */
const CLAIM_EPOCH = `
local since = redis.call('GET', KEYS[1])
if since and string.match(since, '^%d+$') then return {0, since} end
redis.call('SET', KEYS[1], ARGV[1])
return {1, ARGV[1]}
`;

const PEEK = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}`;

type Client = ReturnType<typeof createClient>;

const TIMED_OUT = new Error("The lock store did not answer in time.");

/** What a failure is, for the log: a code or class name only (messages and URLs may carry the password). */
function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (typeof name === "string") return name;
  }
  return typeof error;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function remaining(pttl: unknown): number {
  return typeof pttl === "number" && pttl > 0 ? pttl : 0;
}

export function createRedisDeviceLockStore(url: string, options: RedisDeviceLockOptions = {}): RedisDeviceLockStore {
  const connectTimeout = options.connectTimeoutMs ?? 2_000;
  const callTimeout = options.callTimeoutMs ?? 3_000;
  let current: { client: Client; ready: Promise<Client> } | null = null;
  let healthy = true;

  function drop(client: Client): void {
    if (current?.client === client) current = null;
    if (client.isOpen) client.destroy();
  }

  function connect(): Promise<Client> {
    if (!current) {
      const client = createClient({
        url,
        socket: { connectTimeout, reconnectStrategy: false },
        // Commands issued while not connected fail at once instead of queueing until a reconnect that never comes.
        disableOfflineQueue: true,
      });
      // Without a listener an 'error' event would crash the process; the failing call reports it instead.
      client.on("error", () => {});
      const ready = client.connect().then(
        () => client,
        (error: unknown) => {
          drop(client);
          throw error;
        },
      );
      ready.catch(() => {}); // handled by whoever awaits it
      current = { client, ready };
    }
    return current.ready;
  }

  async function withClient<T>(op: (client: Client) => Promise<T>): Promise<T> {
    let client = await connect();
    if (!client.isReady) {
      // The connection was lost since the last call: this client will not come back, try a fresh one once.
      drop(client);
      client = await connect();
    }
    return op(client);
  }

  async function call<T>(op: (client: Client) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(TIMED_OUT), callTimeout);
    });
    try {
      const result = await Promise.race([withClient(op), deadline]);
      if (!healthy) console.info("[device-lock] Redis answers again.");
      healthy = true;
      return result;
    } catch (error) {
      // A call that timed out may have left a connection that hangs: do not reuse it.
      if (error === TIMED_OUT && current) drop(current.client);
      if (healthy) {
        const why = error === TIMED_OUT ? "no answer within " + callTimeout + " ms" : describe(error);
        console.warn(`[device-lock] Redis cannot be reached (${why}); device actions are refused until it answers.`);
      }
      healthy = false;
      throw new LockStoreUnavailableError(undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async acquire(key: string, holder: LockHolder, ttlMs: number) {
      checkTtl(ttlMs);
      const value = serializeHolder(holder);
      const reply = await call((c) => c.eval(ACQUIRE, { keys: [key], arguments: [value, String(ttlMs)] }));
      const [taken, raw, pttl] = Array.isArray(reply) ? (reply as unknown[]) : [];
      if (taken === 1) {
        const ours = holder.id;
        return {
          acquired: true as const,
          release: async () => {
            await call((c) => c.eval(RELEASE, { keys: [key], arguments: [ours] }));
          },
        };
      }
      return { acquired: false as const, holder: parseHolder(stringOrNull(raw)), remainingMs: remaining(pttl) };
    },

    async peek(key: string) {
      const reply = await call((c) => c.eval(PEEK, { keys: [key] }));
      const [raw, pttl] = Array.isArray(reply) ? (reply as unknown[]) : [];
      const value = stringOrNull(raw);
      return value === null ? null : { holder: parseHolder(value), remainingMs: remaining(pttl) };
    },

    async remember(key, action, ttlMs) {
      checkTtl(ttlMs);
      const value = serializeRecent(action);
      await call((c) => c.set(key, value, { expiration: { type: "PX", value: ttlMs } }));
    },

    async recall(key) {
      const raw = await call((c) => c.get(key));
      return parseRecent(stringOrNull(raw));
    },

    async claimEpoch(graphNow) {
      checkGraphTime(graphNow);
      const reply = await call((c) => c.eval(CLAIM_EPOCH, { keys: [EPOCH_KEY], arguments: [String(graphNow)] }));
      const [created, raw] = Array.isArray(reply) ? (reply as unknown[]) : [];
      const since = typeof raw === "string" ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(since)) throw new LockStoreUnavailableError(undefined, { cause: new Error("unreadable epoch reply") });
      return { since, created: created === 1 };
    },

    async note(key, field, value, ttlMs) {
      checkTtl(ttlMs);
      await call((c) => c.multi().hSet(key, field, value).pExpire(key, ttlMs).exec());
    },

    async notes(key) {
      const values = await call((c) => c.hVals(key));
      return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
    },

    async close() {
      const open = current;
      current = null;
      if (!open) return;
      const client = await open.ready.catch(() => null);
      if (client?.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
