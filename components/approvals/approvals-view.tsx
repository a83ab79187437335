"use client";

import { useState } from "react";
import Link from "next/link";
import { Check, X } from "lucide-react";
import { confirmedDeviceName, isOpenApproval, namedDeviceMismatch, shownJustification, unconfirmedDeviceWarning, type ApprovalRequestView } from "@/lib/devices/approval";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { ownRequestSentence } from "@/lib/monitor/status-wording";
import { expiresIn } from "./expires-in";
import { toActionError } from "@/lib/queries/action-failure";
import { useApprovalRequests, useDecideApproval } from "@/lib/queries/approvals";
import { useServiceNow } from "@/lib/queries/use-service-now";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { ApprovalStatusBadge } from "./approval-status-badge";
import { CopyMessage } from "./copy-message";
import { consoleApprovalsUrl, consoleDeviceUrl, tellRequesterMessage } from "@/lib/devices/approval-message";
import { DecisionDialog, type Decision } from "./decision-dialog";

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatDateTime(iso)} <span className="text-muted">({formatRelative(iso, now)})</span>
    </time>
  );
}

/**
 * The device Intune would reset, only as Graph confirms it (lib/graph/approvals.ts, confirmApprovalTargets); a device
 * the justification merely names is never shown as the device.
 */
function DeviceName({ request }: { request: ApprovalRequestView }) {
  const name = confirmedDeviceName(request);
  if (name && request.target?.kind === "confirmed") {
    return (
      <Link href={`/devices/windows/${request.target.deviceId}`} className="font-semibold text-brand-text underline">
        {name}
      </Link>
    );
  }
  if (isOpenApproval(request.status)) return <strong data-testid="device-not-confirmed">a device not confirmed</strong>;
  return <span className="text-muted">a device not checked (the request is closed)</span>;
}

/** One request as a card: the same layout at 1440 px and on a phone, no table to scroll sideways. */
function RequestCard({
  request,
  now,
  canDecide,
  onDecide,
}: {
  request: ApprovalRequestView;
  now: Date;
  canDecide: boolean;
  onDecide: (request: ApprovalRequestView, decision: Decision) => void;
}) {
  const waiting = request.status === "needsApproval";
  const ownId = `own-${request.id}`;
  const warning = unconfirmedDeviceWarning(request);
  const mismatch = namedDeviceMismatch(request);
  return (
    <li data-testid="approval-request" data-request-id={request.id} className="rounded border border-line bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-base">
          <span className="text-muted">Autopilot Reset of </span>
          <DeviceName request={request} />
        </h3>
        <ApprovalStatusBadge status={request.status} />
      </div>
      {(warning ?? mismatch) && (
        <Notice tone="warning" className="mt-2" testId="approval-device-warning">
          {warning ?? mismatch}
        </Notice>
      )}
      <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted">Requested by</dt>
        <dd>{request.requestor.displayName ?? "—"}{request.mine ? " (you)" : ""}</dd>
        <dt className="text-muted">Justification</dt>
        <dd className="break-words">{shownJustification(request)}</dd>
        <dt className="text-muted">Requested</dt>
        <dd>
          <When iso={request.requestedAt} now={now} />
        </dd>
        {waiting || request.status === "approved" ? (
          <>
            <dt className="text-muted">Expires</dt>
            <dd>{request.expiresAt ? `${formatDateTime(request.expiresAt)} (${expiresIn(request.expiresAt, now)})` : "—"}</dd>
          </>
        ) : null}
        {request.approver?.displayName && (
          <>
            <dt className="text-muted">{request.status === "rejected" ? "Rejected by" : "Approved by"}</dt>
            <dd>{request.approver.displayName}</dd>
          </>
        )}
        {request.approvalJustification && (
          <>
            <dt className="text-muted">Approver&apos;s justification</dt>
            <dd className="break-words">{request.approvalJustification}</dd>
          </>
        )}
      </dl>
      {waiting && canDecide && (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button variant="primary" disabled={request.mine} aria-describedby={request.mine ? ownId : undefined} onClick={() => onDecide(request, "approve")}>
            <Check aria-hidden="true" className="size-4" /> Approve
          </Button>
          <Button disabled={request.mine} aria-describedby={request.mine ? ownId : undefined} onClick={() => onDecide(request, "reject")}>
            <X aria-hidden="true" className="size-4" /> Reject
          </Button>
          {request.mine && (
            <span id={ownId} className="text-sm text-muted" data-testid="own-request">
              {ownRequestSentence()}
            </span>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The approver's page (docs/product.md, "Journey 8"): requests waiting for approval, then recent decisions. An approver
 * approves or rejects with a justification; anyone else sees their own requests, read-only.
 */
export function ApprovalsView() {
  const query = useApprovalRequests();
  const decide = useDecideApproval();
  // Relative times on Graph's clock, the clock of the dates beside them.
  const now = useServiceNow(
    30_000,
    query.dataUpdatedAt,
    (query.data?.requests ?? []).map((r) => ({ iso: r.requestedAt, readAtMs: query.dataUpdatedAt })),
  );
  const [open, setOpen] = useState<{ request: ApprovalRequestView; decision: Decision } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  // The request just approved: the approver tells its requester, with the link to the device (Intune tells nobody).
  const [approved, setApproved] = useState<ApprovalRequestView | null>(null);

  if (query.error && !query.data) return <ErrorMessage error={toActionError(query.error)} onRetry={() => void query.refetch()} />;
  if (!query.data) {
    return (
      <p role="status" className="text-muted">
        Loading approval requests…
      </p>
    );
  }
  const { requests, scope } = query.data;
  const canDecide = scope === "all";
  const waiting = requests.filter((r) => r.status === "needsApproval");
  const others = requests.filter((r) => r.status !== "needsApproval");

  const confirm = async (justification: string) => {
    if (!open) return;
    const { request, decision } = open;
    const approveUnconfirmedDevice = decision === "approve" && unconfirmedDeviceWarning(request) !== null;
    const answer = await decide.decideOnce({ requestId: request.id, decision, justification, ...(approveUnconfirmedDevice ? { approveUnconfirmedDevice } : {}) });
    if (!answer || !answer.ok) return;
    setOpen(null);
    setApproved(decision === "approve" ? request : null);
    const device = confirmedDeviceName(request) ?? "a device not confirmed";
    setOutcome(
      decision === "approve"
        ? `Approved the Autopilot Reset of ${device}. Nothing is sent until ${request.requestor.displayName ?? "the requester"} completes it; Intune does not tell them, so let them know.`
        : `Rejected the Autopilot Reset of ${device}. Intune does not tell ${request.requestor.displayName ?? "the requester"}, so let them know.`,
    );
  };

  return (
    <div className="space-y-4">
      {!canDecide && (
        <Notice tone="info" testId="approvals-read-only">
          Your Intune role does not include <strong>Approval for Multi Admin Approval</strong>, so you cannot read or decide other
          people&apos;s requests. These are your own requests, read-only. An approver decides them here or in the Intune admin
          center; Intune sends no notification, so tell one.
        </Notice>
      )}
      {outcome && (
        <Notice tone="success" role="status">
          {outcome}
        </Notice>
      )}
      {approved && <TellRequester request={approved} />}
      {query.error && <ErrorMessage error={toActionError(query.error)} onRetry={() => void query.refetch()} />}
      <section aria-labelledby="waiting-heading" className="space-y-2">
        <h2 id="waiting-heading" className="text-base font-semibold">
          Waiting for approval ({waiting.length})
        </h2>
        {waiting.length === 0 ? (
          <p className="text-sm text-muted">{canDecide ? "No request is waiting for approval." : "None of your requests is waiting for approval."}</p>
        ) : (
          <ul className="space-y-2">
            {waiting.map((request) => (
              <RequestCard key={request.id} request={request} now={now} canDecide={canDecide} onDecide={(r, decision) => {
                decide.reset();
                setOpen({ request: r, decision });
              }} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="decided-heading" className="space-y-2">
        <h2 id="decided-heading" className="text-base font-semibold">
          Other requests ({others.length})
        </h2>
        {others.length === 0 ? (
          <p className="text-sm text-muted">None yet.</p>
        ) : (
          <ul className="space-y-2">
            {others.map((request) => (
              <RequestCard key={request.id} request={request} now={now} canDecide={false} onDecide={() => undefined} />
            ))}
          </ul>
        )}
      </section>
      {open && (
        <DecisionDialog
          key={`${open.request.id}-${open.decision}`}
          request={open.request}
          decision={open.decision}
          open
          onOpenChange={(isOpen) => !isOpen && setOpen(null)}
          onConfirm={(justification) => void confirm(justification)}
          sending={decide.isPending}
          error={decide.error ? <ErrorMessage error={toActionError(decide.error)} /> : undefined}
        />
      )}
    </div>
  );
}

/** After Approve: the message for the requester, with the link to the device's page where Complete reset is. */
function TellRequester({ request }: { request: ApprovalRequestView }) {
  const origin = window.location.origin;
  const deviceId = request.target?.kind === "confirmed" ? request.target.deviceId : null;
  const link = deviceId ? consoleDeviceUrl(origin, deviceId) : consoleApprovalsUrl(origin);
  return (
    <CopyMessage
      title={`Message for ${request.requestor.displayName ?? "the requester"}`}
      testId="tell-requester"
      message={tellRequesterMessage({ origin, deviceName: confirmedDeviceName(request) ?? request.device?.deviceName ?? "the device", deviceId, justification: null, expiresAt: request.expiresAt })}
      link={link}
      linkLabel={deviceId ? "Copy link to the device" : "Copy link to Approvals"}
    />
  );
}
