import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { createGraphClient, shouldRetryRequest } from "./client";

/** A scripted stand-in for Graph: answers each request with the next scripted reply for its path. */
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}
const seen: { method: string; url: string; authorization?: string; retryAttempt?: string }[] = [];
const script = new Map<string, Reply[]>();
let server: Server;
let base: string;

function record(request: IncomingMessage) {
  seen.push({
    method: request.method ?? "",
    url: request.url ?? "",
    authorization: request.headers.authorization,
    retryAttempt: request.headers["retry-attempt"] as string | undefined,
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    record(request);
    const path = (request.url ?? "").split("?")[0]!;
    const reply = script.get(path)?.shift() ?? { status: 200, body: { ok: true } };
    setTimeout(() => {
      response.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
      response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    }, reply.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  script.clear();
});

const TOKEN = "header.payload.signature";
const throttled = (retryAfter: string): Reply => ({
  status: 429,
  headers: { "Retry-After": retryAfter },
  body: { error: { code: "TooManyRequests", message: "Please retry again later.", innerError: { "request-id": "r-1" } } },
});
const unavailable: Reply = { status: 503, body: { error: { code: "ServiceUnavailable", message: "x", innerError: { "request-id": "r-2" } } } };

describe("createGraphClient", () => {
  it("sends the token as a bearer header to the configured plain-http Graph", async () => {
    const client = createGraphClient(TOKEN, { version: "beta", graphBaseUrl: base });
    await client.api("/deviceManagement/managedDevices").get();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "GET", url: "/beta/deviceManagement/managedDevices", authorization: `Bearer ${TOKEN}` });
  });

  it("refuses to send the token to any other host, before sending anything", async () => {
    const client = createGraphClient(TOKEN, { version: "beta", graphBaseUrl: base });
    const error = await client
      .api("https://graph.microsoft.com/beta/deviceManagement/managedDevices")
      .get()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe("ForeignHostError");
    expect(seen).toHaveLength(0);
  });

  it("retries a GET after 429, waiting out Retry-After", async () => {
    script.set("/beta/deviceManagement/managedDevices", [throttled("1")]);
    const client = createGraphClient(TOKEN, { version: "beta", graphBaseUrl: base });
    const started = Date.now();
    await client.api("/deviceManagement/managedDevices").get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen.map((request) => request.retryAttempt)).toEqual([undefined, "1"]);
  });

  it("gives up on a GET whose Retry-After is longer than the cap, with the 429", async () => {
    script.set("/beta/deviceManagement/managedDevices", [throttled("120")]);
    const client = createGraphClient(TOKEN, { version: "beta", graphBaseUrl: base, maxRetryAfterSeconds: 5 });
    const error = (await client.api("/deviceManagement/managedDevices").get().catch((caught: unknown) => caught)) as GraphError;
    expect(error.statusCode).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("never resends a POST after 503 or 429", async () => {
    const path = "/v1.0/deviceManagement/managedDevices/0f8fad5b-d9cb-469f-a165-70867728950e/wipe";
    script.set(path, [unavailable, unavailable]);
    const client = createGraphClient(TOKEN, { version: "v1.0", graphBaseUrl: base });
    const error = (await client
      .api("/deviceManagement/managedDevices/0f8fad5b-d9cb-469f-a165-70867728950e/wipe")
      .post({ keepEnrollmentData: true, keepUserData: false })
      .catch((caught: unknown) => caught)) as GraphError;
    expect(error.statusCode).toBe(503);
    script.set(path, [throttled("0"), throttled("0")]);
    await client
      .api("/deviceManagement/managedDevices/0f8fad5b-d9cb-469f-a165-70867728950e/wipe")
      .post({})
      .catch(() => undefined);
    expect(seen.filter((request) => request.method === "POST")).toHaveLength(2);
  });

  it("times out a request that never answers", async () => {
    script.set("/beta/slow", [{ status: 200, body: {}, delayMs: 2_000 }]);
    const client = createGraphClient(TOKEN, { version: "beta", graphBaseUrl: base, timeoutMs: 200 });
    const started = Date.now();
    const error = (await client.api("/slow").get().catch((caught: unknown) => caught)) as GraphError;
    expect(error.code).toBe("GraphTimeoutError");
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("shouldRetryRequest", () => {
  const response = (status: number, retryAfter?: string) =>
    new Response(null, { status, headers: retryAfter === undefined ? {} : { "Retry-After": retryAfter } });

  it("retries reads on 429, 503 and 504 only", () => {
    expect(shouldRetryRequest("GET", response(429))).toBe(true);
    expect(shouldRetryRequest("GET", response(503))).toBe(true);
    expect(shouldRetryRequest("GET", response(504))).toBe(true);
    expect(shouldRetryRequest("GET", response(500))).toBe(false);
    expect(shouldRetryRequest("GET", response(404))).toBe(false);
  });

  it("never retries writes", () => {
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
      for (const status of [429, 503, 504]) expect(shouldRetryRequest(method, response(status, "0"))).toBe(false);
    }
  });

  it("does not wait out a long Retry-After", () => {
    expect(shouldRetryRequest("GET", response(429, "3"), 10)).toBe(true);
    expect(shouldRetryRequest("GET", response(429, "30"), 10)).toBe(false);
  });
});
