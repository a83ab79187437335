/**
 * `npm run bench:bulk`: how close a bulk Autopilot Reset, driven the way a person drives it, comes to Intune's own
 * write limit, and whether it loses or repeats a reset.
 *
 * Why through the browser: the console's bulk runs are driven from the tab, one server action at a time per client
 * (docs/architecture.md, "Server actions run one at a time per client"). Calling lib/ directly would skip that road, so
 * this bench only drives the UI and reads the emulator: it works whatever engine sits behind the Yes button.
 *
 * It starts `npm start` (console + emulator; builds when needed) with a 5,000-device fleet, sets 150 ms of latency on
 * every Graph request, signs in as the helpdesk persona in Debian's Chromium, and for each run searches a device-name
 * prefix, selects all matching, Autopilot Reset, preflight, types the count, Yes. Before starting it deletes (control
 * API) every device a run's search matches beyond the first N eligible ones, so each run sends to exactly N fresh,
 * eligible devices, disjoint from every other run's. Timed in the page: the Yes click to the panel's "Finished".
 *
 *   t1        median of three 1-device runs: the protocol's fixed cost (clock ticket, pre-send read, write, answer)
 *   window    (ceil(N/200) - 1) x 20 s: Intune's 200 writes / 20 s per tenant, a fresh window admitting 200 at once
 *   floor     window + t1; the goal is wall / floor <= 1.10 for N = 150, 300 and 1,000
 *   one at a time  150 devices, one POST .../wipe after another under a helpdesk token, honouring Retry-After (the
 *             loop most scripts use; the device page's own button, one device per page visit, would take minutes)
 *   lost / duplicated  from the emulator's wipe counters: selected but not wiped / wiped more than once (both 0)
 *
 * The emulator's daily wipe limit (Intune's 500 a day) is lifted for the bench's 1,603 wipes.
 * Runs start 21 s after the previous one finished, so each meets an empty write window. Loopback only; every wait has a
 * deadline. About 4-5 minutes after the build. Env: BENCH_BULK_PORT (default 3250: app; emulator on +1).
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import type { ChildProcess } from "node:child_process";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/fixtures/chromium";
import { startStack, waitUntilUp, emulatorControl } from "./stack";

const PORT = Number(process.env.BENCH_BULK_PORT ?? 3250);
const APP_URL = `http://localhost:${PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${PORT + 1}`;
const FLEET_SIZE = 5_000;
const LATENCY_MS = 150;
const WINDOW = { writes: 200, seconds: 20 };
const WINDOW_REST_MS = 21_000;
const GOAL = 1.1;
/** Each size's search (disjoint prefixes; the 5,000-device fleet of seed 42 has more eligible devices than needed). */
const RUNS = [
  { n: 150, search: "CONTOSO-DT-" },
  { n: 300, search: "CTS-" },
  { n: 1_000, search: "CONTOSO-LT-" },
];
const LOOP_DEVICES = 150;
const SINGLE_RUNS = 3;

interface Device {
  id: string;
  deviceName: string;
  serialNumber: string;
  userPrincipalName: string;
  traits: string[];
}

const control = emulatorControl(EMULATOR_URL);

async function allDevices(): Promise<Device[]> {
  const all: Device[] = [];
  for (let offset = 0; offset < 100_000; offset += 1000) {
    const page = (await control<{ value: Device[] }>("GET", `/devices?limit=1000&offset=${offset}`)).value;
    all.push(...page);
    if (page.length < 1000) break;
  }
  return all;
}

const wipes = async () => (await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes;

/** The console's search: name, primary user or serial containing the text, any case. */
const matches = (d: Device, search: string) =>
  [d.deviceName, d.userPrincipalName, d.serialNumber].some((v) => v?.toLowerCase().includes(search.toLowerCase()));
/** Eligible and nothing else (a silent wipe only changes what Graph lists afterwards). */
const eligible = (d: Device) => d.traits.includes("eligible") && d.traits.every((t) => t === "eligible" || t === "silentWipe");

/** Leaves exactly `n` devices matching `search`, all eligible: deletes the others. Returns the kept ids. */
async function carve(all: Device[], search: string, n: number): Promise<string[]> {
  const matching = all.filter((d) => matches(d, search));
  const kept = matching.filter(eligible).slice(0, n);
  if (kept.length < n) throw new Error(`"${search}" matches only ${kept.length} eligible devices; ${n} needed.`);
  const keep = new Set(kept.map((d) => d.id));
  const doomed = matching.filter((d) => !keep.has(d.id));
  for (let i = 0; i < doomed.length; i += 16) await Promise.all(doomed.slice(i, i + 16).map((d) => control("DELETE", `/devices/${d.id}`)));
  return kept.map((d) => d.id);
}

function lostAndDuplicated(before: Record<string, number>, after: Record<string, number>, ids: string[]) {
  const delta = ids.map((id) => (after[id] ?? 0) - (before[id] ?? 0));
  return { lost: delta.filter((n) => n === 0).length, duplicated: delta.filter((n) => n > 1).length };
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function signIn(page: Page): Promise<void> {
  const info = await control<{ personas: { id: string; displayName: string }[] }>("GET", "/info");
  const helpdesk = info.personas.find((p) => p.id === "helpdesk");
  if (!helpdesk) throw new Error("the emulator has no helpdesk persona");
  await page.goto(`${APP_URL}/devices/windows`);
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 60_000 });
  await page.getByRole("button", { name: new RegExp(escapeRegExp(helpdesk.displayName)) }).click();
  await page.getByRole("button", { name: `Account: ${helpdesk.displayName}` }).waitFor({ timeout: 60_000 });
}

/**
 * One bulk Autopilot Reset as a person does it (e2e/bulk.spec.ts's flow); Yes is pressed no earlier than `notBefore`.
 * Returns the seconds from the Yes click to the panel's "Finished", both seen in the page.
 */
async function bulkRun(page: Page, search: string, n: number, notBefore: number): Promise<{ seconds: number; summary: string }> {
  await page.goto(`${APP_URL}/devices/windows?q=${encodeURIComponent(search)}`);
  await page.getByRole("link", { name: new RegExp(`^${escapeRegExp(search)}`, "i") }).first().waitFor({ timeout: 60_000 });
  await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
  const allMatching = page.getByRole("button", { name: "Select all devices matching this search" });
  if (await allMatching.isVisible()) await allMatching.click();
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();

  const dialog = page.getByTestId("bulk-confirm-dialog");
  await dialog.waitFor({ timeout: 60_000 });
  const plan = ((await dialog.getByTestId("bulk-plan-summary").textContent()) ?? "").trim();
  if (plan !== `${n.toLocaleString("en-US")} ${n === 1 ? "device" : "devices"} will be reset.`) {
    throw new Error(`"${search}": the preflight says "${plan}", expected ${n} devices and none skipped`);
  }
  const typed = dialog.getByTestId("bulk-confirm-input");
  if (await typed.count()) await typed.fill(String(n));

  // Timestamps in the page: the Yes click, then the first "Finished" heading after a "Running" one.
  await page.evaluate(() => {
    const mark = { yes: 0, running: false, end: 0 };
    (window as unknown as { __bulkBench: typeof mark }).__bulkBench = mark;
    document.addEventListener("click", (e) => {
      const button = (e.target as Element).closest?.('[data-testid="bulk-confirm-dialog"] button');
      if (!mark.yes && button?.textContent?.trim() === "Yes") mark.yes = performance.now();
    }, true);
    new MutationObserver(() => {
      const heading = document.getElementById("bulk-run-title")?.textContent ?? "";
      if (!mark.yes || mark.end) return;
      if (heading.endsWith(": Running")) mark.running = true;
      else if (mark.running && /: (Finished|Cancelled)$/.test(heading)) mark.end = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await sleepUntil(notBefore);
  await dialog.getByRole("button", { name: "Yes" }).click();

  const panel = page.getByTestId("bulk-run-panel");
  await panel.getByRole("heading", { name: /: (Finished|Cancelled)$/ }).waitFor({ timeout: 60_000 + n * 200 });
  const mark = await page.evaluate(() => (window as unknown as { __bulkBench: { yes: number; running: boolean; end: number } }).__bulkBench);
  if (!mark.yes || !mark.end) throw new Error(`"${search}": the panel was not seen going from Running to Finished`);
  const summary = ((await panel.getByTestId("bulk-run-summary").textContent()) ?? "").trim();
  await panel.getByRole("button", { name: "Close", exact: true }).click();
  await panel.waitFor({ state: "detached", timeout: 10_000 });
  return { seconds: (mark.end - mark.yes) / 1000, summary };
}

/** One wipe, wait for its answer, the next; a 429 waits its Retry-After. Bounded by attempts and a deadline. */
async function oneAtATime(ids: string[], token: string): Promise<{ seconds: number; failed: number }> {
  const started = performance.now();
  const deadline = Date.now() + 180_000;
  let failed = 0;
  for (const id of ids) {
    let ok = false;
    for (let attempt = 1; attempt <= 10 && !ok && Date.now() < deadline; attempt++) {
      const response = await fetch(`${EMULATOR_URL}/v1.0/deviceManagement/managedDevices/${id}/wipe`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ keepEnrollmentData: true, keepUserData: false }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      ok = response.ok;
      if (!ok && response.status !== 429 && response.status < 500) break;
      if (!ok) await new Promise((r) => setTimeout(r, Number(response.headers.get("retry-after") ?? attempt) * 1000));
    }
    if (!ok) failed++;
  }
  return { seconds: (performance.now() - started) / 1000, failed };
}

/** A max-in-flight figure for writes, if the emulator's counters or stats carry one (none do today). */
async function maxWritesInFlight(): Promise<string | null> {
  for (const route of ["/counters", "/stats"]) {
    const body = await control<Record<string, unknown>>("GET", route).catch(() => ({}));
    for (const [key, value] of Object.entries(body)) if (/in.?flight/i.test(key) && typeof value === "number") return `${value} (${route} ${key})`;
  }
  return null;
}

const windowFloor = (n: number) => (Math.ceil(n / WINDOW.writes) - 1) * WINDOW.seconds;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const pad = (text: string | number, width: number) => String(text).padStart(width);

async function main(stack: { process?: ChildProcess }) {
  let browser: Browser | undefined;
  const benchStarted = Date.now();
  try {
    // The bench sends 1,603 wipes to measure the 20 s write window: the tenant's daily limit is raised on both sides
    // (the console plans within INTUNE_DAILY_WIPE_LIMIT; the emulator's own limit is lifted below).
    stack.process = startStack({ label: "bulk", appUrl: APP_URL, emulatorUrl: EMULATOR_URL, fleetSize: FLEET_SIZE, env: { INTUNE_DAILY_WIPE_LIMIT: "1000000" } });
    await Promise.all([waitUntilUp(`${APP_URL}/auth/redirect`, 600_000), waitUntilUp(`${EMULATOR_URL}/_emulator/info`, 600_000)]);
    const upAt = Date.now();

    const fleet = await allDevices();
    const runIds = new Map<number, string[]>();
    for (const run of RUNS) runIds.set(run.n, await carve(fleet, run.search, run.n));
    // 1-device runs search a site device's full name; the loop takes DESKTOP- devices (no search reaches either).
    const sites = fleet.filter((d) => /^[A-Z]{3}-(LT|DT)-\d{4}$/.test(d.deviceName) && eligible(d));
    const singles: { search: string; ids: string[] }[] = [];
    for (const d of sites.slice(0, SINGLE_RUNS)) singles.push({ search: d.deviceName, ids: await carve(fleet, d.deviceName, 1) });
    const loopIds = fleet.filter((d) => d.deviceName.startsWith("DESKTOP-") && eligible(d)).slice(0, LOOP_DEVICES).map((d) => d.id);
    if (loopIds.length < LOOP_DEVICES) throw new Error(`only ${loopIds.length} DESKTOP- devices for the loop`);

    await control("PUT", "/faults", { latencyMs: LATENCY_MS });
    // Intune's 500 wipes a day would stop this bench's 1,603; it measures the 20 s write window, so the emulator's
    // daily limit is lifted where it has one (an emulator without it answers 404).
    await control("PUT", "/wipe-limit", { limit: null }).catch((error: Error) => {
      if (!error.message.endsWith(" 404")) throw error;
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page);

    const rows: { label: string; n: number; seconds: number; lost: number; duplicated: number; note: string }[] = [];
    const measure = async (label: string, n: number, ids: string[], go: () => Promise<{ seconds: number; note: string }>) => {
      const before = await wipes();
      const { seconds, note } = await go();
      rows.push({ label, n, seconds, ...lostAndDuplicated(before, await wipes(), ids), note });
      process.stderr.write(`[bench] ${label} ${n}: ${seconds.toFixed(2)} s (${note})\n`);
      return Date.now();
    };

    // Singles first (3 writes leave the window nearly empty for the 150 run).
    let finishedAt = 0;
    for (const single of singles) {
      finishedAt = await measure("1 device (t1)", 1, single.ids, async () => {
        const r = await bulkRun(page, single.search, 1, 0);
        return { seconds: r.seconds, note: r.summary };
      });
    }
    for (const run of RUNS) {
      const rest = run === RUNS[0] ? 0 : finishedAt + WINDOW_REST_MS;
      finishedAt = await measure("bulk, browser UI", run.n, runIds.get(run.n)!, async () => {
        const r = await bulkRun(page, run.search, run.n, rest);
        return { seconds: r.seconds, note: r.summary };
      });
    }
    const { access_token: token } = await control<{ access_token: string }>("POST", "/token", { persona: "helpdesk", expiresInSeconds: 3600 });
    await sleepUntil(finishedAt + WINDOW_REST_MS);
    await measure("one at a time, API", LOOP_DEVICES, loopIds, async () => {
      const r = await oneAtATime(loopIds, token);
      return { seconds: r.seconds, note: `${LOOP_DEVICES - r.failed} sent, ${r.failed} failed` };
    });
    const inFlight = await maxWritesInFlight();

    const t1s = rows.filter((r) => r.n === 1).map((r) => r.seconds);
    const t1 = median(t1s);
    let ok = true;
    console.log("");
    console.log(`Bulk Autopilot Reset through the browser (Debian Chromium, production console), ${LATENCY_MS} ms latency on every Graph request`);
    console.log(`t1 (1-device run, Yes -> Finished): ${t1.toFixed(2)} s, median of ${t1s.map((t) => t.toFixed(2)).join(", ")}`);
    console.log(`window floor: (ceil(N/${WINDOW.writes}) - 1) x ${WINDOW.seconds} s; floor = window floor + t1`);
    console.log("");
    console.log(`${"".padEnd(20)}${pad("N", 6)}${pad("wall", 9)}${pad("window", 9)}${pad("floor", 9)}${pad("wall/floor", 12)}   ${"goal".padEnd(16)}${pad("lost", 5)}${pad("dup", 5)}   panel / answers`);
    for (const row of rows) {
      if (row.n === 1) {
        console.log(`${row.label.padEnd(20)}${pad(1, 6)}${pad(row.seconds.toFixed(2) + " s", 9)}${"".padEnd(49)}${pad(row.lost, 5)}${pad(row.duplicated, 5)}   ${row.note}`);
        ok &&= row.lost === 0 && row.duplicated === 0;
        continue;
      }
      const floor = windowFloor(row.n) + t1;
      const ratio = row.seconds / floor;
      const bulk = row.label.startsWith("bulk");
      const met = ratio <= GOAL;
      if (bulk) ok &&= met;
      ok &&= row.lost === 0 && row.duplicated === 0;
      const goal = bulk ? `<= ${GOAL.toFixed(2)} ${met ? "met" : "NOT met"}` : "(comparison)";
      console.log(
        `${row.label.padEnd(20)}${pad(row.n.toLocaleString("en-US"), 6)}${pad(row.seconds.toFixed(1) + " s", 9)}${pad(windowFloor(row.n) + " s", 9)}${pad(floor.toFixed(1) + " s", 9)}${pad(ratio.toFixed(2), 12)}   ${goal.padEnd(16)}${pad(row.lost, 5)}${pad(row.duplicated, 5)}   ${row.note}`,
      );
    }
    const bulk150 = rows.find((r) => r.label.startsWith("bulk") && r.n === LOOP_DEVICES)!;
    const loop = rows.find((r) => r.label.startsWith("one at a time"))!;
    console.log("");
    console.log(`one at a time: ${LOOP_DEVICES} devices, each POST .../wipe under a helpdesk token after the previous answer (not the browser), honouring Retry-After`);
    console.log(`bulk vs one at a time, ${LOOP_DEVICES} devices: ${(loop.seconds / bulk150.seconds).toFixed(2)}x`);
    console.log(`max write POSTs / $batches in flight at the emulator: ${inFlight ?? "not exposed by the emulator, skipped"}`);
    console.log(`bench time: ${((Date.now() - benchStarted) / 1000).toFixed(0)} s (${((Date.now() - upAt) / 1000).toFixed(0)} s after the stack was up)`);
    console.log(ok ? "\nPASS: every run within the goal, nothing lost, nothing duplicated." : "\nFAIL: see the figures above.");
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser?.close();
    stack.process?.kill("SIGTERM");
  }
}

const stack: { process?: ChildProcess } = {};
main(stack).catch((error) => {
  console.error(`bench:bulk: ${error instanceof Error ? error.message : String(error)}`);
  stack.process?.kill("SIGTERM");
  process.exit(1);
});
