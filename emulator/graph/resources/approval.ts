/**
 * Beta operationApprovalPolicy and operationApprovalRequest (graph-docs beta intune-rbac-operationapprovalpolicy.md,
 * intune-rbac-operationapprovalrequest.md; property lists as in msgraph-metadata schemas/type-mappings/beta-entity-types.json).
 */
import type { ApprovalPolicy, ApprovalRequest } from "../../approval";
import { POLICY_PLATFORMS, POLICY_TYPES, REQUEST_STATUSES } from "../../approval";
import type { Persona } from "../../tenant";
import { Writer, schemaOf, type PropertyTable, type Value } from "./table";

/** An identitySet naming a user (the requestor or approver); no application or device acts here. */
function identitySet(p: Persona | null): Value {
  if (!p) return null;
  return { application: null, device: null, user: { id: p.oid, displayName: p.displayName } };
}

const REQUEST_TABLE: PropertyTable<ApprovalRequest> = {
  id: { type: "string", filterable: true, value: (r) => r.id },
  requestDateTime: { type: "datetime", filterable: true, sortable: true, value: (r) => r.requestMs },
  expirationDateTime: { type: "datetime", filterable: true, sortable: true, value: (r) => r.expirationMs },
  lastModifiedDateTime: { type: "datetime", filterable: true, sortable: true, value: (r) => r.lastModifiedMs },
  requestor: { type: "complex", value: (r) => identitySet(r.requestor) },
  approver: { type: "complex", value: (r) => identitySet(r.approver) },
  status: { type: "enum", enumValues: REQUEST_STATUSES, filterable: true, sortable: true, value: (r) => r.status },
  requestJustification: { type: "string", value: (r) => r.requestJustification },
  approvalJustification: { type: "string", value: (r) => r.approvalJustification },
  requiredOperationApprovalPolicyTypes: { type: "complex", value: (r) => [...r.policyTypes] },
  // memdocs multi-admin-approval-graph-api.md polls "$filter=requestId eq '<code>'": not a property of the type, but
  // accepted in $filter as the id (UNVERIFIED); never written.
  requestId: { type: "string", filterable: true, key: (r) => r.id },
};

const POLICY_TABLE: PropertyTable<ApprovalPolicy> = {
  id: { type: "string", filterable: true, value: (p) => p.id },
  displayName: { type: "string", filterable: true, sortable: true, value: (p) => p.displayName },
  description: { type: "string", value: (p) => p.description },
  lastModifiedDateTime: { type: "datetime", sortable: true, value: (p) => p.lastModifiedMs },
  policyType: { type: "enum", enumValues: POLICY_TYPES, filterable: true, value: (p) => p.policyType },
  policyPlatform: { type: "enum", enumValues: POLICY_PLATFORMS, filterable: true, value: (p) => p.policyPlatform },
  policySet: { type: "complex", value: (p) => ({ policyType: p.policyType, policyPlatform: p.policyPlatform }) },
  approverGroupIds: { type: "complex", value: (p) => [...p.approverGroupIds] },
};

export const REQUEST_TYPE = "microsoft.graph.operationApprovalRequest";
const POLICY_TYPE = "microsoft.graph.operationApprovalPolicy";
export const requestSchema = schemaOf(REQUEST_TYPE, REQUEST_TABLE);
export const policySchema = schemaOf(POLICY_TYPE, POLICY_TABLE);

const requests = new Writer(REQUEST_TABLE, { odataType: `#${REQUEST_TYPE}`, idFirst: true });
const policies = new Writer(POLICY_TABLE, { odataType: `#${POLICY_TYPE}`, idFirst: true });

export function serializeRequest(r: ApprovalRequest, select?: string[]): Record<string, Value> {
  return requests.write(r, { version: "beta", now: 0, select });
}

export function serializePolicy(p: ApprovalPolicy, select?: string[]): Record<string, Value> {
  return policies.write(p, { version: "beta", now: 0, select });
}
