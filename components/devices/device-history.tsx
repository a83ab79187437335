"use client";

import { formatDateTime, formatWhen } from "@/lib/devices/format";
import { HISTORY_DAYS, type HistoryEntry, type HistoryTone } from "@/lib/devices/history";

const TONE_CLASS: Record<HistoryTone, string> = {
  success: "text-success",
  info: "text-fg",
  warning: "text-warning",
  danger: "text-danger",
  muted: "text-muted",
};

const ACTION_NAME = { reset: "Autopilot Reset", sync: "Sync" } as const;

/**
 * A device's reset history (docs/product.md, "A device's reset history"): every Autopilot Reset and Sync of the last
 * 30 days, newest first, from Intune's audit log and this console's own records (lib/devices/history.ts builds it on
 * the server). A list, not a table, so it reads on a phone as on a desktop.
 */
export function DeviceHistory({ history, now }: { history: { entries: HistoryEntry[]; consoleRecords: boolean } | undefined; now: Date }) {
  return (
    <section aria-labelledby="history-heading" className="rounded border border-line bg-surface p-4" data-testid="device-history">
      <h2 id="history-heading" className="mb-1 text-base font-semibold">
        Reset history
      </h2>
      <p className="mb-3 text-sm text-muted">
        Autopilot Resets and Syncs of the last {HISTORY_DAYS} days, newest first, from Intune&apos;s audit log and this
        console&apos;s own records (which alone hold the ticket reference).
      </p>
      {!history ? (
        <p className="text-sm italic text-muted">Reading…</p>
      ) : history.entries.length === 0 ? (
        <p className="text-sm" data-testid="device-history-empty">
          No Autopilot Reset or Sync in the last {HISTORY_DAYS} days.
        </p>
      ) : (
        <ol className="divide-y divide-line text-sm" aria-label="Reset history">
          {history.entries.map((entry) => (
            <li key={`${entry.action}-${entry.at}-${entry.source}`} className="grid gap-x-4 gap-y-0.5 py-2 sm:grid-cols-[minmax(9rem,auto)_1fr]" data-testid="device-history-entry">
              <div>
                <span className="font-semibold">{ACTION_NAME[entry.action]}</span>
                <div className="text-muted" title={formatDateTime(entry.at)}>
                  {formatWhen(entry.at, now)}
                </div>
              </div>
              <div className="min-w-0 space-y-0.5">
                <p className={TONE_CLASS[entry.tone]} data-testid="device-history-outcome">
                  {entry.outcome}
                </p>
                <p className="break-words text-muted">
                  {entry.by ? <>Asked by {entry.by}</> : "Who asked is not known"}
                  {entry.ticketReference && (
                    <>
                      {" · "}Ticket <span className="text-fg" data-testid="device-history-ticket">{entry.ticketReference}</span>
                    </>
                  )}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {history && !history.consoleRecords && (
        <p className="mt-2 text-sm text-muted" role="status">
          This console&apos;s own records could not be read just now, so the ticket references and sends Intune does not show
          yet are missing; they come back with the next read.
        </p>
      )}
    </section>
  );
}
