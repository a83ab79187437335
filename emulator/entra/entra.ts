/**
 * The Entra-shaped authority at /{tenant}/...: discovery, authorize (persona picker), token (authorization code +
 * PKCE S256, refresh_token), keys, logout. Works with @azure/msal-browser 5 in its default (AAD) mode, both with
 * auth.authorityMetadata over http and with real discovery over https: every URL is built from the origin the
 * client reached (scheme + Host).
 */
import { createHash, randomBytes } from "node:crypto";
import { CLIENT_ID, GRAPH_RESOURCE, PERSONAS, TENANT_ID, USER_CONSENTABLE, findPersona, type Persona } from "../tenant";
import { json, type Reply } from "../http";
import type { EmulatorState } from "../state";
import { entraError } from "./errors";
import { errorPage, formPostPage, pickAccountPage, signedOutPage } from "./page";

const CODE_LIFETIME_MS = 10 * 60_000;
const OIDC_SCOPES = ["openid", "profile", "offline_access", "email"];
const SESSION_COOKIE = "emulator_session";

interface PendingCode {
  persona: Persona;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface EntraRequest {
  method: string;
  /** Path after /{tenant}, e.g. /oauth2/v2.0/token. */
  subPath: string;
  query: URLSearchParams;
  /** Form fields of a POST (urlencoded). */
  form: URLSearchParams;
  origin: string;
  tls: boolean;
  cookies: Record<string, string>;
}

function registeredRedirectUris(appOrigins: readonly string[]): string[] {
  return appOrigins.flatMap((origin) => [`${origin}/`, `${origin}/auth/redirect`]);
}

function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...headers }, body };
}

function redirect(location: string, headers: Record<string, string> = {}): Reply {
  return { status: 302, headers: { Location: location, "Cache-Control": "no-store", ...headers } };
}

function clientInfo(persona: Persona): string {
  return Buffer.from(JSON.stringify({ uid: persona.oid, utid: TENANT_ID })).toString("base64url");
}

function discoveryDocument(origin: string): Record<string, unknown> {
  const authority = `${origin}/${TENANT_ID}`;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${authority}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** The `scope` a token response reports: the token's Graph scopes, in the form the client asked for. */
function grantedScope(scopes: readonly string[], requested: string): string {
  const asked = requested.split(" ").filter(Boolean);
  const prefixed = asked.some((s) => s.toLowerCase().startsWith(`${GRAPH_RESOURCE}/`));
  const graph = scopes.map((s) => (prefixed ? `${GRAPH_RESOURCE}/${s}` : s));
  const oidc = asked.filter((s) => OIDC_SCOPES.includes(s));
  return [...graph, ...oidc].join(" ");
}

function consentRequired(scopes: readonly string[]): string {
  return `The user or administrator has not consented to use the application with ID '${CLIENT_ID}' named 'Autopilot Reset console'. Send an interactive authorization request for this user and resource. Missing: ${scopes.join(" ")}.`;
}

function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}

export class Entra {
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly state: EmulatorState) {}

  private redirectUris(): string[] {
    return registeredRedirectUris(this.state.appOrigins);
  }

  async handle(req: EntraRequest): Promise<Reply | undefined> {
    const p = req.subPath;
    if (req.method === "GET" && (p === "/v2.0/.well-known/openid-configuration" || p === "/.well-known/openid-configuration")) {
      return json(200, discoveryDocument(req.origin), { "Cache-Control": "max-age=86400" });
    }
    if (req.method === "GET" && (p === "/discovery/v2.0/keys" || p === "/discovery/keys")) {
      return json(200, { keys: [this.state.tokens.jwk] });
    }
    if (p === "/oauth2/v2.0/authorize" && (req.method === "GET" || req.method === "POST")) return this.authorize(req);
    if (p === "/oauth2/v2.0/token" && req.method === "POST") return this.token(req);
    if (p === "/oauth2/v2.0/logout" && (req.method === "GET" || req.method === "POST")) return this.logout(req);
    return undefined;
  }

  private authorize(req: EntraRequest): Reply {
    const params = req.method === "POST" ? req.form : req.query;
    const clientId = params.get("client_id") ?? "";
    if (clientId !== CLIENT_ID) {
      return html(400, errorPage(700016, `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`));
    }
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!this.redirectUris().includes(redirectUri)) {
      return html(400, errorPage(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${CLIENT_ID}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`));
    }
    const responseMode = params.get("response_mode") ?? "query";
    const state = params.get("state") ?? undefined;
    const fail = (error: string, code: number, description: string) =>
      this.deliver(redirectUri, responseMode, {
        error,
        error_description: `AADSTS${code}: ${description}`,
        error_codes: `[${code}]`,
        ...(state !== undefined ? { state } : {}),
      });
    if (!["query", "fragment", "form_post"].includes(responseMode)) return fail("invalid_request", 900144, `The 'response_mode' '${responseMode}' is not supported.`);
    if (params.get("response_type") !== "code") return fail("unsupported_response_type", 700054, "response_type must be 'code' for this application (single-page application with PKCE).");
    const challenge = params.get("code_challenge") ?? "";
    if (!challenge) return fail("invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption.");
    if (params.get("code_challenge_method") !== "S256") return fail("invalid_request", 501491, "Invalid code_challenge_method: only S256 is supported.");
    if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) return fail("invalid_request", 501491, "Invalid size of code_challenge parameter.");

    let persona: Persona | undefined;
    let setCookie: string | undefined;
    const prompt = params.get("prompt");
    if (req.method === "POST") {
      persona = findPersona(req.form.get("persona") ?? "");
      if (!persona) return html(400, errorPage(50034, "The user account does not exist in the Contoso directory. Pick one of the listed accounts."));
      setCookie = `${SESSION_COOKIE}=${persona.id}; Path=/${TENANT_ID}; HttpOnly; ${req.tls ? "SameSite=None; Secure" : "SameSite=Lax"}`;
    } else if (prompt === "none") {
      persona = findPersona(req.cookies[SESSION_COOKIE] ?? "");
      if (!persona) return fail("login_required", 50058, "A silent sign-in request was sent but no user is signed in.");
      const unconsented = this.state.consents.missing(persona, params.get("scope") ?? "");
      if (unconsented.length > 0) return fail("consent_required", 65001, consentRequired(unconsented));
    } else {
      const hidden: Record<string, string> = {};
      for (const [key, value] of params) if (key !== "persona") hidden[key] = value;
      const asks = USER_CONSENTABLE.filter((s) => (params.get("scope") ?? "").toLowerCase().includes(s.toLowerCase()));
      return html(200, pickAccountPage(`${req.origin}/${TENANT_ID}/oauth2/v2.0/authorize`, hidden, PERSONAS, asks));
    }
    // Picking the account on a page that listed the requested permissions is the user's consent to them.
    if (req.method === "POST") this.state.consents.grant(persona, params.get("scope") ?? "");

    const code = randomBytes(48).toString("base64url");
    this.pruneCodes();
    this.codes.set(code, {
      persona,
      redirectUri,
      codeChallenge: challenge,
      nonce: params.get("nonce") ?? undefined,
      scope: params.get("scope") ?? "",
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      redeemed: false,
    });
    const fields: Record<string, string> = { code, client_info: clientInfo(persona) };
    if (state !== undefined) fields.state = state;
    fields.session_state = persona.oid;
    return this.deliver(redirectUri, responseMode, fields, setCookie ? { "Set-Cookie": setCookie } : {});
  }

  private deliver(redirectUri: string, mode: string, fields: Record<string, string>, headers: Record<string, string> = {}): Reply {
    if (mode === "form_post") return html(200, formPostPage(redirectUri, fields), headers);
    const encoded = new URLSearchParams(fields).toString();
    if (mode === "fragment") return redirect(`${redirectUri}#${encoded}`, headers);
    return redirect(`${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${encoded}`, headers);
  }

  private pruneCodes(): void {
    const now = Date.now();
    for (const [code, pending] of this.codes) if (pending.expiresAt < now - CODE_LIFETIME_MS) this.codes.delete(code);
  }

  private async token(req: EntraRequest): Promise<Reply> {
    const form = req.form;
    const grantType = form.get("grant_type");
    if (!grantType) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    const clientId = form.get("client_id");
    if (!clientId) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    if (clientId !== CLIENT_ID) {
      return entraError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory 'Contoso'.`);
    }
    if (grantType === "authorization_code") {
      const code = form.get("code");
      if (!code) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'code'.");
      const pending = this.codes.get(code);
      if (!pending || pending.expiresAt < Date.now()) {
        return entraError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
      }
      if (pending.redeemed) return entraError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
      if (form.get("redirect_uri") !== pending.redirectUri) {
        return entraError(400, "invalid_grant", 50011, `The redirect URI '${form.get("redirect_uri") ?? ""}' specified in the request does not match the redirect URI used in the authorization request.`);
      }
      const verifier = form.get("code_verifier");
      if (!verifier) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'code_verifier'.");
      if (!pkceMatches(verifier, pending.codeChallenge)) {
        return entraError(400, "invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
      }
      pending.redeemed = true;
      return this.tokenResponse(req, pending.persona, form.get("scope") ?? pending.scope, pending.nonce);
    }
    if (grantType === "refresh_token") {
      const refresh = form.get("refresh_token");
      if (!refresh) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'refresh_token'.");
      const session = await this.state.tokens.verifyRefreshToken(refresh);
      if (!session) return entraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
      const unconsented = this.state.consents.missing(session.persona, form.get("scope") ?? "");
      if (unconsented.length > 0) return entraError(400, "invalid_grant", 65001, consentRequired(unconsented), { suberror: "consent_required" });
      return this.tokenResponse(req, session.persona, form.get("scope") ?? session.scope, undefined);
    }
    return entraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }

  private async tokenResponse(req: EntraRequest, persona: Persona, requestedScope: string, nonce: string | undefined): Promise<Reply> {
    const tokens = this.state.tokens;
    const scopes = this.state.consents.scopes(persona);
    const access = await tokens.accessToken(persona, undefined, scopes);
    const scope = grantedScope(scopes, requestedScope);
    return json(
      200,
      {
        token_type: "Bearer",
        scope,
        expires_in: access.expiresIn,
        ext_expires_in: access.expiresIn,
        access_token: access.token,
        refresh_token: await tokens.refreshToken(persona, requestedScope),
        id_token: await tokens.idToken(persona, `${req.origin}/${TENANT_ID}/v2.0`, nonce),
        client_info: clientInfo(persona),
      },
      { "Cache-Control": "no-store", Pragma: "no-cache" },
    );
  }

  private logout(req: EntraRequest): Reply {
    const params = req.method === "POST" ? req.form : req.query;
    const clear = { "Set-Cookie": `${SESSION_COOKIE}=; Path=/${TENANT_ID}; Max-Age=0; HttpOnly; ${req.tls ? "SameSite=None; Secure" : "SameSite=Lax"}` };
    const target = params.get("post_logout_redirect_uri");
    if (target) {
      const allowed = this.redirectUris().includes(target) || this.state.appOrigins.includes(target.replace(/\/+$/, ""));
      if (!allowed) return html(400, errorPage(50011, `The post_logout_redirect_uri '${target}' is not registered for the application '${CLIENT_ID}'.`), clear);
      const state = params.get("state");
      return redirect(state ? `${target}${target.includes("?") ? "&" : "?"}state=${encodeURIComponent(state)}` : target, clear);
    }
    return html(200, signedOutPage(), clear);
  }
}
