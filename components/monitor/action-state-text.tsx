import { ActionStateBadge } from "@/components/devices/reset-status-badge";
import { formatDateTime } from "@/components/devices/format";
import { offlineSentence, type ActionStateName, type MonitoredAction } from "@/lib/monitor/status-wording";

/** A state with its explanation, the same on the monitor and in the grid: badge, offline sentence, reason and fix. */
export function ActionStateWithDetail({
  action,
  state,
  offlineSince,
  reason,
  fix,
  compact = false,
}: {
  action: MonitoredAction;
  state: ActionStateName;
  offlineSince?: string | undefined;
  reason?: string | undefined;
  fix?: string | undefined;
  compact?: boolean;
}) {
  const detail =
    state === "pending" && offlineSince
      ? offlineSentence(action, formatDateTime(offlineSince))
      : (state === "failed" || state === "notSupported") && reason
        ? `${reason}${fix ? ` Fix: ${fix}` : ""}`
        : null;
  return (
    <span className={`flex min-w-0 ${compact ? "flex-row items-center gap-1.5" : "flex-col items-start gap-0.5"}`}>
      <ActionStateBadge action={action} state={state} />
      {detail && (
        <span className={`block min-w-0 text-xs ${state === "pending" ? "text-warning" : "text-danger"} ${compact ? "truncate" : "line-clamp-2 whitespace-normal"}`} title={detail}>
          {detail}
        </span>
      )}
    </span>
  );
}
