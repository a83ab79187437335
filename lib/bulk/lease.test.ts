import { describe, expect, it } from "vitest";
import { acquireLease, heldElsewhere, LEASE_MS, readLease, releaseLease, renewLease } from "./lease";

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

describe("run lease", () => {
  it("one tab holds it; another gets it only after it lapses; the holder's next save then fails", async () => {
    const storage = memory();
    let now = 1000;
    expect(await acquireLease(storage, "k", "tab-a", () => now, 0)).toBe(true);
    expect(await acquireLease(storage, "k", "tab-b", () => now, 0)).toBe(false);
    renewLease(storage, "k", "tab-a", now);
    now += LEASE_MS + 1;
    expect(await acquireLease(storage, "k", "tab-b", () => now, 0)).toBe(true);
    expect(() => renewLease(storage, "k", "tab-a", now)).toThrow(/Another tab/);
  });

  it("the same tab (a reload keeps its id) takes its own lease back at once", async () => {
    const storage = memory();
    expect(await acquireLease(storage, "k", "tab-a", () => 0, 0)).toBe(true);
    expect(await acquireLease(storage, "k", "tab-a", () => 1, 0)).toBe(true);
  });

  it("releasing only removes one's own lease; garbage is no lease", () => {
    const storage = memory();
    storage.setItem("k", JSON.stringify({ tabId: "tab-b", until: 10 }));
    releaseLease(storage, "k", "tab-a");
    expect(readLease(storage, "k")?.tabId).toBe("tab-b");
    storage.setItem("k", "{not json");
    expect(readLease(storage, "k")).toBeNull();
    expect(heldElsewhere(null, "x", 0)).toBeNull();
  });
});
