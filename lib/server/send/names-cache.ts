/**
 * The tenant's Autopilot profile and device preparation policy names, kept briefly per tenant and user between sends
 * (docs/safety.md, "The server decides: one send protocol"). They are the same for every device and every chunk of a
 * run, and reading them cost two Graph round trips on every send; each device's own signals are still read per send.
 *
 * Kept per tenant **and user**: the lists are read under the caller's token, and another person's Intune role or scope
 * tags may not let them read the same policies. Only a successful read is kept: a refusal or an outage is asked again
 * next time. Lifetimes run on the clock given (the server's, lib/server/clock.ts), so tests move them.
 */
import { LRUCache } from "lru-cache";
import type { ProvisioningNames } from "@/lib/devices/provisioning";

/** How long a read of the names stands (docs/safety.md says why a minute). */
export const NAMES_LIFETIME_MS = 60_000;
/** Callers remembered at once per process; the least recently used is forgotten first. */
export const NAMES_MAX_ENTRIES = 500;

export type NamesMemo = LRUCache<string, ProvisioningNames & { kind: "read" }>;

/** A memo of successful reads that stand NAMES_LIFETIME_MS (inclusive) on `now`'s clock. */
export function namesMemo(now: () => number, max = NAMES_MAX_ENTRIES): NamesMemo {
  // ttlResolution 0: ask `now` on every look, never a cached reading of it.
  return new LRUCache({ max, ttl: NAMES_LIFETIME_MS, ttlResolution: 0, ttlAutopurge: false, perf: { now } });
}

/** Whose names these are: tenant and user (object id), any case; none without a user id, so nothing is kept. */
export function namesKey(caller: { tenantId: string; userId?: string | undefined }): string | undefined {
  if (!caller.userId?.trim() || !caller.tenantId.trim()) return undefined;
  return `${caller.tenantId.trim().toLowerCase()}|${caller.userId.trim().toLowerCase()}`;
}

/** The names for this caller: from `memo` when read less than its lifetime ago, else from `read` (kept when it succeeded). */
export async function namesFor(
  memo: NamesMemo,
  caller: { tenantId: string; userId?: string | undefined },
  read: () => Promise<ProvisioningNames>,
): Promise<ProvisioningNames> {
  const key = namesKey(caller);
  const kept = key === undefined ? undefined : memo.get(key);
  if (kept) return kept;
  const names = await read();
  if (key !== undefined && names.kind === "read") memo.set(key, names);
  return names;
}
