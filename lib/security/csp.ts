/**
 * The console's security headers, built from the configuration and a per-request nonce. Pure: proxy.ts calls it on
 * every page request; the unit tests and e2e/security.spec.ts read the same policy back with parseCsp.
 */
import type { ServerConfig } from "@/lib/config";

export interface CspInput {
  /** undefined when the configuration is broken: the page then only explains the mistake, so it needs nothing remote. */
  config: ServerConfig | undefined;
  /** Fresh for every response (createNonce); Next.js reads it back from the request's CSP header and puts it on its scripts. */
  nonce: string;
  /** `next dev` needs 'unsafe-eval' (React rebuilds server error stacks with eval); production never gets it. */
  development: boolean;
  /**
   * Who may frame the page: nobody ("none", every page with a button on it), or the console itself ("self", only
   * MSAL's redirect page: a silent token renewal loads it in a hidden iframe of the console). Default "none".
   */
  framing?: "none" | "self";
}

/** MSAL's redirect URI path (lib/auth/msal-config.ts REDIRECT_PATH; a unit test keeps the two equal). */
export const MSAL_REDIRECT_PATH = "/auth/redirect";

/** How a path may be framed: only MSAL's redirect page by the console itself, every other page by nobody. */
export function framingFor(pathname: string): "none" | "self" {
  return pathname === MSAL_REDIRECT_PATH || pathname === `${MSAL_REDIRECT_PATH}/` ? "self" : "none";
}

/**
 * The origins the browser may fetch besides the console itself: the authority (MSAL reads its discovery document and
 * redeems codes at its token endpoint) and, in emulator mode, the emulator's real origin, which for a plain-http
 * emulator differs from the nominal https authority (MSAL then uses the http endpoints of authorityMetadata).
 * The browser never calls Graph: server actions do (docs/architecture.md, "Boundaries"), so Graph is deliberately
 * absent.
 */
export function authorityOrigins(config: ServerConfig | undefined): string[] {
  if (!config) return [];
  const origins = [new URL(config.authority).origin];
  if (config.emulatorUrl) origins.push(new URL(config.emulatorUrl).origin);
  return [...new Set(origins)];
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export function buildContentSecurityPolicy({ config, nonce, development, framing = "none" }: CspInput): string {
  if (!NONCE.test(nonce)) throw new Error("CSP nonce must be base64 of at least 12 random bytes");
  const remote = authorityOrigins(config);
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    // 'strict-dynamic': scripts that the nonce'd Next.js bootstrap loads are trusted; host lists and 'self' are then
    // ignored by CSP3 browsers, so no allow-listed origin can serve a script. No 'unsafe-inline' for scripts.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // Inline styles stay allowed: server-rendered style="" attributes (TanStack Virtual's sizes, Radix positioning)
    // and the <style> tags that Radix's scroll lock and sonner inject carry no nonce, and a nonce in style-src would
    // switch 'unsafe-inline' off. CSS cannot run script, and what it could leak through url() is held to this origin
    // by img-src, font-src and connect-src.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...remote],
    ["form-action", "'self'", ...remote],
    // MSAL renews silently in a hidden iframe (authorize with prompt=none, redirected back to this origin) when the
    // refresh token is gone or expired.
    ["frame-src", "'self'", ...remote],
    ["worker-src", "'self'", "blob:"],
    ["manifest-src", "'self'"],
    ["media-src", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    // No other origin may frame a page: a Reset button under someone else's overlay is the click-jacking this stops.
    ["frame-ancestors", framing === "self" ? "'self'" : "'none'"],
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/**
 * Headers that do not depend on the request.
 * - Referrer-Policy strict-origin-when-cross-origin: page URLs hold device ids and searches (user names, serial
 *   numbers); this sends none of them to another origin, only the console's origin, which the authority already knows
 *   from the redirect URI. no-referrer would hide nothing more, and under it the Fetch standard sends `Origin: null`
 *   with a same-origin form POST, which Next.js's server-action origin check refuses.
 * - X-Frame-Options DENY backs frame-ancestors 'none' for browsers that predate it.
 * - Permissions-Policy turns off powerful features the console never uses, for it and anything it embeds.
 */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Permissions-Policy":
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
});

export function securityHeaders(input: CspInput): Record<string, string> {
  return {
    "Content-Security-Policy": buildContentSecurityPolicy(input),
    ...STATIC_SECURITY_HEADERS,
    "X-Frame-Options": input.framing === "self" ? "SAMEORIGIN" : "DENY",
  };
}

/** 16 random bytes, base64: unguessable and different for every response. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** A policy as directive -> sources (names lower-cased), for tests and checks. */
export function parseCsp(policy: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !parsed.has(name.toLowerCase())) parsed.set(name.toLowerCase(), sources);
  }
  return parsed;
}
