"use client";

import type { ReactNode } from "react";
import { RefreshCw } from "lucide-react";
import type { ResetStatus, SyncStatus } from "@/lib/devices/action-status";
import { offlineSentence, PENDING_RESET_HINT } from "@/lib/monitor/status-wording";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/lib/devices/format";
import { ActionStateBadge } from "@/components/actions/reset-status-badge";
import { When } from "@/components/actions/when";

/** The latest Autopilot Reset and Sync of the device, refreshed while one is under way. */
export function ActionStatusPanel({
  reset,
  sync,
  now,
  onSync,
  syncUnavailableReason,
  refreshing,
  approval,
}: {
  /** The device's Multi Admin Approval request (components/approvals/device-approval.tsx), shown with the reset. */
  approval?: ReactNode;
  reset: ResetStatus;
  sync: SyncStatus;
  now: Date;
  onSync: () => void;
  syncUnavailableReason?: string;
  refreshing: boolean;
}) {
  return (
    <section aria-labelledby="status-heading" className="rounded border border-line bg-surface p-4">
      <div className="mb-2 flex items-center gap-2">
        <h2 id="status-heading" className="text-base font-semibold">
          Device action status
        </h2>
        {refreshing && (
          <span className="text-xs text-muted" aria-hidden="true">
            refreshing…
          </span>
        )}
      </div>
      <dl className="grid gap-x-8 gap-y-4 md:grid-cols-2">
        <div data-testid="reset-status">
          <dt className="font-semibold">Autopilot Reset</dt>
          <dd className="mt-1 space-y-1 text-sm">
            {!(approval && reset.state === "none") && (
              <p aria-live="polite">
                <ActionStateBadge action="reset" state={reset.state} />
              </p>
            )}
            {approval}
            {reset.state !== "none" && (
              <p>
                <span className="text-muted">Requested: </span>
                <When iso={reset.since} now={now} empty="—" />
              </p>
            )}
            <p>
              <span className="text-muted">Last check-in: </span>
              <When iso={reset.lastCheckIn} now={now} />
            </p>
            {/* Offline, the reset waits for the device itself: a Sync would wait too, so none is offered. */}
            {reset.state === "pending" && reset.offlineSince && (
              <Notice tone="warning">
                {offlineSentence("reset", formatDateTime(reset.offlineSince))}
              </Notice>
            )}
            {reset.state === "pending" && !reset.offlineSince && (
              <div className="flex flex-wrap items-center gap-2">
                <span>{PENDING_RESET_HINT}</span>
                <Button onClick={onSync} disabled={Boolean(syncUnavailableReason)} title={syncUnavailableReason}>
                  <RefreshCw aria-hidden="true" className="size-4" /> Sync now
                </Button>
              </div>
            )}
            {(reset.state === "failed" || reset.state === "notSupported") && reset.reason && (
              <Notice tone="error">
                <p>{reset.reason}</p>
                {reset.fix && <p className="mt-1 font-semibold">Fix: {reset.fix}</p>}
              </Notice>
            )}
          </dd>
        </div>
        <div data-testid="sync-status">
          <dt className="font-semibold">Sync</dt>
          <dd className="mt-1 space-y-1 text-sm">
            <p aria-live="polite">
              <ActionStateBadge action="sync" state={sync.state} />
            </p>
            {sync.state !== "none" && (
              <p>
                <span className="text-muted">Requested: </span>
                <When iso={sync.since} now={now} empty="—" />
              </p>
            )}
            {sync.state === "pending" && sync.offlineSince && (
              <Notice tone="warning">{offlineSentence("sync", formatDateTime(sync.offlineSince))}</Notice>
            )}
            {sync.state === "failed" && sync.reason && (
              <Notice tone="error">
                <p>{sync.reason}</p>
                {sync.fix && <p className="mt-1 font-semibold">Fix: {sync.fix}</p>}
              </Notice>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
