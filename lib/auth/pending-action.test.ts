import { describe, expect, it } from "vitest";
import { PENDING_ACTION_KEY, PENDING_ACTION_MAX_AGE_MS, savePendingAction, takePendingAction, type PendingAction } from "./pending-action";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const NOW = 1_800_000_000_000;
const pending: PendingAction = { deviceId: "d-1", action: "reset", nonce: "n-1", savedAt: NOW - 5_000 };

describe("pending device action", () => {
  it("is taken exactly once by the device it was saved for", () => {
    const storage = memoryStorage();
    savePendingAction(storage, pending);
    expect(takePendingAction(storage, "d-1", NOW)).toEqual(pending);
    expect(takePendingAction(storage, "d-1", NOW)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("is left alone by another device's page", () => {
    const storage = memoryStorage();
    savePendingAction(storage, { ...pending, action: "sync" });
    expect(takePendingAction(storage, "d-2", NOW)).toBeNull();
    expect(takePendingAction(storage, "d-1", NOW)).toEqual({ ...pending, action: "sync" });
  });

  it("is dropped when stale, from the future, or malformed", () => {
    const storage = memoryStorage();
    savePendingAction(storage, { ...pending, savedAt: NOW - PENDING_ACTION_MAX_AGE_MS - 1 });
    expect(takePendingAction(storage, "d-1", NOW)).toBeNull();
    expect(storage.items.size).toBe(0);

    savePendingAction(storage, { ...pending, savedAt: NOW + 3_600_000 });
    expect(takePendingAction(storage, "d-1", NOW)).toBeNull();

    for (const raw of ["not json", "null", JSON.stringify({ ...pending, action: "wipe-everything" }), JSON.stringify({ ...pending, nonce: "" })]) {
      storage.setItem(PENDING_ACTION_KEY, raw);
      expect(takePendingAction(storage, "d-1", NOW)).toBeNull();
      expect(storage.items.size).toBe(0);
    }
  });
});
