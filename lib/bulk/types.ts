/**
 * The bulk run's vocabulary, shared by the pure logic (lib/bulk), the Graph batch path (lib/graph/batch.ts), the server
 * actions (lib/actions/bulk.ts) and the UI (components/bulk).
 */
import type { ActionError } from "@/lib/actions/result";
import type { Device } from "@/lib/devices/types";

export type BulkAction = "reset" | "sync";

/** At most this many sub-requests in one JSON $batch (GRAPH.md §1). */
export const MAX_BATCH_SIZE = 20;

/** What Graph said about one sub-request of a write $batch. */
export type SendOutcome =
  /** 2xx: Graph accepted the command. */
  | { deviceId: string; kind: "accepted"; status: number }
  /** 429. For a wipe this is also unclear (GRAPH.md §6: a 429 was seen after the wipe went through). */
  | { deviceId: string; kind: "throttled"; status: number; retryAfterSeconds?: number; requestId?: string }
  /** 5xx, a timeout, a network error, or no sub-response at all: the command may or may not have been applied. */
  | { deviceId: string; kind: "unclear"; status?: number; message: string; requestId?: string }
  /** A definitive refusal (4xx other than 429): nothing was applied. */
  | { deviceId: string; kind: "rejected"; status: number; error: ActionError };

/** What a read of one device's state found (the reconciliation step and the preflight of an id selection). */
export type DeviceRead =
  | { deviceId: string; kind: "found"; device: Device }
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
