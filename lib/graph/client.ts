/**
 * The Graph client factory: @microsoft/microsoft-graph-client with our own middleware chain (docs/graph.md,
 * "microsoft-graph-client" under "Library pitfalls met on this machine").
 *
 * Why our own chain: the SDK's default auth middleware only sends Authorization to https Graph hosts, and the emulator
 * is plain http. Why our own retry policy: a write (wipe, syncDevice, executeAction, a $batch) must never be resent by
 * the client. A 5xx, a timeout or even a 429 on a wipe may have been applied already (docs/graph.md, "Throttling and
 * Retry-After"; docs/safety.md, "Unclear answers: 5xx, timeout, 429"; the emulator's "applied-then-5xx" fault), and a
 * resend would reset a device twice. Only reads are retried, honouring Retry-After.
 */
import {
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { getConfig } from "@/lib/config";
import { parseRetryAfter } from "./retry-after";

export type GraphVersion = "v1.0" | "beta";

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A read waits out Retry-After only when it is this short; longer waits go back to the user as "throttled". */
const MAX_RETRY_AFTER_SECONDS = 10;
const MAX_READ_RETRIES = 3;

export interface GraphClientOptions {
  version: GraphVersion;
  /** Graph root without version; defaults to getConfig().graphBaseUrl. */
  graphBaseUrl?: string;
  /** Per attempt; a read retried after a 429 gets a fresh timeout. */
  timeoutMs?: number;
  /** Upper bound of a Retry-After a read waits out before giving up with "throttled". */
  maxRetryAfterSeconds?: number;
  maxReadRetries?: number;
  /** Receives the Date header of every answer (Graph's clock). */
  clock?: GraphClock;
}

/** Thrown (before anything is sent) when a request would carry the token to a host other than Graph's. */
class ForeignHostError extends Error {
  constructor(url: string) {
    let host = "an unknown host";
    try {
      host = new URL(url).host;
    } catch {
      // keep the generic wording
    }
    super(`Refused to send the access token to ${host}: it is not the configured Microsoft Graph endpoint.`);
    this.name = "ForeignHostError";
  }
}

/** Thrown when a request took longer than the timeout (per attempt). */
class GraphTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Microsoft Graph did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
    this.name = "GraphTimeoutError";
  }
}

function requestUrl(request: RequestInfo): string {
  return typeof request === "string" ? request : request.url;
}

function requestMethod(request: RequestInfo, options: RequestInit | undefined): string {
  const method = typeof request === "string" ? options?.method : request.method;
  return (method ?? "GET").toUpperCase();
}

/** Sets Authorization only for the configured Graph origin, and refuses anything else outright. */
class GraphAuthMiddleware implements Middleware {
  private next?: Middleware;
  private readonly origin: string;

  constructor(
    private readonly accessToken: string,
    graphBaseUrl: string,
  ) {
    this.origin = new URL(graphBaseUrl).origin;
  }

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context.request);
    let origin: string | undefined;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== this.origin) throw new ForeignHostError(url);
    context.options ??= {};
    const value = `Bearer ${this.accessToken}`;
    const headers = context.options.headers;
    if (headers instanceof Headers) {
      headers.set("Authorization", value);
    } else {
      // A plain object: the SDK's RedirectHandler deletes the exact key "Authorization", so keep that spelling.
      const plain: Record<string, string> = {};
      for (const [name, headerValue] of Object.entries((headers ?? {}) as Record<string, string>)) {
        if (name.toLowerCase() !== "authorization") plain[name] = headerValue;
      }
      plain.Authorization = value;
      context.options.headers = plain;
    }
    if (!this.next) throw new Error("GraphAuthMiddleware is the last middleware; the chain is misbuilt.");
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Aborts one attempt after timeoutMs; sits right before the HTTP handler so every retry gets its own budget. */
class TimeoutMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    context.options ??= {};
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const callerSignal = context.options.signal ?? undefined;
    context.options.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    if (!this.next) throw new Error("TimeoutMiddleware needs a next middleware.");
    try {
      await this.next.execute(context);
    } catch (error) {
      if (timeout.aborted && !callerSignal?.aborted) throw new GraphTimeoutError(this.timeoutMs);
      throw error;
    } finally {
      context.options.signal = callerSignal;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * Graph's own clock, as its `Date` response headers tell it. Decisions that compare a time with Graph's timestamps
 * (startDateTime, requestDateTime) use this, never the browser's clock, which may be minutes off (docs/safety.md).
 */
export class GraphClock {
  private latestMs: number | undefined;

  observe(response: Response | undefined): void {
    const header = response?.headers?.get("Date");
    const ms = header ? Date.parse(header) : Number.NaN;
    if (!Number.isNaN(ms) && (this.latestMs === undefined || ms > this.latestMs)) this.latestMs = ms;
  }

  /** The latest time Graph stated (ms since epoch, whole seconds), or undefined before any answer. */
  latest(): number | undefined {
    return this.latestMs;
  }
}

/** Records every answer's Date header into the client's GraphClock. */
class GraphClockMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly clock: GraphClock) {}

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("GraphClockMiddleware needs a next middleware.");
    try {
      await this.next.execute(context);
    } finally {
      this.clock.observe(context.response);
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The policy, exported for its unit test: reads only, and only when Retry-After (if any) is short. */
export function shouldRetryRequest(
  method: string,
  response: Response,
  maxRetryAfterSeconds: number = MAX_RETRY_AFTER_SECONDS,
): boolean {
  if (!SAFE_METHODS.has(method.toUpperCase())) return false;
  if (![429, 503, 504].includes(response.status)) return false;
  const wait = parseRetryAfter(response.headers?.get("Retry-After"));
  return wait === undefined || wait <= maxRetryAfterSeconds;
}

/** The middleware chain, first to last. Exported so tests and the bulk runner build clients the same way. */
function buildMiddlewareChain(
  accessToken: string,
  options: Required<Omit<GraphClientOptions, "version" | "clock">>,
  clock: GraphClock = new GraphClock(),
): Middleware {
  const auth = new GraphAuthMiddleware(accessToken, options.graphBaseUrl);
  const retry = new RetryHandler(
    new RetryHandlerOptions(1, options.maxReadRetries, (_delay, _attempt, request, fetchOptions, response) =>
      shouldRetryRequest(requestMethod(request, fetchOptions as RequestInit | undefined), response, options.maxRetryAfterSeconds),
    ),
  );
  const graphOrigin = new URL(options.graphBaseUrl).origin;
  const redirect = new RedirectHandler(
    new RedirectHandlerOptions(3, (response) => {
      const location = response.headers.get("Location");
      if (!location) return false;
      try {
        return new URL(location, graphOrigin).origin === graphOrigin;
      } catch {
        return false;
      }
    }),
  );
  const observed = new GraphClockMiddleware(clock);
  const timeout = new TimeoutMiddleware(options.timeoutMs);
  const http = new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(redirect);
  redirect.setNext(observed);
  observed.setNext(timeout);
  timeout.setNext(http);
  return auth;
}

/**
 * A Graph client that acts under the signed-in admin's token. The token lives only in this object (per request),
 * never in a URL or a log line.
 */
export function createGraphClient(accessToken: string, options: GraphClientOptions): Client {
  const graphBaseUrl = (options.graphBaseUrl ?? getConfig().graphBaseUrl).replace(/\/+$/, "");
  const middleware = buildMiddlewareChain(accessToken, {
    graphBaseUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS,
    maxReadRetries: options.maxReadRetries ?? MAX_READ_RETRIES,
  }, options.clock);
  return Client.initWithMiddleware({ middleware, baseUrl: graphBaseUrl, defaultVersion: options.version });
}

/** What beta executeAction reports per device (graph-docs beta intune-devices-manageddevice-executeaction.md). */
export interface BulkManagedDeviceActionResult {
  successfulDeviceIds: string[];
  failedDeviceIds: string[];
  notFoundDeviceIds: string[];
  notSupportedDeviceIds: string[];
}

const BULK_RESULT_LISTS = ["successfulDeviceIds", "failedDeviceIds", "notFoundDeviceIds", "notSupportedDeviceIds"] as const;

/**
 * Reads beta executeAction's answer in either shape: bulkManagedDeviceActionResult at the JSON root (the schema's
 * return type, as Microsoft's Kiota SDKs read it, and the emulator's default) or wrapped in "value" (the docs'
 * example). Which one the service sends is UNVERIFIED (docs/graph.md, "Bulk response shape"). A list that is missing
 * or not a list of strings reads as empty; an answer in neither shape is a TypeError.
 */
export function readBulkActionResult(answer: unknown): BulkManagedDeviceActionResult {
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  const hasList = (x: Record<string, unknown>) => BULK_RESULT_LISTS.some((name) => Array.isArray(x[name]));
  if (!isObject(answer)) throw new TypeError("executeAction answered something other than a JSON object.");
  const result = hasList(answer) ? answer : isObject(answer.value) && hasList(answer.value) ? answer.value : undefined;
  if (!result) throw new TypeError("executeAction's answer has no bulkManagedDeviceActionResult, at the root or in 'value'.");
  const list = (name: (typeof BULK_RESULT_LISTS)[number]) => {
    const value = result[name];
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  };
  return {
    successfulDeviceIds: list("successfulDeviceIds"),
    failedDeviceIds: list("failedDeviceIds"),
    notFoundDeviceIds: list("notFoundDeviceIds"),
    notSupportedDeviceIds: list("notSupportedDeviceIds"),
  };
}
