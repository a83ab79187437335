/** Incremental consent: a user-consentable scope is granted on the account page, refused silently before that. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { startEmulator, type RunningEmulator } from "../server";
import { CLIENT_ID, TENANT_ID } from "../tenant";

const APP = "http://localhost:3000";
const SCOPE = "https://graph.microsoft.com/User.ReadBasic.All openid profile offline_access";
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 20, seed: 3, appOrigins: [APP] });
});
afterAll(async () => {
  await emu.close();
});

const authority = () => `${emu.url.replace(/\/+$/, "")}/${TENANT_ID}/oauth2/v2.0`;
const form = (fields: Record<string, string>) => ({ method: "POST", redirect: "manual" as const, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

async function signIn(persona: string, scope: string) {
  const verifier = randomBytes(32).toString("base64url");
  const params = {
    client_id: CLIENT_ID, redirect_uri: `${APP}/`, response_type: "code", response_mode: "query", scope,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
  };
  const page = await (await fetch(`${authority()}/authorize?${new URLSearchParams(params)}`)).text();
  const posted = await fetch(`${authority()}/authorize`, form({ ...params, persona }));
  const code = new URL(posted.headers.get("location")!).searchParams.get("code")!;
  const token = await (await fetch(`${authority()}/token`, form({ client_id: CLIENT_ID, grant_type: "authorization_code", code, redirect_uri: `${APP}/`, code_verifier: verifier, scope }))).json();
  return { page, token, cookie: posted.headers.get("set-cookie")!.split(";")[0]! };
}

describe("incremental consent", () => {
  it("noconsent: refused silently, listed on the account page, granted by picking the account", async () => {
    const first = await signIn("noconsent", "https://graph.microsoft.com/DeviceManagementManagedDevices.Read.All openid profile offline_access");
    expect(decodeJwt(first.token.access_token).scp).not.toContain("User.ReadBasic.All");
    const refresh = await fetch(`${authority()}/token`, form({ client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: first.token.refresh_token, scope: SCOPE }));
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant", suberror: "consent_required", error_codes: [65001] });

    const second = await signIn("noconsent", SCOPE);
    expect(second.page).toContain("Permissions requested");
    const scp = String(decodeJwt(second.token.access_token).scp).split(" ");
    expect(scp).toContain("User.ReadBasic.All");
    expect(scp).not.toContain("GroupMember.Read.All");
    expect(second.token.scope).toContain("https://graph.microsoft.com/User.ReadBasic.All");
    const consents = await (await fetch(`${emu.url.replace(/\/+$/, "")}/_emulator/consent`)).json();
    expect(consents).toEqual({ noconsent: ["User.ReadBasic.All"] });
  });

  it("a silent authorize asking for an unconsented scope answers consent_required", async () => {
    await fetch(`${emu.url.replace(/\/+$/, "")}/_emulator/consent`, { method: "DELETE" });
    const { cookie } = await signIn("noconsent", "openid profile");
    const params = new URLSearchParams({
      client_id: CLIENT_ID, redirect_uri: `${APP}/`, response_type: "code", response_mode: "query", scope: SCOPE, prompt: "none",
      code_challenge: "a".repeat(43), code_challenge_method: "S256",
    });
    const res = await fetch(`${authority()}/authorize?${params}`, { redirect: "manual", headers: { Cookie: cookie } });
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("consent_required");
  });
});
