/**
 * A device's reset history (docs/product.md, "A device's reset history"): every Autopilot Reset and Sync of the last
 * 30 days, from Intune's audit log (remoteActionAudits) merged with this console's own record of what it sent
 * (lib/server/send-notes.ts), which alone holds the ticket reference. Pure: the server action reads both and this
 * merges them, drops the audit or record that is the other's twin, and orders them newest first.
 */
import { AUTOPILOT_RESET_AUDIT_ACTIONS, isActionNamed, SYNC_ACTION_NAMES, timeOf } from "./action-results";
import type { ActionState, DeviceAction, ResetAudit } from "./types";

/** How far back the history goes. */
export const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

/** What became of a send, as this console recorded it. */
export const SEND_RECORD_STATES = ["in-flight", "accepted", "unclear", "throttled", "refused", "approval-requested"] as const;
export type SendRecordState = (typeof SEND_RECORD_STATES)[number];

/** This console's record of one send (who pressed Yes, when on Graph's clock, what came of it, the ticket reference). */
export interface ConsoleSendRecord {
  action: DeviceAction;
  at: string;
  by: string;
  state: SendRecordState;
  ticketReference?: string;
}

export type HistoryTone = "success" | "info" | "warning" | "danger" | "muted";

export interface HistoryEntry {
  action: DeviceAction;
  /** When it was asked for (Graph's clock), ISO. */
  at: string;
  by: string | null;
  outcome: string;
  tone: HistoryTone;
  ticketReference: string | null;
  /** Where it was seen: Intune's audit log, this console's record, or both (one send). */
  source: "intune" | "console" | "both";
  /** It reached Intune, or may have (false: refused, or only an approval was asked for). */
  sent: boolean;
}

/**
 * An audit is the twin of a console record when it is the same action, asked for from a little before the record's
 * time (clocks of two Graph answers) to two minutes after it (the write's own time at Graph).
 */
const TWIN_BEFORE_MS = 5_000;
const TWIN_AFTER_MS = 120_000;

const AUDIT_OUTCOMES: Record<string, { outcome: string; tone: HistoryTone }> = {
  done: { outcome: "Complete", tone: "success" },
  pending: { outcome: "Pending: waiting for the device to check in", tone: "info" },
  active: { outcome: "In progress on the device", tone: "info" },
  failed: { outcome: "Failed", tone: "danger" },
  canceled: { outcome: "Canceled", tone: "muted" },
  notSupported: { outcome: "Not supported by the device", tone: "warning" },
};

const RECORD_OUTCOMES: Record<SendRecordState, { outcome: string; tone: HistoryTone }> = {
  "in-flight": { outcome: "Sent; Intune's answer did not come back", tone: "warning" },
  accepted: { outcome: "Sent; Intune accepted it", tone: "info" },
  unclear: { outcome: "Sent; Intune's answer was unclear", tone: "warning" },
  throttled: { outcome: "Sent; Intune was limiting requests", tone: "warning" },
  refused: { outcome: "Refused by Intune; nothing was applied", tone: "muted" },
  "approval-requested": { outcome: "Approval asked for; nothing was sent yet", tone: "info" },
};

function auditAction(name: string): DeviceAction | null {
  if (isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, name)) return "reset";
  if (isActionNamed(SYNC_ACTION_NAMES, name)) return "sync";
  return null;
}

function auditOutcome(state: ActionState): { outcome: string; tone: HistoryTone } {
  return AUDIT_OUTCOMES[state] ?? { outcome: "Not known", tone: "muted" };
}

/** The console record of the same send as an audit of `action` asked for at `requestedAt` (the closest), if any. */
export function twinOf(action: DeviceAction, requestedAt: string | null, records: readonly ConsoleSendRecord[], used: ReadonlySet<ConsoleSendRecord> = new Set()): ConsoleSendRecord | undefined {
  const at = timeOf(requestedAt);
  let twin: ConsoleSendRecord | undefined;
  for (const r of records) {
    if (used.has(r) || r.action !== action || r.state === "refused" || r.state === "approval-requested") continue;
    const gap = at - timeOf(r.at);
    if (gap < -TWIN_BEFORE_MS || gap > TWIN_AFTER_MS) continue;
    if (!twin || Math.abs(gap) < Math.abs(at - timeOf(twin.at))) twin = r;
  }
  return twin;
}

/** Every reset and sync of the last 30 days before `now`, newest first; each send once. */
export function deviceHistory(input: { audits: readonly ResetAudit[]; records: readonly ConsoleSendRecord[]; now: number }): HistoryEntry[] {
  const from = input.now - HISTORY_DAYS * DAY_MS;
  const inWindow = (at: string | null | undefined) => timeOf(at) >= from;
  const records = input.records.filter((r) => inWindow(r.at)).sort((a, b) => timeOf(b.at) - timeOf(a.at));
  const used = new Set<ConsoleSendRecord>();
  const entries: HistoryEntry[] = [];
  const audits = input.audits
    .flatMap((audit) => {
      const action = auditAction(audit.action);
      return action && inWindow(audit.requestedAt) ? [{ audit, action }] : [];
    })
    .sort((a, b) => timeOf(b.audit.requestedAt) - timeOf(a.audit.requestedAt));
  for (const { audit, action } of audits) {
    // The closest unmatched record of the same send (a console record is one send, an audit is one request at Graph).
    const twin = twinOf(action, audit.requestedAt, records, used);
    if (twin) used.add(twin);
    entries.push({
      action,
      at: audit.requestedAt!,
      by: twin?.by ?? audit.initiatedBy,
      ...auditOutcome(audit.state),
      ticketReference: twin?.ticketReference ?? null,
      source: twin ? "both" : "intune",
      sent: true,
    });
  }
  for (const r of records) {
    if (used.has(r)) continue;
    entries.push({ action: r.action, at: r.at, by: r.by, ...RECORD_OUTCOMES[r.state], ticketReference: r.ticketReference ?? null, source: "console", sent: r.state !== "refused" && r.state !== "approval-requested" });
  }
  return entries.sort((a, b) => timeOf(b.at) - timeOf(a.at));
}

/** The newest Autopilot Reset that reached Intune (or may have) since `since`: for "Recently reset" in preflights. */
export function lastResetSince(history: readonly HistoryEntry[], since: number): HistoryEntry | null {
  return history.find((e) => e.action === "reset" && e.sent && timeOf(e.at) >= since) ?? null;
}
