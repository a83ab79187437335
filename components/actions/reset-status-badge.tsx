import { CircleAlert, CircleCheck, Clock, Loader, MinusCircle } from "lucide-react";
import { stateLabel, type ActionStateName } from "@/lib/monitor/status-wording";
import type { DeviceAction } from "@/lib/devices/types";

export type { ActionStateName } from "@/lib/monitor/status-wording";

const STYLE: Record<ActionStateName, { className: string; Icon: typeof Clock | null }> = {
  none: { className: "text-muted", Icon: null },
  pending: { className: "bg-warning-bg text-warning", Icon: Clock },
  active: { className: "bg-info-bg text-brand-text", Icon: Loader },
  done: { className: "bg-success-bg text-success", Icon: CircleCheck },
  failed: { className: "bg-danger-bg text-danger", Icon: CircleAlert },
  notSupported: { className: "bg-surface-alt text-muted", Icon: MinusCircle },
};

function actionStateLabel(action: DeviceAction, state: ActionStateName): string {
  return stateLabel(action, state);
}

export function ActionStateBadge({ action, state }: { action: DeviceAction; state: ActionStateName }) {
  const { className, Icon } = STYLE[state];
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${className}`}>
      {Icon && <Icon aria-hidden="true" className="size-3" />}
      {actionStateLabel(action, state)}
    </span>
  );
}
