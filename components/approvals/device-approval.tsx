"use client";

import type { ReactNode } from "react";
import { RotateCcw, ShieldCheck } from "lucide-react";
import { shownJustification, type ApprovalRequestView } from "@/lib/devices/approval";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { APPROVAL_STATE_SENTENCES } from "@/lib/monitor/status-wording";
import { expiresIn } from "./expires-in";
import { Button } from "@/components/ui/button";
import { ApprovalStatusBadge } from "./approval-status-badge";
import { CopyMessage } from "./copy-message";
import { askApproverMessage, consoleApprovalsUrl } from "@/lib/devices/approval-message";

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)} ({formatDateTime(iso)})
    </time>
  );
}

function Until({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso}>
      {formatDateTime(iso)} ({expiresIn(iso, now)})
    </time>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="break-words">
      <dt className="inline text-muted">{term}: </dt>
      <dd className="inline">{children}</dd>
    </div>
  );
}

/**
 * The device's Multi Admin Approval request on the device page (docs/product.md, "Journey 8"): awaiting approval since
 * when, who asked, why, when it expires; then approved (Complete reset), rejected or expired (ask again), completed.
 */
export function DeviceApproval({
  request,
  now,
  onComplete,
  completeUnavailable,
  onAskAgain,
  askAgainUnavailable,
}: {
  request: ApprovalRequestView;
  now: Date;
  onComplete: () => void;
  completeUnavailable?: string;
  onAskAgain: () => void;
  askAgainUnavailable?: string;
}) {
  const { status } = request;
  const known = request.requestedAt !== null;
  const decided = status === "approved" || status === "rejected" || status === "completed" || (status === "cancelled" && request.approver);
  return (
    <div data-testid="approval-status" className="space-y-1">
      <p aria-live="polite">
        <ApprovalStatusBadge status={status} />
      </p>
      <p>{known ? APPROVAL_STATE_SENTENCES[status] : "An approval request for this device is open. It was made by someone else or outside this console, so only Intune's approvers can see its details."}</p>
      <dl className="space-y-1">
        {known && (
          <Row term="Requested">
            <When iso={request.requestedAt} now={now} />
          </Row>
        )}
        {request.requestor.displayName && <Row term="Asked by">{request.requestor.displayName}</Row>}
        {known && <Row term="Justification">{shownJustification(request)}</Row>}
        {(status === "needsApproval" || status === "approved") && (
          <Row term="Expires">
            <Until iso={request.expiresAt} now={now} />
          </Row>
        )}
        {decided && request.approver?.displayName && (
          <Row term={status === "rejected" ? "Rejected by" : "Approved by"}>{request.approver.displayName}</Row>
        )}
        {decided && request.approvalJustification && (
          <Row term={status === "rejected" ? "Reason given" : "Approver's note"}>{request.approvalJustification}</Row>
        )}
      </dl>
      {known && request.mine && status === "needsApproval" && (
        // Intune tells no approver: the requester sends this, with where to approve it.
        <CopyMessage
          title="Message for an approver"
          testId="tell-approver"
          message={askApproverMessage({
            origin: window.location.origin,
            deviceName: request.device?.deviceName ?? "this device",
            deviceId: request.device?.deviceId ?? null,
            justification: request.device?.text ?? null,
            expiresAt: request.expiresAt,
          })}
          link={consoleApprovalsUrl(window.location.origin)}
          linkLabel="Copy link to Approvals"
        />
      )}
      {status === "approved" && (
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Button variant="primary" onClick={onComplete} disabled={Boolean(completeUnavailable)} aria-describedby={completeUnavailable ? "complete-unavailable" : undefined}>
            <ShieldCheck aria-hidden="true" className="size-4" /> Complete reset
          </Button>
          {completeUnavailable && (
            <span id="complete-unavailable" className="text-muted">
              {completeUnavailable}
            </span>
          )}
        </div>
      )}
      {(status === "rejected" || status === "expired" || status === "cancelled") && (
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Button onClick={onAskAgain} disabled={Boolean(askAgainUnavailable)} aria-describedby={askAgainUnavailable ? "ask-again-unavailable" : undefined}>
            <RotateCcw aria-hidden="true" className="size-4" /> Ask again
          </Button>
          {askAgainUnavailable && (
            <span id="ask-again-unavailable" className="text-muted">
              {askAgainUnavailable}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
