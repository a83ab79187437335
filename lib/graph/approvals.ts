/**
 * Multi Admin Approval through beta Graph (docs/graph.md, "Multi Admin Approval"): the tenant's access policies, the
 * approval requests (all of them for an approver, the caller's own through retrieveMyRequests()), and an approver's
 * approve / reject. The wipe that asks for approval or completes it is lib/graph/device-actions.ts.
 *
 * operationApprovalRequest names no device: this console writes the device into the justification
 * (lib/devices/approval.ts, resetJustification), reads it back here, and believes it only when Graph's
 * retrieveRequestStatus for that device answers with the same request (confirmApprovalTargets).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { IdentitySet, OperationApprovalPolicy, OperationApprovalRequest } from "@microsoft/microsoft-graph-types-beta";
import {
  APPROVAL_STATUSES,
  approvalTargetFrom,
  isOpenApproval,
  parseResetJustification,
  type ApprovalPerson,
  type ApprovalPolicySummary,
  type ApprovalRequestView,
  type ApprovalStatus,
} from "@/lib/devices/approval";
import { isGuid } from "@/lib/devices/ids";
import { checkedGraphLink } from "./cursor";

const APPROVAL_POLICIES_PATH = "/deviceManagement/operationApprovalPolicies";
const APPROVAL_REQUESTS_PATH = "/deviceManagement/operationApprovalRequests";
const BETA_REQUESTS_PATH = `/beta${APPROVAL_REQUESTS_PATH}`;
const BETA_POLICIES_PATH = `/beta${APPROVAL_POLICIES_PATH}`;
/** Pages of requests read at most (Graph's default page is large; a tenant keeps few open requests). */
const MAX_PAGES = 10;
/** Devices whose request Graph is asked about for one list; a tenant keeps few open requests. */
const MAX_CONFIRMED_DEVICES = 60;
/** retrieveRequestStatus calls in flight at once. */
const CONFIRM_CONCURRENCY = 6;

interface Collection<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

async function readAll<T>(client: Client, graphBaseUrl: string, betaPath: string, first: () => Promise<Collection<T>>): Promise<T[]> {
  const out: T[] = [];
  let page = await first();
  for (let pages = 1; ; pages++) {
    out.push(...(page.value ?? []));
    const next = page["@odata.nextLink"];
    if (!next || pages >= MAX_PAGES) return out;
    page = await client.api(checkedGraphLink(next, graphBaseUrl, betaPath).slice("/beta".length)).version("beta").get();
  }
}

/** GET beta operationApprovalPolicies. A role without *Read access policy* gets a 403 (the caller treats it as unknown). */
export async function listApprovalPolicies(client: Client, graphBaseUrl: string): Promise<ApprovalPolicySummary[]> {
  const raw = await readAll<OperationApprovalPolicy>(client, graphBaseUrl, BETA_POLICIES_PATH, () =>
    client.api(APPROVAL_POLICIES_PATH).version("beta").select(["id", "displayName", "policyType", "policyPlatform"]).get(),
  );
  return raw.map((p) => ({
    id: p.id ?? "",
    displayName: p.displayName ?? "",
    policyType: (p as { policyType?: string }).policyType ?? "unknown",
    policyPlatform: p.policyPlatform ?? "notApplicable",
  }));
}

function person(identity: IdentitySet | null | undefined): ApprovalPerson | null {
  const user = identity?.user;
  if (!user) return null;
  return { id: user.id ?? null, displayName: user.displayName ?? null };
}

function statusOf(value: unknown): ApprovalStatus {
  return APPROVAL_STATUSES.includes(value as ApprovalStatus) ? (value as ApprovalStatus) : "unknown";
}

/** Graph's request as the console shows it; `callerId` is the signed-in user's object id (for `mine`). */
function mapApprovalRequest(raw: OperationApprovalRequest, callerId: string | undefined): ApprovalRequestView {
  const requestor = person(raw.requestor) ?? { id: null, displayName: null };
  const justification = raw.requestJustification ?? "";
  return {
    id: raw.id ?? "",
    status: statusOf(raw.status),
    requestedAt: raw.requestDateTime ?? null,
    expiresAt: raw.expirationDateTime ?? null,
    lastModifiedAt: raw.lastModifiedDateTime ?? null,
    requestor,
    approver: person(raw.approver),
    requestJustification: justification,
    device: parseResetJustification(justification),
    approvalJustification: raw.approvalJustification ?? null,
    mine: Boolean(callerId && requestor.id && requestor.id.toLowerCase() === callerId.toLowerCase()),
  };
}

/** Every request in the tenant: needs the *Approval for Multi Admin Approval* permission (else 403). */
export async function listApprovalRequests(client: Client, graphBaseUrl: string, callerId: string | undefined): Promise<ApprovalRequestView[]> {
  const raw = await readAll<OperationApprovalRequest>(client, graphBaseUrl, BETA_REQUESTS_PATH, () => client.api(APPROVAL_REQUESTS_PATH).version("beta").get());
  return raw.map((r) => mapApprovalRequest(r, callerId));
}

/** The caller's own requests (GET .../retrieveMyRequests()): needs only the scope. */
export async function retrieveMyApprovalRequests(client: Client, callerId: string | undefined): Promise<ApprovalRequestView[]> {
  const answer: Collection<OperationApprovalRequest> = await client.api(`${APPROVAL_REQUESTS_PATH}/retrieveMyRequests()`).version("beta").get();
  // Every request retrieveMyRequests returns is the caller's, whatever the token's claims say.
  return (answer.value ?? []).map((r) => ({ ...mapApprovalRequest(r, callerId), mine: true }));
}

function requestPath(id: string): string {
  // Callers validate ids; this guard keeps a stray value out of the URL whatever the caller did.
  if (!isGuid(id)) throw new TypeError("An approval request id must be a GUID.");
  return `${APPROVAL_REQUESTS_PATH}/${id.toLowerCase()}`;
}

/** One request: its requestor or an approver may read it. */
export async function getApprovalRequest(client: Client, id: string, callerId: string | undefined): Promise<ApprovalRequestView> {
  return mapApprovalRequest(await client.api(requestPath(id)).version("beta").get(), callerId);
}

export type ApprovalDecision = "approve" | "reject";

/** POST .../{id}/approve | reject {justification, approvalSource: "adminConsole"}; Graph answers the new status. */
export async function decideApprovalRequest(client: Client, id: string, decision: ApprovalDecision, justification: string): Promise<void> {
  await client.api(`${requestPath(id)}/${decision}`).version("beta").post({ justification, approvalSource: "adminConsole" });
}

export interface DeviceRequestStatus {
  requestId: string;
  status: ApprovalStatus;
  expiresAt: string | null;
  /** An open request holds the device: a new one is refused (409) until it is decided or expires. */
  locked: boolean;
}

/**
 * POST .../retrieveRequestStatus {entityId, entityType: "managedDevice"}: the device's open (else latest) request,
 * whoever made it (graph-docs beta intune-rbac-operationapprovalrequest-retrieverequeststatus.md). The answer is read
 * at the root or in "value" (UNVERIFIED which; emulator/README.md).
 */
export async function retrieveDeviceRequestStatus(client: Client, deviceId: string): Promise<DeviceRequestStatus | null> {
  if (!isGuid(deviceId)) throw new TypeError("A managed device id must be a GUID.");
  const answer: Record<string, unknown> = await client
    .api(`${APPROVAL_REQUESTS_PATH}/retrieveRequestStatus`)
    .version("beta")
    .post({ entityId: deviceId.toLowerCase(), entityType: "managedDevice" });
  const body = (answer?.value && typeof answer.value === "object" ? answer.value : answer) as Record<string, unknown>;
  const requestId = typeof body.requestId === "string" && isGuid(body.requestId) ? body.requestId.toLowerCase() : null;
  if (!requestId) return null;
  return {
    requestId,
    status: statusOf(body.requestStatus),
    expiresAt: typeof body.requestExpirationDateTime === "string" ? body.requestExpirationDateTime : null,
    locked: body.entityLocked === true,
  };
}

/** Intune's name for a managed device, or null when it cannot be read (deleted, no permission). */
export async function readDeviceName(client: Client, deviceId: string): Promise<string | null> {
  if (!isGuid(deviceId)) return null;
  try {
    const raw: { deviceName?: string | null } = await client.api(`/deviceManagement/managedDevices/${deviceId.toLowerCase()}`).version("beta").select(["id", "deviceName"]).get();
    return typeof raw.deviceName === "string" && raw.deviceName.trim() !== "" ? raw.deviceName : null;
  } catch {
    return null;
  }
}

async function inWaves<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

/**
 * Each request's target as Graph tells it (lib/devices/approval.ts, ApprovalTarget): for every device a justification
 * names, retrieveRequestStatus says which request Intune holds for it; a request is confirmed for that device only when
 * it is that request, and then the device's name is Intune's. A failed check leaves the request "not-checked". Only
 * open requests are checked (they are what an approver or requester acts on); Graph's answer for a device is its open
 * request, else its latest.
 */
export async function confirmApprovalTargets(client: Client, requests: readonly ApprovalRequestView[]): Promise<ApprovalRequestView[]> {
  const open = requests.filter((r) => isOpenApproval(r.status));
  const named = [...new Set(open.map((r) => r.device?.deviceId).filter((id): id is string => typeof id === "string" && isGuid(id)))].slice(0, MAX_CONFIRMED_DEVICES);
  const answers = new Map<string, string | null>();
  await inWaves(named, CONFIRM_CONCURRENCY, async (deviceId) => {
    const status = await retrieveDeviceRequestStatus(client, deviceId).catch(() => undefined);
    if (status !== undefined) answers.set(deviceId, status?.requestId ?? null);
  });
  const confirmedIds = [...new Set(open.filter((r) => r.device && answers.get(r.device.deviceId) === r.id).map((r) => r.device!.deviceId))];
  const names = new Map<string, string | null>();
  await inWaves(confirmedIds, CONFIRM_CONCURRENCY, async (deviceId) => names.set(deviceId, await readDeviceName(client, deviceId)));
  return requests.map((r) => {
    if (!isOpenApproval(r.status)) return r;
    const deviceId = r.device?.deviceId;
    const answer = deviceId && answers.has(deviceId) ? answers.get(deviceId) : undefined;
    return { ...r, target: approvalTargetFrom(r, answer, deviceId ? (names.get(deviceId) ?? null) : null) };
  });
}
