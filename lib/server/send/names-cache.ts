/**
 * The tenant's Autopilot profile and device preparation policy names, kept briefly per tenant and user between sends
 * (docs/safety.md, "The server decides: one send protocol"). They are the same for every device and every chunk of a
 * run, and reading them cost two Graph round trips on every send; each device's own signals are still read per send.
 *
 * Kept per tenant **and user**: the lists are read under the caller's token, and another person's Intune role or scope
 * tags may not let them read the same policies. Only a successful read is kept: a refusal or an outage is asked again
 * next time. Lifetimes run on the server's clock (lib/server/clock.ts), which this only uses for its own housekeeping.
 */
import type { ProvisioningNames } from "@/lib/devices/provisioning";

/** How long a read of the names stands (docs/safety.md says why a minute). */
export const NAMES_LIFETIME_MS = 60_000;
/** Callers remembered at once per process; the oldest is forgotten first. */
export const NAMES_MAX_ENTRIES = 500;

interface Entry<T> {
  value: T;
  readAt: number;
}

/** A memo whose entries stand for `lifetimeMs` from when they were read. Pure: the time comes in as an argument. */
export class TimedMemo<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The value read for `key` less than the lifetime ago; none when older, or read "later" than now (a clock step back). */
  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now < entry.readAt || now - entry.readAt >= this.lifetimeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, readAt: now });
    // A Map iterates in insertion order: the first key is the oldest read.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Whose names these are: tenant and user (object id), any case; none without a user id, so nothing is kept. */
export function namesKey(caller: { tenantId: string; userId?: string | undefined }): string | undefined {
  if (!caller.userId?.trim() || !caller.tenantId.trim()) return undefined;
  return `${caller.tenantId.trim().toLowerCase()}|${caller.userId.trim().toLowerCase()}`;
}

/**
 * The names for this caller: from `memo` when read less than its lifetime ago, else from `read` (kept only when it
 * succeeded).
 */
export async function namesFor(
  memo: TimedMemo<ProvisioningNames>,
  caller: { tenantId: string; userId?: string | undefined },
  now: () => number,
  read: () => Promise<ProvisioningNames>,
): Promise<ProvisioningNames> {
  const key = namesKey(caller);
  const kept = key === undefined ? undefined : memo.get(key, now());
  if (kept) return kept;
  const names = await read();
  if (key !== undefined && names.kind === "read") memo.set(key, names, now());
  return names;
}
