"use client";
/**
 * Home's numbers for today (lib/home/today.ts renders nothing itself: this reads, the model decides). The monitor's
 * query is the one the reset watcher and Device actions share, so Home adds no audit reads of its own; the daily wipe
 * budget is counted by the server on Graph's clock; the bulk run is this browser's.
 */
import { useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useAccessToken } from "@/lib/auth/use-access-token";
import { createRunStore, runStorageKey } from "@/lib/bulk/persistence";
import { summarize } from "@/lib/bulk/summary";
import { todayTiles, type Read } from "@/lib/home/today";
import { serviceNow } from "@/lib/monitor/pending-for";
import { toActionError } from "@/lib/queries/action-failure";
import { useApprovalRequests } from "@/lib/queries/approvals";
import { fetchBulkGuardrails } from "@/lib/queries/bulk-transport";
import { useDeviceActionsMonitor, useMonitorRows } from "@/lib/queries/device-actions-monitor";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import type { WipeBudget } from "@/lib/bulk/daily-limit";
import { Button } from "@/components/ui/button";
import { loadResetWatcherNow } from "@/components/monitor/deferred-reset-watcher";

function readOf<T>(query: { data: T | undefined; error: unknown; isError: boolean }): Read<T> {
  if (query.data !== undefined) return { state: "read", value: query.data };
  if (query.isError) return { state: "failed", message: toActionError(query.error).message };
  return { state: "loading" };
}

/** The devices of this browser's bulk run waiting for the next wave (null: no run kept here). */
function useWaitingInRun(accountKey: string): number | null {
  const [waiting, setWaiting] = useState<number | null>(null);
  useEffect(() => {
    if (!accountKey) return;
    const read = () => {
      try {
        const run = createRunStore(window.localStorage, runStorageKey(accountKey)).load();
        setWaiting(run ? summarize(run).waiting : null);
      } catch {
        setWaiting(null);
      }
    };
    read();
    window.addEventListener("storage", read);
    return () => window.removeEventListener("storage", read);
  }, [accountKey]);
  return waiting;
}

export function HomeToday() {
  const getAccessToken = useAccessToken();
  const accountId = useAccountId();
  const monitor = useDeviceActionsMonitor();
  // Home's numbers are the watcher's read: it takes its baseline from this first answer, not seconds later.
  const monitorAnswered = monitor.data !== undefined;
  useEffect(() => {
    if (monitorAnswered) loadResetWatcherNow();
  }, [monitorAnswered]);
  const browserNow = useNow(30_000, monitor.dataUpdatedAt);
  const now = useMemo(() => serviceNow(browserNow, monitor.data?.newestCheckIn ?? null, monitor.dataUpdatedAt), [browserNow, monitor.data, monitor.dataUpdatedAt]);
  const rows = useMonitorRows(monitor.data, now);
  const budget = useQuery({
    queryKey: [...queryKeys.account(accountId), "home-wipe-budget"],
    enabled: accountId !== "",
    staleTime: 60_000,
    queryFn: async (): Promise<WipeBudget> => {
      const read = await fetchBulkGuardrails(getAccessToken);
      if (!read.budget) throw new Error(read.budgetProblem ?? "Today's wipes could not be counted.");
      return read.budget;
    },
  });
  const approvals = useApprovalRequests();
  const waitingInRun = useWaitingInRun(accountId);

  const tiles = todayTiles({
    rows: monitor.data ? { state: "read", value: rows } : monitor.isError ? { state: "failed", message: toActionError(monitor.error).message } : { state: "loading" },
    now,
    budget: readOf(budget),
    waitingInRun,
    approvals: readOf({
      ...approvals,
      data: approvals.data && {
        approver: approvals.data.scope === "all",
        waitingForMe: approvals.data.requests.filter((r) => r.status === "needsApproval" && !r.mine).length,
        mineWaiting: approvals.data.requests.filter((r) => r.status === "needsApproval" && r.mine).length,
      },
    }),
  });
  const fetching = monitor.isFetching || budget.isFetching || approvals.isFetching;

  return (
    <section aria-labelledby="today-heading" className="space-y-3" data-testid="home-today">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="today-heading" className="text-base font-semibold">
          Today
        </h2>
        <Button
          onClick={() => {
            void monitor.refetch();
            void budget.refetch();
            void approvals.refetch();
          }}
          disabled={fetching}
          aria-label="Refresh today's numbers"
        >
          <RotateCw aria-hidden="true" className={`size-4 ${fetching ? "animate-spin motion-reduce:animate-none" : ""}`} /> Refresh
        </Button>
      </div>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        {tiles.map((tile) => (
          <li key={tile.id}>
            <Link
              href={tile.href}
              data-testid={`today-${tile.id}`}
              className={`flex h-full flex-col gap-1 rounded border bg-surface p-3 hover:bg-surface-alt ${tile.attention ? "border-warning" : "border-line"}`}
            >
              <span className="text-sm font-semibold text-brand-text">{tile.label}</span>
              <span className={`text-2xl font-semibold tabular-nums ${tile.attention ? "text-warning" : "text-fg"}`} data-testid={`today-${tile.id}-value`}>
                {tile.value}
              </span>
              <span className="text-xs text-muted">{tile.detail}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
