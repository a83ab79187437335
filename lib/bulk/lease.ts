/**
 * One tab drives a run at a time. Two tabs resuming the same stored run would both send its queue, so the driving tab
 * holds a lease in storage, renewed on every save and by a heartbeat; another tab may take the run over only once the
 * lease has lapsed (longer than a request's timeout, so nothing the old tab sent can still be under way). A reload of
 * the same tab keeps its tab id (sessionStorage), so it resumes at once.
 *
 * localStorage has no compare-and-set: `acquire` writes, then reads back after a short pause, and gives up if another
 * tab's write won.
 */
export const LEASE_MS = 45_000;

export interface Lease {
  tabId: string;
  until: number;
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function leaseKey(runKey: string): string {
  return `${runKey}:lease`;
}

export function readLease(storage: StorageLike, key: string): Lease | null {
  try {
    const raw = JSON.parse(storage.getItem(key) ?? "null") as unknown;
    if (raw && typeof raw === "object" && typeof (raw as Lease).tabId === "string" && typeof (raw as Lease).until === "number") {
      return raw as Lease;
    }
  } catch {
    // a broken lease is no lease
  }
  return null;
}

/** Who else holds the run right now, if anyone (null: free, or held by this tab). */
export function heldElsewhere(lease: Lease | null, tabId: string, now: number): Lease | null {
  return lease && lease.tabId !== tabId && lease.until > now ? lease : null;
}

export function renewLease(storage: StorageLike, key: string, tabId: string, now: number): void {
  const current = heldElsewhere(readLease(storage, key), tabId, now);
  if (current) throw new Error("Another tab has taken this run over; this tab stopped sending.");
  storage.setItem(key, JSON.stringify({ tabId, until: now + LEASE_MS } satisfies Lease));
}

export async function acquireLease(storage: StorageLike, key: string, tabId: string, now: () => number, settleMs = 60): Promise<boolean> {
  if (heldElsewhere(readLease(storage, key), tabId, now())) return false;
  storage.setItem(key, JSON.stringify({ tabId, until: now() + LEASE_MS } satisfies Lease));
  await new Promise((r) => setTimeout(r, settleMs));
  return readLease(storage, key)?.tabId === tabId;
}

export function releaseLease(storage: StorageLike, key: string, tabId: string): void {
  if (readLease(storage, key)?.tabId === tabId) storage.removeItem(key);
}
