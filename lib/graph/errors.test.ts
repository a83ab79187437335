import { describe, expect, it } from "vitest";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { mapGraphError, parseWrappedIntuneError, scopesNamedIn } from "./errors";

function graphError(statusCode: number, code: string, message: string, extra: { requestId?: string; retryAfter?: string } = {}) {
  const error = new GraphError(statusCode, message);
  error.code = code;
  error.requestId = extra.requestId ?? "b7f2-request";
  if (extra.retryAfter !== undefined) error.headers = new Headers({ "Retry-After": extra.retryAfter });
  return error;
}

const CONSENT_MESSAGE = JSON.stringify({
  _version: 3,
  Message:
    "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementManagedDevices.PrivilegedOperations.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000",
  CustomApiErrorPhrase: "",
});
const ROLE_MESSAGE = JSON.stringify({ ErrorCode: "Forbidden", Message: '{"_version":3,"Message":"An error has occurred"}', Target: null });

describe("mapGraphError", () => {
  it("tells missing consent apart and names the scope", () => {
    const mapped = mapGraphError(graphError(403, "Forbidden", CONSENT_MESSAGE), { requiredScope: "Something.Else" });
    expect(mapped.kind).toBe("forbidden-consent");
    expect(mapped.missingScope).toBe("DeviceManagementManagedDevices.PrivilegedOperations.All");
    expect(mapped.message).toContain("DeviceManagementManagedDevices.PrivilegedOperations.All");
    expect(mapped.message).toMatch(/admin consent/);
    expect(mapped.requestId).toBe("b7f2-request");
  });

  it("reads Intune's UnknownError wrapping Forbidden as the role, whether 401 or 403", () => {
    for (const status of [401, 403]) {
      const mapped = mapGraphError(graphError(status, "UnknownError", ROLE_MESSAGE), {
        operation: "Autopilot Reset this device",
        rolePermission: "Remote tasks / Wipe",
      });
      expect(mapped.kind).toBe("forbidden-role");
      expect(mapped.message).toContain("Autopilot Reset this device");
      expect(mapped.message).toContain("Remote tasks / Wipe");
    }
  });

  it("maps an expired or forged token to unauthenticated", () => {
    expect(mapGraphError(graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")).kind).toBe(
      "unauthenticated",
    );
  });

  it("uses the context's not-found sentence", () => {
    const mapped = mapGraphError(graphError(404, "ResourceNotFound", "not found"), { notFoundMessage: "No device has this id." });
    expect(mapped).toMatchObject({ kind: "not-found", message: "No device has this id." });
  });

  it("maps 400 to invalid without echoing Graph's message", () => {
    const mapped = mapGraphError(graphError(400, "BadRequest", "Invalid filter clause <script>"));
    expect(mapped.kind).toBe("invalid");
    expect(mapped.message).not.toContain("<script>");
  });

  it("carries Retry-After on throttling, in seconds or as a date", () => {
    expect(mapGraphError(graphError(429, "TooManyRequests", "Please retry again later.", { retryAfter: "2.5" }))).toMatchObject({
      kind: "throttled",
      retryAfterSeconds: 3,
    });
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const dated = mapGraphError(graphError(429, "TooManyRequests", "x", { retryAfter: inTenSeconds }));
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(8);
    expect(mapGraphError(graphError(429, "TooManyRequests", "x")).retryAfterSeconds).toBeUndefined();
  });

  it("says a throttled write may have been applied", () => {
    expect(mapGraphError(graphError(429, "TooManyRequests", "x"), { write: true }).message).toMatch(/check the device's status/);
  });

  it("makes a 5xx or timeout on a write unclear, on a read unavailable", () => {
    const outage = graphError(503, "ServiceUnavailable", "x");
    expect(mapGraphError(outage, { write: true }).kind).toBe("unclear");
    expect(mapGraphError(outage, { write: true }).message).toMatch(/We did not resend it/);
    expect(mapGraphError(outage).kind).toBe("unavailable");
    const timeout = new GraphError(-1, "Microsoft Graph did not answer within 30 seconds.");
    timeout.code = "GraphTimeoutError";
    expect(mapGraphError(timeout, { write: true }).kind).toBe("unclear");
    expect(mapGraphError(timeout).message).toMatch(/did not answer in time/);
  });

  it("is total on anything thrown", () => {
    for (const thrown of [undefined, null, "text", 42, new Error("boom"), { statusCode: "x" }]) {
      const mapped = mapGraphError(thrown);
      expect(mapped.kind).toBe("unavailable");
      expect(mapped.message.length).toBeGreaterThan(10);
    }
  });
});

describe("parseWrappedIntuneError and scopesNamedIn", () => {
  it("reads the JSON inside the message in either key case", () => {
    expect(parseWrappedIntuneError(ROLE_MESSAGE)?.errorCode).toBe("Forbidden");
    expect(parseWrappedIntuneError('{"errorCode":"Forbidden"}')?.errorCode).toBe("Forbidden");
    expect(parseWrappedIntuneError("plain text")).toBeUndefined();
    expect(parseWrappedIntuneError("{not json")).toBeUndefined();
  });

  it("finds every scope a consent refusal lists", () => {
    expect(scopesNamedIn("Application must have one of the following scopes: A.Read.All, DeviceManagementRBAC.Read.All - Operation ID x")).toEqual([
      "A.Read.All",
      "DeviceManagementRBAC.Read.All",
    ]);
    expect(scopesNamedIn("nothing here")).toEqual([]);
  });
});

describe("mapGraphError: today's guardrails on wipes (keyed on code and header, never the status)", () => {
  const WRITE = { write: true, operation: "Autopilot Reset this device" };

  it("an ApprovalRequired answer carries the approval request's id, whatever its status", () => {
    for (const status of [400, 403, 412]) {
      const error = graphError(status, "ApprovalRequired", "Approval is required.");
      error.headers = new Headers({ "x-msft-approval-code": "5b3c1d2e-0000-4000-8000-000000000001" });
      expect(mapGraphError(error, WRITE)).toMatchObject({ kind: "approval-required", approvalRequestId: "5b3c1d2e-0000-4000-8000-000000000001" });
    }
  });

  it("a 412 BadRequest with Intune's approval message is the same refusal, with or without the header", () => {
    const code = "5b3c1d2e-0000-4000-8000-000000000002";
    const message = `Approval Required. Request Approval using the request ID returned as part of the x-msft-approval-code response header. x-msft-approval-code: ${code}`;
    const withHeader = graphError(412, "BadRequest", message);
    withHeader.headers = new Headers({ "x-msft-approval-code": code });
    expect(mapGraphError(withHeader, WRITE)).toMatchObject({ kind: "approval-required", approvalRequestId: code });
    expect(mapGraphError(graphError(412, "BadRequest", message), WRITE)).toMatchObject({ kind: "approval-required", approvalRequestId: code });
    expect(mapGraphError(graphError(412, "BadRequest", "Precondition failed."), WRITE).kind).not.toBe("approval-required");
  });

  it("a missing justification asks for one; an open request and the daily limit say so", () => {
    expect(mapGraphError(graphError(400, "BadRequest", "The 'x-msft-approval-justification' header is required."), WRITE).kind).toBe("approval-required");
    expect(mapGraphError(graphError(400, "BadRequest", "Decoded content of 'x-msft-approval-justification' header must not contain control characters."), WRITE).kind).toBe("invalid");
    expect(mapGraphError(graphError(409, "Conflict", "An active Approval Request already exists for this operation."), WRITE).kind).toBe("approval-open");
    expect(mapGraphError(graphError(400, "DailyLimitExceeded", "The daily limit of 500 wipes was reached.", { retryAfter: "3600" }), WRITE)).toMatchObject({
      kind: "daily-limit",
      retryAfterSeconds: 3600,
    });
  });

  it("a read is never taken for a guardrail", () => {
    expect(mapGraphError(graphError(403, "ApprovalRequired", "x")).kind).not.toBe("approval-required");
  });
});
