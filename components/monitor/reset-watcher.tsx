"use client";

import { useEffect, useRef, useState } from "react";
import { useMsal } from "@azure/msal-react";
import { toast } from "sonner";
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { finishedResets } from "@/lib/monitor/reset-watch";
import { HYBRID_NOT_SUPPORTED_FIX, HYBRID_NOT_SUPPORTED_REASON, WINRE_FAILURE_FIX, WINRE_FAILURE_REASON } from "@/lib/monitor/status-wording";
import { useDeviceActionsMonitor } from "./use-device-actions-monitor";

/**
 * Server actions from one page run one at a time, so the watcher's first (largest) read waits until the page has had
 * its own first answers.
 */
const START_AFTER_MS = 4_000;

/**
 * While the console is open: a toast when a reset the signed-in user started completes or fails. Mounted once inside
 * the signed-in layout; it shares the monitor's query, so it adds no requests of its own on the monitor page.
 */
export function ResetWatcher() {
  const { instance, accounts } = useMsal();
  const me = (instance.getActiveAccount() ?? accounts[0])?.username ?? null;
  const [started, setStarted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setStarted(true), START_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  const { data } = useDeviceActionsMonitor({ enabled: started && me !== null });
  const previous = useRef<DeviceActionRecord[] | undefined>(undefined);

  useEffect(() => {
    if (!data) return;
    const finished = finishedResets(previous.current, data.actions, me);
    previous.current = data.actions;
    for (const reset of finished) {
      const href = reset.deviceId ? `/devices/windows/${encodeURIComponent(reset.deviceId)}` : undefined;
      const action = href ? { label: "Open device", onClick: () => window.location.assign(href) } : undefined;
      if (reset.state === "done") {
        toast.success(`Autopilot Reset of ${reset.deviceName} is complete.`, { id: reset.auditId, duration: 15_000, action });
      } else {
        const [reason, fix] =
          reset.state === "failed" ? [WINRE_FAILURE_REASON, WINRE_FAILURE_FIX] : [HYBRID_NOT_SUPPORTED_REASON, HYBRID_NOT_SUPPORTED_FIX];
        toast.error(`Autopilot Reset of ${reset.deviceName} ${reset.state === "failed" ? "failed" : "is not supported"}.`, {
          id: reset.auditId,
          description: `${reason} Fix: ${fix}`,
          duration: 30_000,
          action,
        });
      }
    }
  }, [data, me]);

  return null;
}
