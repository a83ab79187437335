/** One Graph call as the pipeline and every handler see it, whether it came over HTTP or inside a $batch. */
import type { VerifiedAccessToken } from "../entra/tokens";
import type { Reply } from "../http";
import type { ErrorContext } from "./errors";
import type { ApiVersion } from "./resources";

export interface GraphCall {
  method: string;
  version: ApiVersion;
  /** Decoded path after the version, e.g. /deviceManagement/managedDevices. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  bodyInvalid: boolean;
  /** Request headers, names lower-cased (a $batch sub-request's own headers). */
  headers: Record<string, string>;
  origin: string;
  ctx: ErrorContext;
  auth: VerifiedAccessToken;
}

export type GraphOutcome = Reply | { timeout: true };

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isReply = (x: unknown): x is Reply => typeof x === "object" && x !== null && "status" in x && "headers" in x;

/** The @odata.context of an answer. */
export function context(call: GraphCall, entitySet: string): string {
  return `${call.origin}/${call.version}/$metadata#${entitySet}`;
}

/** A key segment, bare or as ('id'): the lower-cased GUID, or undefined when it is not one. */
export function parseId(raw: string): string | undefined {
  const m = /^\('?([^')]*)'?\)$/.exec(raw) ?? /^(.*)$/.exec(raw);
  const id = m?.[1] ?? "";
  return GUID.test(id) ? id.toLowerCase() : undefined;
}

/** Node's or a $batch sub-request's headers as one lower-cased record (repeated headers joined by ", "). */
export function headerRecord(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (typeof value === "string") out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.filter((v) => typeof v === "string").join(", ");
  }
  return out;
}
