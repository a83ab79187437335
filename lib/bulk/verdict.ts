/**
 * What a read of a device says about the command a bulk run sent it: applied, someone else's reset under way, or not
 * applied (so it may be sent again). Every time compared is Graph's own (docs/safety.md).
 */
import { SYNC_ACTION_NAMES } from "@/lib/devices/action-results";
import { findPendingReset, resetStartedSince } from "@/lib/devices/reset-evidence";
import type { DeviceAction } from "@/lib/devices/types";
import { formatDateTime } from "@/lib/devices/format";
import type { DeviceRead } from "@/lib/graph/batch-types";

/** A reset someone else sent: who and when, as Graph or the console's record say (either may be unknown). */
export function alreadyPendingMessage(by: string | null, since: string | null = null): string {
  const when = since && !Number.isNaN(Date.parse(since)) ? ` at ${formatDateTime(since)}` : "";
  return by
    ? `Skipped: a reset was already sent by ${by}${when}, and it is still pending; this run sent none.`
    : `Skipped: a reset is already pending on this device${when ? ` (sent${when})` : ""}; this run sent none.`;
}

export type CheckVerdict =
  /** Our command is on record (or its effect is visible): it was applied. */
  | { kind: "applied"; evidence: string }
  /** Someone else's reset is under way (it started before this run reached the device): do not send another. */
  | { kind: "other-pending"; by: string | null; since: string | null }
  /** Nothing shows our command: it may be sent (again). */
  | { kind: "not-applied" };

/**
 * Decides from a device's state whether the command this run sent was applied. `reached`: a send of this run may have
 * reached Graph (without it nothing Graph shows is this run's); `sentAfterGraph` is Graph's clock before the first such
 * send left; every time compared with it is Graph's own. Pure and exported for tests.
 */
export function judgeDeviceState(
  action: DeviceAction,
  read: Extract<DeviceRead, { kind: "found" }>,
  sent: { reached: boolean; sentAfterGraph?: number },
): CheckVerdict {
  const evidence = { device: read.device, audits: read.audits ?? [], recent: read.recent ?? null };
  const { reached, sentAfterGraph } = sent;
  if (action === "reset") {
    const pending = findPendingReset(evidence);
    if (pending) {
      if (!reached) return { kind: "other-pending", by: pending.by, since: pending.since };
      const since = pending.since ? Date.parse(pending.since) : Number.NaN;
      if (sentAfterGraph !== undefined && !Number.isNaN(since) && since < sentAfterGraph - 1_000 && pending.source !== "console") {
        return { kind: "other-pending", by: pending.by, since: pending.since };
      }
      return { kind: "applied", evidence: `a reset ${pending.since ? `pending since ${pending.since}` : "pending"}` };
    }
    const started = !reached || sentAfterGraph === undefined ? null : resetStartedSince(evidence, sentAfterGraph);
    if (started) return { kind: "applied", evidence: `a reset that started at ${started.since}` };
    return { kind: "not-applied" };
  }
  // A sync this run never sent is not reported as its own; the device is simply sent (a second sync does no harm).
  if (!reached) return { kind: "not-applied" };
  if (read.recent) return { kind: "applied", evidence: `a sync sent at ${read.recent.at}` };
  const recorded = sentAfterGraph === undefined ? undefined : read.device.deviceActionResults.find((r) => {
    const start = r.startDateTime ? Date.parse(r.startDateTime) : Number.NaN;
    return SYNC_ACTION_NAMES.some((name) => name.toLowerCase() === r.actionName.toLowerCase()) && start >= sentAfterGraph - 1_000;
  });
  if (recorded) return { kind: "applied", evidence: `a sync recorded at ${recorded.startDateTime}` };
  const synced = read.device.lastSyncDateTime ? Date.parse(read.device.lastSyncDateTime) : Number.NaN;
  if (sentAfterGraph !== undefined && !Number.isNaN(synced) && synced >= sentAfterGraph - 1_000) {
    return { kind: "applied", evidence: `a check-in at ${read.device.lastSyncDateTime}` };
  }
  return { kind: "not-applied" };
}
