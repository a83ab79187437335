import http from "node:http";
import type { APIResponse, Page, Request } from "@playwright/test";
import { parseCsp } from "../lib/security/csp";
import { expect, test } from "./fixtures/auth";
import { APP_URL, EMULATOR_URL } from "./fixtures/env";

/**
 * Hardening (docs/architecture.md, "Security"): the security headers on every page, a CSP the console itself never
 * violates while a user signs in, browses and opens a dialog, and no token in any URL the browser requests or navigates
 * to.
 */

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
const TOKEN_PARAMETER = /[?#&](access_token|id_token|refresh_token)=/i;
/** Device pick index for this file (other spec files use their own). */
const PICK = 11;
/** One of this file's own loopback ports (3241-3249 belong to the security tests). */
const ATTACKER_PORT = 3249;

function safelyDecoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function nonceOf(csp: string): string {
  const match = /'nonce-([^']+)'/.exec(csp);
  expect(match, "the CSP carries a nonce").not.toBeNull();
  return match![1]!;
}

async function expectSecurityHeaders(response: APIResponse, where: string, framing: "none" | "self" = "none") {
  expect(response.status(), where).toBeLessThan(500);
  const headers = response.headers();
  const cspText = headers["content-security-policy"];
  expect(cspText, `${where}: Content-Security-Policy`).toBeTruthy();
  const csp = parseCsp(cspText!);
  const nonce = nonceOf(cspText!);

  expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("frame-ancestors")).toEqual([framing === "self" ? "'self'" : "'none'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'self'"]);
  expect(csp.get("connect-src")).toContain("'self'");
  expect(csp.get("connect-src")).toContain(EMULATOR_URL); // MSAL redeems codes at the emulator's token endpoint
  expect(csp.get("form-action")?.[0]).toBe("'self'");
  expect(cspText).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(cspText).not.toMatch(/script-src[^;]*'unsafe-eval'/);

  expect(headers["x-frame-options"]).toBe(framing === "self" ? "SAMEORIGIN" : "DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");

  // Every script the page ships carries this response's nonce, or the browser would refuse to run it.
  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${where}: scripts in the page`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, `${where}: ${tag}`).toContain(`nonce="${nonce}"`);
  return nonce;
}

test.describe("security headers", () => {
  test("every page sends the CSP with a fresh nonce and the other security headers", async ({ request, emulator }) => {
    const device = await emulator.device("eligible", PICK);
    const nonces = new Set<string>();
    for (const path of ["/", "/devices", "/devices/windows", `/devices/windows/${device.id}`, "/devices/windows/not-a-device-id"]) {
      nonces.add(await expectSecurityHeaders(await request.get(path), path));
    }
    nonces.add(await expectSecurityHeaders(await request.get("/"), "/ again"));
    // MSAL's redirect page may be framed by the console itself (silent renewal in a hidden iframe), by nobody else.
    nonces.add(await expectSecurityHeaders(await request.get("/auth/redirect"), "/auth/redirect", "self"));
    expect(nonces.size).toBe(7);
  });

  test("a page cannot be framed by another origin", async ({ page }) => {
    // A hostile page on another origin tries to frame the console under its own overlay. It is served for real on
    // loopback: a page faked with page.route has no address, and Chromium's local-network checks would stop its
    // frame before frame-ancestors is ever consulted.
    const attacker = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(
        `<iframe id="victim" src="${APP_URL}/devices/windows"></iframe><iframe id="redirect" src="${APP_URL}/auth/redirect"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(ATTACKER_PORT, "127.0.0.1", resolve));
    try {
      const refusals: string[] = [];
      page.on("console", (message) => {
        if (/frame-ancestors/i.test(message.text())) refusals.push(message.text());
      });
      const appResponse = page.waitForResponse((response) => response.url().startsWith(`${APP_URL}/devices/windows`));
      await page.goto(`http://127.0.0.1:${ATTACKER_PORT}/`);
      expect((await appResponse).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await expect.poll(() => refusals.length, { message: "Chromium refuses both frames" }).toBeGreaterThanOrEqual(2);
      // Nothing of the console rendered inside the frame.
      const frame = await (await page.locator("#victim").elementHandle())!.contentFrame();
      expect(frame?.url() ?? "").not.toBe(`${APP_URL}/devices/windows`);
      expect(await frame?.locator("body").innerText().catch(() => "")).not.toContain("Autopilot Reset Console");
      const redirectFrame = await (await page.locator("#redirect").elementHandle())!.contentFrame();
      expect(await redirectFrame?.locator("body").innerText().catch(() => "")).not.toContain("Autopilot Reset Console");
    } finally {
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
  });
});

test("the console can frame its own MSAL redirect page, as MSAL's silent renewal does", async ({ page }) => {
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors|X-Frame-Options/i.test(message.text())) refusals.push(message.text());
  });
  await page.goto("/auth/redirect");
  const loaded = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const frame = document.createElement("iframe");
        frame.style.display = "none";
        frame.onload = () => {
          try {
            resolve(frame.contentDocument?.title ?? "");
          } catch {
            resolve("blocked");
          }
        };
        frame.src = "/auth/redirect";
        document.body.append(frame);
      }),
  );
  expect(loaded).toContain("Autopilot Reset Console");
  expect(refusals).toEqual([]);
});

/** Collects CSP violations from every page of the console the test visits (survives navigations). */
async function watchCspViolations(page: Page) {
  const violations: string[] = [];
  await page.exposeBinding("__reportCspViolation", ({ frame }, text: string) => {
    if (frame.url().startsWith(APP_URL)) violations.push(`${frame.url()}: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation?: (text: string) => void }).__reportCspViolation;
      report?.(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (page.url().startsWith(APP_URL) && /Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}

/** Every URL the browser requested, was redirected to, or navigated to (fragments included). */
function watchUrls(page: Page) {
  const urls: string[] = [];
  const record = (request: Request) => {
    urls.push(request.url());
    const redirected = request.redirectedFrom();
    if (redirected) urls.push(redirected.url());
  };
  page.on("request", record);
  page.on("response", (response) => {
    const location = response.headers()["location"];
    if (location) urls.push(new URL(location, response.url()).toString());
  });
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  return urls;
}

test("signing in, loading the grid and opening a device and its dialog violate no CSP and put no token in a URL", async ({
  page,
  emulator,
  signInAs,
}) => {
  const violations = await watchCspViolations(page);
  const urls = watchUrls(page);
  const consoleText: string[] = [];
  page.on("console", (message) => consoleText.push(message.text()));
  const device = await emulator.device("eligible", PICK, ["pendingReset"]);

  await signInAs("helpdesk", "/devices/windows");
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("row").nth(1)).toBeVisible();

  await page.goto(`/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  // Radix dialogs lock scrolling with an injected <style>: style-src must allow it.
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toBeHidden();

  // Nonce'd Next.js scripts ran (the page is interactive) and nothing was blocked.
  expect(violations).toEqual([]);

  // No token in the browser console (MSAL logs without PII; the console logs no token).
  expect(consoleText.filter((text) => JWT.test(text))).toEqual([]);

  // No token travels in a URL. The authorize -> redirect hop carries a one-time code, which must not be a JWT.
  expect(urls.length).toBeGreaterThan(5);
  const authorizeAnswers = urls.filter((url) => /[?#&]code=/.test(url));
  expect(authorizeAnswers.length, "the sign-in came back with a code").toBeGreaterThan(0);
  for (const url of urls) {
    expect(url, "no token parameter").not.toMatch(TOKEN_PARAMETER);
    expect(safelyDecoded(url), "no JWT anywhere in a URL").not.toMatch(JWT);
  }
  for (const url of authorizeAnswers) {
    const parsed = new URL(url);
    const parameters = new URLSearchParams(parsed.hash.slice(1) || parsed.search.slice(1));
    expect(parameters.get("code") ?? "").not.toMatch(JWT);
    expect(url.startsWith(`${APP_URL}/auth/redirect`) || url.startsWith(`${APP_URL}/`), url).toBe(true);
  }
});
