import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { config as proxyConfig, proxy } from "@/proxy";
import { parseCsp } from "./csp";

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

function run(path = "/devices/windows") {
  return proxy(new NextRequest(`http://localhost:3000${path}`));
}

describe("proxy", () => {
  it("hands Next.js the same CSP on the request it sends to the browser, so Next puts the nonce on its scripts", () => {
    process.env.EMULATOR_URL = "http://127.0.0.1:3101";
    const response = run();
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    // NextResponse.next({ request: { headers } }) passes request overrides to the renderer through these headers.
    expect(response.headers.get("x-middleware-override-headers")?.split(",")).toEqual(
      expect.arrayContaining(["content-security-policy", "x-nonce"]),
    );
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("reads the configuration per request: switching to Entra changes the allowed origins without a rebuild", () => {
    process.env.EMULATOR_URL = "http://127.0.0.1:3101";
    expect(parseCsp(run().headers.get("content-security-policy")!).get("connect-src")).toContain("http://127.0.0.1:3101");

    delete process.env.EMULATOR_URL;
    process.env.ENTRA_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    process.env.ENTRA_TENANT_ID = "66666666-7777-8888-9999-000000000000";
    expect(parseCsp(run().headers.get("content-security-policy")!).get("connect-src")).toEqual([
      "'self'",
      "https://login.microsoftonline.com",
    ]);
  });

  it("still protects the page that explains a broken configuration", () => {
    process.env.ENTRA_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    delete process.env.ENTRA_TENANT_ID;
    const response = run("/");
    expect(parseCsp(response.headers.get("content-security-policy")!).get("connect-src")).toEqual(["'self'"]);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("lets only the console frame MSAL's redirect page", () => {
    expect(run("/auth/redirect").headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(run("/auth/redirect").headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    expect(run("/devices/windows").headers.get("x-frame-options")).toBe("DENY");
    expect(run("/devices/windows").headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("gives every response its own nonce", () => {
    const nonces = new Set(Array.from({ length: 20 }, () => run().headers.get("x-middleware-request-x-nonce")));
    expect(nonces.size).toBe(20);
  });

  it("runs on pages and server actions but not on hashed static files", () => {
    const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
    for (const path of ["/", "/devices/windows", "/devices/windows/0f8fad5b-d9cb-469f-a165-70867728950e", "/auth/redirect"]) {
      expect(matcher.test(path), path).toBe(true);
    }
    for (const path of ["/_next/static/chunks/app.js", "/_next/image", "/favicon.ico"]) expect(matcher.test(path), path).toBe(false);
  });
});
