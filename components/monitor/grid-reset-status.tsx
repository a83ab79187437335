"use client";

import { RefreshCw } from "lucide-react";
import { deriveResetStatus } from "@/lib/devices/action-status";
import type { Device } from "@/lib/devices/types";
import { reconcileResetStatus } from "@/lib/monitor/monitor-row";
import { ActionStateWithDetail } from "./action-state-text";
import { useLatestResetAudits } from "@/lib/queries/device-actions-monitor";
import { useSyncNudge, useSyncPermission } from "./use-sync-nudge";

/**
 * The grid's reset-status cell: the device's own status, completed by the tenant's audit log the monitor reads (a LIST
 * row cannot say "done" or "not supported"), worded like the monitor and the device page, with a Sync nudge while a
 * reset is pending.
 */
export function GridResetStatus({ device, now }: { device: Device; now: Date }) {
  const audits = useLatestResetAudits();
  const status = reconcileResetStatus(deriveResetStatus(device, now), audits.get(device.id), device);
  const permission = useSyncPermission();
  const nudge = useSyncNudge();
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
