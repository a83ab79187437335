import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { REDIRECT_PATH } from "@/lib/auth/msal-config";
import {
  authorityOrigins,
  buildContentSecurityPolicy,
  createNonce,
  framingFor,
  MSAL_REDIRECT_PATH,
  parseCsp,
  securityHeaders,
  STATIC_SECURITY_HEADERS,
} from "./csp";

const NONCE = "q83vEjRWeJCrze8SNFZ4kA==";
const emulatorHttp = getConfig({ EMULATOR_URL: "http://127.0.0.1:3101" });
const emulatorHttps = getConfig({ EMULATOR_URL: "https://localhost:3245" });
const entra = getConfig({
  ENTRA_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  ENTRA_TENANT_ID: "66666666-7777-8888-9999-000000000000",
});

function policy(config = entra, development = false) {
  return parseCsp(buildContentSecurityPolicy({ config, nonce: NONCE, development }));
}

describe("buildContentSecurityPolicy", () => {
  it("runs only nonce'd scripts and what they load, never inline or eval'd script in production", () => {
    const scripts = policy().get("script-src");
    expect(scripts).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
  });

  it("adds 'unsafe-eval' for next dev only", () => {
    expect(policy(entra, true).get("script-src")).toContain("'unsafe-eval'");
  });

  it("lets an Entra page talk to the console and login.microsoftonline.com, and to nothing else (not even Graph)", () => {
    const csp = policy(entra);
    expect(csp.get("connect-src")).toEqual(["'self'", "https://login.microsoftonline.com"]);
    expect(csp.get("form-action")).toEqual(["'self'", "https://login.microsoftonline.com"]);
    expect(csp.get("frame-src")).toEqual(["'self'", "https://login.microsoftonline.com"]);
    expect(csp.get("connect-src")?.join(" ")).not.toContain("graph.microsoft.com");
  });

  it("allows both the nominal https authority and the real http origin of a plain-http emulator", () => {
    expect(policy(emulatorHttp).get("connect-src")).toEqual(["'self'", "https://127.0.0.1:3101", "http://127.0.0.1:3101"]);
  });

  it("lists an https emulator's origin once", () => {
    expect(policy(emulatorHttps).get("connect-src")).toEqual(["'self'", "https://localhost:3245"]);
  });

  it("allows nothing remote when the configuration is broken", () => {
    const csp = parseCsp(buildContentSecurityPolicy({ config: undefined, nonce: NONCE, development: false }));
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
  });

  it("forbids framing, plugins and base-tag hijacking", () => {
    const csp = policy();
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
  });

  it("keeps inline styles (no nonce, which would disable 'unsafe-inline') but holds images and fonts to this origin", () => {
    const csp = policy();
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(csp.get("font-src")).toEqual(["'self'", "data:"]);
  });

  it("is one header line with each directive once", () => {
    const text = buildContentSecurityPolicy({ config: emulatorHttp, nonce: NONCE, development: false });
    expect(text).not.toMatch(/[\r\n]/);
    const names = text.split(";").map((part) => part.trim().split(" ")[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("refuses a nonce that could break out of the header or be guessed", () => {
    for (const bad of ["", "abc", `${NONCE}'; script-src *`, "aaaaaaaaaaaaaaaa aaaa"]) {
      expect(() => buildContentSecurityPolicy({ config: entra, nonce: bad, development: false })).toThrow(/nonce/);
    }
  });
});

describe("framing", () => {
  it("lets only the console frame MSAL's redirect page (silent renewal), and nobody frame any other page", () => {
    expect(MSAL_REDIRECT_PATH).toBe(REDIRECT_PATH);
    expect(framingFor("/auth/redirect")).toBe("self");
    for (const path of ["/", "/devices", "/devices/windows", "/devices/windows/0f8fad5b-d9cb-469f-a165-70867728950e", "/auth/redirect/x", "/auth"]) {
      expect(framingFor(path), path).toBe("none");
    }
  });

  it("sets frame-ancestors and X-Frame-Options to match", () => {
    const framed = securityHeaders({ config: entra, nonce: NONCE, development: false, framing: "self" });
    expect(parseCsp(framed["Content-Security-Policy"]!).get("frame-ancestors")).toEqual(["'self'"]);
    expect(framed["X-Frame-Options"]).toBe("SAMEORIGIN");
    const unframed = securityHeaders({ config: entra, nonce: NONCE, development: false });
    expect(parseCsp(unframed["Content-Security-Policy"]!).get("frame-ancestors")).toEqual(["'none'"]);
    expect(unframed["X-Frame-Options"]).toBe("DENY");
  });
});

describe("authorityOrigins", () => {
  it("is the authority's origin for Entra and none for a broken configuration", () => {
    expect(authorityOrigins(entra)).toEqual(["https://login.microsoftonline.com"]);
    expect(authorityOrigins(undefined)).toEqual([]);
  });
});

describe("securityHeaders", () => {
  it("carries the CSP and the fixed headers", () => {
    const headers = securityHeaders({ config: entra, nonce: NONCE, development: false });
    expect(headers["Content-Security-Policy"]).toContain(`'nonce-${NONCE}'`);
    expect(headers).toMatchObject({
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
    });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
  });

  it("cannot be changed by a caller", () => {
    expect(Object.isFrozen(STATIC_SECURITY_HEADERS)).toBe(true);
  });
});

describe("createNonce", () => {
  it("is base64 of 16 bytes, accepted by the policy builder, and fresh every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, createNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) {
      expect(atob(nonce)).toHaveLength(16);
      expect(() => buildContentSecurityPolicy({ config: entra, nonce, development: false })).not.toThrow();
    }
  });
});

describe("parseCsp", () => {
  it("keeps the first of a repeated directive, as browsers do, and ignores empty parts", () => {
    const parsed = parseCsp("Script-Src 'self';; script-src *; object-src 'none'");
    expect(parsed.get("script-src")).toEqual(["'self'"]);
    expect(parsed.get("object-src")).toEqual(["'none'"]);
    expect(parsed.size).toBe(2);
  });
});
