/**
 * Token minting and verification. One RSA key pair is generated at start (jose); nothing signed by an earlier run
 * verifies. Access tokens look like Entra's v1 Graph tokens: aud Graph, iss https://sts.windows.net/{tid}/, scp,
 * appid, tid, oid, preferred_username (Graph tokens carry upn/unique_name too), name, exp.
 */
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, errors as joseErrors, type JWK, type CryptoKey as JoseKey } from "jose";
import { randomUUID } from "node:crypto";
import {
  ACCESS_TOKEN_ISSUER, CLIENT_ID, GRAPH_APP_ID, GRAPH_RESOURCE, TENANT_ID, findPersonaByOid, type Persona,
} from "../tenant";

export interface VerifiedAccessToken {
  persona: Persona;
  scopes: Set<string>;
  appId: string;
  tenantId: string;
}

export type VerifyResult = { ok: true; token: VerifiedAccessToken } | { ok: false; message: string };

const REFRESH_TOKEN_LIFETIME_S = 24 * 3600;
/** Access tokens whose signature was checked, kept until they expire (at most this many; the oldest goes first). */
const VERIFIED_KEPT = 512;
const REFRESH_AUDIENCE = "urn:emulator:refresh";

export class TokenService {
  accessTokenLifetimeSeconds = 3600;

  private constructor(
    private readonly privateKey: JoseKey,
    private readonly publicKey: JoseKey,
    readonly jwk: JWK,
    readonly kid: string,
  ) {}

  static async create(): Promise<TokenService> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = randomUUID().replace(/-/g, "").slice(0, 27);
    const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
    return new TokenService(privateKey, publicKey, jwk, kid);
  }

  private sign(claims: Record<string, unknown>): SignJWT {
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid });
  }

  /** `scopes`: the token's `scp` (default: the persona's admin-consented scopes; Consents.scopes adds her own consents). */
  async accessToken(
    persona: Persona, expiresInSeconds = this.accessTokenLifetimeSeconds, scopes: readonly string[] = persona.scopes,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await this.sign({
      aud: GRAPH_RESOURCE,
      iss: ACCESS_TOKEN_ISSUER,
      iat: now,
      nbf: now,
      exp: now + expiresInSeconds,
      appid: CLIENT_ID,
      appidacr: "0",
      idtyp: "user",
      name: persona.displayName,
      oid: persona.oid,
      preferred_username: persona.userPrincipalName,
      upn: persona.userPrincipalName,
      unique_name: persona.userPrincipalName,
      scp: scopes.join(" "),
      sub: `sub-${persona.oid}`,
      tid: TENANT_ID,
      ver: "1.0",
      uti: randomUUID().replace(/-/g, "").slice(0, 22),
      wids: ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
    }).sign(this.privateKey);
    return { token, expiresIn: expiresInSeconds };
  }

  async idToken(persona: Persona, issuer: string, nonce: string | undefined): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      aud: CLIENT_ID,
      iss: issuer,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: persona.displayName,
      oid: persona.oid,
      preferred_username: persona.userPrincipalName,
      sub: `sub-${persona.oid}`,
      tid: TENANT_ID,
      ver: "2.0",
      rh: "0.emulator.",
      uti: randomUUID().replace(/-/g, "").slice(0, 22),
    };
    if (nonce) claims.nonce = nonce;
    return this.sign(claims).sign(this.privateKey);
  }

  /** Refresh tokens are signed too, so the emulator stores nothing per session. Opaque to clients. */
  async refreshToken(persona: Persona, scope: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.sign({ aud: REFRESH_AUDIENCE, iss: ACCESS_TOKEN_ISSUER, oid: persona.oid, scope, iat: now, exp: now + REFRESH_TOKEN_LIFETIME_S, jti: randomUUID() })
      .sign(this.privateKey);
  }

  async verifyRefreshToken(token: string): Promise<{ persona: Persona; scope: string } | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { audience: REFRESH_AUDIENCE, issuer: ACCESS_TOKEN_ISSUER, algorithms: ["RS256"] });
      const persona = typeof payload.oid === "string" ? findPersonaByOid(payload.oid) : undefined;
      if (!persona) return undefined;
      return { persona, scope: typeof payload.scope === "string" ? payload.scope : "" };
    } catch {
      return undefined;
    }
  }

  /**
   * A token's signature is checked once: the same text verified a moment ago is the same token (the emulator cannot
   * revoke one), so until it expires the result is reused. A $batch-heavy bulk run sends hundreds of requests a
   * minute with one token.
   */
  private readonly verified = new Map<string, { token: VerifiedAccessToken; expMs: number }>();

  async verifyAccessToken(token: string): Promise<VerifyResult> {
    const kept = this.verified.get(token);
    if (kept) {
      if (Date.now() < kept.expMs) return { ok: true, token: kept.token };
      this.verified.delete(token);
    }
    const result = await this.verifyAccessTokenOnce(token);
    if (result.ok) {
      const exp = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { exp?: unknown }).exp;
      if (typeof exp === "number") {
        if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value as string);
        this.verified.set(token, { token: result.token, expMs: exp * 1000 });
      }
    }
    return result;
  }

  private async verifyAccessTokenOnce(token: string): Promise<VerifyResult> {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, message: "IDX14100: JWT is not well formed, there are no dots (.)." };
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: ACCESS_TOKEN_ISSUER,
        audience: [GRAPH_RESOURCE, GRAPH_APP_ID, `${GRAPH_RESOURCE}/`],
        algorithms: ["RS256"],
        clockTolerance: 0,
      });
      const persona = typeof payload.oid === "string" ? findPersonaByOid(payload.oid) : undefined;
      if (!persona || payload.tid !== TENANT_ID) return { ok: false, message: "Access token validation failure. Invalid audience." };
      const scp = typeof payload.scp === "string" ? payload.scp : "";
      return {
        ok: true,
        token: {
          persona,
          scopes: new Set(scp.split(" ").filter(Boolean)),
          appId: typeof payload.appid === "string" ? payload.appid : "",
          tenantId: TENANT_ID,
        },
      };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, message: "Lifetime validation failed, the token is expired." };
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud") {
        return { ok: false, message: "Access token validation failure. Invalid audience." };
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, message: "Access token validation failure. Invalid signature." };
      return { ok: false, message: "Access token validation failure." };
    }
  }
}
