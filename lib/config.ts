/**
 * The one place that reads environment variables.
 *
 * Two modes, one code path:
 * - "entra": ENTRA_CLIENT_ID and ENTRA_TENANT_ID are set. Sign-in goes to login.microsoftonline.com and Graph calls go to
 *   graph.microsoft.com (or GRAPH_BASE_URL). The emulator must not run.
 * - "emulator": neither is set. Sign-in and Graph both go to the local Intune emulator (EMULATOR_URL).
 *
 * Read on the server at request time and handed to the browser as props, so one build serves either mode.
 */
import path from "node:path";
// Relative, not "@/": scripts/start.mjs loads this file with tsImport before anything is built.
import { isGuid } from "./devices/ids";

/** The emulator's fixed demo tenant and app registration (emulator/tenant.ts holds the same values). */
export const EMULATOR_TENANT_ID = "7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87";
export const EMULATOR_CLIENT_ID = "4a1b2c3d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:3001";

/** DATA_DIR's default, taken from the working directory. */
export const DEFAULT_DATA_DIR = ".data";

const ENTRA_LOGIN_HOST = "login.microsoftonline.com";
const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com";

/** What the browser needs to sign in (nothing secret: a SPA registration has no secret). */
export interface PublicConfig {
  mode: "emulator" | "entra";
  clientId: string;
  tenantId: string;
  /** MSAL authority. Always https: MSAL refuses anything else. */
  authority: string;
  /** host[:port] of the authority, so MSAL skips Microsoft's instance discovery for the emulator. */
  knownAuthorities: string[];
  /**
   * OpenID metadata as a JSON string, given when the emulator is served over plain http: MSAL then skips discovery
   * (which would refuse http). Undefined for Entra and for an https emulator, where MSAL discovers as usual.
   */
  authorityMetadata?: string;
}

export interface ServerConfig extends PublicConfig {
  /** Graph root without version, e.g. https://graph.microsoft.com; lib/graph appends /v1.0 or /beta. */
  graphBaseUrl: string;
  /** The emulator's origin in emulator mode; undefined in entra mode. */
  emulatorUrl?: string;
  /**
   * REDIS_URL (redis:// or rediss://), where the console instances share their short per-device locks
   * (lib/server/device-lock). Undefined: one instance, the locks live in a file under dataDir. Server-only: it may hold a
   * password.
   */
  redisUrl?: string;
  /**
   * DATA_DIR as an absolute path (a relative one is taken from the working directory; default ./.data): where a single
   * instance (no REDIS_URL) keeps its device locks and send records, so a restart remembers them. Created at the first
   * write if missing.
   */
  dataDir: string;
  /**
   * Wipes the tenant may send a day (INTUNE_DAILY_WIPE_LIMIT; Intune's default 500, which Microsoft support can raise:
   * docs/graph.md, "Daily wipe limit"). Graph does not expose it, so a tenant whose limit was raised says so here.
   */
  dailyWipeLimit: number;
  /**
   * WINRE_REMEDIATION_ID: the id of the WinRE remediation package when it is not named "Autopilot Reset Console - WinRE"
   * (docs/remediations/winre/README.md). Undefined: the console finds the package by that name.
   */
  winreRemediationId?: string;
}

/** Intune's daily wipe limit per tenant unless support raised it (memdocs intune/device-management/actions/index.md). */
const DEFAULT_DAILY_WIPE_LIMIT = 500;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; error: string };

type Env = Record<string, string | undefined>;

function trimmed(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** An origin and nothing else: no path, query, fragment or credentials (they would be silently dropped). */
function isBareOrigin(url: URL): boolean {
  return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password && !/[?#]$/.test(url.href);
}

/**
 * A value as it appears in an error message: quoted and escaped so the message stays on one line whatever was pasted
 * into the variable (a newline, a tab), and shortened so a pasted blob does not flood the log.
 */
function shown(value: string): string {
  const short = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(short);
}

function emulatorConfig(env: Env): ConfigResult {
  const raw = trimmed(env, "EMULATOR_URL") ?? DEFAULT_EMULATOR_URL;
  const url = parseHttpUrl(raw);
  if (!url || !isBareOrigin(url)) {
    return { ok: false, error: `EMULATOR_URL must be an http(s) origin such as ${DEFAULT_EMULATOR_URL}; got ${shown(raw)}.` };
  }
  const origin = url.origin;
  const tenantId = EMULATOR_TENANT_ID;
  const httpAuthority = `${origin}/${tenantId}`;
  const metadata =
    url.protocol === "http:"
      ? JSON.stringify({
          issuer: `${httpAuthority}/v2.0`,
          authorization_endpoint: `${httpAuthority}/oauth2/v2.0/authorize`,
          token_endpoint: `${httpAuthority}/oauth2/v2.0/token`,
          end_session_endpoint: `${httpAuthority}/oauth2/v2.0/logout`,
          jwks_uri: `${httpAuthority}/discovery/v2.0/keys`,
          response_modes_supported: ["query", "fragment", "form_post"],
        })
      : undefined;
  return {
    ok: true,
    config: {
      dailyWipeLimit: DEFAULT_DAILY_WIPE_LIMIT,
      dataDir: path.resolve(DEFAULT_DATA_DIR),
      mode: "emulator",
      clientId: EMULATOR_CLIENT_ID,
      tenantId,
      authority: `https://${url.host}/${tenantId}`,
      knownAuthorities: [url.host],
      authorityMetadata: metadata,
      graphBaseUrl: origin,
      emulatorUrl: origin,
    },
  };
}

function entraConfig(env: Env, clientId: string, tenantId: string): ConfigResult {
  if (!isGuid(clientId)) {
    return { ok: false, error: `ENTRA_CLIENT_ID must be the app registration's Application (client) ID, a GUID; got ${shown(clientId)}.` };
  }
  if (!isGuid(tenantId)) {
    return { ok: false, error: `ENTRA_TENANT_ID must be the Directory (tenant) ID, a GUID; got ${shown(tenantId)}.` };
  }
  if (clientId.toLowerCase() === tenantId.toLowerCase()) {
    return {
      ok: false,
      error: "ENTRA_CLIENT_ID and ENTRA_TENANT_ID hold the same GUID: the client id is the app registration's Application (client) ID, the tenant id its Directory (tenant) ID.",
    };
  }
  const rawGraph = trimmed(env, "GRAPH_BASE_URL") ?? DEFAULT_GRAPH_BASE_URL;
  const graph = parseHttpUrl(rawGraph);
  if (!graph || graph.protocol !== "https:" || !isBareOrigin(graph)) {
    return { ok: false, error: `GRAPH_BASE_URL must be an https origin such as ${DEFAULT_GRAPH_BASE_URL} (no path: /v1.0 and /beta are added); got ${shown(rawGraph)}.` };
  }
  if (trimmed(env, "EMULATOR_URL")) {
    return { ok: false, error: "EMULATOR_URL is set together with ENTRA_CLIENT_ID/ENTRA_TENANT_ID: remove it, the emulator never runs against a real tenant." };
  }
  return {
    ok: true,
    config: {
      dailyWipeLimit: DEFAULT_DAILY_WIPE_LIMIT,
      dataDir: path.resolve(DEFAULT_DATA_DIR),
      mode: "entra",
      clientId,
      tenantId,
      authority: `https://${ENTRA_LOGIN_HOST}/${tenantId}`,
      knownAuthorities: [ENTRA_LOGIN_HOST],
      graphBaseUrl: graph.origin,
    },
  };
}

/** A Redis URL as node-redis takes it: redis[s]://[[user]:password@]host[:port][/db], nothing after. */
function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && !!url.hostname && /^(\/\d*)?$/.test(url.pathname) && !url.search && !url.hash && !/[?#]$/.test(value);
  } catch {
    return false;
  }
}

/** REDIS_URL, checked; undefined when unset. Its credentials are never echoed in the error. */
function redisUrl(env: Env): { ok: true; url?: string } | { ok: false; error: string } {
  const raw = trimmed(env, "REDIS_URL");
  if (!raw) return { ok: true };
  if (isRedisUrl(raw)) return { ok: true, url: raw };
  const masked = raw.replace(/^([^/]*\/\/).*@/s, "$1***@");
  return {
    ok: false,
    error: `REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (or unset, for a single console instance); got ${shown(masked)}.`,
  };
}

function modeConfig(env: Env): ConfigResult {
  const clientId = trimmed(env, "ENTRA_CLIENT_ID");
  const tenantId = trimmed(env, "ENTRA_TENANT_ID");
  if (clientId && tenantId) return entraConfig(env, clientId, tenantId);
  if (clientId || tenantId) {
    const missing = clientId ? "ENTRA_TENANT_ID" : "ENTRA_CLIENT_ID";
    return { ok: false, error: `${missing} is not set: set both ENTRA_CLIENT_ID and ENTRA_TENANT_ID for Entra ID, or neither for the emulator.` };
  }
  return emulatorConfig(env);
}

/** DATA_DIR, checked: a folder path (not a URL, no control characters), made absolute; ./.data when unset. */
function dataDir(env: Env): { ok: true; dir: string } | { ok: false; error: string } {
  const raw = trimmed(env, "DATA_DIR") ?? DEFAULT_DATA_DIR;
  const control = /[\u0000-\u001f\u007f]/.test(raw); // a pasted newline, a NUL
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw); // file:///..., redis://...: a URL, not a folder
  if (!control && !url && raw.length <= 1_024) return { ok: true, dir: path.resolve(raw) };
  return {
    ok: false,
    error: `DATA_DIR must be a folder path such as .data or /var/lib/autopilot-reset-console (relative to the working directory; unset for ./.data); got ${shown(raw)}.`,
  };
}

/** INTUNE_DAILY_WIPE_LIMIT, checked: a whole number of wipes a day, 1 to 1,000,000; 500 when unset. */
function dailyWipeLimit(env: Env): { ok: true; limit: number } | { ok: false; error: string } {
  const raw = trimmed(env, "INTUNE_DAILY_WIPE_LIMIT");
  if (!raw) return { ok: true, limit: DEFAULT_DAILY_WIPE_LIMIT };
  const limit = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (limit >= 1 && limit <= 1_000_000) return { ok: true, limit };
  return {
    ok: false,
    error: `INTUNE_DAILY_WIPE_LIMIT must be the tenant's daily wipe limit as a whole number from 1 to 1000000 (or unset for Intune's 500); got ${shown(raw)}.`,
  };
}

/** WINRE_REMEDIATION_ID, checked: a package id (a GUID); undefined when unset. */
function winreRemediationId(env: Env): { ok: true; id?: string } | { ok: false; error: string } {
  const raw = trimmed(env, "WINRE_REMEDIATION_ID");
  if (!raw) return { ok: true };
  if (isGuid(raw)) return { ok: true, id: raw.toLowerCase() };
  return {
    ok: false,
    error: `WINRE_REMEDIATION_ID must be the WinRE remediation package's id, a GUID (or unset to find it by its name); got ${shown(raw)}.`,
  };
}

/** Reads and checks the configuration. A mistake comes back as one sentence naming the variable and the fix. */
export function readConfig(env: Env = process.env): ConfigResult {
  const result = modeConfig(env);
  if (!result.ok) return result;
  const redis = redisUrl(env);
  if (!redis.ok) return redis;
  const limit = dailyWipeLimit(env);
  if (!limit.ok) return limit;
  const data = dataDir(env);
  if (!data.ok) return data;
  const winre = winreRemediationId(env);
  if (!winre.ok) return winre;
  return {
    ok: true,
    config: {
      ...result.config, dailyWipeLimit: limit.limit, dataDir: data.dir,
      ...(redis.url ? { redisUrl: redis.url } : {}), ...(winre.id ? { winreRemediationId: winre.id } : {}),
    },
  };
}

/** The configuration, or a thrown Error carrying the one-line message. */
export function getConfig(env: Env = process.env): ServerConfig {
  const result = readConfig(env);
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

export function toPublicConfig(config: ServerConfig): PublicConfig {
  const { mode, clientId, tenantId, authority, knownAuthorities, authorityMetadata } = config;
  return { mode, clientId, tenantId, authority, knownAuthorities, authorityMetadata };
}
