/** One device-lock store per process: Redis when REDIS_URL is set (every instance shares it), else in memory. */
import { getConfig } from "@/lib/config";
import { createMemoryDeviceLockStore, type DeviceLockStore } from "./device-lock";
import { createRedisDeviceLockStore } from "./redis-device-lock";

// On globalThis, so a module loaded twice (Next.js bundles, dev reloads) still shares one store and one Redis connection.
const STORE = Symbol.for("autopilot-reset-console.device-lock-store");
type WithStore = typeof globalThis & { [STORE]?: DeviceLockStore };

/** The process's store: Redis when REDIS_URL is set, else in memory. Throws getConfig()'s one-line error if misconfigured. */
export function getDeviceLockStore(): DeviceLockStore {
  const holder = globalThis as WithStore;
  let store = holder[STORE];
  if (!store) {
    const { redisUrl } = getConfig();
    store = redisUrl ? createRedisDeviceLockStore(redisUrl) : createMemoryDeviceLockStore();
    holder[STORE] = store;
  }
  return store;
}
