/**
 * One device-lock store per process: Redis when REDIS_URL is set (every instance shares it), else a file under
 * DATA_DIR, which a restarted console reads back (lib/server/file-device-lock.ts).
 */
import { getConfig } from "@/lib/config";
import type { DeviceLockStore } from "./device-lock";
import { createFileDeviceLockStore } from "./file-device-lock";
import { createRedisDeviceLockStore } from "./redis-device-lock";

// On globalThis, so a module loaded twice (Next.js bundles, dev reloads) still shares one store: one Redis connection,
// or one writer of the file.
const STORE = Symbol.for("autopilot-reset-console.device-lock-store");
type WithStore = typeof globalThis & { [STORE]?: DeviceLockStore };

/** The process's store: Redis when REDIS_URL is set, else DATA_DIR's file. Throws getConfig()'s one-line error if misconfigured. */
export function getDeviceLockStore(): DeviceLockStore {
  const holder = globalThis as WithStore;
  let store = holder[STORE];
  if (!store) {
    const { redisUrl, dataDir } = getConfig();
    store = redisUrl ? createRedisDeviceLockStore(redisUrl) : createFileDeviceLockStore(dataDir);
    holder[STORE] = store;
  }
  return store;
}
