"use client";

import { useState } from "react";
import { Wrench } from "lucide-react";
import type { Device } from "@/lib/devices/types";
import { formatRelative } from "@/lib/devices/format";
import { MANUAL_WINRE_FIX, winreLabel, winreView } from "@/lib/devices/winre";
import { toActionError } from "@/lib/queries/action-failure";
import { useRunWinre, useWinreStatus } from "@/lib/queries/winre";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";

/**
 * The device's WinRE, as the console's remediation package last reported it (docs/remediations/winre/), with Check WinRE
 * and, when it is off, Enable WinRE: both run the package, whose detection reads WinRE and whose remediation turns it on.
 * The server decides whether a run may go (lib/actions/winre.ts); this only shows what it said.
 */
export function DeviceWinre({ device, now }: { device: Pick<Device, "id" | "deviceName">; now: Date }) {
  // When Intune accepted the latest run from this page (Graph's clock): the page follows it until the device reports.
  const [requestedAt, setRequestedAt] = useState<string | null>(null);
  const run = useRunWinre(device.id);
  const status = useWinreStatus(device.id, requestedAt);
  const data = status.data;
  const evidence = data?.evidence ?? { kind: "not-checked" as const };
  const view = winreView(evidence, Boolean(data?.blocked), requestedAt);

  const start = async () => {
    const result = await run.runOnce();
    if (result) setRequestedAt(result.requestedAt);
  };

  return (
    <section aria-labelledby="winre-heading" className="rounded border border-line bg-surface p-4" data-testid="winre">
      <h2 id="winre-heading" className="mb-2 text-base font-semibold">
        Windows Recovery Environment (WinRE)
      </h2>
      <div className="space-y-2 text-sm">
        {status.isPending ? (
          <p role="status" className="text-muted">
            Reading WinRE…
          </p>
        ) : (
          <p data-testid="winre-state" className="font-semibold">
            {view.waiting ? "WinRE: checking on the device…" : winreLabel(evidence, now)}
          </p>
        )}
        {!view.waiting && evidence.kind === "checked" && evidence.problem && (
          <Notice tone="error" testId="winre-problem">
            <p>{evidence.problem}</p>
            <p className="mt-1 font-semibold">Fix: {MANUAL_WINRE_FIX}</p>
          </Notice>
        )}
        {status.error && <ErrorMessage error={toActionError(status.error)} onRetry={() => void status.refetch()} />}
        {data?.blocked && (
          <Notice tone="info" testId="winre-blocked">
            <p>{data.blocked.message}</p>
            <p className="mt-1">
              <span className="font-semibold">Until then: </span>
              {MANUAL_WINRE_FIX}
            </p>
          </Notice>
        )}
        {/* No button before the read: a device found disabled is offered Enable, not Check. */}
        {view.button && !status.isPending && (
          <div className="flex flex-wrap items-center gap-2">
            <Button variant={view.button === "Enable WinRE" ? "primary" : undefined} onClick={() => void start()} disabled={run.isPending} aria-busy={run.isPending}>
              <Wrench aria-hidden="true" className="size-4" /> {view.button}
            </Button>
            <span className="text-muted">
              Intune runs the WinRE package on {device.deviceName}: it reads WinRE and, if it is off, turns it on with
              reagentc /enable. The device must be online.
            </span>
          </div>
        )}
        {view.waiting && (
          <p role="status" data-testid="winre-progress">
            Waiting for {device.deviceName} to run the WinRE package and report
            {requestedAt ? ` (asked ${formatRelative(requestedAt, now)})` : ""}. Intune pushes it to
            the device, which answers within minutes while it is online; this page follows it.
          </p>
        )}
        {run.error && <ErrorMessage error={toActionError(run.error)} />}
      </div>
    </section>
  );
}
