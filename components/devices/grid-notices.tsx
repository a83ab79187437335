"use client";
/**
 * The grid's notices that only a person's action brings (a tick, an Export): loaded when first shown, so the grid's
 * first load stays within budget (docs/architecture.md).
 */
import type { DeviceSelection } from "@/lib/devices/selection";
import type { ExportState } from "@/lib/queries/export-devices";
import { Notice } from "@/components/ui/notice";

export function SelectionBanner({
  selection,
  count,
  search,
  offerAllMatching,
  onClear,
  onSelectAllMatching,
}: {
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
          {count} {count === 1 ? "device" : "devices"} selected.{" "}
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
