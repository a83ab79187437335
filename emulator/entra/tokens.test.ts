import { describe, expect, it, vi } from "vitest";
import { SignJWT, generateKeyPair, decodeJwt } from "jose";
import { TokenService } from "./tokens";
import { ACCESS_TOKEN_ISSUER, CLIENT_ID, GRAPH_RESOURCE, PERSONAS, SCOPES, TENANT_ID, findPersona } from "../tenant";

describe("access tokens", () => {
  it("carry the Graph claims and verify", async () => {
    const service = await TokenService.create();
    const persona = findPersona("helpdesk")!;
    const { token } = await service.accessToken(persona);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ aud: GRAPH_RESOURCE, iss: ACCESS_TOKEN_ISSUER, tid: TENANT_ID, oid: persona.oid, appid: CLIENT_ID, name: persona.displayName, preferred_username: persona.userPrincipalName });
    expect(String(claims.scp).split(" ")).toContain(SCOPES.privileged);
    const verified = await service.verifyAccessToken(token);
    expect(verified.ok && verified.token.persona.id).toBe("helpdesk");
  });

  it("are checked once and then reused until they expire, never after", async () => {
    const service = await TokenService.create();
    const { token } = await service.accessToken(findPersona("helpdesk")!, 60);
    expect((await service.verifyAccessToken(token)).ok).toBe(true);
    vi.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 59_000);
      expect((await service.verifyAccessToken(token)).ok).toBe(true);
      vi.setSystemTime(Date.now() + 2_000);
      expect(await service.verifyAccessToken(token)).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });
    } finally {
      vi.useRealTimers();
    }
  });

  it("leave PrivilegedOperations out of the noconsent persona's scp", async () => {
    const service = await TokenService.create();
    const { token } = await service.accessToken(findPersona("noconsent")!);
    expect(String(decodeJwt(token).scp).split(" ")).not.toContain(SCOPES.privileged);
    expect(PERSONAS.filter((p) => p.scopes.includes(SCOPES.privileged))).toHaveLength(5);
  });

  it("refuse expired, forged, wrong-audience and garbage tokens", async () => {
    const service = await TokenService.create();
    const persona = findPersona("readonly")!;
    const expired = (await service.accessToken(persona, -10)).token;
    expect(await service.verifyAccessToken(expired)).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });

    const other = await TokenService.create();
    const forged = (await other.accessToken(persona)).token;
    expect((await service.verifyAccessToken(forged)).ok).toBe(false);

    const { privateKey } = await generateKeyPair("RS256");
    const selfMade = await new SignJWT({ aud: GRAPH_RESOURCE, iss: ACCESS_TOKEN_ISSUER, oid: persona.oid, tid: TENANT_ID, scp: "x" })
      .setProtectedHeader({ alg: "RS256", kid: service.kid })
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await service.verifyAccessToken(selfMade)).ok).toBe(false);

    const idToken = await service.idToken(persona, "http://127.0.0.1/x/v2.0", "n");
    expect(await service.verifyAccessToken(idToken)).toMatchObject({ ok: false });

    expect((await service.verifyAccessToken("garbage")).ok).toBe(false);
    expect((await service.verifyAccessToken("a.b.c")).ok).toBe(false);
  });

  it("round-trips refresh tokens but never accepts them as access tokens", async () => {
    const service = await TokenService.create();
    const refresh = await service.refreshToken(findPersona("intuneadmin")!, "openid");
    expect((await service.verifyRefreshToken(refresh))?.persona.id).toBe("intuneadmin");
    expect((await service.verifyAccessToken(refresh)).ok).toBe(false);
    expect(await service.verifyRefreshToken("nope")).toBeUndefined();
  });
});
