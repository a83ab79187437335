import { CircleAlert, CircleCheck, Clock, MinusCircle, ShieldCheck } from "lucide-react";
import type { ApprovalStatus } from "@/lib/devices/approval";
import { APPROVAL_STATUS_LABELS } from "@/lib/monitor/status-wording";

const STYLE: Record<ApprovalStatus, { className: string; Icon: typeof Clock }> = {
  needsApproval: { className: "bg-warning-bg text-warning", Icon: Clock },
  approved: { className: "bg-info-bg text-brand-text", Icon: ShieldCheck },
  rejected: { className: "bg-danger-bg text-danger", Icon: CircleAlert },
  cancelled: { className: "bg-surface-alt text-muted", Icon: MinusCircle },
  completed: { className: "bg-success-bg text-success", Icon: CircleCheck },
  expired: { className: "bg-surface-alt text-muted", Icon: MinusCircle },
  unknown: { className: "bg-surface-alt text-muted", Icon: MinusCircle },
};

export function ApprovalStatusBadge({ status }: { status: ApprovalStatus }) {
  const { className, Icon } = STYLE[status];
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${className}`}>
      <Icon aria-hidden="true" className="size-3" />
      {APPROVAL_STATUS_LABELS[status]}
    </span>
  );
}
