"use server";
/**
 * Multi Admin Approval (docs/product.md, "Journey 8: work inside the tenant's guardrails"): whether the tenant's access
 * policies cover an Autopilot Reset, a device's approval request, the approver's list, and approve / reject.
 * The reset that asks for approval, and the one that completes it, are lib/actions/device-actions.ts (autopilotReset).
 */
import pLimit from "p-limit";
import { z } from "zod";
import type { RunApprovalState } from "@/lib/bulk/approval-outcome";
import { MAX_DEVICES_PER_RUN } from "@/lib/bulk/planner";
import {
  coverageFrom,
  isOpenApproval,
  latestRequestForDevice,
  settledApproval,
  unconfirmedTargetSentence,
  type ApprovalCoverage,
  type ApprovalRequestView,
} from "@/lib/devices/approval";
import {
  confirmApprovalTargets,
  decideApprovalRequest,
  getApprovalRequest,
  listApprovalPolicies,
  listApprovalRequests as listAllRequests,
  retrieveDeviceRequestStatus,
  retrieveMyApprovalRequests,
} from "@/lib/graph/approvals";
import { APPROVAL_ERRORS, mapGraphError } from "@/lib/graph/errors";
import { ownRequestSentence } from "@/lib/monitor/status-wording";
import { serverNow } from "@/lib/server/clock";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction, type ActionContext } from "./define-action";
import { approvalIdSchema, decisionJustificationSchema } from "./approval-schemas";
import { deviceIdSchema } from "./schemas";

export interface ApprovalCoverageResult {
  coverage: ApprovalCoverage;
  /** The covering policies' names, when they could be read. */
  policyNames: string[];
}

export interface ApprovalRequestsResult {
  requests: ApprovalRequestView[];
  /** all: the caller may read every request (an approver); mine: only their own, through retrieveMyRequests(). */
  scope: "all" | "mine";
}

export interface DeviceApprovalResult {
  /** The device's newest request this caller can see (named by its justification's prefix), or an open one Graph reports for it. */
  request: ApprovalRequestView | null;
  scope: "all" | "mine";
}

export interface DecisionResult {
  status: "approved" | "rejected";
}

/** Policies the role may not read (403), or any failure to read them: unknown, so the first answer to a reset tells. */
export async function getApprovalCoverage(accessToken: string, input?: unknown): Promise<ActionResult<ApprovalCoverageResult>> {
  return runAction(
    {
      name: "getApprovalCoverage",
      input: z.unknown(),
      errors: APPROVAL_ERRORS.policies,
      handler: async (_input, context): Promise<ApprovalCoverageResult> => {
        try {
          const policies = await listApprovalPolicies(context.graph, context.graphBaseUrl);
          const coverage = coverageFrom(policies);
          return { coverage, policyNames: coverage === "covered" ? policies.map((p) => p.displayName).filter(Boolean) : [] };
        } catch (error) {
          const kind = mapGraphError(error, APPROVAL_ERRORS.policies).kind;
          if (kind === "unauthenticated") throw error;
          return { coverage: "unknown", policyNames: [] };
        }
      },
    },
    accessToken,
    input,
  );
}

/** Now on Graph's clock (its latest Date header), else the server's: what a request's expiry is judged against. */
const graphNowMs = (context: ActionContext) => context.graphClock.latest() ?? serverNow();

/**
 * Every request when the role may approve; else the caller's own (a 403 on the list is the role, not an error). An
 * open request past its expiry reads as expired (lib/devices/approval.ts, settledApproval).
 */
async function readVisibleRequests(context: ActionContext): Promise<ApprovalRequestsResult> {
  const callerId = context.caller.userId;
  const settle = (requests: ApprovalRequestView[]) => requests.map((r) => settledApproval(r, graphNowMs(context)));
  try {
    return { requests: settle(await listAllRequests(context.graph, context.graphBaseUrl, callerId)), scope: "all" };
  } catch (error) {
    if (mapGraphError(error, APPROVAL_ERRORS.requests).kind !== "forbidden-role") throw error;
  }
  return { requests: settle(await retrieveMyApprovalRequests(context.graph, callerId)), scope: "mine" };
}

const byNewest = (a: ApprovalRequestView, b: ApprovalRequestView) => (Date.parse(b.requestedAt ?? "") || 0) - (Date.parse(a.requestedAt ?? "") || 0);

export async function listApprovalRequests(accessToken: string, input?: unknown): Promise<ActionResult<ApprovalRequestsResult>> {
  return runAction(
    {
      name: "listApprovalRequests",
      input: z.unknown(),
      errors: APPROVAL_ERRORS.requests,
      handler: async (_input, context): Promise<ApprovalRequestsResult> => {
        const visible = await readVisibleRequests(context);
        const requests = await confirmApprovalTargets(context.graph, visible.requests);
        return { ...visible, requests: requests.sort(byNewest) };
      },
    },
    accessToken,
    input,
  );
}

/**
 * The device's request, as Graph ties requests to devices (docs/graph.md, "Multi Admin Approval"): retrieveRequestStatus
 * names the device's open (else latest) request, whoever made it; a request whose justification names the device but
 * that Graph does not tie to it is another device's and is never shown here. When Graph cannot be asked, the newest
 * request whose justification names the device, as before.
 */
export async function getDeviceApproval(accessToken: string, input: unknown): Promise<ActionResult<DeviceApprovalResult>> {
  return runAction(
    {
      name: "getDeviceApproval",
      input: z.object({ deviceId: deviceIdSchema }),
      errors: APPROVAL_ERRORS.requests,
      handler: async ({ deviceId }, context): Promise<DeviceApprovalResult> => {
        const { requests, scope } = await readVisibleRequests(context);
        const status = await retrieveDeviceRequestStatus(context.graph, deviceId).catch(() => undefined);
        if (status === undefined) return { request: latestRequestForDevice(requests, deviceId), scope };
        const wanted = deviceId.toLowerCase();
        const target = { kind: "confirmed", deviceId: wanted, deviceName: null } as const;
        const known = status ? requests.find((r) => r.id === status.requestId) : undefined;
        if (known) return { request: { ...known, target }, scope };
        if (status?.locked) {
          const request = settledApproval<ApprovalRequestView>(
            {
              id: status.requestId,
              status: status.status,
              requestedAt: null,
              expiresAt: status.expiresAt,
              lastModifiedAt: null,
              requestor: { id: null, displayName: null },
              approver: null,
              requestJustification: "",
              device: null,
              approvalJustification: null,
              mine: false,
              target,
            },
            graphNowMs(context),
          );
          if (isOpenApproval(request.status)) return { request, scope };
        }
        // Graph holds no open request for this device: an open one whose text names it is another device's.
        return { request: latestRequestForDevice(requests.filter((r) => !isOpenApproval(r.status)), deviceId), scope };
      },
    },
    accessToken,
    input,
  );
}

export interface RunApprovalsResult {
  states: RunApprovalState[];
}

/** Devices without their request in the visible list are asked about one by one: at most this many, 4 at a time. */
const MAX_DEVICE_STATUS_READS = 200;

/**
 * What became of a bulk run's approval requests (lib/bulk/approval-outcome.ts): the same read as the device page
 * (the visible requests, settled on Graph's clock, so an open request past its 3 days reads expired), matched by the
 * request id the run kept; a device without one (its request was already open) by Graph's own retrieveRequestStatus.
 */
export async function getRunApprovals(accessToken: string, input: unknown): Promise<ActionResult<RunApprovalsResult>> {
  return runAction(
    {
      name: "getRunApprovals",
      input: z.object({
        devices: z
          .array(z.object({ deviceId: deviceIdSchema, requestId: approvalIdSchema.optional() }))
          .max(MAX_DEVICES_PER_RUN, { message: `A run holds at most ${MAX_DEVICES_PER_RUN.toLocaleString("en")} devices.` }),
      }),
      errors: APPROVAL_ERRORS.requests,
      handler: async ({ devices }, context): Promise<RunApprovalsResult> => {
        if (devices.length === 0) return { states: [] };
        const { requests } = await readVisibleRequests(context);
        const byId = new Map(requests.map((r) => [r.id.toLowerCase(), r]));
        const states: RunApprovalState[] = [];
        const unmatched: string[] = [];
        for (const { deviceId, requestId } of devices) {
          const request = requestId ? byId.get(requestId.toLowerCase()) : undefined;
          if (request) states.push({ deviceId: deviceId.toLowerCase(), requestId: request.id, status: request.status, expiresAt: request.expiresAt });
          else unmatched.push(deviceId.toLowerCase());
        }
        const limit = pLimit(4);
        await Promise.all(
          unmatched.slice(0, MAX_DEVICE_STATUS_READS).map((deviceId) =>
            limit(async () => {
              // A device Graph cannot be asked about stays as the run left it.
              const status = await retrieveDeviceRequestStatus(context.graph, deviceId).catch(() => null);
              if (!status) return;
              const settled = settledApproval({ status: status.status, expiresAt: status.expiresAt, requestedAt: null }, graphNowMs(context));
              states.push({ deviceId, requestId: status.requestId, status: settled.status, expiresAt: status.expiresAt });
            }),
          ),
        );
        return { states };
      },
    },
    accessToken,
    input,
  );
}

const decisionInput = z.object({
  requestId: approvalIdSchema,
  decision: z.enum(["approve", "reject"], { message: "A decision is approve or reject." }),
  justification: decisionJustificationSchema,
  /** The approver was told the device is not confirmed and approves anyway (asked once more). */
  approveUnconfirmedDevice: z.boolean().optional(),
});

/**
 * Approve or reject a request that needs approval. Read first: a requestor may not decide their own request (Graph
 * refuses it; the sentence is said before anything is sent), and only a request that needs approval can be decided.
 */
export async function decideApproval(accessToken: string, input: unknown): Promise<ActionResult<DecisionResult>> {
  return runAction(
    {
      name: "decideApproval",
      input: decisionInput,
      errors: APPROVAL_ERRORS.decide,
      handler: async ({ requestId, decision, justification, approveUnconfirmedDevice }, context): Promise<DecisionResult> => {
        const request = settledApproval(await getApprovalRequest(context.graph, requestId, context.caller.userId), graphNowMs(context));
        const verb = decision === "approve" ? "approve" : "reject";
        if (request.mine) {
          throw new ActionFailure({ kind: "forbidden-role", message: ownRequestSentence(decision) });
        }
        if (request.status !== "needsApproval") {
          throw new ActionFailure({ kind: "invalid", message: `This request is ${request.status} now, so it can no longer be approved or rejected. The list shows where it stands.` });
        }
        if (decision === "approve" && !approveUnconfirmedDevice) {
          const [checked] = await confirmApprovalTargets(context.graph, [request]);
          if (checked?.target?.kind === "not-confirmed") {
            throw new ActionFailure({ kind: "invalid", message: `${unconfirmedTargetSentence(checked.target)} Nothing was approved; approve again only if you accept that.` });
          }
        }
        try {
          await decideApprovalRequest(context.graph, requestId, decision, justification);
        } catch (error) {
          const answer = mapGraphError(error, APPROVAL_ERRORS.decide);
          if (answer.kind === "forbidden-role") {
            throw new ActionFailure({
              ...answer,
              message: `Intune did not let you ${verb} this request: approving needs the Approval for Multi Admin Approval permission and membership of an approver group of the access policy that covers it. Nothing was changed.`,
            });
          }
          if (answer.kind === "invalid") {
            throw new ActionFailure({ ...answer, message: "Intune did not accept this decision: the request may have been decided, cancelled or expired a moment ago. Refresh the list." });
          }
          throw new ActionFailure(answer);
        }
        return { status: decision === "approve" ? "approved" : "rejected" };
      },
    },
    accessToken,
    input,
  );
}
