"use client";

import Link from "next/link";
import { RefreshCw, ShieldCheck } from "lucide-react";
import { deriveResetStatus } from "@/lib/devices/action-status";
import type { ApprovalRequestView } from "@/lib/devices/approval";
import type { Device } from "@/lib/devices/types";
import { gridApproval, reconcileResetStatus } from "@/lib/monitor/monitor-row";
import { APPROVAL_GRID_LABELS } from "@/lib/monitor/status-wording";
import { ActionStateWithDetail } from "./action-state-text";
import { approvalDetail, ApprovalStateWithDetail } from "./approval-state-text";
import { useApprovalsByDevice } from "@/lib/queries/approvals";
import { useLatestResetAudits } from "@/lib/queries/device-actions-monitor";
import { useSyncNudge, useSyncPermission } from "./use-sync-nudge";

/** A device's request in the grid: awaiting approval (since, who, expiry in its tooltip); approved links to the device page. */
function GridApproval({ device, request }: { device: Device; request: ApprovalRequestView }) {
  const detail = { status: request.status, requestedAt: request.requestedAt, requestedBy: request.requestor.displayName, expiresAt: request.expiresAt };
  if (request.status === "approved") {
    const text = approvalDetail(detail);
    return (
      <Link
        href={`/devices/windows/${encodeURIComponent(device.id)}`}
        title={text}
        data-approval-status={request.status}
        className="inline-flex items-center gap-1 rounded bg-info-bg px-1.5 py-0.5 text-xs font-medium text-brand-text hover:underline"
      >
        <ShieldCheck aria-hidden="true" className="size-3" />
        {APPROVAL_GRID_LABELS.approved}
        <span className="sr-only">. {text}</span>
      </Link>
    );
  }
  return (
    <span data-approval-status={request.status}>
      <ApprovalStateWithDetail {...detail} compact />
    </span>
  );
}

/**
 * The grid's reset-status cell: the device's own status, completed by the tenant's audit log the monitor reads (a LIST
 * row cannot say "done" or "not supported"), worded like the monitor and the device page, with a Sync nudge while a
 * reset is pending. While no reset is pending or under way, a reset behind Multi Admin Approval shows as such (never
 * "failed"), from the one approval query the monitor and the Approvals page share.
 */
export function GridResetStatus({ device, now }: { device: Device; now: Date }) {
  const audits = useLatestResetAudits();
  const approvals = useApprovalsByDevice();
  const status = reconcileResetStatus(deriveResetStatus(device, now), audits.get(device.id), device);
  const approval = gridApproval(approvals.get(device.id.toLowerCase()), status, now);
  const permission = useSyncPermission();
  const nudge = useSyncNudge();
  if (approval) return <GridApproval device={device} request={approval} />;
  return (
    <span className="flex items-center gap-2">
      <ActionStateWithDetail action="reset" state={status.state} offlineSince={status.offlineSince} reason={status.reason} fix={status.fix} compact />
      {status.state === "pending" && (
        <button
          type="button"
          onClick={() => void nudge.send(device.id, device.deviceName)}
          disabled={!permission.allowed || nudge.sending.has(device.id)}
          title={permission.allowed ? `Sync ${device.deviceName} so the reset starts sooner` : permission.message}
          aria-label={`Sync ${device.deviceName}`}
          className="inline-flex items-center gap-1 rounded border border-line-strong px-1.5 py-0.5 text-xs hover:bg-surface-hover disabled:cursor-not-allowed disabled:text-muted"
        >
          <RefreshCw aria-hidden="true" className="size-3" /> Sync
        </button>
      )}
    </span>
  );
}
