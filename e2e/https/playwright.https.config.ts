import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../fixtures/chromium";

/**
 * The https project (docs/architecture.md, "Sign-in and tokens"; docs/graph.md, "MSAL"): the emulator served over https
 * with a certificate made at test time, so the console gives MSAL no authorityMetadata and MSAL discovers the authority
 * exactly as it discovers Entra ID. Chromium ignores certificate errors here only; the app's Node process trusts the
 * test CA through NODE_EXTRA_CA_CERTS.
 *
 * Run after a build (the main e2e run makes one): npx playwright test -c e2e/https/playwright.https.config.ts
 * The spec starts its own emulator (https://localhost:3245) and `next start` (http://localhost:3246).
 */
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.https.ts",
  outputDir: "../../test-results/https",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, "--ignore-certificate-errors"],
    },
  },
  projects: [{ name: "chromium-https", use: { ...devices["Desktop Chrome"], channel: undefined } }],
});
