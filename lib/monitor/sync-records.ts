/**
 * The syncs this console sent, kept in the browser (localStorage): Sync is not in Intune's audit log (docs/graph.md,
 * "When a sync is done"; memdocs#3768), so this is the only place the monitor can list them. The device page, the bulk
 * run and the monitor call recordSync() when a sync is accepted.
 */
import { MONITOR_WINDOW_MS } from "./filters";

export interface SyncRecord {
  deviceId: string;
  deviceName: string | null;
  /** When the console sent it (ISO). */
  requestedAt: string;
  initiatedBy: string | null;
}

export const SYNC_RECORDS_KEY = "autopilot-console:monitor:syncs";
/** Same-tab listeners (the storage event only reaches other tabs). */
export const SYNC_RECORDS_EVENT = "autopilot-console:syncs-changed";
export const MAX_SYNC_RECORDS = 5_000;

function isRecord(value: unknown): value is SyncRecord {
  if (!value || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.deviceId === "string" &&
    typeof r.requestedAt === "string" &&
    !Number.isNaN(Date.parse(r.requestedAt)) &&
    (r.deviceName === null || typeof r.deviceName === "string") &&
    (r.initiatedBy === null || typeof r.initiatedBy === "string")
  );
}

/** Whatever is stored, as valid records (anything malformed is dropped, never thrown). */
export function parseSyncRecords(text: string | null): SyncRecord[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
  } catch {
    return [];
  }
}

/** Adds records: one per device and request time, newest first, within the monitor's window, at most 5,000. */
export function mergeSyncRecords(existing: readonly SyncRecord[], added: readonly SyncRecord[], now: Date): SyncRecord[] {
  const oldest = now.getTime() - MONITOR_WINDOW_MS;
  const byKey = new Map<string, SyncRecord>();
  for (const record of [...added, ...existing]) {
    const key = `${record.deviceId.toLowerCase()}|${record.requestedAt}`;
    if (!byKey.has(key) && Date.parse(record.requestedAt) >= oldest) byKey.set(key, record);
  }
  return [...byKey.values()].sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt)).slice(0, MAX_SYNC_RECORDS);
}

type SyncStorage = Pick<Storage, "getItem" | "setItem">;

function browserStorage(): SyncStorage | undefined {
  return typeof window === "undefined" ? undefined : window.localStorage;
}

export function readSyncRecords(storage: SyncStorage | undefined = browserStorage()): SyncRecord[] {
  try {
    return storage ? parseSyncRecords(storage.getItem(SYNC_RECORDS_KEY)) : [];
  } catch {
    return [];
  }
}

export type SyncToRecord = Pick<SyncRecord, "deviceId" | "requestedAt"> & Partial<Pick<SyncRecord, "deviceName" | "initiatedBy">>;

/** Remembers syncs the console sent. Never throws: a full or refused storage only costs the monitor a row. */
export function recordSync(syncs: SyncToRecord | readonly SyncToRecord[], storage: SyncStorage | undefined = browserStorage()): void {
  if (!storage) return;
  const list = (Array.isArray(syncs) ? syncs : [syncs]) as readonly SyncToRecord[];
  const added = list.map((s) => ({ deviceId: s.deviceId, requestedAt: s.requestedAt, deviceName: s.deviceName ?? null, initiatedBy: s.initiatedBy ?? null }));
  try {
    storage.setItem(SYNC_RECORDS_KEY, JSON.stringify(mergeSyncRecords(readSyncRecords(storage), added, new Date())));
    if (typeof window !== "undefined") window.dispatchEvent(new Event(SYNC_RECORDS_EVENT));
  } catch {
    // Storage full or disabled.
  }
}

/**
 * The bulk run's answers for a sync chunk: every device Graph accepted is remembered, as sent at Graph's time when the
 * answer carries it (the monitor compares it with Graph's own requestDateTime and lastSyncDateTime), else now.
 */
export function recordAcceptedSyncs(outcomes: readonly { deviceId: string; kind: string }[], graphTime: number | undefined, storage?: SyncStorage): void {
  const requestedAt = new Date(graphTime !== undefined && Number.isFinite(graphTime) ? graphTime : Date.now()).toISOString();
  const accepted = outcomes.filter((outcome) => outcome.kind === "accepted").map((outcome) => ({ deviceId: outcome.deviceId, requestedAt }));
  if (accepted.length > 0) recordSync(accepted, storage);
}
