"use client";
/**
 * Devices > Windows > Reset from a list (docs/product.md, "Journey 7: start from what the ticket names"): a source of
 * devices (the tabs of TICKET_SOURCES in ./ticket-sources.tsx: a pasted or uploaded list, a person's devices, an Entra
 * group), then the existing bulk flow (components/bulk: preflight dialog with typed
 * confirmation, run panel, results, results CSV) for exactly the devices the source found, each with its line.
 */
import { useCallback, useMemo, useState } from "react";
import dynamic from "next/dynamic";
import type { SourceLine } from "@/lib/bulk/types";
import type { DeviceSelection } from "@/lib/devices/selection";
import { TicketSourceSwitcher } from "./ticket-sources";

/** The bulk code (about 65 KB gzipped) loads once the page has devices to act on, or a saved run to resume. */
const BulkActions = dynamic(() => import("@/components/bulk/bulk-actions").then((module) => module.BulkActions), {
  ssr: false,
  loading: () => null,
});

const NO_DEVICES: ReadonlyMap<string, SourceLine> = new Map();

export function TicketPage() {
  const [chosen, setChosen] = useState<ReadonlyMap<string, SourceLine>>(NO_DEVICES);
  const onChosen = useCallback((devices: ReadonlyMap<string, SourceLine>) => setChosen(devices.size === 0 ? NO_DEVICES : devices), []);
  const selection: DeviceSelection = useMemo(() => ({ kind: "ids", ids: new Set(chosen.keys()) }), [chosen]);
  const clear = useCallback(() => setChosen(NO_DEVICES), []);
  return (
    <div className="flex flex-col gap-4">
      <p className="max-w-3xl text-sm text-muted">
        Start from what the ticket names: a list of devices (pasted or uploaded), a person, or an Entra group. See what each entry matches, and
        what is left out and why, before anything is sent. Autopilot Reset and Sync then go to exactly the devices found, through the same
        preflight and confirmation as a bulk run from the grid.
      </p>
      <TicketSourceSwitcher onChosen={onChosen} />
      <div data-testid="ticket-bulk">
        <BulkActions selection={selection} clearSelection={clear} sourceLines={chosen} />
      </div>
    </div>
  );
}
