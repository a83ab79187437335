import { describe, expect, it } from "vitest";
import { getConfig, toPublicConfig } from "@/lib/config";
import { buildMsalConfiguration } from "./msal-config";

describe("buildMsalConfiguration", () => {
  it("uses the emulator's https authority, its host as known authority and the http metadata", () => {
    const config = toPublicConfig(getConfig({ EMULATOR_URL: "http://127.0.0.1:3101" }));
    const msal = buildMsalConfiguration(config, "http://localhost:3100");
    expect(msal.auth.authority).toBe("https://127.0.0.1:3101/7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87");
    expect(msal.auth.knownAuthorities).toEqual(["127.0.0.1:3101"]);
    expect(JSON.parse(msal.auth.authorityMetadata ?? "{}").token_endpoint).toBe(
      "http://127.0.0.1:3101/7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87/oauth2/v2.0/token",
    );
    expect(msal.auth.redirectUri).toBe("http://localhost:3100/auth/redirect");
    expect(msal.cache?.cacheLocation).toBe("sessionStorage");
  });

  it("gives Entra no metadata, so MSAL discovers it", () => {
    const config = toPublicConfig(
      getConfig({ ENTRA_CLIENT_ID: "11111111-2222-3333-4444-555555555555", ENTRA_TENANT_ID: "66666666-7777-8888-9999-000000000000" }),
    );
    const msal = buildMsalConfiguration(config, "https://console.example.com");
    expect(msal.auth.authorityMetadata).toBeUndefined();
    expect(msal.auth.authority).toBe("https://login.microsoftonline.com/66666666-7777-8888-9999-000000000000");
  });
});
