"use client";

import { useMemo, useState, useCallback, type ReactNode } from "react";
import { RefreshCw } from "lucide-react";
import { BulkConfirmDialog } from "@/components/bulk/bulk-confirm-dialog";
import { BulkRunPanel } from "@/components/bulk/bulk-run-panel";
import { downloadCsv } from "@/components/bulk/download";
import { useBulkRun } from "@/components/bulk/use-bulk-run";
import { Button } from "@/components/ui/button";
import { usePrivilegedAccessToken } from "@/lib/auth/use-access-token";
import { csvFileName, resultsToCsv } from "@/lib/bulk/csv";
import { SAMPLE_SIZE, TYPED_CONFIRMATION_THRESHOLD, type BulkPlan } from "@/lib/bulk/planner";
import type { MonitorRow } from "@/lib/monitor/monitor-row";
import { useAccountId, useSignedInUpn } from "@/lib/queries/use-account-id";

/** One Sync per device with something pending, through the bulk machinery (paced, resumable, nothing sent twice). */
export function syncPlanFor(rows: readonly MonitorRow[]): BulkPlan {
  const seen = new Set<string>();
  const toSend: BulkPlan["toSend"] = [];
  let offlineCount = 0;
  for (const row of rows) {
    if (row.state !== "pending" || !row.deviceId || seen.has(row.deviceId)) continue;
    seen.add(row.deviceId);
    if (row.offlineSince) {
      offlineCount++;
      toSend.push({ id: row.deviceId, name: row.deviceName, warning: "Offline for days: the sync waits until it reconnects." });
    } else {
      toSend.push({ id: row.deviceId, name: row.deviceName });
    }
  }
  return {
    action: "sync",
    toSend,
    skipped: [],
    skippedByReason: [],
    offlineCount,
    windows10Count: 0,
    sample: toSend.slice(0, SAMPLE_SIZE).map((device) => device.name),
    typedConfirmation: { required: toSend.length > TYPED_CONFIRMATION_THRESHOLD, expected: String(toSend.length) },
  };
}

/**
 * The button, then `children` (the page's other buttons) beside it, then the run panel on a line of its own: rendered
 * straight into the page's toolbar (a wrapping flex row), so the panel takes the page's full width.
 */
export function SyncAllPending({ rows, unavailableReason, children }: { rows: readonly MonitorRow[]; unavailableReason?: string | undefined; children?: ReactNode }) {
  // Resets and syncs: the token asks for PrivilegedOperations (incremental consent), reads included.
  const getPrivilegedToken = usePrivilegedAccessToken();
  const getAccessToken = useCallback(() => getPrivilegedToken(), [getPrivilegedToken]);
  const accountKey = useAccountId();
  const startedBy = useSignedInUpn();
  const bulk = useBulkRun({ getAccessToken, accountKey, startedBy });
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const pendingDevices = useMemo(() => syncPlanFor(rows).toSend.length, [rows]);

  return (
    <>
      <div className="ml-auto flex flex-wrap items-center gap-2">
        <Button
          variant="primary"
          onClick={() => setPlan(syncPlanFor(rows))}
          disabled={pendingDevices === 0 || Boolean(unavailableReason) || bulk.driving}
          title={unavailableReason ?? (bulk.driving ? "A bulk run is under way." : undefined)}
        >
          <RefreshCw aria-hidden="true" className="size-4" /> Sync all pending ({pendingDevices.toLocaleString()})
        </Button>
        {children}
      </div>
      {plan && (
        <BulkConfirmDialog
          open={plan !== null}
          onOpenChange={(open) => !open && setPlan(null)}
          plan={plan}
          onConfirm={async (confirmed) => {
            const started = await bulk.start(confirmed);
            if (started.ok) setPlan(null);
            return started;
          }}
        />
      )}
      {bulk.problem && !bulk.run && <p role="alert" className="basis-full text-sm text-danger">{bulk.problem}</p>}
      {bulk.run && bulk.summary && (
        <div className="min-w-0 basis-full" data-testid="monitor-run-panel">
          <BulkRunPanel
            run={bulk.run}
            summary={bulk.summary}
            estimate={bulk.estimate}
            driving={bulk.driving}
            resumable={bulk.resumable}
            drivenElsewhere={bulk.drivenElsewhere}
            problem={bulk.problem}
            onCancel={bulk.cancel}
            onResume={bulk.resume}
            onRetryFailed={bulk.retryFailed}
            onExportResults={() => bulk.run && downloadCsv(csvFileName("results", bulk.run.action, new Date()), resultsToCsv(bulk.run))}
            onDismiss={bulk.dismiss}
          />
        </div>
      )}
    </>
  );
}
