/**
 * `npm run bench`: how the console's time to the first grid row scales with the fleet, and what the grid page costs
 * to load.
 *
 * Starts two console + emulator pairs side by side (scripts/start.mjs, which builds once when needed): a 1,000-device
 * and a 100,000-device fleet. In Debian's Chromium it signs in once per pair, then for each run reloads
 * /devices/windows with a cold page and times navigation start -> the first grid row in the DOM, both read from the
 * page's own clock (a script the page runs before its own notes when the row appears, so the bench's polling and its
 * round trips to the browser are not in the figure). Runs alternate between the two fleets so both see the same
 * machine noise. Prints min / median / max for each fleet, the ratio of the medians (goal < 1.3) beside the run-by-run
 * ratios, and the grid page's first-load JavaScript, gzipped, as the browser actually fetched it (budget 300 KB).
 * Exits 1 when the ratio of the medians or the JavaScript misses its goal, or a page never shows a row (120 s).
 *
 * Env: BENCH_RUNS (default 9), BENCH_BASE_PORT (default 3300: apps on +0 and +2, emulators on +1 and +3),
 * BENCH_NICE (bench/stack.ts), BENCH_VERBOSE=1 to list the first-load files and their gzipped sizes.
 */
import type { ChildProcess } from "node:child_process";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/fixtures/chromium";
import { startStack, stopStack, assertPortsFree, waitUntilUp, spread, formatSpread, raisePriority, reniceDescendants } from "./stack";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 3300);
const TARGET_RATIO = 1.3;
const JS_BUDGET_KB = 300;

interface Stack {
  label: string;
  fleetSize: number;
  appUrl: string;
  emulatorUrl: string;
  process?: ChildProcess;
}

const stacks: Stack[] = [
  { label: "1,000 devices", fleetSize: 1_000, appUrl: `http://localhost:${BASE_PORT}`, emulatorUrl: `http://127.0.0.1:${BASE_PORT + 1}` },
  { label: "100,000 devices", fleetSize: 100_000, appUrl: `http://localhost:${BASE_PORT + 2}`, emulatorUrl: `http://127.0.0.1:${BASE_PORT + 3}` },
];

const FIRST_ROW = 'table[aria-label="Windows devices"] tbody tr[data-device-row]';

/**
 * Runs in every document before its own scripts: notes (performance.now()) when the first grid row enters the DOM.
 * A string, not a function: tsx would wrap a function's inner functions in a helper the page does not have.
 */
const NOTE_FIRST_ROW = `(() => {
  const observer = new MutationObserver(() => {
    if (window.__firstRowAt === undefined && document.querySelector(${JSON.stringify(FIRST_ROW)})) {
      window.__firstRowAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function waitForFirstRow(page: Page, what: string): Promise<void> {
  try {
    await page.locator(FIRST_ROW).first().waitFor({ timeout: 120_000 });
  } catch (error) {
    const shot = `/tmp/bench-console-${Date.now()}.png`;
    await page.screenshot({ path: shot }).catch(() => undefined);
    const text = (await page.locator("main").innerText().catch(() => "")).replace(/\s+/g, " ").slice(0, 300);
    throw new Error(`${what}: no grid row within 120 s at ${page.url()} (page says: "${text}"; screenshot ${shot})`, { cause: error });
  }
}

async function signIn(page: Page, stack: Stack): Promise<void> {
  const info = (await (await fetch(`${stack.emulatorUrl}/_emulator/info`)).json()) as { personas: { id: string; displayName: string }[] };
  const helpdesk = info.personas.find((persona) => persona.id === "helpdesk");
  if (!helpdesk) throw new Error("the emulator has no helpdesk persona");
  await page.goto(`${stack.appUrl}/devices/windows`);
  await page.waitForURL((url) => url.origin === stack.emulatorUrl, { timeout: 60_000 });
  await page.getByRole("button", { name: new RegExp(helpdesk.displayName) }).click();
  await waitForFirstRow(page, `${stack.label}: sign-in`);
}

/** Navigation start -> first grid row in the DOM, on a reload (MSAL's cache survives it in sessionStorage). */
async function timeToFirstRow(page: Page): Promise<number> {
  reniceDescendants();
  await page.reload({ waitUntil: "commit" });
  await waitForFirstRow(page, "reload");
  const at = await page.evaluate(() => (window as unknown as { __firstRowAt?: number }).__firstRowAt);
  if (at === undefined) throw new Error("reload: a grid row is on screen, but the page did not note when it came");
  return at;
}

/**
 * The JavaScript the grid page loads before its first row, gzipped, with the browser's HTTP cache off. Same tab as the
 * sign-in: MSAL's sessionStorage cache belongs to the tab, and a new tab would be sent to sign in.
 */
async function firstLoadJs(page: Page, stack: Stack): Promise<{ files: number; gzipBytes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const scripts = new Map<string, Promise<Buffer>>();
  const onResponse = (response: import("@playwright/test").Response) => {
    const url = response.url();
    if (url.startsWith(stack.appUrl) && response.request().resourceType() === "script") scripts.set(url, response.body());
  };
  page.on("response", onResponse);
  await page.reload({ waitUntil: "commit" });
  await waitForFirstRow(page, "first-load JS");
  page.off("response", onResponse);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  await cdp.detach();
  let gzipBytes = 0;
  const sizes: [number, string][] = [];
  for (const [url, body] of scripts) {
    const size = gzipSync(await body, { level: 9 }).length;
    gzipBytes += size;
    sizes.push([size, new URL(url).pathname]);
  }
  // BENCH_VERBOSE=1: where the bytes go, largest first.
  if (process.env.BENCH_VERBOSE) for (const [size, path] of sizes.sort((a, b) => b[0] - a[0])) console.log(`  ${(size / 1024).toFixed(1).padStart(6)} KB  ${path}`);
  return { files: scripts.size, gzipBytes };
}

async function main() {
  let browser: Browser | undefined;
  const priority = raisePriority();
  const urls = stacks.flatMap((stack) => [stack.appUrl, stack.emulatorUrl]);
  try {
    await assertPortsFree(urls);
    // The first start builds (if needed) under a lock; the second finds the fresh build.
    for (const stack of stacks) stack.process = startStack(stack);
    await Promise.all(
      stacks.flatMap((stack) => [waitUntilUp(`${stack.appUrl}/auth/redirect`, 600_000, stack.process), waitUntilUp(`${stack.emulatorUrl}/_emulator/info`, 600_000, stack.process)]),
    );

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const sessions = [];
    for (const stack of stacks) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript({ content: NOTE_FIRST_ROW });
      const page = await context.newPage();
      await signIn(page, stack);
      await timeToFirstRow(page); // warm the server's first compile of each route
      sessions.push({ stack, context, page, times: [] as number[] });
    }
    for (let run = 0; run < RUNS; run++) {
      for (const session of run % 2 ? [...sessions].reverse() : sessions) session.times.push(await timeToFirstRow(session.page));
    }
    const js = await firstLoadJs(sessions[0]!.page, stacks[0]!);

    const [small, large] = sessions.map((session) => ({ label: session.stack.label, spread: spread(session.times), times: session.times }));
    const ratio = large!.spread.median / small!.spread.median;
    const pairs = spread(large!.times.map((t, i) => t / small!.times[i]!));
    const kb = js.gzipBytes / 1024;
    console.log("");
    console.log(priority);
    console.log(`Time to first grid row (Chromium, ${RUNS} reloads each, alternating, signed in), min / median / max:`);
    for (const row of [small!, large!]) {
      console.log(`  ${row.label.padEnd(16)} ${formatSpread(row.spread, 0, " ms").padEnd(24)} (runs: ${row.times.map((t) => t.toFixed(0)).join(", ")})`);
    }
    console.log(`  ratio 100k / 1k   ${ratio.toFixed(2)} of the medians (goal < ${TARGET_RATIO}: ${ratio < TARGET_RATIO ? "met" : "NOT met"}); run by run ${formatSpread(pairs)}`);
    console.log(`Grid page first-load JS: ${kb.toFixed(1)} KB gzipped in ${js.files} files (budget ${JS_BUDGET_KB} KB: ${kb <= JS_BUDGET_KB ? "met" : "NOT met"})`);
    const ok = ratio < TARGET_RATIO && kb <= JS_BUDGET_KB;
    console.log(ok ? "PASS" : "FAIL: see the figures above.");
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser?.close();
    await Promise.all(stacks.map((stack) => stopStack(stack.process, [stack.appUrl, stack.emulatorUrl])));
  }
}

main().catch(async (error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.all(stacks.map((stack) => stopStack(stack.process, [stack.appUrl, stack.emulatorUrl])));
  process.exit(1);
});
