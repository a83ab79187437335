import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { APP_PORT, APP_URL, E2E_FLEET_SIZE, E2E_SEED, EMULATOR_PORT, EMULATOR_URL } from "./e2e/fixtures/env";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/fixtures/chromium";

/**
 * End-to-end tests in Debian's Chromium against the built console and the Intune emulator (no mocked Graph).
 * The console runs on 3100 and the emulator on 3101, both started by scripts/start.mjs, which builds once when needed.
 *
 * Sign-in: MSAL keeps its cache in sessionStorage (the production setting: tokens die with the tab), which Playwright's
 * storageState does not save. Rather than weaken the app for the tests, each test signs in through the real MSAL
 * redirect with the persona it needs (e2e/fixtures/auth.ts): against the local emulator that is about a second.
 */
/**
 * Specs that need the tenant to themselves: they change it for everyone (Multi Admin Approval policies, the daily wipe
 * limit, the emulator's clock moved minutes on to pass a send's landing margin or to let resets complete: monitor and
 * home-today move it 13 minutes, recently-reset and ticket-reference about a minute and a half, which completes the
 * resets a spec beside them expects pending), or prove that nothing
 * else in the whole fleet was touched (ticket lists, people and groups), which a spec running beside them would upset.
 */
const TENANT_WIDE = /(^|\/)(approval|approval-target|bulk-approval|daily-limit|ticket-list|ticket-person-group|bulk|never-twice|monitor|home-today|recently-reset|ticket-reference|group-tag)\.spec\.ts$/;

export default defineConfig({
  testDir: "./e2e",
  // Several people may run the suite in one checkout at once: each can keep its artefacts apart.
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? "test-results",
  fullyParallel: false,
  // Two workers on two cores: most of a spec's time is spent waiting on Graph's windows (an unclear write's margin, a
  // throttle's Retry-After), not on the CPU. Specs beside each other use their own devices, and their faults and slow
  // writes are rules on those devices only; the tenant-wide project runs alone, one spec at a time.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "chromium", testIgnore: TENANT_WIDE, use: { ...devices["Desktop Chrome"], channel: undefined } },
    // After the rest, one at a time (see TENANT_WIDE).
    { name: "tenant-wide", testMatch: TENANT_WIDE, dependencies: ["chromium"], workers: 1, use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    url: `${APP_URL}/auth/redirect`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(APP_PORT),
      EMULATOR_URL,
      EMULATOR_PORT: String(EMULATOR_PORT),
      EMULATOR_APP_ORIGINS: APP_URL,
      EMULATOR_FLEET_SIZE: String(E2E_FLEET_SIZE),
      EMULATOR_SEED: String(E2E_SEED),
      // The suite wipes far more than Intune's 500 a day; the daily-limit specs set one through the control API.
      EMULATOR_DAILY_WIPE_LIMIT: "none",
      // A new data folder per run: the console's send records start empty against a freshly seeded emulator.
      DATA_DIR: process.env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "arc-e2e-data-")),
    },
  },
});
