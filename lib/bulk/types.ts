/**
 * The bulk run's vocabulary, shared by the pure logic (lib/bulk), the server actions (lib/actions/bulk.ts) and the UI
 * (components/bulk). What Graph answered per device lives with the Graph batch path (lib/graph/batch-types.ts).
 */
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import { INTUNE_WRITE_LIMIT } from "./pacer";

/**
 * Devices one bulk call (send or read) carries: a fresh write window's worth, so a run of up to 200 goes out in one
 * round trip (the server fans it out into $batches of 20 side by side, lib/graph/batch.ts).
 */
export const MAX_DEVICES_PER_CALL = INTUNE_WRITE_LIMIT.windowCapacity;

/** What the server says about time with every bulk answer: its own clock and Graph's. */
export interface ServerClock {
  /** The console server's clock (ms since epoch), for send tickets. */
  serverTime: number;
  /** Graph's clock (its latest Date header, ms), for comparisons with Graph's timestamps; undefined if unknown. */
  graphTime?: number;
}

export interface ChunkAnswer extends ServerClock {
  outcomes: SendOutcome[];
  /** Graph's clock right before the chunk's writes left: a reset that started since is this chunk's. */
  sentAfterGraph?: number;
  /** The server's clock when the writes left: with `serverTime`, how long before the answer they left (pacing). */
  sentAtServer?: number;
}

export interface ReadAnswer extends ServerClock {
  reads: DeviceRead[];
}

/** A device the run will act on, with the little the results list needs. */
export interface RunDeviceInput {
  id: string;
  name: string;
  /** A warning shown with the device (e.g. offline for days: the reset waits for its next check-in). */
  warning?: string;
  /** The line of the user's list that named the device (docs/product.md, "Journey 7"), kept for the results CSV. */
  sourceLine?: SourceLine;
  /** For the results CSV, as Intune had them at the preflight. */
  serialNumber?: string;
  /** The primary user's UPN. */
  primaryUser?: string;
}

/** A line of a pasted or uploaded list: its number and its text as written. */
export interface SourceLine {
  number: number;
  text: string;
}

export interface SkippedDeviceInput extends RunDeviceInput {
  /** A stable code (from the eligibility rules or the run), for counting and CSV. */
  reason: string;
  /** The sentence shown to the user. */
  message: string;
}
