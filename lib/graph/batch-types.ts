/**
 * What one device's sub-request of a JSON $batch came back as: the vocabulary lib/graph/batch.ts answers in and the
 * bulk run (lib/bulk), its server actions and its UI read. Types and one constant only, so the browser bundle can import
 * it without the Graph client.
 */
import type { ActionError } from "@/lib/result";
import type { Device, RecentReset, ResetAudit } from "@/lib/devices/types";
import type { RefusalReason } from "@/lib/devices/eligibility";

export type { RefusalReason };

/** At most this many sub-requests in one JSON $batch (docs/graph.md, "JSON batching"). */
export const MAX_BATCH_SIZE = 20;

/** What Graph said about one sub-request of a write $batch. */
export type SendOutcome =
  /** 2xx: Graph accepted the command. */
  | {
      deviceId: string;
      kind: "accepted";
      status: number;
      /**
       * A reset sent to a device already reset in the last 24 hours (the person ticked it again in the preflight): the
       * server reports it, it does not refuse it (docs/product.md, "Recently reset").
       */
      recentlyReset?: { at: string; by: string | null };
    }
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
  | { deviceId: string; kind: "not-sent"; message: string; reason?: NotSentReason; retryAfterSeconds?: number }
  /**
   * The server judged, from its own read, that the device must not take this action (lib/devices/eligibility.ts):
   * nothing was sent, and sending again will not help. `nextStep` says what to do instead; `currentDeviceId` names
   * the device's current Intune record when this one is a stale duplicate.
   */
  | { deviceId: string; kind: "refused"; reason: RefusalReason; message: string; nextStep?: string; currentDeviceId?: string }
  /** Another request to this device is under way (a colleague, another tab): nothing was sent; look again later. */
  | { deviceId: string; kind: "busy"; busyForMs: number; message: string }
  /** The pre-send read showed a reset already under way: nothing was sent. */
  | { deviceId: string; kind: "already-pending"; by: string | null; since: string | null };

/** Why the server sent nothing to a device it may send to later (each has its own sentence for the user). */
export const NOT_SENT_REASONS = [
  /** The coordination store (Redis, or the data folder) could not be reached or written: nothing can be recorded. */
  "store-unavailable",
  /** The coordination store came back empty: a write sent before may still land, so nothing is sent until it cannot. */
  "store-restarted",
  /** The request's ticket was too old: the browser's reads may be stale. */
  "ticket-expired",
  /** The device could not be read before sending. */
  "read-failed",
  /** Reading took so long that the write could outlive the device's lock. */
  "slow-read",
] as const;
export type NotSentReason = (typeof NOT_SENT_REASONS)[number];

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
      /**
       * The newest Autopilot Reset of the last 24 hours on Graph's clock (audits and this console's records), for the
       * preflight's "Recently reset" (lib/devices/history.ts). Absent: none, or not read.
       */
      lastReset?: { at: string; by: string | null };
    }
  | { deviceId: string; kind: "not-found" }
  | { deviceId: string; kind: "error"; error: ActionError };
