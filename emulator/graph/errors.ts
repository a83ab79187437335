/**
 * Graph error bodies. Every one has the documented envelope {"error":{"code","message","innerError":{date,
 * request-id, client-request-id}}} (graph-docs concepts/errors.md). Intune puts a JSON-encoded string inside
 * `message` for its own errors; those builders reproduce the shapes reported in docs/graph.md, "Refusal shapes".
 */
import type { Reply } from "../http";

export interface ErrorContext {
  requestId: string;
  clientRequestId?: string;
  date: string;
}

export function graphError(status: number, code: string, message: string, ctx: ErrorContext, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "Content-Type": "application/json", ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: ctx.date,
          "request-id": ctx.requestId,
          "client-request-id": ctx.clientRequestId ?? ctx.requestId,
        },
      },
    },
  };
}

/** Intune's inner error document (the string that ends up inside error.message). */
function intuneMessage(message: string, ctx: ErrorContext, url: string): string {
  return JSON.stringify(
    {
      _version: 3,
      Message: `${message} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${ctx.requestId} - Url: https://fef.msua06.manage.microsoft.com/DeviceFE/StatelessDeviceFEService${url}?api-version=2024-09-01`,
      CustomApiErrorPhrase: "",
      RetryAfter: null,
      ErrorSourceService: "",
      HttpHeaders: "{}",
    },
    null,
    2,
  ).replace(/\n/g, "\r\n");
}

export const badRequest = (message: string, ctx: ErrorContext) => graphError(400, "BadRequest", message, ctx);

const notFound = (message: string, ctx: ErrorContext) => graphError(404, "ResourceNotFound", message, ctx);

export const invalidToken = (message: string, ctx: ErrorContext) =>
  graphError(401, "InvalidAuthenticationToken", message, ctx, { "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' });

/** Missing delegated scope: 403 Forbidden, message a JSON string naming the scopes (graph-docs-contrib#4311). */
export function missingScope(scopes: readonly string[], ctx: ErrorContext, url: string): Reply {
  return graphError(
    403,
    "Forbidden",
    intuneMessage(`Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes.join(", ")}`, ctx, url),
    ctx,
  );
}

/**
 * The signed-in user's Intune role lacks the permission: UnknownError wrapping {"ErrorCode":"Forbidden"}
 * (msgraph-sdk-powershell#1257, microsoft-graph-explorer-v4#706). Reported as 401 and as 403 in the wild; the
 * emulator answers 403.
 */
export function roleForbidden(permission: string, ctx: ErrorContext, url: string): Reply {
  return wrappedForbidden(`User is not authorized to perform this operation. The operation requires the Intune permission ${permission}`, ctx, url);
}

/**
 * A tenant without Remediations licensing: no public source shows Intune's answer (UNVERIFIED, emulator/README.md,
 * "Remediations on demand"); the emulator answers like a role refusal, with the reason in the message.
 */
export function licenceForbidden(ctx: ErrorContext, url: string): Reply {
  return wrappedForbidden(
    "The tenant is not licensed for Remediations (Windows Enterprise E3/E5, Education A3/A5 or VDA), or the licensing has not been confirmed.",
    ctx,
    url,
  );
}

function wrappedForbidden(text: string, ctx: ErrorContext, url: string): Reply {
  const inner = intuneMessage(text, ctx, url);
  const message = JSON.stringify({
    ErrorCode: "Forbidden",
    Message: inner,
    Target: null,
    Arguments: null,
    Details: null,
    InnerError: null,
    InstanceAnnotations: [],
  });
  return graphError(403, "UnknownError", message, ctx);
}

export function throttled(ctx: ErrorContext, retryAfterSeconds: number | undefined): Reply {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = formatRetryAfter(retryAfterSeconds);
  return graphError(429, "TooManyRequests", "Please retry again later.", ctx, headers);
}

/**
 * Retry-After as whole seconds, rounded up: RFC 9110 §10.2.3 allows delay-seconds as digits only, although clients
 * must read fractions too (docs/graph.md, "Throttling and Retry-After"). A wait the emulator computes is never 0; a
 * fault rule asking for 0 gets "0".
 */
export function formatRetryAfter(seconds: number): string {
  return String(Math.max(0, Math.ceil(seconds - 1e-9)));
}

export const unavailable = (ctx: ErrorContext) =>
  graphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", ctx, { "Retry-After": "1" });

/** An unclear answer: the gateway gave up waiting (the "timeout" fault inside a $batch, the "landsLater" fault). */
export const gatewayTimeout = (ctx: ErrorContext) => graphError(504, "GatewayTimeout", "The request timed out.", ctx);

export const intuneNotFound = (what: string, ctx: ErrorContext, url: string) => notFound(intuneMessage(`Resource not found: ${what}`, ctx, url), ctx);
