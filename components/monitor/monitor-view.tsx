"use client";

import { useCallback, useMemo, useSyncExternalStore } from "react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useMsal } from "@azure/msal-react";
import { Download, RotateCw } from "lucide-react";
import { formatDateTime } from "@/lib/devices/format";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { downloadCsv } from "@/components/bulk/download";
import { toCsv } from "@/lib/bulk/csv";
import { monitorCsvFileName, monitorCsvTable } from "@/lib/monitor/export";
import { SlowReadNotice } from "@/components/ui/slow-read-notice";
import { ALL_ACTIONS, countRows, filterRows, initiatorsOf, monitorHref, MONITOR_WINDOW, TIME_FILTER_LABELS, type MonitorFilters as Filters } from "@/lib/monitor/filters";
import type { MonitorRow } from "@/lib/monitor/monitor-row";
import { serviceNow } from "@/lib/monitor/pending-for";
import { refreshIntervalMs } from "@/lib/monitor/polling";
import { STATE_FILTER_LABELS } from "@/lib/monitor/status-wording";
import { toActionError } from "@/lib/queries/action-failure";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import { MonitorFilters } from "./monitor-filters";
import { MonitorTable } from "./monitor-table";
import { monitorUrlParsers } from "./monitor-url-state";
import { SyncAllPending } from "./sync-all-pending";
import { monitorQueryKey, useDeviceActionsMonitor, useMonitorRows } from "@/lib/queries/device-actions-monitor";
import { useSyncNudge, useSyncPermission } from "./use-sync-nudge";

function subscribeVisibility(onChange: () => void) {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

const useTabVisible = () => useSyncExternalStore(subscribeVisibility, () => document.visibilityState === "visible", () => true);

const COUNT_ORDER = ["awaitingApproval", "pending", "active", "done", "failed", "notSupported"] as const;

export function MonitorView() {
  const query = useDeviceActionsMonitor();
  const accountId = useAccountId();
  const browserNow = useNow(15_000);
  const now = useMemo(
    () => serviceNow(browserNow, query.data?.newestCheckIn ?? null, query.dataUpdatedAt),
    [browserNow, query.data, query.dataUpdatedAt],
  );
  const rows = useMonitorRows(query.data, now);
  const [url, setUrl] = useQueryStates(monitorUrlParsers, { history: "replace" });
  const { instance, accounts } = useMsal();
  const me = (instance.getActiveAccount() ?? accounts[0])?.username ?? null;
  const visible = useTabVisible();
  const syncPermission = useSyncPermission();
  const syncUnavailable = syncPermission.allowed ? undefined : syncPermission.message;
  const nudge = useSyncNudge();

  const filters: Filters = useMemo(
    () => ({ search: url.q, action: url.action, state: url.state, initiator: url.by, time: url.time }),
    [url.q, url.action, url.state, url.by, url.time],
  );
  const shown = useMemo(() => filterRows(rows, filters, now), [rows, filters, now]);
  const counts = useMemo(() => countRows(filterRows(rows, { ...filters, state: null }, now)), [rows, filters, now]);
  const exportCsv = () => {
    const table = monitorCsvTable(shown, now);
    downloadCsv(monitorCsvFileName(new Date()), toCsv(table.fields, table.rows));
  };
  const initiators = useMemo(() => initiatorsOf(rows), [rows]);
  // "4 of 4 actions" with four rows: the whole counts as the table would list it unfiltered.
  const total = useMemo(() => filterRows(rows, ALL_ACTIONS, now).length, [rows, now]);
  const onSync = useCallback((row: MonitorRow) => row.deviceId && void nudge.send(row.deviceId, row.deviceName), [nudge]);

  const snapshot = query.data;
  const nextSeconds = snapshot ? Math.round(refreshIntervalMs(snapshot.lastGraphRequests) / 1000) : null;

  return (
    <div className="space-y-4">
      <p className="max-w-4xl text-sm text-muted">
        Autopilot Resets from Intune&apos;s audit log ({TIME_FILTER_LABELS[MONITOR_WINDOW].toLowerCase()}), the resets awaiting approval under Multi Admin Approval, and
        the syncs sent from this browser. A reset starts when the device next checks in; Sync makes a pending device check in sooner.
      </p>

      <div className="flex flex-wrap items-end gap-3">
        <MonitorFilters filters={filters} initiators={initiators} me={me} onChange={(next) => void setUrl({
          ...("search" in next ? { q: next.search } : {}),
          ...("action" in next ? { action: next.action } : {}),
          ...("state" in next ? { state: next.state } : {}),
          ...("initiator" in next ? { by: next.initiator } : {}),
          ...("time" in next ? { time: next.time } : {}),
        })} />
        <SyncAllPending rows={shown} unavailableReason={syncUnavailable}>
          <Button onClick={exportCsv} disabled={shown.length === 0} title={shown.length === 0 ? "No rows to export" : undefined}>
            <Download aria-hidden="true" className="size-4" /> Export (CSV)
          </Button>
          <Button onClick={() => void query.refetch()} disabled={query.isFetching} aria-label="Refresh now">
            <RotateCw aria-hidden="true" className={`size-4 ${query.isFetching ? "animate-spin" : ""}`} /> Refresh
          </Button>
        </SyncAllPending>
      </div>

      <div className="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Counts by state">
        {/* Each count is a link to the list filtered by its state (again: all states), so it can be opened or shared. */}
        {COUNT_ORDER.filter((state) => state !== "awaitingApproval" || counts.awaitingApproval > 0 || url.state === state).map((state) => (
          <Link
            key={state}
            href={monitorHref({ ...url, state: url.state === state ? null : state })}
            replace
            scroll={false}
            aria-current={url.state === state ? "true" : undefined}
            data-testid={`count-link-${state}`}
            className={`rounded border px-2 py-1 text-fg no-underline hover:underline ${url.state === state ? "border-brand bg-selected" : "border-line bg-surface hover:bg-surface-hover"}`}
          >
            {STATE_FILTER_LABELS[state]}: <span className="font-semibold" data-testid={`count-${state}`}>{counts[state].toLocaleString()}</span>
            <span className="sr-only">{url.state === state ? " (shown; select to show all states)" : " (show these)"}</span>
          </Link>
        ))}
        <span className="ml-auto text-xs text-muted" role="status" aria-live="off" data-testid="monitor-refresh-status">
          {!visible
            ? "Paused while this tab is hidden."
            : query.dataUpdatedAt
              ? `Updated ${formatDateTime(new Date(query.dataUpdatedAt).toISOString())}; refreshes every ${nextSeconds} s while visible.`
              : "Reading the audit log…"}
        </span>
      </div>

      {query.error && <ErrorMessage error={toActionError(query.error)} onRetry={() => void query.refetch()} />}
      <SlowReadNotice isFetching={query.isFetching} queryKey={monitorQueryKey(accountId)} refetch={query.refetch} />
      {snapshot && !snapshot.actionsComplete && (
        <Notice tone="warning">Only the newest 10,000 resets could be refreshed; narrow the time filter to see older ones update.</Notice>
      )}
      {snapshot && snapshot.ignoredByGraph.length > 0 && (
        <Notice tone="info">Graph ignored a date filter on this read; the console removed the rows outside the window itself.</Notice>
      )}

      {snapshot ? (
        <>
          <p className="text-sm" role="status">
            {shown.length.toLocaleString()} of {total.toLocaleString()} actions
          </p>
          {shown.length === 0 ? (
            <Notice tone="info">No device actions match these filters.</Notice>
          ) : (
            <MonitorTable rows={shown} now={now} onSync={onSync} syncing={nudge.sending} syncUnavailableReason={syncUnavailable} />
          )}
        </>
      ) : (
        !query.error && (
          <p role="status" className="text-muted">
            Loading device actions…
          </p>
        )
      )}
    </div>
  );
}
