/**
 * The bulk run's vocabulary, shared by the pure logic (lib/bulk), the Graph batch path (lib/graph/batch.ts), the server
 * actions (lib/actions/bulk.ts) and the UI (components/bulk).
 */
import type { ActionError } from "@/lib/actions/result";
import type { Device, RecentReset, ResetAudit } from "@/lib/devices/types";

/** At most this many sub-requests in one JSON $batch (docs/graph.md, "JSON batching"). */
export const MAX_BATCH_SIZE = 20;

/** What Graph said about one sub-request of a write $batch. */
export type SendOutcome =
  /** 2xx: Graph accepted the command. */
  | { deviceId: string; kind: "accepted"; status: number }
  /**
   * 429. For a wipe this is also unclear (docs/graph.md, "Throttling and Retry-After": a 429 was seen after the wipe
   * went through).
   */
  | { deviceId: string; kind: "throttled"; status: number; retryAfterSeconds?: number; requestId?: string }
  /** 5xx, a timeout, a network error, or no sub-response at all: the command may or may not have been applied. */
  | { deviceId: string; kind: "unclear"; status?: number; message: string; requestId?: string }
  /** A definitive refusal (4xx other than 429): nothing was applied. */
  | { deviceId: string; kind: "rejected"; status: number; error: ActionError }
  /** Nothing was sent, and Graph's state is known to allow a later send (e.g. the pre-send read failed). */
  | { deviceId: string; kind: "not-sent"; message: string; retryAfterSeconds?: number }
  /** Another request to this device is under way (a colleague, another tab): nothing was sent; look again later. */
  | { deviceId: string; kind: "busy"; busyForMs: number; message: string }
  /** The pre-send read showed a reset already under way: nothing was sent. */
  | { deviceId: string; kind: "already-pending"; by: string | null; since: string | null };

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
}

export interface ReadAnswer extends ServerClock {
  reads: DeviceRead[];
}

/** What a read of one device's state found (the reconciliation step and the preflight of an id selection). */
export type DeviceRead =
  | {
      deviceId: string;
      kind: "found";
      device: Device;
      /** The device's reset audits (empty where the role may not read them, and for plain device reads). */
      audits?: ResetAudit[];
      /** A reset this console confirmed sending a moment ago. */
      recent?: RecentReset | null;
      /** A request to this device that may still reach Graph: decide nothing for this long. */
      busyForMs?: number;
    }
  | { deviceId: string; kind: "not-found" }
  | { deviceId: string; kind: "error"; error: ActionError };

/** A device the run will act on, with the little the results list needs. */
export interface RunDeviceInput {
  id: string;
  name: string;
  /** A warning shown with the device (e.g. offline for days: the reset waits for its next check-in). */
  warning?: string;
}

export interface SkippedDeviceInput extends RunDeviceInput {
  /** A stable code (from the eligibility rules or the run), for counting and CSV. */
  reason: string;
  /** The sentence shown to the user. */
  message: string;
}
