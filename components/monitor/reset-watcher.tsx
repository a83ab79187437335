"use client";

import { useEffect, useRef } from "react";
import { useMsal } from "@azure/msal-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { finishedResets, type FinishedReset } from "@/lib/monitor/reset-watch";
import { HYBRID_NOT_SUPPORTED_FIX, HYBRID_NOT_SUPPORTED_REASON, WINRE_FAILURE_FIX, WINRE_FAILURE_REASON } from "@/lib/monitor/status-wording";
import { useDeviceActionsMonitor } from "@/lib/queries/device-actions-monitor";


function openAction(reset: FinishedReset, go: (href: string) => void) {
  if (!reset.deviceId) return undefined;
  const href = `/devices/windows/${encodeURIComponent(reset.deviceId)}`;
  return { label: "Open device", onClick: () => go(href) };
}

/**
 * While the console is open: a toast when a reset the signed-in user started completes or fails. Mounted once inside
 * the signed-in layout, after the page's first answers (./deferred-reset-watcher.tsx); it shares the monitor's query,
 * so it adds no requests of its own on the monitor page.
 */
export function ResetWatcher() {
  const { instance, accounts } = useMsal();
  const router = useRouter();
  const me = (instance.getActiveAccount() ?? accounts[0])?.username ?? null;
  const { data } = useDeviceActionsMonitor({ enabled: me !== null });
  const previous = useRef<DeviceActionRecord[] | undefined>(undefined);

  useEffect(() => {
    if (!data) return;
    const finished = finishedResets(previous.current, data.actions, me);
    previous.current = data.actions;
    // The resets that completed in one refresh share one toast (a busy helpdesk ends many at once, and sonner shows only
    // a few toasts: one per reset would push some out of sight); each failure keeps its own, with its fix.
    const completed = finished.filter((reset) => reset.state === "done");
    if (completed.length === 1) {
      const [reset] = completed;
      toast.success(`Autopilot Reset of ${reset!.deviceName} is complete.`, { id: reset!.auditId, duration: 15_000, action: openAction(reset!, router.push) });
    } else if (completed.length > 1) {
      toast.success(`${completed.length} Autopilot Resets you started are complete.`, {
        id: completed.map((reset) => reset.auditId).join(","),
        duration: 15_000,
        description: (
          <ul className="mt-1 list-disc pl-4">
            {completed.map((reset) => (
              <li key={reset.auditId}>Autopilot Reset of {reset.deviceName} is complete.</li>
            ))}
          </ul>
        ),
      });
    }
    for (const reset of finished.filter((r) => r.state !== "done")) {
      const [reason, fix] =
        reset.state === "failed" ? [WINRE_FAILURE_REASON, WINRE_FAILURE_FIX] : [HYBRID_NOT_SUPPORTED_REASON, HYBRID_NOT_SUPPORTED_FIX];
      toast.error(`Autopilot Reset of ${reset.deviceName} ${reset.state === "failed" ? "failed" : "is not supported"}.`, {
        id: reset.auditId,
        description: `${reason} Fix: ${fix}`,
        duration: 30_000,
        action: openAction(reset, router.push),
      });
    }
  }, [data, me, router]);

  return null;
}
