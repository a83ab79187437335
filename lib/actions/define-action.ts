/**
 * The one entry point every server action goes through (docs/architecture.md, "Boundaries"; dub's pattern):
 * 1. refuse a missing or malformed access token as "unauthenticated" before anything reaches Graph;
 * 2. validate the input with zod, answering "invalid" with a sentence;
 * 3. run the handler with a Graph client acting under that token;
 * 4. turn anything thrown into an ActionError via lib/graph/errors.
 * The token is never logged, stored or put in a URL: it lives in the Graph client for the length of one call.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { callerOf, type Caller } from "@/lib/auth/token-claims";
import { createGraphClient, GraphClock } from "@/lib/graph/client";
import { InvalidCursorError } from "@/lib/graph/cursor";
import { mapGraphError, type ErrorContext } from "@/lib/graph/errors";
import { LockStoreUnavailableError } from "@/lib/server/device-lock";
import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";

export const ACCESS_TOKEN_MAX_LENGTH = 16_384;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function isPlausibleAccessToken(token: unknown): token is string {
  return typeof token === "string" && token.length <= ACCESS_TOKEN_MAX_LENGTH && JWT_SHAPE.test(token);
}

const UNAUTHENTICATED: ActionError = {
  kind: "unauthenticated",
  message: "You are not signed in, or your sign-in could not be read. Sign in again, then retry.",
};

export interface ActionContext {
  /** Graph client under the caller's token; each request picks its version (v1.0 or beta). */
  graph: Client;
  graphBaseUrl: string;
  /** The caller's token, for reading its own claims (scp); never send it anywhere but through `graph`. */
  accessToken: string;
  /** Graph's clock, from the Date headers of this call's Graph answers. */
  graphClock: GraphClock;
  /** Who is calling and in which tenant (read from the token, never trusted for access). */
  caller: Caller & { tenantId: string };
}

export interface ActionSpec<Schema extends z.ZodType, T> {
  /** For logs and sentences: "list devices", "reset this device". */
  name: string;
  input: Schema;
  /** How Graph errors are worded for this action (write, required scope, role permission, what 404 means). */
  errors?: ErrorContext | ((input: z.output<Schema>) => ErrorContext);
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<T>;
}

/** The first problem zod found, as a sentence. Schemas carry their own messages where a user can hit them. */
function describeInvalidInput(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request was not valid.";
  const where = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
  const message = issue.message.endsWith(".") ? issue.message : `${issue.message}.`;
  return issue.code === "custom" ? message : `The request was not valid${where}: ${message}`;
}

function logUnexpected(name: string, error: unknown): void {
  // Names and codes only: an error object may carry request headers, and those carry the token.
  const details =
    error && typeof error === "object"
      ? {
          name: (error as { name?: unknown }).name,
          code: (error as { code?: unknown }).code,
          statusCode: (error as { statusCode?: unknown }).statusCode,
          requestId: (error as { requestId?: unknown }).requestId,
        }
      : { value: typeof error };
  console.warn(`[action ${name}] failed`, details);
}

export async function runAction<Schema extends z.ZodType, T>(
  spec: ActionSpec<Schema, T>,
  accessToken: unknown,
  input: unknown,
): Promise<ActionResult<T>> {
  if (!isPlausibleAccessToken(accessToken)) return { error: UNAUTHENTICATED };
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) return { error: { kind: "invalid", message: describeInvalidInput(parsed.error) } };
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    const detail = error instanceof Error ? ` ${error.message}` : "";
    return { error: { kind: "unavailable", message: `The console's server is not configured correctly.${detail}` } };
  }
  try {
    const graphClock = new GraphClock();
    const graph = createGraphClient(accessToken, { version: "beta", graphBaseUrl: config.graphBaseUrl, clock: graphClock });
    const caller = callerOf(accessToken);
    const data = await spec.handler(parsed.data, {
      graph,
      graphBaseUrl: config.graphBaseUrl,
      accessToken,
      graphClock,
      caller: { ...caller, tenantId: caller.tenantId ?? config.tenantId },
    });
    return { data };
  } catch (error) {
    if (error instanceof ActionFailure) return { error: error.error };
    if (error instanceof LockStoreUnavailableError) {
      logUnexpected(spec.name, error);
      return {
        error: {
          kind: "unavailable",
          message: "The console could not reach its coordination store (Redis, or its data folder), so nothing was sent. Try again in a minute; if it goes on, tell your administrator.",
        },
      };
    }
    if (error instanceof InvalidCursorError) return { error: { kind: "invalid", message: error.message } };
    const context = typeof spec.errors === "function" ? spec.errors(parsed.data) : spec.errors;
    const mapped = mapGraphError(error, context);
    if (mapped.kind === "unavailable" || mapped.kind === "unclear") logUnexpected(spec.name, error);
    return { error: mapped };
  }
}
