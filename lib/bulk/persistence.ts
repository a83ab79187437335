// Over 300 lines: the stored run's compact form and its validation; the format and its reader must change together.
/**
 * The run kept in the browser (localStorage), so a reload or a closed tab can resume without sending anything twice.
 * Versioned and validated on load: a record from another version, or one edited by hand, is refused, never trusted.
 * Holds device ids, names and outcomes; never a token.
 *
 * Stored compactly, because a run that cannot be saved must not send (docs/safety.md) and Chromium allows 5,242,880
 * characters per origin, shared by every account signed in on the PC: each device is one JSON array in a fixed order,
 * sentences and reason codes repeated across devices are written once in a table, an Intune id takes 23 characters
 * instead of 36, and times are offsets from the same time of the device before. The largest run (MAX_DEVICES_PER_RUN typical devices from a list) takes about 111 characters a device
 * when settled and 120 mid-run, 1.7 to 1.8 million in all, a third of the allowance (lib/bulk/persistence.test.ts
 * measures it; the version 2 form took about 380).
 */
import { z } from "zod";
import { isGuid } from "@/lib/devices/ids";
import { RUN_SCHEMA_VERSION, type BulkRun, type DeviceRun, type DeviceRunStatus } from "./run";

const KEY_PREFIX = "autopilot-console:bulk-run:";

/** One run per signed-in account and tenant; the caller supplies the account part. */
export function runStorageKey(accountKey: string): string {
  return `${KEY_PREFIX}v${RUN_SCHEMA_VERSION}:${accountKey}`;
}

/** Where the previous version kept the run: read once, so a run under way across an upgrade is not lost. */
function legacyStorageKey(key: string): string | null {
  const prefix = `${KEY_PREFIX}v${RUN_SCHEMA_VERSION}:`;
  return key.startsWith(prefix) ? `${KEY_PREFIX}v2:${key.slice(prefix.length)}` : null;
}

const STATUSES = ["queued", "sent", "unclear", "initiated", "skipped", "failed", "not-sent", "waiting", "awaiting-approval"] as const satisfies readonly DeviceRunStatus[];

const deviceRunSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(300),
  status: z.enum(STATUSES),
  warning: z.string().max(500).optional(),
  sourceLine: z.object({ number: z.number().int().min(1).max(1_000_000), text: z.string().max(300) }).optional(),
  serialNumber: z.string().max(128).optional(),
  primaryUser: z.string().max(320).optional(),
  sends: z.number().int().min(0),
  firstSentAt: z.number().finite().optional(),
  sentAfterGraph: z.number().finite().optional(),
  issuedAt: z.number().finite().optional(),
  reached: z.literal(true).optional(),
  checks: z.number().int().min(0),
  notBefore: z.number().finite().optional(),
  reason: z.string().max(100).optional(),
  message: z.string().max(1000).optional(),
  settledAt: z.number().finite().optional(),
  approvalRequestId: z.string().max(100).optional(),
  finalReadAt: z.number().finite().optional(),
});

const runFields = {
  id: z.string().min(1).max(100),
  action: z.enum(["reset", "sync"]),
  createdAt: z.number().finite(),
  status: z.enum(["running", "paused", "cancelled", "waiting", "finished"]),
  pausedReason: z.string().max(1000).optional(),
  justification: z.string().max(1024).optional(),
  startedBy: z.string().max(320).optional(),
  ticketReference: z.string().max(64).optional(),
  needsJustification: z.boolean().optional(),
  waves: z.array(z.object({ count: z.number().int().min(0), startsAt: z.number().finite() })).max(10_000).optional(),
  limitUntil: z.number().finite().optional(),
};

const runSchema = z.object({ version: z.literal(RUN_SCHEMA_VERSION), ...runFields, devices: z.array(deviceRunSchema).max(200_000) });

/** Version 2, as it was stored (one JSON object per device): read, never written. */
const legacyRunSchema = z.object({ version: z.literal(2), ...runFields, devices: z.array(deviceRunSchema.omit({ reached: true })).max(200_000) });

/** A cell of a stored device: a string, a number, or null for a time that is not set. */
const cell = z.union([z.string().max(1000), z.number().finite(), z.null()]);
const compactSchema = z.object({
  v: z.literal(RUN_SCHEMA_VERSION),
  ...runFields,
  /** Sentences, reasons and warnings, each once. */
  s: z.array(z.string().max(1000)).max(600_000),
  d: z.array(z.array(cell).max(20)).max(200_000),
});

/**
 * The order of a stored device's cells: most devices end at `reached` (or at their list line), and cells left unset at
 * the end are not written. Strings from the table are its index + 1 (0: none); own strings are written out (0: none);
 * times are offsets from the same time of the device before (from createdAt for the first), so a chunk's devices,
 * which share them, store 0 (null: none; "=<ms>" where an offset would not give the time back exactly).
 */
const Cell = {
  Id: 0,
  Name: 1,
  Status: 2,
  Sends: 3,
  Checks: 4,
  Reason: 5,
  Message: 6,
  SerialNumber: 7,
  PrimaryUser: 8,
  FirstSentAt: 9,
  SettledAt: 10,
  SentAfterGraph: 11,
  Reached: 12,
  /** 0: none; 1, 2, 3: the same as the name, the serial number, the id; else the text. */
  SourceText: 13,
  /** The line's number minus the device's place in the run (+1): 0 for a list read in order. */
  SourceNumber: 14,
  Warning: 15,
  IssuedAt: 16,
  NotBefore: 17,
  ApprovalRequestId: 18,
  FinalReadAt: 19,
} as const;
type Cell = (typeof Cell)[keyof typeof Cell];
const TIME_CELLS = [Cell.FirstSentAt, Cell.SettledAt, Cell.SentAfterGraph, Cell.IssuedAt, Cell.NotBefore, Cell.FinalReadAt] as const;
const ABSENT = (cell: number) => ((TIME_CELLS as readonly number[]).includes(cell) ? null : 0);

/** An Intune id (a lower-case GUID: upper case would not come back as written) in 23 characters instead of 36. */
const isPackable = (id: string) => isGuid(id) && id === id.toLowerCase();
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SHORT_GUID = /^~[A-Za-z0-9_-]{21}[AQgw]$/;

function packId(id: string): string {
  if (!isPackable(id)) return id.startsWith("~") ? `~${id}` : id;
  const hex = id.replace(/-/g, "");
  let out = "~";
  // 16 bytes: five groups of 3 bytes (4 characters each), then one byte (2 characters).
  for (let i = 0; i < 30; i += 6) {
    const n = parseInt(hex.slice(i, i + 6), 16);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const last = parseInt(hex.slice(30), 16);
  return out + B64[last >> 2]! + B64[(last & 3) << 4]!;
}

function unpackId(packed: string): string {
  if (!packed.startsWith("~")) return packed;
  if (!SHORT_GUID.test(packed)) return packed.slice(1);
  const digit = (i: number) => B64.indexOf(packed[i + 1]!);
  let hex = "";
  for (let i = 0; i < 20; i += 4) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    hex += n.toString(16).padStart(6, "0");
  }
  hex += ((digit(20) << 2) | (digit(21) >> 4)).toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function encode(run: BulkRun): string {
  const table = new Map<string, number>();
  const ref = (text: string | undefined) => {
    if (text === undefined) return 0;
    let index = table.get(text);
    if (index === undefined) {
      index = table.size;
      table.set(text, index);
    }
    return index + 1;
  };
  const previous = new Map<number, number>(TIME_CELLS.map((cell) => [cell, run.createdAt]));
  const time = (cell: Cell, value: number | undefined): number | string | null => {
    if (value === undefined) return null;
    const base = previous.get(cell)!;
    previous.set(cell, value);
    const offset = value - base;
    return base + offset === value ? offset : `=${value}`;
  };
  const own = (text: string | undefined) => text ?? 0;
  const devices = run.devices.map((d, index) => {
    const cells: (string | number | null)[] = [];
    cells[Cell.Id] = packId(d.id);
    cells[Cell.Name] = d.name === d.id ? 0 : d.name;
    cells[Cell.Status] = STATUSES.indexOf(d.status);
    cells[Cell.Sends] = d.sends;
    cells[Cell.Checks] = d.checks;
    cells[Cell.Reason] = ref(d.reason);
    cells[Cell.Message] = ref(d.message);
    cells[Cell.SerialNumber] = own(d.serialNumber);
    cells[Cell.PrimaryUser] = own(d.primaryUser);
    cells[Cell.FirstSentAt] = time(Cell.FirstSentAt, d.firstSentAt);
    cells[Cell.SettledAt] = time(Cell.SettledAt, d.settledAt);
    cells[Cell.SentAfterGraph] = time(Cell.SentAfterGraph, d.sentAfterGraph);
    cells[Cell.Reached] = d.reached ? 1 : 0;
    const text = d.sourceLine?.text;
    cells[Cell.SourceText] = text === undefined ? 0 : text === d.name ? 1 : text === d.serialNumber ? 2 : text === d.id ? 3 : text;
    cells[Cell.SourceNumber] = d.sourceLine ? d.sourceLine.number - (index + 1) : 0;
    cells[Cell.Warning] = ref(d.warning);
    cells[Cell.IssuedAt] = time(Cell.IssuedAt, d.issuedAt);
    cells[Cell.NotBefore] = time(Cell.NotBefore, d.notBefore);
    cells[Cell.ApprovalRequestId] = own(d.approvalRequestId);
    cells[Cell.FinalReadAt] = time(Cell.FinalReadAt, d.finalReadAt);
    while (cells.length > Cell.Checks + 1 && cells.at(-1) === ABSENT(cells.length - 1)) cells.pop();
    return cells;
  });
  const { version: _v, devices: _d, ...rest } = run;
  return JSON.stringify({ v: RUN_SCHEMA_VERSION, ...rest, s: [...table.keys()], d: devices });
}

/** The stored form back to a run; throws when any cell is not what its place says. */
function decode(stored: z.infer<typeof compactSchema>): unknown {
  const { v: _v, s: table, d: rows, ...rest } = stored;
  const previous = new Map<number, number>(TIME_CELLS.map((cell) => [cell, stored.createdAt]));
  const devices = rows.map((cells, index) => {
    const at = (i: Cell) => (i < cells.length ? cells[i] : ABSENT(i));
    const str = (i: Cell): string | undefined => {
      const value = at(i);
      if (value === 0) return undefined;
      if (typeof value !== "string") throw new Error("not text");
      return value;
    };
    const ref = (i: Cell): string | undefined => {
      const value = at(i);
      if (value === 0) return undefined;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > table.length) throw new Error("not a table entry");
      return table[value - 1];
    };
    const num = (i: Cell): number => {
      const value = at(i);
      if (typeof value !== "number") throw new Error("not a number");
      return value;
    };
    const time = (i: Cell): number | undefined => {
      const value = at(i);
      if (value === null) return undefined;
      const absolute = typeof value === "string" && value.startsWith("=") ? Number(value.slice(1)) : undefined;
      if (absolute === undefined && typeof value !== "number") throw new Error("not a time");
      const result = absolute ?? previous.get(i)! + (value as number);
      if (!Number.isFinite(result)) throw new Error("not a time");
      previous.set(i, result);
      return result;
    };
    const packed = str(Cell.Id);
    const status = STATUSES[num(Cell.Status)];
    if (!packed || !status) throw new Error("no id or status");
    const id = unpackId(packed);
    const name = str(Cell.Name) ?? id;
    const serialNumber = str(Cell.SerialNumber);
    const source = at(Cell.SourceText);
    const sourceText =
      source === 0 ? undefined : source === 1 ? name : source === 2 ? serialNumber : source === 3 ? id : typeof source === "string" ? source : Number.NaN;
    if (typeof sourceText === "number") throw new Error("not a list line");
    const device: Partial<DeviceRun> = {
      id,
      name,
      status,
      sends: num(Cell.Sends),
      checks: num(Cell.Checks),
      reason: ref(Cell.Reason),
      message: ref(Cell.Message),
      serialNumber,
      primaryUser: str(Cell.PrimaryUser),
      firstSentAt: time(Cell.FirstSentAt),
      settledAt: time(Cell.SettledAt),
      sentAfterGraph: time(Cell.SentAfterGraph),
      reached: at(Cell.Reached) === 1 ? true : undefined,
      sourceLine: sourceText === undefined ? undefined : { number: num(Cell.SourceNumber) + index + 1, text: sourceText },
      warning: ref(Cell.Warning),
      issuedAt: time(Cell.IssuedAt),
      notBefore: time(Cell.NotBefore),
      approvalRequestId: str(Cell.ApprovalRequestId),
      finalReadAt: time(Cell.FinalReadAt),
    };
    for (const key of Object.keys(device) as (keyof DeviceRun)[]) if (device[key] === undefined) delete device[key];
    return device;
  });
  return { version: RUN_SCHEMA_VERSION, ...rest, devices };
}

/** Sentences come from the server too: one longer than the schema allows is cut, never a reason not to save. */
function clamped(run: BulkRun): BulkRun {
  const cut = (text: string | undefined, max: number) => (text !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return {
    ...run,
    pausedReason: cut(run.pausedReason, 1000),
    devices: run.devices.map((d) =>
      (d.message?.length ?? 0) > 1000 || (d.warning?.length ?? 0) > 500 || (d.reason?.length ?? 0) > 100
        ? { ...d, message: cut(d.message, 1000), warning: cut(d.warning, 500), reason: cut(d.reason, 100) }
        : d,
    ),
  };
}

export function serializeRun(run: BulkRun): string {
  // Parse on the way out too: only the schema's fields are written, whatever else an object carries, and what is
  // written always reads back (a record that would not load again would make Resume fail).
  return encode(runSchema.parse(clamped(run)) as BulkRun);
}

function validated(json: unknown): BulkRun | null {
  const parsed = runSchema.safeParse(json);
  if (!parsed.success) return null;
  const ids = new Set(parsed.data.devices.map((d) => d.id));
  if (ids.size !== parsed.data.devices.length) return null;
  return parsed.data as BulkRun;
}

export function parseStoredRun(text: string | null): BulkRun | null {
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const compact = compactSchema.safeParse(json);
  if (!compact.success) return null;
  try {
    return validated(decode(compact.data));
  } catch {
    return null;
  }
}

/**
 * A run stored by version 2. Its tickets were the server's clock (close to Graph's), and it did not record which
 * devices a send may have reached: any device it sent to counts as reached, as version 2 judged them.
 */
function parseLegacyRun(text: string | null): BulkRun | null {
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = legacyRunSchema.safeParse(json);
  if (!parsed.success) return null;
  return validated({
    ...parsed.data,
    version: RUN_SCHEMA_VERSION,
    devices: parsed.data.devices.map((d) => (d.sends > 0 ? { ...d, reached: true } : d)),
  });
}

export interface RunStore {
  load(): BulkRun | null;
  /** Throws when the browser refuses to store it (quota): the engine then does not send. */
  save(run: BulkRun): void;
  clear(): void;
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function createRunStore(storage: StorageLike, key: string): RunStore {
  const legacy = legacyStorageKey(key);
  return {
    load: () => parseStoredRun(storage.getItem(key)) ?? (legacy && storage.getItem(key) === null ? parseLegacyRun(storage.getItem(legacy)) : null),
    save: (run) => {
      storage.setItem(key, serializeRun(run));
      if (legacy) storage.removeItem(legacy);
    },
    clear: () => {
      storage.removeItem(key);
      if (legacy) storage.removeItem(legacy);
    },
  };
}

/** The browser would not save the run: nothing more may be sent (docs/safety.md, "A reload or a closed tab ..."). */
export class RunNotSavedError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : "The run could not be saved in this browser.");
    this.name = "RunNotSavedError";
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === "QuotaExceededError" || error.name === "NS_ERROR_DOM_QUOTA_REACHED" || code === 22 || code === 1014 || /quota/i.test(error.message);
}

/** What localStorage holds: all of it, and the bulk runs other than `ownKey` (another account's, an older version's). */
function usage(storage: Partial<Pick<Storage, "length" | "key" | "getItem">>, ownKey: string): { total: number; otherRuns: number; otherRunCount: number } | null {
  if (typeof storage.length !== "number" || !storage.key || !storage.getItem) return null;
  let total = 0;
  let otherRuns = 0;
  let otherRunCount = 0;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === null) continue;
    const size = key.length + (storage.getItem(key)?.length ?? 0);
    total += size;
    if (key.startsWith(KEY_PREFIX) && key !== ownKey) {
      otherRuns += size;
      otherRunCount++;
    }
  }
  return { total, otherRuns, otherRunCount };
}

const millions = (n: number) => `${(n / 1_000_000).toLocaleString("en", { maximumFractionDigits: 1 })} million`;

/**
 * One sentence on why the run could not be saved, what that means for sending, and what to do. `when`: before the
 * first send (nothing was sent) or during the run (nothing more is sent).
 */
export function describeSaveFailure(
  error: unknown,
  storage: Partial<Pick<Storage, "length" | "key" | "getItem">> | undefined,
  ownKey: string,
  when: "start" | "resume" | "during",
): string {
  const cause = error instanceof RunNotSavedError ? error.reason : error;
  const consequence = {
    start: "A run that cannot be saved could not be resumed safely after a reload, so nothing was sent.",
    resume: "A run that cannot be saved could not be resumed safely after a reload, so it was not resumed: nothing more was sent.",
    during:
      "A run that cannot be saved could not be resumed safely after a reload, so it stopped: nothing more is sent. What this panel shows is not saved: export the results (CSV) before you close this tab.",
  }[when];
  if (!isQuotaError(cause)) {
    const detail = cause instanceof Error && cause.message ? ` (${cause.message.replace(/\.$/, "")})` : "";
    return `This browser would not save the bulk run${detail}. ${consequence}`;
  }
  const used = storage ? usage(storage, ownKey) : null;
  const others =
    used && used.otherRunCount > 0
      ? ` Other bulk runs saved on this PC (another account's, or one not closed) take ${millions(used.otherRuns)} characters of it: sign in as that account and close them, or clear this site's data in the browser.`
      : " Clear this site's data in the browser, or run fewer devices at a time.";
  const full = used ? ` (${millions(used.total)} characters are in use; the browser allows about 5.2 million)` : "";
  return `This browser's storage for the console is full${full}, so the bulk run could not be saved. ${consequence}${others}`;
}
