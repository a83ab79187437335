// Over 300 lines: the one place Graph failures become ActionErrors; split, the mapping would have two homes.
/**
 * The one place that turns Graph's failures into ActionError kinds the UI can put into a sentence.
 *
 * Decisions rest on the HTTP status and error.code, never on message text, with one documented exception
 * (docs/graph.md, "Refusal shapes" and "Error shapes"): Intune puts a JSON string inside error.message, and only that
 * JSON tells "the app lacks consent for scope X" (code Forbidden, Message naming the scopes) from "your Intune role
 * does not allow it" (code UnknownError wrapping {"ErrorCode":"Forbidden"}, seen as 401 and as 403).
 */
import type { ActionError } from "@/lib/result";
import { SCOPE_NAMES } from "@/lib/auth/scopes";
import { GUID_PATTERN } from "@/lib/devices/ids";
import { parseRetryAfter } from "./retry-after";

export interface ErrorContext {
  /** The request was a write (wipe, sync, executeAction, $batch with writes): a 5xx or timeout is "unclear". */
  write?: boolean;
  /** What the user tried, for the sentence: "reset this device", "sync this device", "read devices". */
  operation?: string;
  /** The scope the call needs, named when Graph's refusal does not name one. */
  requiredScope?: string;
  /** The Intune permission the call needs, e.g. "Remote tasks / Wipe". */
  rolePermission?: string;
  /** What a 404 means here. */
  notFoundMessage?: string;
  /**
   * A Microsoft Entra directory read (users, groups, Entra devices): Entra refuses with Authorization_RequestDenied
   * and names no scope, and no Intune role is involved. This is what a 403 then means (the action has already checked
   * that the token carries `requiredScope`; a missing scope is worded by directoryConsentError).
   */
  directoryRefusal?: string;
}

/** What a 404 (or an id that cannot be one) means on a device's own page. */
export const NO_SUCH_DEVICE = "No device has this id. It may have been deleted or retired from Intune; go back to the device list.";

/** How a device read is worded when Graph refuses it. */
export const READ_DEVICES_ERRORS: ErrorContext = {
  operation: "read devices",
  requiredScope: SCOPE_NAMES.readDevices,
  rolePermission: "Managed devices / Read",
};

/** How a read of a device's Windows Autopilot record is worded. */
export const READ_AUTOPILOT_ERRORS: ErrorContext = {
  operation: "read this device's Autopilot record",
  requiredScope: SCOPE_NAMES.readServiceConfig,
  rolePermission: "Enrollment programs / Read device",
};

/** How a change of the Autopilot group tag is worded (docs/graph.md, "Changing the group tag"). */
export const GROUP_TAG_ERRORS: ErrorContext = {
  operation: "change this device's Autopilot group tag",
  requiredScope: SCOPE_NAMES.writeServiceConfig,
  rolePermission: "Enrollment programs / Update device",
  notFoundMessage: "Intune no longer has this device's Autopilot record: it may have been deleted. Reload the page.",
};

/** How a read of the remote action audits (the monitor) is worded. */
export const READ_AUDITS_ERRORS: ErrorContext = {
  operation: "read the device actions log",
  requiredScope: SCOPE_NAMES.readDevices,
  rolePermission: "Audit data / Read",
};

/** How Autopilot Reset and Sync are worded; callers add what a 404 means where they are. */
export const WRITE_ERRORS_BASE = {
  reset: { write: true, operation: "Autopilot Reset this device", requiredScope: SCOPE_NAMES.privilegedOperations, rolePermission: "Remote tasks / Wipe" },
  sync: { write: true, operation: "sync this device", requiredScope: SCOPE_NAMES.privilegedOperations, rolePermission: "Remote tasks / Sync devices" },
} as const satisfies Record<string, ErrorContext>;

/** How the WinRE remediation's reads and run are worded (docs/graph.md, "Remediations on demand (WinRE)"). */
export const WINRE_ERRORS = {
  read: { operation: "read the device's WinRE state", requiredScope: SCOPE_NAMES.readDevices, notFoundMessage: NO_SUCH_DEVICE },
  packages: { operation: "read the tenant's remediation packages", requiredScope: SCOPE_NAMES.readScripts },
  run: {
    write: true,
    operation: "run the WinRE remediation on this device",
    requiredScope: SCOPE_NAMES.readDevices,
    rolePermission: "Remote tasks / Run remediation",
    notFoundMessage: NO_SUCH_DEVICE,
  },
} as const satisfies Record<string, ErrorContext>;

/**
 * How the BitLocker recovery key reads are worded (docs/graph.md, "BitLocker recovery keys"). A 403 with the scopes in
 * the token (the action checks scp first) is the Entra role: Entra names neither.
 */
const BITLOCKER_ROLE_REFUSAL =
  "Microsoft Entra ID did not let you read this device's BitLocker recovery keys: that needs Helpdesk Administrator, Cloud Device Administrator, Intune Administrator, Security Administrator, Security Reader or Global Reader (or being the device's registered owner). Ask your administrator for one of these roles.";
export const BITLOCKER_ERRORS = {
  list: {
    operation: "list this device's BitLocker recovery keys",
    requiredScope: SCOPE_NAMES.readBitlockerBasic,
    directoryRefusal: BITLOCKER_ROLE_REFUSAL,
    notFoundMessage: NO_SUCH_DEVICE,
  },
  key: {
    operation: "read this BitLocker recovery key",
    requiredScope: SCOPE_NAMES.readBitlockerKeys,
    directoryRefusal: BITLOCKER_ROLE_REFUSAL,
    notFoundMessage: "Microsoft Entra ID has no BitLocker recovery key with this id any more: it may have been removed or replaced. Reload the list of keys.",
  },
} as const satisfies Record<string, ErrorContext>;

/** How Multi Admin Approval's reads and decisions are worded (docs/graph.md, "Multi Admin Approval"). */
export const APPROVAL_ERRORS = {
  policies: { operation: "read the tenant's access policies", requiredScope: SCOPE_NAMES.readRbac, rolePermission: "Multi Admin Approval / Read access policy" },
  requests: { operation: "read approval requests", requiredScope: SCOPE_NAMES.readRbac, rolePermission: "Multi Admin Approval / Approval for Multi Admin Approval" },
  decide: {
    operation: "approve or reject this request",
    requiredScope: SCOPE_NAMES.readRbac,
    rolePermission: "Multi Admin Approval / Approval for Multi Admin Approval",
    notFoundMessage: "No approval request has this id any more. Refresh the list.",
  },
} as const satisfies Record<string, ErrorContext>;

/**
 * How the ticket's directory sources are worded (docs/product.md, "Journey 7: start from what the ticket names"): the
 * user search (User.ReadBasic.All), the group search and its members (GroupMember.Read.All, Device.Read.All).
 */
export const DIRECTORY_ERRORS = {
  users: {
    operation: "find people in Microsoft Entra ID",
    requiredScope: SCOPE_NAMES.readUsersBasic,
    directoryRefusal: "Microsoft Entra ID did not let you list people. Your account may not read other users' profiles (guest accounts cannot); ask an administrator.",
    notFoundMessage: "No user has this id in Microsoft Entra ID. They may have been deleted; search again.",
  },
  /** Another person's registered devices: Entra asks for User.Read.All, which the console does not ask for (docs/graph.md). */
  registeredDevices: {
    operation: "read the devices this person registered in Microsoft Entra ID",
    directoryRefusal:
      "Microsoft Entra ID did not let you read the devices this person registered (that needs User.Read.All or a directory role); the devices Intune lists for them are shown.",
    notFoundMessage: "No user has this id in Microsoft Entra ID. They may have been deleted; search again.",
  },
  groups: {
    operation: "find groups in Microsoft Entra ID",
    requiredScope: SCOPE_NAMES.readGroupMembers,
    directoryRefusal: "Microsoft Entra ID did not let you read groups. Your account may not read groups (guest accounts cannot); ask an administrator.",
    notFoundMessage: "No group has this id in Microsoft Entra ID. It may have been deleted; search again.",
  },
  groupMembers: {
    operation: "read this group's devices",
    requiredScope: SCOPE_NAMES.readDirectoryDevices,
    directoryRefusal: "Microsoft Entra ID did not let you read this group's members or their devices. Ask an administrator.",
    notFoundMessage: "No group has this id in Microsoft Entra ID. It may have been deleted; search again.",
  },
} as const satisfies Record<string, ErrorContext>;

interface GraphErrorLike {
  statusCode?: number;
  code?: string | null;
  message?: string;
  requestId?: string | null;
  headers?: Headers | Record<string, string>;
  body?: unknown;
  name?: string;
}

interface WrappedIntuneError {
  errorCode?: string;
  message?: string;
}

const UNAUTHENTICATED_CODES = new Set([
  "InvalidAuthenticationToken",
  "AuthenticationError",
  "Unauthorized",
  "TokenExpired",
  "ExpiredAuthenticationToken",
]);
const FORBIDDEN_CODES = new Set(["Forbidden", "AccessDenied", "Authorization_RequestDenied", "accessDenied"]);
const TIMEOUT_CODES = new Set(["GraphTimeoutError", "TimeoutError", "AbortError"]);
/** A Graph permission name: dotted PascalCase segments such as DeviceManagementManagedDevices.PrivilegedOperations.All. */
const SCOPE_PATTERN = /\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+\b/g;

function asGraphError(error: unknown): GraphErrorLike {
  if (error && typeof error === "object") return error as GraphErrorLike;
  return { message: typeof error === "string" ? error : undefined };
}

function header(error: GraphErrorLike, name: string): string | undefined {
  const headers = error.headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key ? record[key] : undefined;
}

/** Intune's JSON-inside-message, if the message is one. Keys vary in case ("ErrorCode" / "errorCode"). */
export function parseWrappedIntuneError(message: string | undefined): WrappedIntuneError | undefined {
  if (!message) return undefined;
  const trimmed = message.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (!parsed || typeof parsed !== "object") return undefined;
    const record = parsed as Record<string, unknown>;
    const pick = (...names: string[]) => {
      for (const name of names) if (typeof record[name] === "string") return record[name] as string;
      return undefined;
    };
    return { errorCode: pick("ErrorCode", "errorCode", "code"), message: pick("Message", "message") };
  } catch {
    return undefined;
  }
}

/** The scopes a consent refusal names ("Application must have one of the following scopes: A, B - Operation ID"). */
export function scopesNamedIn(text: string | undefined): string[] {
  if (!text) return [];
  const afterScopes = /scopes?\s*:/i.exec(text);
  const segment = afterScopes ? text.slice(afterScopes.index + afterScopes[0].length).split(/\s-\s|\bOperation ID\b/i)[0] ?? "" : "";
  return [...new Set(segment.match(SCOPE_PATTERN) ?? [])];
}

/** Retry-After in whole seconds, rounded up: the sentence words it ("about 3 seconds"). */
function retryAfterFrom(error: unknown): number | undefined {
  const seconds = parseRetryAfter(header(asGraphError(error), "Retry-After"));
  return seconds === undefined ? undefined : Math.ceil(seconds);
}

function requestIdOf(error: GraphErrorLike): string | undefined {
  return error.requestId ?? header(error, "request-id") ?? header(error, "client-request-id") ?? undefined;
}

function withRequestId(base: Omit<ActionError, "requestId">, requestId: string | undefined): ActionError {
  return requestId ? { ...base, requestId } : base;
}

function forbiddenRole(context: ErrorContext, requestId: string | undefined): ActionError {
  const what = context.operation ? ` to ${context.operation}` : " to do this";
  const permission = context.rolePermission
    ? ` Ask an Intune administrator for a role that includes ${context.rolePermission} (for example Help Desk Operator).`
    : " Ask an Intune administrator for a role that includes it.";
  return withRequestId({ kind: "forbidden-role", message: `Your Intune role does not allow you${what}.${permission}` }, requestId);
}

function forbiddenConsent(scopes: string[], context: ErrorContext, requestId: string | undefined): ActionError {
  const missingScope = scopes[0] ?? context.requiredScope;
  const named = scopes.length > 1 ? `one of the permissions ${scopes.join(", ")}` : `the permission ${missingScope ?? "this call needs"}`;
  return withRequestId(
    {
      kind: "forbidden-consent",
      message: `Your organization has not granted this app ${named}. An administrator must grant admin consent for it in Microsoft Entra ID; until then this is unavailable.`,
      ...(missingScope ? { missingScope } : {}),
    },
    requestId,
  );
}

/**
 * The token lacks a directory scope (read from its scp claim before anything is sent): the same consent sentence as a
 * Graph refusal that names the scope.
 */
export function directoryConsentError(scope: string): ActionError {
  return forbiddenConsent([scope], {}, undefined);
}

const APPROVAL_CODE_IN_MESSAGE = new RegExp(`\\bApproval Required\\b[\\s\\S]*?x-msft-approval-code:\\s*(${GUID_PATTERN.source.slice(1, -1)})`, "i");

/**
 * Today's guardrails on wipes (docs/graph.md, "Multi Admin Approval" and "The daily wipe limit"). Their status is
 * UNVERIFIED (403, 400 and 412 are all reported for ApprovalRequired), so they are told apart by error.code, the
 * x-msft-approval-code header and, for the open request and the limit, the words of the message, before any status.
 */
function guardrail(graphError: GraphErrorLike, code: string, status: number, requestId: string | undefined): ActionError | undefined {
  const message = graphError.message ?? "";
  // 412 BadRequest carries the same message and header as 403 ApprovalRequired (docs/graph.md, "Multi Admin
  // Approval"); the code in the message is read too, should a proxy drop the header.
  const approvalCode = header(graphError, "x-msft-approval-code") ?? APPROVAL_CODE_IN_MESSAGE.exec(message)?.[1];
  if (code === "ApprovalRequired" || approvalCode) {
    return withRequestId(
      {
        kind: "approval-required",
        message: approvalCode
          ? "This reset needs approval under your tenant's Multi Admin Approval policy. An approver must approve the request; then complete the reset here."
          : "This reset needs approval under your tenant's Multi Admin Approval policy. Give a justification and send the request again.",
        ...(approvalCode ? { approvalRequestId: approvalCode.trim() } : {}),
      },
      requestId,
    );
  }
  // Only the missing header asks for one; a malformed justification is the console's own bug, worded as invalid below.
  if (/x-msft-approval-justification.*\brequired\b/i.test(message) && status >= 400 && status < 500) {
    return withRequestId(
      { kind: "approval-required", message: "This reset needs approval under your tenant's Multi Admin Approval policy. Give a justification and send the request again." },
      requestId,
    );
  }
  if (status === 409 && /approval request/i.test(message)) {
    return withRequestId(
      { kind: "approval-open", message: "An approval request for this device is already open, so no new one was made. Wait for an approver to decide it." },
      requestId,
    );
  }
  if (code === "DailyLimitExceeded" || /daily limit/i.test(message)) {
    const retryAfterSeconds = retryAfterFrom(graphError);
    return withRequestId(
      {
        kind: "daily-limit",
        message: "Your tenant has reached Intune's daily limit on wipes, so this reset was not sent. Try again once the oldest wipe of the last 24 hours has aged out.",
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      },
      requestId,
    );
  }
  return undefined;
}

/** Maps anything a Graph call can throw to an ActionError. Total: never throws. */
export function mapGraphError(error: unknown, context: ErrorContext = {}): ActionError {
  const graphError = asGraphError(error);
  const status = typeof graphError.statusCode === "number" ? graphError.statusCode : -1;
  const code = graphError.code ?? graphError.name ?? "";
  const requestId = requestIdOf(graphError);
  const wrapped = parseWrappedIntuneError(graphError.message);

  if (context.write) {
    const refused = guardrail(graphError, code, status, requestId);
    if (refused) return refused;
  }

  if (code === "ForeignHostError") {
    return { kind: "invalid", message: "This page link does not point at Microsoft Graph, so it was not followed. Start again from the first page." };
  }

  if (status === 403 && context.directoryRefusal) {
    const scopes = scopesNamedIn(graphError.message);
    if (scopes.length > 0) return forbiddenConsent(scopes, context, requestId);
    return withRequestId({ kind: "forbidden-role", message: context.directoryRefusal }, requestId);
  }

  if (status === 401 || status === 403) {
    // UnknownError wrapping Forbidden is Intune's "no role" answer, reported both as 401 and 403.
    if (wrapped?.errorCode?.toLowerCase() === "forbidden" && code !== "Forbidden") return forbiddenRole(context, requestId);
    const scopes = scopesNamedIn(wrapped?.message ?? graphError.message);
    if (status === 403 && scopes.length > 0) return forbiddenConsent(scopes, context, requestId);
    if (status === 403 && FORBIDDEN_CODES.has(code) && wrapped?.message && /scope/i.test(wrapped.message)) {
      return forbiddenConsent([], context, requestId);
    }
    if (status === 403) return forbiddenRole(context, requestId);
    if (UNAUTHENTICATED_CODES.has(code) || status === 401) {
      return withRequestId(
        { kind: "unauthenticated", message: "Your sign-in has expired or was not accepted by Microsoft Graph. Sign in again, then retry." },
        requestId,
      );
    }
  }

  if (status === 404) {
    return withRequestId(
      { kind: "not-found", message: context.notFoundMessage ?? "Microsoft Intune has no such item. It may have been deleted; refresh the list." },
      requestId,
    );
  }

  if (status === 429) {
    const retryAfterSeconds = retryAfterFrom(graphError);
    const wait = retryAfterSeconds !== undefined ? `about ${Math.max(1, retryAfterSeconds)} seconds` : "a minute";
    const written = context.write
      ? " It may have been applied anyway, so check the device's status before trying again."
      : "";
    return withRequestId(
      {
        kind: "throttled",
        message: `Microsoft Intune is limiting requests right now. Wait ${wait} and try again.${written}`,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      },
      requestId,
    );
  }

  if (status === 400 || status === 405 || status === 409 || status === 412 || status === 413 || status === 422) {
    return withRequestId(
      { kind: "invalid", message: "Microsoft Graph did not accept this request. Change the search or filters and try again." },
      requestId,
    );
  }

  const isTimeout = TIMEOUT_CODES.has(code);
  if (status >= 500 || isTimeout || status === -1 || status === 0) {
    if (context.write) {
      return withRequestId(
        {
          kind: "unclear",
          message: `We couldn't confirm whether Microsoft Intune received the request${context.operation ? ` to ${context.operation}` : ""}. We did not resend it; check the device's status before trying again.`,
        },
        requestId,
      );
    }
    const why = isTimeout ? "did not answer in time" : status >= 500 ? `is not available right now (HTTP ${status})` : "could not be reached";
    return withRequestId({ kind: "unavailable", message: `Microsoft Graph ${why}. Try again in a minute.` }, requestId);
  }

  return withRequestId(
    { kind: "unavailable", message: `Microsoft Graph answered unexpectedly (HTTP ${status}). Try again in a minute.` },
    requestId,
  );
}
