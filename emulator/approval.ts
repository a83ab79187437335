/**
 * Multi Admin Approval state (docs/graph.md, "Multi Admin Approval"): the tenant's access policies and
 * the approval requests a covered wipe creates. Graph's view of it is emulator/graph/handlers/approvals.ts; what a wipe
 * meets is emulator/graph/guardrails.ts; the control API is emulator/approval-control.ts.
 *
 * Emulator choices (UNVERIFIED, listed in emulator/README.md):
 * - a request is "open" (it blocks a new one for the same device, 409) while it is needsApproval or approved;
 * - expirationDateTime is fixed when the request is created (the schema says it "cannot be modified"), 3 days later by
 *   default ("if a request isn't processed within 3 days, it becomes Expired": memdocs multi-admin-approval.md; 30 days
 *   is how long a status stays visible), and a request still open then turns expired;
 * - the approval code is the request's id (memdocs: "the request ID returned as part of the x-msft-approval-code").
 */
import { randomUUID } from "node:crypto";
import { APPROVER_GROUP, inGroup, type Persona } from "./tenant";
import type { Platform } from "./fleet/catalog";

const DEFAULT_APPROVAL_EXPIRY_SECONDS = 3 * 86_400;
export const MAX_JUSTIFICATION_CHARS = 1024;

/** operationApprovalPolicyType (@microsoft/microsoft-graph-types-beta; msgraph-metadata lists a subset). */
export const POLICY_TYPES = [
  "unknown", "deviceAction", "deviceWipe", "deviceRetire", "deviceRetireNonCompliant", "deviceDelete", "deviceLock",
  "deviceErase", "deviceDisableActivationLock", "windowsEnrollment", "compliancePolicy", "configurationPolicy",
  "appProtectionPolicy", "policySet", "filter", "endpointSecurityPolicy", "app", "script", "role", "deviceResetPasscode",
  "unknownFutureValue", "operationApprovalPolicy", "autopilot", "windows365", "deviceEnrollment", "deviceUpdate",
  "enrollmentRestriction", "tenantConfiguration", "tunnel", "endpointPrivilegeManagement", "deviceSecurityAction",
] as const;
export const POLICY_PLATFORMS = [
  "notApplicable", "androidDeviceAdministrator", "androidEnterprise", "iOSiPadOS", "macOS", "windows10AndLater",
  "windows81AndLater", "windows10X", "unknownFutureValue",
] as const;
export const REQUEST_STATUSES = ["unknown", "needsApproval", "approved", "rejected", "cancelled", "completed", "expired", "unknownFutureValue"] as const;

/** Policy types that put a wipe behind approval: the wipe itself, or device actions as a whole (wipe, retire, delete). */
const WIPE_POLICY_TYPES = new Set(["deviceWipe", "deviceAction"]);
const PLATFORMS_OF: Record<Platform, readonly string[]> = {
  Windows: ["windows10AndLater", "windows81AndLater", "windows10X"],
  iOS: ["iOSiPadOS"],
  macOS: ["macOS"],
  Android: ["androidEnterprise", "androidDeviceAdministrator"],
};

export type RequestStatus = "needsApproval" | "approved" | "rejected" | "cancelled" | "completed" | "expired";

export interface ApprovalPolicy {
  id: string;
  displayName: string;
  description: string;
  policyType: string;
  policyPlatform: string;
  approverGroupIds: string[];
  lastModifiedMs: number;
}

/** What was asked for: completing the request means sending this same wipe again. */
export interface WipeOperation {
  deviceIds: string[];
  keepEnrollmentData: boolean;
  keepUserData: boolean;
  /** executeAction (one request for the whole call) rather than managedDevices/{id}/wipe. */
  bulk: boolean;
}

export interface ApprovalRequest {
  id: string;
  requestor: Persona;
  approver: Persona | null;
  requestMs: number;
  expirationMs: number;
  lastModifiedMs: number;
  status: RequestStatus;
  requestJustification: string;
  approvalJustification: string | null;
  policyTypes: string[];
  /** The approver groups of the policies that covered the wipe when it was asked for. */
  approverGroupIds: string[];
  operation: WipeOperation;
}

export type PolicyPreset = "none" | "wipe" | "deviceAction";
export const POLICY_PRESETS: readonly PolicyPreset[] = ["none", "wipe", "deviceAction"];

export type PolicyInput = Omit<ApprovalPolicy, "lastModifiedMs">;

export function presetPolicies(preset: PolicyPreset): PolicyInput[] {
  if (preset === "wipe") {
    return [{
      id: "9a7f3c21-5d4e-4b8a-8c6f-2e1d0b9a8f01", displayName: "Require approval for device wipes",
      description: "A second administrator approves every wipe (Autopilot Reset included) of a Windows device.",
      policyType: "deviceWipe", policyPlatform: "windows10AndLater", approverGroupIds: [APPROVER_GROUP.id],
    }];
  }
  if (preset === "deviceAction") {
    return [{
      id: "9a7f3c21-5d4e-4b8a-8c6f-2e1d0b9a8f02", displayName: "Require approval for device actions",
      description: "A second administrator approves wipe, retire and delete on every platform.",
      policyType: "deviceAction", policyPlatform: "notApplicable", approverGroupIds: [APPROVER_GROUP.id],
    }];
  }
  return [];
}

export function isPolicyPreset(value: unknown): value is PolicyPreset {
  return POLICY_PRESETS.includes(value as PolicyPreset);
}

function sameOperation(a: WipeOperation, b: WipeOperation): boolean {
  if (a.bulk !== b.bulk || a.keepEnrollmentData !== b.keepEnrollmentData || a.keepUserData !== b.keepUserData) return false;
  const ids = new Set(a.deviceIds);
  return a.deviceIds.length === b.deviceIds.length && b.deviceIds.every((id) => ids.has(id));
}

export class Approvals {
  policies: ApprovalPolicy[] = [];
  expirySeconds = DEFAULT_APPROVAL_EXPIRY_SECONDS;
  requests: ApprovalRequest[] = [];
  /** Bumped on every change a cached list could depend on. */
  version = 0;

  constructor(preset: PolicyPreset = "none", now = Date.now()) {
    this.setPolicies(presetPolicies(preset), now);
  }

  setPolicies(policies: PolicyInput[], now: number): void {
    this.policies = policies.map((p) => ({ ...p, approverGroupIds: [...p.approverGroupIds], lastModifiedMs: now }));
    this.version++;
  }

  /** The access policies that put a wipe of a device on this platform behind approval. */
  coveringWipe(platform: Platform): ApprovalPolicy[] {
    return this.policies.filter(
      (p) => WIPE_POLICY_TYPES.has(p.policyType) && (p.policyPlatform === "notApplicable" || PLATFORMS_OF[platform].includes(p.policyPlatform)),
    );
  }

  /** Requests still open when they expire turn expired. */
  settle(now: number): void {
    for (const r of this.requests) {
      if ((r.status === "needsApproval" || r.status === "approved") && now >= r.expirationMs) {
        r.status = "expired";
        r.lastModifiedMs = r.expirationMs;
        this.version++;
      }
    }
  }

  find(id: string): ApprovalRequest | undefined {
    const wanted = id.toLowerCase();
    return this.requests.find((r) => r.id === wanted);
  }

  /** An open request (needsApproval or approved) for any of these devices. */
  openFor(deviceIds: readonly string[]): ApprovalRequest | undefined {
    const ids = new Set(deviceIds);
    return this.requests.find((r) => (r.status === "needsApproval" || r.status === "approved") && r.operation.deviceIds.some((id) => ids.has(id)));
  }

  create(requestor: Persona, justification: string, operation: WipeOperation, covering: ApprovalPolicy[], now: number): ApprovalRequest {
    const request: ApprovalRequest = {
      id: randomUUID(),
      requestor,
      approver: null,
      requestMs: now,
      expirationMs: now + this.expirySeconds * 1000,
      lastModifiedMs: now,
      status: "needsApproval",
      requestJustification: justification,
      approvalJustification: null,
      policyTypes: [...new Set(covering.map((p) => p.policyType))],
      approverGroupIds: [...new Set(covering.flatMap((p) => p.approverGroupIds.map((g) => g.toLowerCase())))],
      operation,
    };
    this.requests.push(request);
    this.version++;
    return request;
  }

  /** Whether this persona is in an approver group of the policies behind the request. */
  isApproverOf(persona: Persona, r: ApprovalRequest): boolean {
    return r.approverGroupIds.some((g) => inGroup(persona, g));
  }

  decide(r: ApprovalRequest, status: RequestStatus, now: number, by?: Persona, justification?: string | null): void {
    r.status = status;
    r.lastModifiedMs = now;
    if (by) r.approver = by;
    if (justification !== undefined) r.approvalJustification = justification;
    this.version++;
  }

  matches(r: ApprovalRequest, operation: WipeOperation): boolean {
    return sameOperation(r.operation, operation);
  }

  clearRequests(): void {
    this.requests = [];
    this.version++;
  }

  describe() {
    return {
      policies: this.policies.map((p) => ({ ...p, lastModifiedDateTime: new Date(p.lastModifiedMs).toISOString(), lastModifiedMs: undefined })),
      expirySeconds: this.expirySeconds,
    };
  }
}
