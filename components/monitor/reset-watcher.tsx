"use client";

import { useEffect, useRef } from "react";
import { useMsal } from "@azure/msal-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { DeviceActionRecord } from "@/lib/graph/audits";
import { finishedResets, resetToasts, type FailureWords } from "@/lib/monitor/reset-watch";
import { HYBRID_NOT_SUPPORTED_FIX, HYBRID_NOT_SUPPORTED_REASON, WINRE_FAILURE_FIX, WINRE_FAILURE_REASON } from "@/lib/monitor/status-wording";
import { useDeviceActionsMonitor } from "@/lib/queries/device-actions-monitor";

const FAILURE_WORDS: FailureWords = {
  failed: { reason: WINRE_FAILURE_REASON, fix: WINRE_FAILURE_FIX },
  notSupported: { reason: HYBRID_NOT_SUPPORTED_REASON, fix: HYBRID_NOT_SUPPORTED_FIX },
};

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
    // Says the watcher has its baseline (e2e waits for it before moving Graph's clock; nothing reads it in the app).
    document.documentElement.dataset.resetWatcher = "watching";
    // One short toast for the completions and one for the failures, each linking to the details; none for what the
    // page in front of the user shows already (lib/monitor/reset-watch.ts, resetToasts).
    for (const t of resetToasts(finished, window.location.pathname, FAILURE_WORDS)) {
      const options = { id: t.id, duration: t.tone === "error" ? 30_000 : 15_000, action: { label: t.linkLabel, onClick: () => router.push(t.href) }, ...(t.description ? { description: t.description } : {}) };
      if (t.tone === "success") toast.success(t.title, options);
      else toast.error(t.title, options);
    }
  }, [data, me, router]);

  return null;
}
