import { ActionStateBadge } from "@/components/devices/reset-status-badge";
import { formatDateTime } from "@/components/devices/format";
import { offlineSentence, type ActionStateName, type MonitoredAction } from "@/lib/monitor/status-wording";

/**
 * A state with its explanation, the same on the monitor and in the grid: the badge, then the offline sentence, or the
 * reason and its fix. Each line is clipped to keep rows a fixed height (virtualized lists); the full text is its title.
 */
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
  const lines: { text: string; tone: string }[] = [];
  if (state === "pending" && offlineSince) lines.push({ text: offlineSentence(action, formatDateTime(offlineSince)), tone: "text-warning" });
  if ((state === "failed" || state === "notSupported") && reason) {
    lines.push({ text: reason, tone: "text-danger" });
    if (fix) lines.push({ text: `Fix: ${fix}`, tone: "font-semibold text-danger" });
  }
  if (compact) {
    const text = lines.map((line) => line.text).join(" ");
    return (
      <span className="flex min-w-0 flex-row items-center gap-1.5">
        <ActionStateBadge action={action} state={state} />
        {text && (
          <span className={`min-w-0 truncate text-xs ${lines[0]?.tone ?? ""}`} title={text}>
            {text}
          </span>
        )}
      </span>
    );
  }
  return (
    <span className="flex min-w-0 flex-col items-start gap-0.5">
      <ActionStateBadge action={action} state={state} />
      {lines.map((line) => (
        <span key={line.text} className={`w-full text-xs ${lines.length === 1 ? "line-clamp-2" : "truncate"} ${line.tone}`} title={line.text}>
          {line.text}
        </span>
      ))}
    </span>
  );
}
