"use client";

import { RefreshCw, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export interface ToolbarAction {
  /** Why the button is disabled, shown next to the toolbar (not only in a tooltip); undefined when available. */
  unavailableReason?: string;
  /** The heading of the reason (default "Autopilot Reset unavailable"): an approved reset is not "unavailable". */
  reasonTitle?: string;
  /** The page says why already, with more (a next step, the initiated message), in the element with this id. */
  describedBy?: string;
  onClick: () => void;
}

/** The device page's command bar: Autopilot Reset and Sync, each saying why when it cannot be used. */
export function DeviceToolbar({ reset, sync }: { reset: ToolbarAction; sync: ToolbarAction }) {
  const reasons = [
    reset.unavailableReason && !reset.describedBy && { id: "reset-unavailable", title: reset.reasonTitle ?? "Autopilot Reset unavailable", text: reset.unavailableReason },
    sync.unavailableReason && !sync.describedBy && { id: "sync-unavailable", title: "Sync unavailable", text: sync.unavailableReason },
  ].filter((reason): reason is { id: string; title: string; text: string } => Boolean(reason));
  return (
    <div className="space-y-2">
      <div role="toolbar" aria-label="Device actions" className="flex gap-1 border-b border-line pb-2">
        <Button
          variant="toolbar"
          onClick={reset.onClick}
          disabled={Boolean(reset.unavailableReason)}
          aria-describedby={reset.unavailableReason ? (reset.describedBy ?? "reset-unavailable") : undefined}
          title={reset.unavailableReason}
        >
          <RotateCcw aria-hidden="true" className="size-4 text-brand-text" />
          Autopilot Reset
        </Button>
        <Button
          variant="toolbar"
          onClick={sync.onClick}
          disabled={Boolean(sync.unavailableReason)}
          aria-describedby={sync.unavailableReason ? (sync.describedBy ?? "sync-unavailable") : undefined}
          title={sync.unavailableReason}
        >
          <RefreshCw aria-hidden="true" className="size-4 text-brand-text" />
          Sync
        </Button>
      </div>
      {reasons.map((reason) => (
        <Notice key={reason.id} tone="info">
          <p id={reason.id} data-testid={reason.id}>
            <span className="font-semibold">{reason.title}: </span>
            {reason.text}
          </p>
        </Notice>
      ))}
    </div>
  );
}
