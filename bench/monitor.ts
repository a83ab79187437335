/**
 * `npm run bench:monitor` (also run by `npm run bench`): the device-actions monitor's Graph load at steady state, with
 * 500 and with 5,000 Autopilot Reset audit rows, side by side in one run.
 *
 * Starts one console + emulator pair (scripts/start.mjs, which builds when needed) with a 6,000-device fleet. For each
 * row count it reseeds the emulator, sends that many Autopilot Resets through Graph's bulk executeAction under the
 * Help Desk Operator's token (one call: the emulator admits an over-budget bulk call and makes later writes wait),
 * moves the emulator clock on an hour so online devices finish (offline ones stay pending, so the monitor keeps
 * re-reading from the oldest reset under way: the worst case for it), opens /devices/actions in Chromium, waits until
 * the first read shows every row and two paced refreshes have followed it, then follows at least 3 refreshes and 120 s:
 *   - Graph requests, from the emulator's own counter (every Graph call the console's server made), sampled every
 *     250 ms; a cycle runs from the start of one refresh (one server action call) to the start of the next, so it holds
 *     one refresh and the wait the page paced after it;
 *   - server action calls from the page (POSTs with a Next-Action header).
 * A cycle's rate is its Graph requests over its time; the goal figure is all cycles' requests over all their time
 * (whole cycles only, so a refresh never straddles the edge of the count).
 * It also times the first render of all rows and a scroll to the last row (virtualized), and counts rendered rows.
 * Prints min / median / max of the cycles' rates and the whole figure beside the budget; exits 1 when the whole figure
 * of either row count is over 1.5 x the monitor's budget of 8 Graph requests a minute (lib/monitor/polling.ts), or a
 * step does not reach its state within its deadline.
 *
 * Env: BENCH_MONITOR_CYCLES and BENCH_MONITOR_SECONDS (per row count, at least that many refresh cycles and that long:
 * default 3 and 120), BENCH_MONITOR_BASE_PORT (default 3255: app +0, emulator +1), BENCH_NICE (bench/stack.ts),
 * BENCH_VERBOSE=1 to print every server action call as it goes.
 */
import { chromium, expect, type Browser, type Page, type Request } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/fixtures/chromium";
import { startStack, stopStack, assertPortsFree, waitUntilUp, emulatorControl, spread, formatSpread, raisePriority, reniceDescendants, serverActionNames } from "./stack";
import { readBulkActionResult } from "../lib/graph/client";
import { MONITOR_GRAPH_REQUESTS_PER_MINUTE, MONITOR_MAX_INTERVAL_MS } from "../lib/monitor/polling";

const CYCLES = Math.max(1, Number(process.env.BENCH_MONITOR_CYCLES ?? 3));
/** At least this long too: other calls on the page (approvals, every 60 s) then land in a share of cycles, not all. */
const MIN_SECONDS = Number(process.env.BENCH_MONITOR_SECONDS ?? 120);
const WARM_REFRESHES = 2;
const VERBOSE = Boolean(process.env.BENCH_VERBOSE);
const BASE_PORT = Number(process.env.BENCH_MONITOR_BASE_PORT ?? 3255);
const APP_URL = `http://localhost:${BASE_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${BASE_PORT + 1}`;
const FLEET_SIZE = 6_000;
const ROW_COUNTS = [500, 5_000];
/** The goal: the budget, with the slack the bench has always allowed (a refresh's requests are paid by the wait after it). */
const BUDGET_PER_MINUTE = MONITOR_GRAPH_REQUESTS_PER_MINUTE;
const GOAL_PER_MINUTE = BUDGET_PER_MINUTE * 1.5;

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
  /** Graph requests a minute, cycle by cycle. */
  cycleRates: number[];
  graphRequests: number;
  minutes: number;
  serverCalls: number;
  refreshSeconds: number;
}

/**
 * The page's monitor refreshes (the refreshDeviceActionsMonitor server action), by when each was sent, and the
 * emulator's Graph request count sampled every 250 ms alongside. (Chromium does not report the end of every streamed
 * server action answer, so a refresh is known by its start: the previous one was answered long before, the monitor
 * paces at least 15 s between them.) Server action calls of any kind are counted too.
 */
function followRefreshes(page: Page, refreshId: string, names: Map<string, string>) {
  const state = { calls: [] as number[], refreshes: [] as number[], samples: [] as { at: number; requests: number }[], sampling: true };
  const since = performance.now();
  const onRequest = (request: Request) => {
    const id = request.method() === "POST" ? request.headers()["next-action"] : undefined;
    if (!id) return;
    const at = performance.now();
    state.calls.push(at);
    if (id === refreshId) state.refreshes.push(at);
    if (VERBOSE) process.stderr.write(`[bench] ${((at - since) / 1000).toFixed(1)} s ${names.get(id) ?? id.slice(0, 8)}\n`);
  };
  page.on("request", onRequest);
  const sampler = (async () => {
    while (state.sampling) {
      try {
        const { requests } = await control<{ requests: number }>("GET", "/counters");
        state.samples.push({ at: performance.now(), requests });
      } catch {
        // a missed sample shows as a gap, which countBefore refuses
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  /** The Graph request count just before `at` (a sample within 5 s of it). */
  const countBefore = (at: number) => {
    const sample = state.samples.findLast((s) => s.at < at);
    if (!sample || at - sample.at > 5_000) throw new Error(`no Graph request count sampled in the 5 s before a refresh (the sampler stalled)`);
    return sample.requests;
  };
  const stop = async () => {
    page.off("request", onRequest);
    state.sampling = false;
    await sampler;
  };
  return { state, countBefore, stop };
}

async function measure(page: Page, count: number, refreshId: string, names: Map<string, string>): Promise<Measure> {
  await seedResets(count);
  reniceDescendants();
  const started = Date.now();
  await page.goto(`${APP_URL}/devices/actions?time=30d`);
  // From the new document on (an answer to the page it replaced would count as a cycle).
  const followed = followRefreshes(page, refreshId, names);
  try {
    const summary = page.getByText(/^[\d,]+ of [\d,]+ actions$/);
    // The first read walks the whole window; wait until it has every seeded row.
    const shown = async () => Number((await summary.innerText({ timeout: 120_000 })).split(" of ")[0]!.replace(/,/g, ""));
    await expect.poll(shown, { message: `the monitor's first read of ${count} resets`, timeout: 180_000 }).toBeGreaterThanOrEqual(count);
    const firstRenderMs = Date.now() - started;
    const shownRows = await shown();

    const scroll = page.getByTestId("monitor-scroll");
    const scrollStart = Date.now();
    await scroll.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.locator(`tr[aria-rowindex="${shownRows + 1}"]`).waitFor({ timeout: 30_000 });
    const scrollToEndMs = Date.now() - scrollStart;
    const renderedRows = await page.locator("tr[data-monitor-row]").count();

    // Steady state: the first read walked the whole window (and paces its wait in proportion); cycles are counted
    // from the start of the WARM_REFRESHES-th refresh after it, each bounded by the longest wait the monitor paces.
    const base = Math.max(followed.state.refreshes.length, 1) - 1 + WARM_REFRESHES;
    const refreshes = followed.state.refreshes;
    const end = () => refreshes.findIndex((at, i) => i >= base + CYCLES && at - refreshes[base]! >= MIN_SECONDS * 1000);
    await expect
      .poll(end, {
        message: `monitor reads: the first, ${WARM_REFRESHES} to warm up, then at least ${CYCLES} and ${MIN_SECONDS} s of them`,
        timeout: 120_000 + MIN_SECONDS * 1000 + (WARM_REFRESHES + CYCLES) * (MONITOR_MAX_INTERVAL_MS + 60_000),
        intervals: [1_000],
      })
      .toBeGreaterThan(0);
    const points = refreshes.slice(base, end() + 1).map((at) => ({ at, requests: followed.countBefore(at) }));
    const cycleRates = points.slice(1).map((point, i) => ((point.requests - points[i]!.requests) * 60_000) / (point.at - points[i]!.at));
    const graphRequests = points.at(-1)!.requests - points[0]!.requests;
    const minutes = (points.at(-1)!.at - points[0]!.at) / 60_000;
    const status = await page.getByTestId("monitor-refresh-status").innerText();
    const refreshSeconds = Number(/every (\d+) s/.exec(status)?.[1] ?? NaN);
    return {
      rows: count,
      shownRows,
      firstRenderMs,
      scrollToEndMs,
      renderedRows,
      cycleRates,
      graphRequests,
      minutes,
      serverCalls: followed.state.calls.filter((at) => at >= points[0]!.at && at < points.at(-1)!.at).length,
      refreshSeconds,
    };
  } catch (error) {
    const shot = `/tmp/bench-monitor-${Date.now()}.png`;
    await page.screenshot({ path: shot }).catch(() => undefined);
    const text = (await page.locator("main").innerText({ timeout: 5_000 }).catch(() => "")).replace(/\s+/g, " ").slice(0, 300);
    throw new Error(`${count} resets: ${error instanceof Error ? error.message.split("\n")[0] : String(error)} (at ${page.url()}, the page says: "${text}"; screenshot ${shot})`, { cause: error });
  } finally {
    await followed.stop();
  }
}

async function main() {
  let browser: Browser | undefined;
  const priority = raisePriority();
  const urls = [APP_URL, EMULATOR_URL];
  let server: ReturnType<typeof startStack> | undefined;
  try {
    await assertPortsFree(urls);
    server = startStack({ label: "monitor bench", appUrl: APP_URL, emulatorUrl: EMULATOR_URL, fleetSize: FLEET_SIZE });
    await Promise.all([waitUntilUp(`${APP_URL}/auth/redirect`, 600_000, server), waitUntilUp(`${EMULATOR_URL}/_emulator/info`, 600_000, server)]);
    const names = serverActionNames();
    const refreshId = [...names].find(([, name]) => name === "refreshDeviceActionsMonitor")?.[0];
    if (!refreshId) throw new Error("the build's server action manifest names no refreshDeviceActionsMonitor");
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    const results: Measure[] = [];
    for (const count of ROW_COUNTS) results.push(await measure(page, count, refreshId, names));

    const perMinute = (r: Measure) => r.graphRequests / r.minutes;
    console.log("");
    console.log(priority);
    console.log(
      `Device-actions monitor at steady state (Chromium, ${FLEET_SIZE.toLocaleString()}-device fleet; after ${WARM_REFRESHES} refreshes to warm up, at least ${CYCLES} refresh cycles and ${MIN_SECONDS} s):`,
    );
    for (const r of results) {
      console.log(
        `  ${`${r.rows.toLocaleString()} resets`.padEnd(14)} Graph requests/min ${perMinute(r).toFixed(1).padStart(5)} over ${r.minutes.toFixed(1)} min ` +
          `(${r.cycleRates.length} cycles, min / median / max ${formatSpread(spread(r.cycleRates), 1)})   server calls/min ${(r.serverCalls / r.minutes).toFixed(1)}   refresh every ${r.refreshSeconds} s`,
      );
      console.log(
        `  ${"".padEnd(14)} first full render ${(r.firstRenderMs / 1000).toFixed(1)} s   scroll to last row ${r.scrollToEndMs} ms   rows in DOM ${r.renderedRows} of ${r.shownRows.toLocaleString()}`,
      );
    }
    const [small, large] = results.map(perMinute);
    const bounded = results.every((r) => perMinute(r) <= GOAL_PER_MINUTE);
    const perDevice = results.every((r) => r.graphRequests / CYCLES < r.rows / 10);
    console.log(
      `  budget ${BUDGET_PER_MINUTE} Graph requests/min (goal <= ${GOAL_PER_MINUTE}): ${bounded ? "met" : "NOT met"}; ` +
        `5,000 / 500 rows: ${(large! / Math.max(small!, 0.001)).toFixed(2)}; never one request per device: ${perDevice ? "yes" : "NO"}`,
    );
    console.log(bounded ? "PASS" : "FAIL: see the figures above.");
    process.exitCode = bounded ? 0 : 1;
  } finally {
    await browser?.close();
    await stopStack(server, urls);
  }
}

main().catch((error) => {
  console.error(`bench:monitor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
