/**
 * The emulator's HTTP server (plain node:http, or node:https when given a certificate): routes to the Entra authority,
 * Graph, and the control API. Every handler is wrapped: bad input gets a shaped error, never a stack trace.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { TENANT_ID } from "./tenant";
import { BodyTooLargeError, json, newId, parseCookies, readBody, requestOrigin, send, type Reply } from "./http";
import { createState, type EmulatorState } from "./state";
import { Entra } from "./entra/entra";
import { entraError } from "./entra/errors";
import { handleControl, info } from "./control";
import { carriesWrite, handleGraphCall, type GraphCall } from "./graph/pipeline";
import { headerRecord } from "./graph/call";
import { batchCarriesWrite, batchTargets, handleBatch } from "./graph/batch";
import type { FaultTarget } from "./graph/faults";
import type { SilentWipes } from "./fidelity";
import type { PolicyPreset } from "./approval";
import { graphError, invalidToken, type ErrorContext } from "./graph/errors";
import type { ApiVersion } from "./graph/resources";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  fleetSize?: number;
  seed?: string | number;
  appOrigins?: string[];
  /** Fidelity switch silentWipes at start (default "some"); main.ts reads it from EMULATOR_SILENT_WIPES. */
  silentWipes?: SilentWipes;
  /** Multi Admin Approval access policies at start (default "none"); main.ts reads EMULATOR_APPROVAL_POLICY. */
  approvalPolicy?: PolicyPreset;
  /** Wipes per tenant per 24 h (default 500, null: none); main.ts reads EMULATOR_DAILY_WIPE_LIMIT. */
  dailyWipeLimit?: number | null;
  /** The scenario set after the generated fleet (default true); main.ts reads EMULATOR_SCENARIO_DEVICES. */
  scenarioDevices?: boolean;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface RunningEmulator {
  url: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

const DEFAULT_APP_ORIGINS = ["http://localhost:3000"];
const TIMEOUT_FAULT_MS = 30_000;
const ALLOWED_REQUEST_HEADER = /^(authorization|content-type|accept|accept-language|sdkversion|client-request-id|retry-attempt|prefer|consistencylevel|cache-control|pragma|x-[\w-]+)$/i;
// Date is Graph's clock for the console (it compares it with startDateTime and requestDateTime), so it is exposed too.
const EXPOSED_HEADERS = "Retry-After, Date, request-id, client-request-id, Location, x-ms-ags-diagnostic, x-msft-approval-code";

function corsHeaders(state: EmulatorState, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== "string" || !state.appOrigins.includes(origin)) return {};
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS, Vary: "Origin" };
}

function preflight(state: EmulatorState, req: IncomingMessage): Reply {
  const cors = corsHeaders(state, req);
  if (!cors["Access-Control-Allow-Origin"]) return { status: 204, headers: { Vary: "Origin" } };
  const asked = String(req.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const allowed = asked.filter((h) => ALLOWED_REQUEST_HEADER.test(h));
  return {
    status: 204,
    headers: {
      ...cors,
      "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "Access-Control-Allow-Headers": allowed.length ? allowed.join(", ") : "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
    },
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const tls = options.tls !== undefined;
  const state = await createState({
    fleetSize: options.fleetSize ?? 2500,
    seed: String(options.seed ?? "contoso"),
    appOrigins: (options.appOrigins ?? DEFAULT_APP_ORIGINS).map((o) => o.replace(/\/+$/, "")),
    silentWipes: options.silentWipes,
    approvalPolicy: options.approvalPolicy,
    dailyWipeLimit: options.dailyWipeLimit,
    scenarioDevices: options.scenarioDevices,
  });
  const entra = new Entra(state);
  /** Latency waits and held requests: close() cancels them all. */
  const heldTimers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let fallbackHost = `${host}:${options.port ?? 0}`;

  function hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        heldTimers.delete(timer);
        resolve();
      }, ms);
      heldTimers.add(timer);
    });
  }
  const graphDate = () => new Date(state.clock.now());
  // latencyMs is the least time an answer takes after arrival, the work included: done at once, then the rest waited.
  async function graph(req: IncomingMessage, res: ServerResponse, url: URL, origin: string, rawBody: Buffer, bodyTooLarge: boolean): Promise<Reply | "held"> {
    const arrived = performance.now();
    const reply = await graphAtArrival(req, res, url, origin, rawBody, bodyTooLarge);
    const rest = state.faults.latencyMs - (performance.now() - arrived);
    if (reply !== "held" && rest > 0) await hold(rest);
    return reply;
  }
  async function graphAtArrival(req: IncomingMessage, res: ServerResponse, url: URL, origin: string, rawBody: Buffer, bodyTooLarge: boolean): Promise<Reply | "held"> {
    const requestId = newId();
    const clientRequestId = typeof req.headers["client-request-id"] === "string" ? req.headers["client-request-id"] : undefined;
    const ctx: ErrorContext = { requestId, clientRequestId, date: graphDate().toISOString().replace(/\.\d+Z$/, "") };
    const ids = { "request-id": requestId, "client-request-id": clientRequestId ?? requestId };
    // Node would stamp the machine's time; Graph's Date must agree with the timestamps it hands out (emulator clock).
    const withIds = (reply: Reply): Reply => ({ ...reply, headers: { ...reply.headers, ...ids, Date: graphDate().toUTCString() } });

    const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(url.pathname)!;
    const version = m[1] as ApiVersion;
    let path: string;
    try {
      path = decodeURIComponent(m[2] ?? "/").replace(/\/+$/, "") || "/";
    } catch {
      return withIds(graphError(400, "BadRequest", "The request URL is not valid.", ctx));
    }
    const header = req.headers.authorization;
    const bearer = typeof header === "string" && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : "";
    if (!bearer) {
      state.counters.requests++;
      return withIds(invalidToken("Access token is empty.", ctx));
    }
    const verified = await state.tokens.verifyAccessToken(bearer);
    if (!verified.ok) {
      state.counters.requests++;
      return withIds(invalidToken(verified.message, ctx));
    }
    if (bodyTooLarge) {
      state.counters.requests++;
      return withIds(graphError(413, "RequestEntityTooLarge", "The request body is larger than 1 MB.", ctx));
    }
    let body: unknown;
    let bodyInvalid = false;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        bodyInvalid = true;
      }
    }
    // Slow writes and slow rules: the wait comes before the write lands, and the write lands even if the caller has
    // gone by then.
    const slow = async (writes: boolean, targets: FaultTarget[]) => {
      const ms = Math.max(writes ? state.faults.writeLatencyMs : 0, state.faults.delayFor(targets));
      if (ms > 0) await hold(ms);
    };
    if (path === "/$batch") {
      if (req.method !== "POST") return withIds(graphError(405, "BadRequest", "Use POST for $batch.", ctx));
      const input = { version, body, bodyInvalid, origin, ctx, auth: verified.token };
      await slow(batchCarriesWrite(input), batchTargets(input));
      return withIds(await handleBatch(state, input));
    }
    const call: GraphCall = {
      method: req.method ?? "GET", version, path, query: url.searchParams, body, bodyInvalid, headers: headerRecord(req.headers), origin, ctx, auth: verified.token,
    };
    const write = carriesWrite(call);
    const target = { method: call.method, path: `/${version}${path}` };
    await slow(write, [target]);
    // A "hold" rule: no answer until POST /_emulator/faults/release; the write is applied then, whoever still listens.
    const gate = write ? state.faults.holdFor(target, state.clock.now()) : undefined;
    if (gate) await gate.released;
    let outcome: ReturnType<typeof handleGraphCall> | undefined;
    try {
      outcome = handleGraphCall(state, call);
    } finally {
      gate?.done(outcome && !("timeout" in outcome) ? outcome.status : 504);
    }
    if ("timeout" in outcome) return "held";
    return withIds(outcome);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<Reply | "held"> {
    const origin = requestOrigin(req, tls, fallbackHost);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", origin);
    } catch {
      return json(400, { error: { code: "BadRequest", message: "The request URL is not valid." } });
    }
    const method = req.method ?? "GET";
    if (method === "OPTIONS") return preflight(state, req);

    let rawBody: Buffer = Buffer.alloc(0);
    let bodyTooLarge = false;
    if (method !== "GET" && method !== "HEAD") {
      try {
        rawBody = await readBody(req);
      } catch (err) {
        if (!(err instanceof BodyTooLargeError)) throw err;
        bodyTooLarge = true;
      }
    }

    const path = url.pathname;
    if (path.startsWith("/v1.0/") || path.startsWith("/beta/") || path === "/v1.0" || path === "/beta") {
      return graph(req, res, url, origin, rawBody, bodyTooLarge);
    }
    if (path.startsWith("/_emulator/")) {
      if (bodyTooLarge) return json(413, { error: { code: "RequestEntityTooLarge", message: "The request body is larger than 1 MB." } });
      let body: unknown;
      if (rawBody.length) {
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          return json(400, { error: { code: "BadRequest", message: "The request body is not valid JSON." } });
        }
      }
      return handleControl(state, method, path.slice("/_emulator".length), url.searchParams, body, origin);
    }
    const tenantMatch = /^\/([^/]+)(\/.*)$/.exec(path);
    if (tenantMatch && (tenantMatch[1] === TENANT_ID || /^(common|organizations|consumers|[0-9a-f-]{36})$/i.test(tenantMatch[1]!))) {
      if (tenantMatch[1] !== TENANT_ID) {
        return entraError(400, "invalid_tenant", 90002, `Tenant '${tenantMatch[1]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      }
      if (bodyTooLarge) return entraError(413, "invalid_request", 90009, "The request body is too large.");
      const contentType = String(req.headers["content-type"] ?? "");
      const form = contentType.includes("application/x-www-form-urlencoded") ? new URLSearchParams(rawBody.toString("utf8")) : new URLSearchParams();
      const reply = await entra.handle({
        method, subPath: tenantMatch[2]!, query: url.searchParams, form, origin, tls, cookies: parseCookies(req.headers.cookie),
      });
      if (reply) return reply;
    }
    if (path === "/" && method === "GET") return json(200, { emulator: "Intune emulator", ...info(state, origin) });
    return graphError(404, "ResourceNotFound", `Resource not found for the segment '${path.split("/").filter(Boolean).pop() ?? ""}'.`, {
      requestId: newId(),
      date: graphDate().toISOString().replace(/\.\d+Z$/, ""),
    });
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res)
      .then((reply) => {
        if (reply === "held") {
          // The "timeout" fault: hold the request 30 s, then drop the connection without an answer.
          const timer = setTimeout(() => {
            heldTimers.delete(timer);
            res.destroy();
          }, TIMEOUT_FAULT_MS);
          heldTimers.add(timer);
          return;
        }
        send(res, { ...reply, headers: { ...reply.headers, ...corsHeaders(state, req) } });
      })
      .catch(() => {
        send(res, json(500, { error: { code: "InternalServerError", message: "An internal server error occurred." } }));
      });
  };

  const server = tls ? https.createServer({ key: options.tls!.key, cert: options.tls!.cert }, handler) : http.createServer(handler);
  // Node drops idle sockets after 5 s, racing a client that reuses one (ECONNRESET in e2e control calls).
  Object.assign(server, { keepAliveTimeout: 65_000, headersTimeout: 66_000 });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3001, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  fallbackHost = `${urlHost}:${port}`;
  const url = `${tls ? "https" : "http"}://${urlHost}:${port}`;

  return {
    url,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of heldTimers) clearTimeout(timer);
        heldTimers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
