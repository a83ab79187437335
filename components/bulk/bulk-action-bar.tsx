"use client";

import { Download, RefreshCw, RotateCcw, X } from "lucide-react";
import { Button } from "@/components/ui/button";

export interface BulkActionPermission {
  allowed: boolean;
  /** Why not, in one sentence (shown as the button's description). */
  message?: string;
}

export interface BulkActionBarProps {
  /** Selected devices; null when "all matching" is selected and the number is not known yet. */
  count: number | null;
  /** Wording for an unknown count, e.g. "All devices matching “lab”". */
  allMatchingLabel?: string;
  reset: BulkActionPermission;
  sync: BulkActionPermission;
  /** Something is being prepared (the selection is being read) or a run is under way: the actions wait. */
  busy?: boolean;
  busyLabel?: string;
  onReset: () => void;
  onSync: () => void;
  onExportSelection: () => void;
  onClear: () => void;
}

/** The command bar that appears above the grid while devices are selected (the admin center's bulk bar). */
export function BulkActionBar(props: BulkActionBarProps) {
  const { count, allMatchingLabel, reset, sync, busy = false, busyLabel, onReset, onSync, onExportSelection, onClear } = props;
  const label = count === null ? (allMatchingLabel ?? "All matching devices selected") : `${count.toLocaleString()} ${count === 1 ? "device" : "devices"} selected`;
  return (
    <div role="toolbar" aria-label="Bulk actions" className="flex flex-wrap items-center gap-1 rounded border border-line bg-surface px-2 py-1 shadow-sm">
      <span className="px-2 text-sm font-semibold" aria-live="polite" data-testid="bulk-selected-count">
        {label}
      </span>
      <span aria-hidden="true" className="mx-1 h-5 w-px bg-line" />
      <Button
        variant="toolbar"
        onClick={onReset}
        disabled={busy || !reset.allowed}
        aria-describedby={!reset.allowed ? "bulk-reset-why" : undefined}
        title={!reset.allowed ? reset.message : undefined}
      >
        <RotateCcw aria-hidden="true" className="size-4" /> Autopilot Reset
      </Button>
      <Button
        variant="toolbar"
        onClick={onSync}
        disabled={busy || !sync.allowed}
        aria-describedby={!sync.allowed ? "bulk-sync-why" : undefined}
        title={!sync.allowed ? sync.message : undefined}
      >
        <RefreshCw aria-hidden="true" className="size-4" /> Sync
      </Button>
      <Button variant="toolbar" onClick={onExportSelection} disabled={busy}>
        <Download aria-hidden="true" className="size-4" /> Export selection (CSV)
      </Button>
      <Button variant="toolbar" onClick={onClear} disabled={busy}>
        <X aria-hidden="true" className="size-4" /> Clear selection
      </Button>
      {busy && busyLabel && (
        <span role="status" className="ml-2 text-sm text-muted">
          {busyLabel}
        </span>
      )}
      {!reset.allowed && reset.message && (
        <span id="bulk-reset-why" className="basis-full px-2 pb-1 text-xs text-muted">
          Autopilot Reset: {reset.message}
        </span>
      )}
      {!sync.allowed && sync.message && (
        <span id="bulk-sync-why" className="basis-full px-2 pb-1 text-xs text-muted">
          Sync: {sync.message}
        </span>
      )}
    </div>
  );
}
