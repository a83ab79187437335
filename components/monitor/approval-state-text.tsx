import { Info } from "lucide-react";
import { ApprovalStatusBadge } from "@/components/approvals/approval-status-badge";
import type { ApprovalStatus } from "@/lib/devices/approval";
import { formatDateTime } from "@/lib/devices/format";
import { approvalDetailSentence } from "@/lib/monitor/status-wording";

export interface ApprovalStateProps {
  status: ApprovalStatus;
  requestedAt: string | null;
  requestedBy: string | null;
  expiresAt: string | null;
}

/** The one sentence of a request, its times in the reader's words (expiry as Graph gave it, never computed). */
export function approvalDetail({ status, requestedAt, requestedBy, expiresAt }: ApprovalStateProps): string {
  return approvalDetailSentence({
    status,
    since: requestedAt ? formatDateTime(requestedAt) : null,
    who: requestedBy,
    expires: expiresAt ? formatDateTime(expiresAt) : null,
  });
}

/**
 * A reset behind Multi Admin Approval on the monitor: the approval's badge (never "failed"), then its sentence, clipped
 * to keep the row's fixed height (the full text is its title).
 */
export function ApprovalStateWithDetail(props: ApprovalStateProps & { compact?: boolean }) {
  const text = approvalDetail(props);
  if (props.compact) {
    return (
      <span className="inline-flex items-center gap-1" title={text}>
        <ApprovalStatusBadge status={props.status} />
        <Info aria-hidden="true" className="size-3.5 text-muted" />
        <span className="sr-only">{text}</span>
      </span>
    );
  }
  return (
    <span className="flex min-w-0 flex-col items-start gap-0.5">
      <ApprovalStatusBadge status={props.status} />
      <span className="line-clamp-2 w-full text-xs text-muted" title={text}>
        {text}
      </span>
    </span>
  );
}
