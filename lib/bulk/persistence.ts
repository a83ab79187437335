/**
 * The run kept in the browser (localStorage), so a reload or a closed tab can resume without sending anything twice.
 * Versioned and validated on load: a record from another version, or one edited by hand, is refused, never trusted.
 * Holds device ids, names and outcomes; never a token.
 */
import { z } from "zod";
import { RUN_SCHEMA_VERSION, type BulkRun } from "./run";

/** One run per signed-in account and tenant; the caller supplies the account part. */
export function runStorageKey(accountKey: string): string {
  return `autopilot-console:bulk-run:v${RUN_SCHEMA_VERSION}:${accountKey}`;
}

const deviceRunSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(300),
  status: z.enum(["queued", "sent", "unclear", "initiated", "skipped", "failed", "not-sent", "waiting", "awaiting-approval"]),
  warning: z.string().max(500).optional(),
  sourceLine: z.object({ number: z.number().int().min(1).max(1_000_000), text: z.string().max(300) }).optional(),
  serialNumber: z.string().max(128).optional(),
  primaryUser: z.string().max(320).optional(),
  sends: z.number().int().min(0),
  firstSentAt: z.number().finite().optional(),
  sentAfterGraph: z.number().finite().optional(),
  issuedAt: z.number().finite().optional(),
  checks: z.number().int().min(0),
  notBefore: z.number().finite().optional(),
  reason: z.string().max(100).optional(),
  message: z.string().max(1000).optional(),
  settledAt: z.number().finite().optional(),
  approvalRequestId: z.string().max(100).optional(),
});

const storedRunSchema = z.object({
  version: z.literal(RUN_SCHEMA_VERSION),
  id: z.string().min(1).max(100),
  action: z.enum(["reset", "sync"]),
  createdAt: z.number().finite(),
  status: z.enum(["running", "paused", "cancelled", "waiting", "finished"]),
  pausedReason: z.string().max(1000).optional(),
  justification: z.string().max(1024).optional(),
  needsJustification: z.boolean().optional(),
  waves: z.array(z.object({ count: z.number().int().min(0), startsAt: z.number().finite() })).max(10_000).optional(),
  limitUntil: z.number().finite().optional(),
  devices: z.array(deviceRunSchema).max(200_000),
});

export function serializeRun(run: BulkRun): string {
  // Parse on the way out too: only the schema's fields are written, whatever else an object carries.
  return JSON.stringify(storedRunSchema.parse(run));
}

export function parseStoredRun(text: string | null): BulkRun | null {
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = storedRunSchema.safeParse(json);
  if (!parsed.success) return null;
  const ids = new Set(parsed.data.devices.map((d) => d.id));
  if (ids.size !== parsed.data.devices.length) return null;
  return parsed.data as BulkRun;
}

export interface RunStore {
  load(): BulkRun | null;
  /** Throws when the browser refuses to store it (quota): the engine then does not send. */
  save(run: BulkRun): void;
  clear(): void;
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function createRunStore(storage: StorageLike, key: string): RunStore {
  return {
    load: () => parseStoredRun(storage.getItem(key)),
    save: (run) => storage.setItem(key, serializeRun(run)),
    clear: () => storage.removeItem(key),
  };
}
