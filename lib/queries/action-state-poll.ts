import { deriveResetStatus, deriveSyncStatus } from "@/lib/devices/action-status";
import type { DeviceActionState } from "@/lib/actions/device-actions";
import { toActionError } from "./action-failure";

/** While a reset or sync is under way, look again every few seconds; otherwise every minute. */
export const ACTION_STATE_POLL_MS = 3_000;
const IDLE_POLL_MS = 60_000;
/** After a look that failed for a passing reason (the server restarting, a network drop, Graph busy). */
export const ACTION_STATE_RETRY_MS = 15_000;

/**
 * When a device page looks at its device again (false: not until something else asks). A failed look never stops a
 * page from following its device for good: a server that restarts while a reset is on its way would otherwise leave
 * the page saying what it said before, until a reload. Only an answer that waiting cannot change (sign in again, no
 * such device, no permission) stops it.
 */
export function actionStatePollMs(state: DeviceActionState | undefined, error: unknown, now: Date): number | false {
  if (error) {
    const failure = toActionError(error);
    if (failure.kind !== "unavailable" && failure.kind !== "throttled" && failure.kind !== "unclear") return false;
    return Math.max(ACTION_STATE_RETRY_MS, (failure.retryAfterSeconds ?? 0) * 1000);
  }
  if (!state) return false;
  // A request being sent right now (by anyone) is answered within seconds: look again soon.
  if (state.inFlight) return Math.min(ACTION_STATE_POLL_MS, Math.max(500, state.inFlight.busyForMs));
  const reset = deriveResetStatus(state.device, now, { audits: state.audits, recent: state.recentReset }).state;
  const sync = deriveSyncStatus(state.device, now).state;
  return reset === "pending" || reset === "active" || sync === "pending" ? ACTION_STATE_POLL_MS : IDLE_POLL_MS;
}
