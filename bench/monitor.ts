/**
 * `npm run bench:monitor` (also run by `npm run bench`): the device-actions monitor's Graph load at steady state, with
 * 500 and with 5,000 Autopilot Reset audit rows, side by side in one run.
 *
 * Starts one console + emulator pair (scripts/start.mjs, which builds when needed) with a 6,000-device fleet. For each
 * row count it reseeds the emulator, sends that many Autopilot Resets through Graph's bulk executeAction under the
 * Help Desk Operator's token (one call: the emulator admits an over-budget bulk call and makes later writes wait),
 * moves the emulator clock on an hour so online devices finish (offline ones stay pending, so the monitor keeps
 * re-reading from the oldest reset under way: the worst case for it), opens /devices/actions in Chromium, waits for
 * the first full read and two paced refreshes after it, then counts for a fixed window:
 *   - Graph requests, from the emulator's own counter (every Graph call the console's server made), and
 *   - server action calls from the page (POSTs with a Next-Action header).
 * It also times the first render of all rows and a scroll to the last row (virtualized), and counts rendered rows.
 *
 * Env: BENCH_MONITOR_SECONDS (window, default 120), BENCH_MONITOR_BASE_PORT (default 3255: app +0, emulator +1).
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/fixtures/chromium";
import { startStack, waitUntilUp, emulatorControl } from "./stack";
import { readBulkActionResult } from "../lib/graph/client";

const WINDOW_SECONDS = Number(process.env.BENCH_MONITOR_SECONDS ?? 120);
const BASE_PORT = Number(process.env.BENCH_MONITOR_BASE_PORT ?? 3255);
const APP_URL = `http://localhost:${BASE_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${BASE_PORT + 1}`;
const FLEET_SIZE = 6_000;
const ROW_COUNTS = [500, 5_000];
/** lib/monitor/polling.ts: MONITOR_GRAPH_REQUESTS_PER_MINUTE. A whole refresh may land inside a window edge. */
const BUDGET_PER_MINUTE = 8;

const control = emulatorControl(EMULATOR_URL);

/** Resets on `count` Windows devices of every kind (eligible, WinRE disabled, offline, hybrid...), in one bulk call. */
async function seedResets(count: number): Promise<void> {
  await control("POST", "/reseed", { size: FLEET_SIZE, seed: "42" });
  // Thousands of resets in one go: far past Intune's 500 a day, which the emulator enforces by default.
  await control("PUT", "/wipe-limit", { limit: null });
  const ids: string[] = [];
  for (let offset = 0; ids.length < count; offset += 1000) {
    const page = await control<{ value: { id: string; traits: string[] }[] }>("GET", `/devices?limit=1000&offset=${offset}`);
    if (page.value.length === 0) break;
    for (const device of page.value) if (!device.traits.includes("nonWindows") && ids.length < count) ids.push(device.id);
  }
  if (ids.length < count) throw new Error(`only ${ids.length} Windows devices to reset`);
  const { access_token: token } = await control<{ access_token: string }>("POST", "/token", { persona: "helpdesk" });
  const response = await fetch(`${EMULATOR_URL}/beta/deviceManagement/managedDevices/executeAction`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ actionName: "wipe", deviceIds: ids, keepEnrollmentData: true, keepUserData: false }),
  });
  if (!response.ok) throw new Error(`executeAction answered ${response.status}: ${await response.text()}`);
  const result = readBulkActionResult(await response.json());
  if (result.successfulDeviceIds.length !== count) throw new Error(`executeAction reset ${result.successfulDeviceIds.length} of ${count}`);
  // Online devices pick their reset up within 12 minutes and finish 30 s later; offline ones stay pending.
  await control("POST", "/clock/advance", { seconds: 3600 });
}

async function signIn(page: Page): Promise<void> {
  const info = await control<{ personas: { id: string; displayName: string }[] }>("GET", "/info");
  const helpdesk = info.personas.find((persona) => persona.id === "helpdesk");
  if (!helpdesk) throw new Error("the emulator has no helpdesk persona");
  await page.goto(`${APP_URL}/devices/actions?time=30d`);
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 60_000 });
  await page.getByRole("button", { name: new RegExp(helpdesk.displayName) }).click();
  await page.waitForURL((url) => url.origin === APP_URL && url.pathname === "/devices/actions", { timeout: 60_000 });
}

interface Measure {
  rows: number;
  shownRows: number;
  firstRenderMs: number;
  scrollToEndMs: number;
  renderedRows: number;
  graphRequests: number;
  serverCalls: number;
  refreshSeconds: number;
}

async function measure(page: Page, count: number): Promise<Measure> {
  await seedResets(count);
  const started = Date.now();
  await page.goto(`${APP_URL}/devices/actions?time=30d`);
  const summary = page.getByText(/^[\d,]+ of [\d,]+ actions$/);
  await summary.waitFor({ timeout: 120_000 });
  // The first read walks the whole window; wait until it has every seeded row.
  const deadline = Date.now() + 120_000;
  let shownRows = 0;
  while (Date.now() < deadline) {
    shownRows = Number((await summary.innerText()).split(" of ")[0]!.replace(/,/g, ""));
    if (shownRows >= count) break;
    await page.waitForTimeout(250);
  }
  const firstRenderMs = Date.now() - started;
  if (shownRows < count) throw new Error(`the monitor shows ${shownRows} rows, expected at least ${count}`);

  const scroll = page.getByTestId("monitor-scroll");
  const scrollStart = Date.now();
  await scroll.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await page.locator(`tr[aria-rowindex="${shownRows + 1}"]`).waitFor({ timeout: 30_000 });
  const scrollToEndMs = Date.now() - scrollStart;
  const renderedRows = await page.locator("tr[data-monitor-row]").count();

  // Steady state: the first read walked the whole window (and waits in proportion); count once two paced refreshes
  // have passed, from a clean slate.
  let serverCalls = 0;
  const onRequest = (request: import("@playwright/test").Request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) serverCalls++;
  };
  page.on("request", onRequest);
  const warmUntil = Date.now() + 300_000;
  while (serverCalls < 2 && Date.now() < warmUntil) await page.waitForTimeout(1_000);
  await page.waitForTimeout(2_000);
  serverCalls = 0;
  await control("DELETE", "/counters");
  await page.waitForTimeout(WINDOW_SECONDS * 1000);
  page.off("request", onRequest);
  const { requests } = await control<{ requests: number }>("GET", "/counters");
  const status = await page.getByTestId("monitor-refresh-status").innerText();
  const refreshSeconds = Number(/every (\d+) s/.exec(status)?.[1] ?? NaN);
  return { rows: count, shownRows, firstRenderMs, scrollToEndMs, renderedRows, graphRequests: requests, serverCalls, refreshSeconds };
}

async function main() {
  let browser: Browser | undefined;
  const server = startStack({ label: "monitor bench", appUrl: APP_URL, emulatorUrl: EMULATOR_URL, fleetSize: FLEET_SIZE });
  try {
    await Promise.all([waitUntilUp(`${APP_URL}/auth/redirect`, 600_000), waitUntilUp(`${EMULATOR_URL}/_emulator/info`, 600_000)]);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    const results: Measure[] = [];
    for (const count of ROW_COUNTS) results.push(await measure(page, count));

    const perMinute = (n: number) => (n * 60) / WINDOW_SECONDS;
    console.log("");
    console.log(`Device-actions monitor at steady state (Chromium, ${WINDOW_SECONDS} s window, ${FLEET_SIZE.toLocaleString()}-device fleet):`);
    for (const r of results) {
      console.log(
        `  ${`${r.rows.toLocaleString()} resets`.padEnd(14)} Graph requests/min ${perMinute(r.graphRequests).toFixed(1).padStart(5)}   ` +
          `server calls/min ${perMinute(r.serverCalls).toFixed(1).padStart(4)}   refresh every ${r.refreshSeconds} s   ` +
          `first full render ${(r.firstRenderMs / 1000).toFixed(1)} s   scroll to last row ${r.scrollToEndMs} ms   rows in DOM ${r.renderedRows} of ${r.shownRows.toLocaleString()}`,
      );
    }
    const [small, large] = results.map((r) => perMinute(r.graphRequests));
    const bounded = results.every((r) => perMinute(r.graphRequests) <= BUDGET_PER_MINUTE * 1.5);
    console.log(
      `  budget ${BUDGET_PER_MINUTE} Graph requests/min: ${bounded ? "met" : "NOT met"} (5,000 / 500 rows: ${(large! / Math.max(small!, 0.001)).toFixed(2)}; ` +
        `never one request per device: ${results.every((r) => r.graphRequests < r.rows / 10) ? "yes" : "NO"})`,
    );
    process.exitCode = bounded ? 0 : 1;
  } finally {
    await browser?.close();
    server.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(`bench:monitor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
