"use client";

import Link from "next/link";
import { Checkbox } from "@/components/ui/checkbox";
import type { BulkPlan } from "@/lib/bulk/planner";

/**
 * Devices reset in the last 24 hours (docs/product.md, "Recently reset"): each says when and by whom, and starts
 * unticked; ticking one puts it back in the run.
 */
export function RecentlyReset({
  devices,
  disabled,
  onInclude,
}: {
  devices: NonNullable<BulkPlan["recentlyReset"]>;
  disabled: boolean;
  onInclude: ((deviceId: string, include: boolean) => void) | undefined;
}) {
  return (
    <div data-testid="bulk-plan-recent">
      <h3 className="font-semibold">Reset in the last 24 hours</h3>
      <p className="text-muted">Left out of this run unless you tick them again.</p>
      <ul className="mt-1 space-y-1">
        {devices.map((d) => (
          <li key={d.id} className="flex items-start gap-2" data-testid="bulk-plan-recent-device">
            <span className="pt-0.5">
              <Checkbox checked={d.included} onCheckedChange={() => !disabled && onInclude?.(d.id, !d.included)} label={`Reset ${d.name} again`} />
            </span>
            <span>
              <Link href={`/devices/windows/${encodeURIComponent(d.id)}`} className="text-brand-text underline">
                {d.name}
              </Link>
              : {d.sentence}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
