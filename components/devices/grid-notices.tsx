"use client";
/**
 * The grid's notices that only some views or a person's action bring (a filter Intune ignores, a tick, an Export):
 * loaded when first shown, so the grid's first load stays within budget (docs/architecture.md).
 */
import { CLAUSE_LABELS, type ClauseKey } from "@/lib/devices/search";
import type { DeviceSelection } from "@/lib/devices/selection";
import type { ExportState } from "@/lib/queries/export-devices";
import { Notice } from "@/components/ui/notice";

export function SelectionBanner({
  selection,
  count,
  search,
  offerAllMatching,
  saysCount = true,
  onClear,
  onSelectAllMatching,
}: {
  /** False when the bulk bar beside it already says how many are selected. */
  saysCount?: boolean;
  selection: DeviceSelection;
  /** Ticked devices (null: every device of the view). */
  count: number | null;
  search: string;
  /** Every loaded device is ticked and more match: offer the whole view. */
  offerAllMatching: boolean;
  onClear: () => void;
  onSelectAllMatching: () => void;
}) {
  return (
    <Notice tone="info" role="status" testId="selection-banner">
      {selection.kind === "all-matching" ? (
        <span>
          All devices matching {search ? `“${search}”` : "this view"} are selected.{" "}
          <button type="button" className="text-brand-text underline" onClick={onClear}>
            Clear selection
          </button>
        </span>
      ) : (
        <span>
          {saysCount ? `${count} ${count === 1 ? "device" : "devices"} selected. ` : "Every loaded device is ticked, and more match. "}
          {offerAllMatching && (
            <button type="button" className="text-brand-text underline" onClick={onSelectAllMatching}>
              Select all devices matching this search
            </button>
          )}
        </span>
      )}
    </Notice>
  );
}

export function ExportStatus({
  state,
  onCancel,
  onDismiss,
}: {
  state: Extract<ExportState, { kind: "running" | "done" }>;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  if (state.kind === "running") {
    const total = state.progress.total;
    return (
      <Notice tone="info" role="status" testId="export-progress">
        <span>
          Exporting {state.progress.loaded.toLocaleString("en")}
          {total ? ` of ${total.kind === "at-most" ? "at most " : ""}${total.count.toLocaleString("en")}` : ""} devices…{" "}
          <button type="button" className="text-brand-text underline" onClick={onCancel}>
            Cancel export
          </button>
        </span>
      </Notice>
    );
  }
  return (
    <Notice tone="success" role="status" testId="export-done">
      <span>
        Exported {state.count.toLocaleString("en")} {state.count === 1 ? "device" : "devices"} to a CSV file.{" "}
        <button type="button" className="text-brand-text underline" onClick={onDismiss}>
          Dismiss
        </button>
      </span>
    </Notice>
  );
}

/** What the view asks that Intune cannot do itself, and what the console does instead (docs/graph.md). */
export function ReadNotices({ ignoredByGraph, resetStatus, unsorted }: { ignoredByGraph: readonly string[]; resetStatus: boolean; unsorted: boolean }) {
  return (
    <>
      {ignoredByGraph.length > 0 && (
        <Notice tone="info" role="status">
          Intune can&apos;t filter by {ignoredByGraph.map((clause) => CLAUSE_LABELS[clause as ClauseKey] ?? clause).join(" or ")} itself, so each device is
          checked here as it arrives: the list may fill more slowly, and the total is known once every device has loaded.
        </Notice>
      )}
      {resetStatus && (
        <Notice tone="info" role="status">
          Reset status comes from Intune&apos;s audit log of the Autopilot Resets of the last 30 days: each device by its latest reset.
        </Notice>
      )}
      {unsorted && (
        <Notice tone="info" role="status">
          Intune can&apos;t sort by this column, so only the devices loaded so far are in order: devices loaded later may fall
          between them.
        </Notice>
      )}
    </>
  );
}
