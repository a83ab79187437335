/**
 * Fidelity switches set by PUT /_emulator/fidelity: places where real tenants answer differently from what the
 * documentation promises, so the console can be tested against both.
 */

/** Which devices' wipes Graph leaves out of deviceActionResults (they still show in managementState and the audits). */
export type SilentWipes = "none" | "some" | "all";
export const SILENT_WIPES: readonly SilentWipes[] = ["none", "some", "all"];
export const DEFAULT_SILENT_WIPES: SilentWipes = "some";

/**
 * Where beta executeAction puts its bulkManagedDeviceActionResult: at the JSON root, as the schema's return type and
 * Microsoft's Kiota SDKs read it ("root", the default), or wrapped in "value" as the docs' example shows ("value").
 * Which one the service sends is UNVERIFIED (docs/graph.md, "Bulk response shape").
 */
export type BulkResultShape = "root" | "value";
const BULK_RESULT_SHAPES: readonly BulkResultShape[] = ["root", "value"];
const DEFAULT_BULK_RESULT_SHAPE: BulkResultShape = "root";

/**
 * OData casts on a group's member lists (`/transitiveMembers/microsoft.graph.device`): "advanced" answers them as the
 * docs say, only with ConsistencyLevel: eventual and $count=true (the default); "refused" answers every cast 400
 * Request_UnsupportedQuery, as some tenants were reported to (docs/graph.md, "Users, groups and Entra devices").
 */
export type MemberCasts = "advanced" | "refused";
const MEMBER_CASTS: readonly MemberCasts[] = ["advanced", "refused"];

/**
 * How Intune refuses a wipe that needs approval: "403" ApprovalRequired as memdocs documents it (the default), or
 * "412" BadRequest with the same message and x-msft-approval-code header, as some 2026 reports see it
 * (docs/graph.md, "Multi Admin Approval").
 */
export type ApprovalRequiredAnswer = "403" | "412";
const APPROVAL_REQUIRED_ANSWERS: readonly ApprovalRequiredAnswer[] = ["403", "412"];

export interface FidelityConfig {
  silentWipes?: SilentWipes;
  bulkResultShape?: BulkResultShape;
  memberCasts?: MemberCasts;
  approvalRequired?: ApprovalRequiredAnswer;
}

export class Fidelity {
  constructor(
    public silentWipes: SilentWipes = DEFAULT_SILENT_WIPES,
    public bulkResultShape: BulkResultShape = DEFAULT_BULK_RESULT_SHAPE,
    public memberCasts: MemberCasts = "advanced",
    public approvalRequired: ApprovalRequiredAnswer = "403",
  ) {}

  set(config: FidelityConfig): void {
    if (config.silentWipes !== undefined) this.silentWipes = config.silentWipes;
    if (config.bulkResultShape !== undefined) this.bulkResultShape = config.bulkResultShape;
    if (config.memberCasts !== undefined) this.memberCasts = config.memberCasts;
    if (config.approvalRequired !== undefined) this.approvalRequired = config.approvalRequired;
  }

  describe() {
    return { silentWipes: this.silentWipes, bulkResultShape: this.bulkResultShape, memberCasts: this.memberCasts, approvalRequired: this.approvalRequired };
  }
}

export function isSilentWipes(value: unknown): value is SilentWipes {
  return SILENT_WIPES.includes(value as SilentWipes);
}

/** Validates a PUT /_emulator/fidelity body (the switches it names change, the others stay); an error sentence or the settings. */
export function parseFidelityConfig(body: unknown): FidelityConfig | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "Body must be a JSON object.";
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b);
  for (const key of keys) if (!["silentWipes", "bulkResultShape", "memberCasts", "approvalRequired"].includes(key)) return `Unknown fidelity switch '${key}'.`;
  if (keys.length === 0) return "Name at least one fidelity switch: silentWipes, bulkResultShape, memberCasts, approvalRequired.";
  if (b.silentWipes !== undefined && !isSilentWipes(b.silentWipes)) return `silentWipes must be one of ${SILENT_WIPES.join(", ")}.`;
  if (b.bulkResultShape !== undefined && !BULK_RESULT_SHAPES.includes(b.bulkResultShape as BulkResultShape)) {
    return `bulkResultShape must be one of ${BULK_RESULT_SHAPES.join(", ")}.`;
  }
  if (b.memberCasts !== undefined && !MEMBER_CASTS.includes(b.memberCasts as MemberCasts)) return `memberCasts must be one of ${MEMBER_CASTS.join(", ")}.`;
  if (b.approvalRequired !== undefined && !APPROVAL_REQUIRED_ANSWERS.includes(b.approvalRequired as ApprovalRequiredAnswer)) {
    return `approvalRequired must be one of ${APPROVAL_REQUIRED_ANSWERS.join(", ")}.`;
  }
  return {
    approvalRequired: b.approvalRequired as ApprovalRequiredAnswer | undefined,
    silentWipes: b.silentWipes as SilentWipes | undefined,
    bulkResultShape: b.bulkResultShape as BulkResultShape | undefined,
    memberCasts: b.memberCasts as MemberCasts | undefined,
  };
}
