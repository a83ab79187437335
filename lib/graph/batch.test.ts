import { describe, expect, it } from "vitest";
import {
  buildActionBatch,
  buildReadBatch,
  outcomesForFailedBatch,
  parseActionBatchResponse,
  parseReadBatchResponse,
} from "./batch";

const ids = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
const graphError = (code: string, message = "x") => ({ error: { code, message, innerError: { "request-id": "req-1" } } });

describe("buildActionBatch", () => {
  it("builds wipe sub-requests with the Autopilot Reset body and numbered ids", () => {
    const { requests } = buildActionBatch("reset", ids.slice(0, 2));
    expect(requests[0]).toEqual({
      id: "1",
      method: "POST",
      url: `/deviceManagement/managedDevices/${ids[0]}/wipe`,
      headers: { "Content-Type": "application/json" },
      body: { keepEnrollmentData: true, keepUserData: false },
    });
    expect(buildActionBatch("sync", ids.slice(0, 1)).requests[0]).toEqual({ id: "1", method: "POST", url: `/deviceManagement/managedDevices/${ids[0]}/syncDevice` });
  });

  it.each([
    ["no device", []],
    ["21 devices", Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)],
    ["a duplicate", [ids[0]!, ids[0]!]],
    ["a non-GUID", ["../../me"]],
  ])("refuses %s", (_label, list) => {
    expect(() => buildActionBatch("reset", list)).toThrow();
    expect(() => buildReadBatch(list)).toThrow();
  });
});

describe("parseActionBatchResponse", () => {
  it("judges each sub-response on its own, whatever the order", () => {
    const body = {
      responses: [
        { id: "3", status: 503, headers: {}, body: graphError("ServiceUnavailable") },
        { id: "1", status: 204, headers: {} },
        { id: "2", status: 429, headers: { "retry-after": "2.5" }, body: graphError("TooManyRequests") },
        { id: "4", status: 404, body: graphError("ResourceNotFound") },
        { id: "5", status: 403, body: graphError("Forbidden", "{\"Message\":\"Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementManagedDevices.PrivilegedOperations.All - Operation ID x\"}") },
      ],
    };
    const outcomes = parseActionBatchResponse("reset", ids, body);
    expect(outcomes[0]).toEqual({ deviceId: ids[0], kind: "accepted", status: 204 });
    expect(outcomes[1]).toMatchObject({ kind: "throttled", status: 429, retryAfterSeconds: 2.5, requestId: "req-1" });
    expect(outcomes[2]).toMatchObject({ kind: "unclear", status: 503 });
    expect(outcomes[3]).toMatchObject({ kind: "rejected", status: 404, error: { kind: "not-found" } });
    expect(outcomes[4]).toMatchObject({ kind: "rejected", status: 403, error: { kind: "forbidden-consent", missingScope: "DeviceManagementManagedDevices.PrivilegedOperations.All" } });
    // No sub-response for the sixth: unclear, never "failed"
    expect(outcomes[5]).toMatchObject({ kind: "unclear" });
  });

  it("a 429 without Retry-After has no retryAfterSeconds (the engine backs off exponentially)", () => {
    const [outcome] = parseActionBatchResponse("sync", ids.slice(0, 1), { responses: [{ id: "1", status: 429, headers: {} }] });
    expect(outcome).toEqual({ deviceId: ids[0], kind: "throttled", status: 429 });
  });

  it.each([[null], ["garbage"], [{ responses: "no" }], [{ responses: [{ id: "1", status: "abc" }] }]])("treats an unreadable answer %j as unclear", (body) => {
    expect(parseActionBatchResponse("reset", ids.slice(0, 1), body)[0]!.kind).toBe("unclear");
  });
});

describe("parseReadBatchResponse", () => {
  it("maps found, not found and errors", () => {
    const body = {
      responses: [
        { id: "1", status: 200, body: { id: ids[0], deviceName: "PC-1", operatingSystem: "Windows", managementState: "wipePending", deviceActionResults: [{ actionName: "wipe", actionState: "pending", startDateTime: "2026-11-21T10:00:00Z", lastUpdatedDateTime: "2026-11-21T10:00:00Z" }] } },
        { id: "2", status: 404, body: graphError("ResourceNotFound") },
        { id: "3", status: 429, headers: { "Retry-After": "3" }, body: graphError("TooManyRequests") },
      ],
    };
    const reads = parseReadBatchResponse(ids.slice(0, 4), body);
    expect(reads[0]).toMatchObject({ kind: "found", device: { id: ids[0], managementState: "wipePending", deviceActionResults: [{ actionName: "wipe", actionState: "pending" }] } });
    expect(reads[1]).toEqual({ deviceId: ids[1], kind: "not-found" });
    expect(reads[2]).toMatchObject({ kind: "error", error: { kind: "throttled", retryAfterSeconds: 3 } });
    expect(reads[3]).toMatchObject({ kind: "error", error: { kind: "unavailable" } });
  });
});

describe("a failed $batch POST", () => {
  it.each([
    [{ statusCode: 503 }, "unclear"],
    [{ name: "GraphTimeoutError" }, "unclear"],
    [new TypeError("fetch failed"), "unclear"],
    [{ statusCode: 429, headers: { "Retry-After": "4" } }, "throttled"],
    [{ statusCode: 401, code: "InvalidAuthenticationToken" }, "rejected"],
  ])("%j -> every device %s", (error, kind) => {
    const outcomes = outcomesForFailedBatch("reset", ids.slice(0, 3), error);
    expect(outcomes.map((o) => o.kind)).toEqual([kind, kind, kind]);
  });
});

describe("guardrails inside a $batch", () => {
  const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  it("passes the sub-response's x-msft-approval-code and Retry-After to the mapping", () => {
    const body = {
      responses: [
        { id: "1", status: 403, headers: { "x-msft-approval-code": "5b0e5f4c-3a6f-4b7e-9b2a-0c1d2e3f4a5b" }, body: { error: { code: "ApprovalRequired", message: "Approval Required." } } },
        { id: "2", status: 400, headers: { "Retry-After": "3600" }, body: { error: { code: "DailyLimitExceeded", message: "The daily limit of 500 wipes for this tenant was reached." } } },
        { id: "3", status: 409, body: { error: { code: "Conflict", message: "An active Approval Request already exists for this device." } } },
      ],
    };
    const [a, b, c] = parseActionBatchResponse("reset", [id, id.replace("0f", "1f"), id.replace("0f", "2f")], body);
    expect(a).toMatchObject({ kind: "rejected", error: { kind: "approval-required", approvalRequestId: "5b0e5f4c-3a6f-4b7e-9b2a-0c1d2e3f4a5b" } });
    expect(b).toMatchObject({ kind: "rejected", error: { kind: "daily-limit", retryAfterSeconds: 3600 } });
    expect(c).toMatchObject({ kind: "rejected", error: { kind: "approval-open" } });
  });

  it("each wipe carries its own justification, Base64 UTF-8, only when one is given", () => {
    const other = id.replace("0f", "1f");
    const batch = buildActionBatch("reset", [id, other], { justifications: new Map([[id, "Autopilot Reset of PC-Å (x): Lab"]]) });
    const header = batch.requests[0]!.headers!["x-msft-approval-justification"]!;
    expect(Buffer.from(header, "base64").toString("utf8")).toBe("Autopilot Reset of PC-Å (x): Lab");
    expect(batch.requests[1]!.headers!["x-msft-approval-justification"]).toBeUndefined();
  });
});
