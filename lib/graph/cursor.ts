/**
 * Opaque paging cursors for the browser. A cursor is base64url JSON holding, per stream, the path and query of
 * Graph's @odata.nextLink (or null when that stream is finished) and a fingerprint of the query it belongs to.
 *
 * A cursor comes back from the browser, so it is untrusted: on decode every link must resolve to the configured
 * Graph origin and the expected path, or it is refused before any request (no token sent elsewhere, no SSRF). The
 * request is then rebuilt from the configured base plus the checked path and query; the host never comes from input.
 */
import { createHash } from "node:crypto";

export const CURSOR_MAX_LENGTH = 16_384;
const CURSOR_VERSION = 1;

export class InvalidCursorError extends Error {
  constructor(message = "This page link is not valid or belongs to a different search. Start again from the first page.") {
    super(message);
    this.name = "InvalidCursorError";
  }
}

/** stream key -> "/beta/deviceManagement/managedDevices?..." or null when finished */
export type CursorStreams = Record<string, string | null>;

interface CursorPayload {
  v: number;
  q: string;
  s: CursorStreams;
}

/** A short fingerprint of whatever defines the result set (search, filters, sort). */
export function queryFingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

/**
 * The path-and-query form of a nextLink Graph gave us, after checking it points at the configured Graph and path.
 * Throws InvalidCursorError otherwise: a nextLink to another host is never followed.
 */
export function checkedGraphLink(link: string, graphBaseUrl: string, expectedPath: string): string {
  let url: URL;
  const base = new URL(graphBaseUrl);
  try {
    url = new URL(link, base);
  } catch {
    throw new InvalidCursorError();
  }
  if (url.origin !== base.origin || url.username || url.password || url.hash) throw new InvalidCursorError();
  if (url.pathname !== expectedPath) throw new InvalidCursorError();
  return `${url.pathname}${url.search}`;
}

export function encodeCursor(fingerprint: string, streams: CursorStreams): string | null {
  if (Object.values(streams).every((link) => link === null)) return null;
  const payload: CursorPayload = { v: CURSOR_VERSION, q: fingerprint, s: streams };
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/** The JSON a cursor carries, or InvalidCursorError for anything that is not one of ours in shape. */
function readCursorPayload(cursor: string): unknown {
  if (cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
}

export function decodeCursor(
  cursor: string,
  expected: { fingerprint: string; streamKeys: readonly string[]; graphBaseUrl: string; path: string },
): CursorStreams {
  const payload = readCursorPayload(cursor);
  if (!payload || typeof payload !== "object") throw new InvalidCursorError();
  const { v, q, s } = payload as Partial<CursorPayload>;
  if (v !== CURSOR_VERSION || q !== expected.fingerprint || !s || typeof s !== "object") throw new InvalidCursorError();
  const keys = Object.keys(s);
  if (keys.length !== expected.streamKeys.length || !expected.streamKeys.every((key) => keys.includes(key))) {
    throw new InvalidCursorError();
  }
  const streams: CursorStreams = {};
  for (const key of expected.streamKeys) {
    const link = (s as Record<string, unknown>)[key];
    if (link === null) streams[key] = null;
    else if (typeof link === "string") streams[key] = checkedGraphLink(link, expected.graphBaseUrl, expected.path);
    else throw new InvalidCursorError();
  }
  return streams;
}

/**
 * A cursor that is a position in a list the server rebuilds on every call (the grid's reset status view: device ids
 * from the audit log), tied to the query by its fingerprint. It holds no link, so nothing in it can leave for a host.
 */
export function encodeOffsetCursor(fingerprint: string, offset: number): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, q: fingerprint, o: offset }), "utf8").toString("base64url");
}

export function decodeOffsetCursor(cursor: string, fingerprint: string): number {
  const payload = readCursorPayload(cursor);
  const { v, q, o } = (payload ?? {}) as { v?: unknown; q?: unknown; o?: unknown };
  if (v !== CURSOR_VERSION || q !== fingerprint || typeof o !== "number" || !Number.isInteger(o) || o < 0 || o > 1_000_000) {
    throw new InvalidCursorError();
  }
  return o;
}
