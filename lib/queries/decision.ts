/**
 * A Yes is sent now or not at all (docs/safety.md, "A Yes pressed offline"): a decision made while the browser is
 * offline sends nothing and says so, and one that waited more than a minute before it could leave (a slow sign-in, a
 * network that came back) is asked again, since the person may have walked away. Times are the page's monotonic clock
 * (`performance.now()`), which a wrong PC clock does not move.
 */
import type { DeviceAction } from "@/lib/devices/types";
import { ActionFailure } from "@/lib/result";

/** How long a Yes stands before it must be asked again. */
export const DECISION_LIFETIME_MS = 60_000;

export type DecisionProblem = "offline" | "stale";

export function decisionProblem(decidedAt: number, now: number, online: boolean): DecisionProblem | null {
  if (!online) return "offline";
  if (now - decidedAt > DECISION_LIFETIME_MS) return "stale";
  return null;
}

const ACTION_NAME: Record<DeviceAction, string> = { reset: "Autopilot Reset", sync: "Sync" };

/** The sentence for a Yes not sent; `press` is the button that asks again ("Autopilot Reset", or a dialog's "Yes"). */
export function decisionSentence(problem: DecisionProblem, press: string): string {
  return problem === "offline"
    ? `This browser is offline, so nothing was sent. Check your connection, then press ${press} again if you still want it.`
    : `Your Yes is more than a minute old, so nothing was sent. Press ${press} again if you still want it.`;
}

/** Throws the sentence as the action's failure unless the Yes may still be sent now. */
export function sendOnlyIfCurrent(action: DeviceAction, decidedAt: number, now = performance.now(), online = navigator.onLine): void {
  const problem = decisionProblem(decidedAt, now, online);
  if (problem) throw new ActionFailure({ kind: "unavailable", message: decisionSentence(problem, ACTION_NAME[action]) });
}
