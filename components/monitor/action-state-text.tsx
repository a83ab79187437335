import { Info } from "lucide-react";
import { ActionStateBadge } from "@/components/actions/reset-status-badge";
import { formatDateTime } from "@/lib/devices/format";
import { offlineSentence, type ActionStateName } from "@/lib/monitor/status-wording";
import type { DeviceAction } from "@/lib/devices/types";

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
  note,
  compact = false,
}: {
  action: DeviceAction;
  state: ActionStateName;
  offlineSince?: string | undefined;
  reason?: string | undefined;
  fix?: string | undefined;
  /** A last, quiet line (the monitor's "Sync sent … to hurry it"). */
  note?: string | undefined;
  compact?: boolean;
}) {
  const lines: { text: string; tone: string }[] = [];
  if (state === "pending" && offlineSince) lines.push({ text: offlineSentence(action, formatDateTime(offlineSince)), tone: "text-warning" });
  if ((state === "failed" || state === "notSupported") && reason) {
    lines.push({ text: reason, tone: "text-danger" });
    if (fix) lines.push({ text: `Fix: ${fix}`, tone: "font-semibold text-danger" });
  }
  if (note) lines.push({ text: note, tone: "text-muted" });
  if (compact) {
    // The grid's column stays narrow: the explanation is a tooltip on an icon, and read out by screen readers.
    const text = lines.map((line) => line.text).join(" ");
    return (
      <span className="inline-flex items-center gap-1">
        <ActionStateBadge action={action} state={state} />
        {text && (
          <span title={text} className={`inline-flex ${lines[0]?.tone ?? ""}`}>
            <Info aria-hidden="true" className="size-3.5" />
            <span className="sr-only">{text}</span>
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
