/**
 * The reset watcher's rule: while the console is open, tell the signed-in user when a reset they started completes or
 * fails. It compares the previous read of the audit log with the current one; the first read is only a baseline.
 */
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { isInFlight, resetStateOfAudit } from "./monitor-row";
import type { ActionStateName } from "./status-wording";

export interface FinishedReset {
  auditId: string;
  deviceId: string | null;
  deviceName: string;
  state: Extract<ActionStateName, "done" | "failed" | "notSupported">;
}

const FINISHED = new Set<ActionStateName>(["done", "failed", "notSupported"]);

export function finishedResets(
  previous: readonly DeviceActionRecord[] | undefined,
  current: readonly DeviceActionRecord[],
  userPrincipalName: string | null | undefined,
): FinishedReset[] {
  if (!previous || !userPrincipalName) return [];
  const me = userPrincipalName.toLowerCase();
  const before = new Map(previous.map((record) => [record.id, resetStateOfAudit(record)]));
  const baseline = previous.reduce((newest, record) => Math.max(newest, Date.parse(record.requestedAt ?? "") || 0), 0);
  const out: FinishedReset[] = [];
  for (const record of current) {
    if ((record.initiatedBy ?? "").toLowerCase() !== me) continue;
    const state = resetStateOfAudit(record);
    if (!FINISHED.has(state)) continue;
    const was = before.get(record.id);
    // Under way before and finished now; or started and finished between two reads (newer than anything seen).
    const startedAndFinishedUnseen = was === undefined && (Date.parse(record.requestedAt ?? "") || 0) > baseline;
    if ((was !== undefined && isInFlight(was)) || startedAndFinishedUnseen) {
      out.push({
        auditId: record.id,
        deviceId: record.deviceId,
        deviceName: record.deviceName ?? record.deviceId ?? "a device",
        state: state as FinishedReset["state"],
      });
    }
  }
  return out;
}

/** One toast of the watcher: a short summary and where to see the details. */
export interface ResetToast {
  id: string;
  tone: "success" | "error";
  title: string;
  /** One sentence more (a single failure's reason and fix); absent for a summary of several. */
  description?: string;
  href: string;
  linkLabel: string;
}

const MONITOR_PATH = "/devices/actions";

export interface FailureWords {
  failed: { reason: string; fix: string };
  notSupported: { reason: string; fix: string };
}

/**
 * What the watcher says for the resets that finished in one refresh (issue 23, item 10): at most one toast for the
 * completions and one for the failures, each a short summary with a link to where the details are; and nothing about a
 * reset the page in front of the user already shows (Device actions shows them all, a device's page its own).
 */
export function resetToasts(finished: readonly FinishedReset[], pathname: string, words: FailureWords): ResetToast[] {
  if (pathname === MONITOR_PATH || pathname.startsWith(`${MONITOR_PATH}/`)) return [];
  const devicePage = /^\/devices\/windows\/([^/]+)$/.exec(pathname);
  const shownHere = devicePage ? decodeURIComponent(devicePage[1]!) : null;
  const told = finished.filter((reset) => reset.deviceId === null || reset.deviceId !== shownHere);
  const deviceHref = (reset: FinishedReset) => (reset.deviceId ? `/devices/windows/${encodeURIComponent(reset.deviceId)}` : `${MONITOR_PATH}?action=reset`);
  const toasts: ResetToast[] = [];
  const completed = told.filter((reset) => reset.state === "done");
  if (completed.length === 1) {
    const [reset] = completed as [FinishedReset];
    toasts.push({ id: reset.auditId, tone: "success", title: `Autopilot Reset of ${reset.deviceName} is complete.`, href: deviceHref(reset), linkLabel: "Open device" });
  } else if (completed.length > 1) {
    toasts.push({
      id: completed.map((reset) => reset.auditId).join(","),
      tone: "success",
      title: `${completed.length} Autopilot Resets you started are complete.`,
      href: `${MONITOR_PATH}?action=reset&state=done`,
      linkLabel: "Show them",
    });
  }
  const failed = told.filter((reset) => reset.state !== "done");
  if (failed.length === 1) {
    const [reset] = failed as [FinishedReset];
    const why = reset.state === "failed" ? words.failed : words.notSupported;
    toasts.push({
      id: reset.auditId,
      tone: "error",
      title: `Autopilot Reset of ${reset.deviceName} ${reset.state === "failed" ? "failed" : "is not supported"}.`,
      description: `${why.reason} Fix: ${why.fix}`,
      href: deviceHref(reset),
      linkLabel: "Open device",
    });
  } else if (failed.length > 1) {
    const states = new Set(failed.map((reset) => reset.state));
    const state = states.size === 1 ? `&state=${failed[0]!.state}` : "";
    toasts.push({
      id: failed.map((reset) => reset.auditId).join(","),
      tone: "error",
      title: `${failed.length} Autopilot Resets you started did not complete.`,
      href: `${MONITOR_PATH}?action=reset${state}`,
      linkLabel: "Show them",
    });
  }
  return toasts;
}
