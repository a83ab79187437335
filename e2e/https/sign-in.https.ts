import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { startEmulator } from "../../emulator/server";
import { EMULATOR_TENANT_ID, readConfig } from "../../lib/config";
import { EmulatorClient, signInThrough } from "../security/emulator-client";
import { assertBuilt, startNextApp, waitForHttp, type RunningProcess } from "../security/processes";
import { createLocalhostCertificate, type TestCertificate } from "./certificate";

/**
 * Sign-in against an https authority with real OpenID discovery (no authorityMetadata), exactly as MSAL meets Entra
 * ID: an MSAL upgrade that changes its rules for discovery, issuer or endpoints fails here. Then the grid loads, so
 * the server's Graph calls over https (trusting the test CA) work too.
 */

const EMULATOR_PORT = 3245;
const APP_PORT = 3246;
const EMULATOR_URL = `https://localhost:${EMULATOR_PORT}`;
const APP_URL = `http://localhost:${APP_PORT}`;

let certificate: TestCertificate | undefined;
let emulator: { url: string; close(): Promise<void> } | undefined;
let app: RunningProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  assertBuilt();
  certificate = createLocalhostCertificate();
  emulator = await startEmulator({
    port: EMULATOR_PORT,
    host: "127.0.0.1",
    fleetSize: 300,
    seed: 6,
    appOrigins: [APP_URL],
    tls: { key: certificate.key, cert: certificate.cert },
  });
  app = startNextApp(APP_PORT, { EMULATOR_URL, NODE_EXTRA_CA_CERTS: certificate.caPath });
  await waitForHttp(`http://127.0.0.1:${APP_PORT}/auth/redirect`, app);
});

test.afterAll(async () => {
  await app?.stop();
  await emulator?.close();
  if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
});

test("the console gives MSAL no metadata for an https authority", () => {
  const result = readConfig({ EMULATOR_URL });
  expect(result.ok && result.config.authorityMetadata).toBeUndefined();
  expect(result.ok && result.config.authority).toBe(`${EMULATOR_URL}/${EMULATOR_TENANT_ID}`);
});

test("a Help Desk Operator signs in through MSAL's discovery of the https authority and the grid loads", async ({ page }) => {
  const control = new EmulatorClient(EMULATOR_URL, page.request);
  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  const failures: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(message.text());
  });

  await signInThrough(page, APP_URL, control, "helpdesk");
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("row").nth(1)).toBeVisible();

  // MSAL fetched the discovery document itself (no metadata was given) and redeemed the code at the https endpoint.
  const tenantBase = `${EMULATOR_URL}/${EMULATOR_TENANT_ID}`;
  expect(requested).toContain(`${tenantBase}/v2.0/.well-known/openid-configuration`);
  expect(requested.some((url) => url.startsWith(`${tenantBase}/oauth2/v2.0/authorize`))).toBe(true);
  expect(requested.some((url) => url.split("?")[0] === `${tenantBase}/oauth2/v2.0/token`)).toBe(true);
  expect(requested.filter((url) => url.startsWith("http://") && !url.startsWith(APP_URL))).toEqual([]);
  expect(failures.filter((text) => /endpoints_resolution_error|authority|Content Security Policy/i.test(text))).toEqual([]);

  // The server's Graph calls went to the https emulator (the browser never calls Graph).
  expect((await control.counters()).requests).toBeGreaterThan(0);
  expect(app!.output()).not.toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|self-signed/i);
});
