/**
 * `npm run bench:ticket`: how long "Reset from a list" takes to resolve a 5,000-line ticket against a 100,000-device
 * tenant, beside the same devices searched one after another in the grid, and the Graph requests each makes (the
 * emulator's counters). Driven through the browser (Debian Chromium, the production console), as a person does it:
 *
 *   list     upload a 5,000-line CSV (3,500 serial numbers, 1,200 device names, 250 Intune device ids, 50 unknown
 *            serials), press Check devices, time until the counts say how many will be reset. The page paces its calls
 *            to half of Intune's 2,000 requests per 20 s, so the floor is 20 s x (ceil(requests / 1,000) - 1).
 *   singles  a sample of 40 of the same values typed into the Windows grid's search one after another, timed until
 *            the device's row shows (the search's 350 ms debounce included: a person types anyway), extrapolated to
 *            5,000 and said so.
 *
 * 150 ms of latency on every Graph request (once per $batch), as bench:bulk. About 3-4 minutes after the build.
 * Env: BENCH_TICKET_PORT (default 3260: app; emulator on +1).
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import type { ChildProcess } from "node:child_process";
import Papa from "papaparse";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/fixtures/chromium";
import { startStack, waitUntilUp, emulatorControl } from "./stack";

const PORT = Number(process.env.BENCH_TICKET_PORT ?? 3260);
const APP_URL = `http://localhost:${PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${PORT + 1}`;
const FLEET_SIZE = 100_000;
const LATENCY_MS = 150;
const LINES = { serials: 3_500, names: 1_200, ids: 250, unknown: 50 };
const TOTAL = LINES.serials + LINES.names + LINES.ids + LINES.unknown;
const SAMPLE = 40;

interface Device {
  id: string;
  deviceName: string;
  serialNumber: string;
  traits: string[];
}

const control = emulatorControl(EMULATOR_URL);

const requests = async () => (await control<{ requests: number }>("GET", "/counters")).requests;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function someDevices(n: number): Promise<Device[]> {
  const all: Device[] = [];
  for (let offset = 0; all.length < n * 2 && offset < FLEET_SIZE; offset += 1000) {
    const page = (await control<{ value: Device[] }>("GET", `/devices?limit=1000&offset=${offset}`)).value;
    all.push(...page);
    if (page.length < 1000) break;
  }
  // One device per serial and per name, so every value names one device.
  const serials = new Map<string, number>();
  const names = new Map<string, number>();
  for (const d of all) {
    serials.set(d.serialNumber.toLowerCase(), (serials.get(d.serialNumber.toLowerCase()) ?? 0) + 1);
    names.set(d.deviceName.toLowerCase(), (names.get(d.deviceName.toLowerCase()) ?? 0) + 1);
  }
  return all.filter((d) => serials.get(d.serialNumber.toLowerCase()) === 1 && names.get(d.deviceName.toLowerCase()) === 1).slice(0, n);
}

async function signIn(page: Page, path: string): Promise<void> {
  const info = await control<{ personas: { id: string; displayName: string }[] }>("GET", "/info");
  const helpdesk = info.personas.find((p) => p.id === "helpdesk")!;
  await page.goto(`${APP_URL}${path}`);
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 60_000 });
  await page.getByRole("button", { name: new RegExp(escapeRegExp(helpdesk.displayName)) }).click();
  await page.getByRole("button", { name: `Account: ${helpdesk.displayName}` }).waitFor({ timeout: 60_000 });
}

async function main(stack: { process?: ChildProcess }) {
  let browser: Browser | undefined;
  try {
    stack.process = startStack({ label: "ticket", appUrl: APP_URL, emulatorUrl: EMULATOR_URL, fleetSize: FLEET_SIZE });
    await Promise.all([waitUntilUp(`${APP_URL}/auth/redirect`, 600_000), waitUntilUp(`${EMULATOR_URL}/_emulator/info`, 600_000)]);
    const devices = await someDevices(LINES.serials + LINES.names + LINES.ids);
    if (devices.length < LINES.serials + LINES.names + LINES.ids) throw new Error(`only ${devices.length} devices with a unique serial and name`);
    const values = [
      ...devices.slice(0, LINES.serials).map((d) => ({ value: d.serialNumber, name: d.deviceName, windows: !d.traits.includes("nonWindows") })),
      ...devices.slice(LINES.serials, LINES.serials + LINES.names).map((d) => ({ value: d.deviceName, name: d.deviceName, windows: !d.traits.includes("nonWindows") })),
      ...devices.slice(LINES.serials + LINES.names).map((d) => ({ value: d.id, name: d.deviceName, windows: !d.traits.includes("nonWindows") })),
      ...Array.from({ length: LINES.unknown }, (_, i) => ({ value: `QZ${i}NOSUCH${i}7`, name: null, windows: false })),
    ];
    const csv = Papa.unparse({ fields: ["Device", "Ticket"], data: values.map((v, i) => [v.value, `INC${100_000 + i}`]) }, { newline: "\r\n" });
    await control("PUT", "/faults", { latencyMs: LATENCY_MS });

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, "/devices/windows/from-list");
    await page.locator("#ticket-file-input").setInputFiles({ name: "ticket.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("ticket-notes").waitFor();
    await new Promise((r) => setTimeout(r, 2_000));

    const listBefore = await requests();
    const listStart = performance.now();
    await page.getByRole("button", { name: "Check devices" }).click();
    await page.getByTestId("ticket-counts").getByText(/will be reset/).waitFor({ timeout: 280_000 });
    const listSeconds = (performance.now() - listStart) / 1000;
    const listRequests = (await requests()) - listBefore;
    const counts = ((await page.getByTestId("ticket-counts").textContent()) ?? "").trim();
    process.stderr.write(`[bench] list: ${listSeconds.toFixed(1)} s, ${listRequests} requests: ${counts}\n`);

    // Singles: a sample spread over the list, each searched in the grid until its row shows.
    await page.goto(`${APP_URL}/devices/windows`);
    await page.locator("#device-search").waitFor();
    await new Promise((r) => setTimeout(r, 2_000));
    // The grid lists Windows devices only, so the sample is of those.
    const known = values.filter((v) => v.name !== null && v.windows && !/^[0-9a-f-]{36}$/i.test(v.value));
    const sample = Array.from({ length: SAMPLE }, (_, i) => known[Math.floor((i * known.length) / SAMPLE)]!);
    const singlesBefore = await requests();
    const singlesStart = performance.now();
    for (const v of sample) {
      await page.locator("#device-search").fill(v.value);
      await page.getByRole("link", { name: new RegExp(`^${escapeRegExp(v.name!)}$`, "i") }).first().waitFor({ timeout: 60_000 });
    }
    const singlesSeconds = (performance.now() - singlesStart) / 1000;
    const singlesRequests = (await requests()) - singlesBefore;
    const perSearch = singlesSeconds / SAMPLE;

    const pad = (v: string | number, n: number) => String(v).padStart(n);
    const floor = 20 * (Math.ceil(listRequests / 1_000) - 1);
    console.log("");
    console.log(`Resolving a ${TOTAL.toLocaleString("en")}-line ticket (${LINES.serials} serials, ${LINES.names} names, ${LINES.ids} Intune ids, ${LINES.unknown} unknown) against a ${FLEET_SIZE.toLocaleString("en")}-device emulator tenant`);
    console.log(`through the browser (Debian Chromium, production console), ${LATENCY_MS} ms latency on every Graph request`);
    console.log("");
    console.log(`${"".padEnd(34)}${pad("values", 8)}${pad("wall", 11)}${pad("Graph requests", 16)}   note`);
    console.log(`${"Reset from a list (Check devices)".padEnd(34)}${pad(TOTAL, 8)}${pad(listSeconds.toFixed(1) + " s", 11)}${pad(listRequests, 16)}   paced at 1,000 requests / 20 s: floor ${floor} s; ${counts}`);
    console.log(`${"grid searches one after another".padEnd(34)}${pad(SAMPLE, 8)}${pad(singlesSeconds.toFixed(1) + " s", 11)}${pad(singlesRequests, 16)}   measured sample, ${perSearch.toFixed(2)} s per search`);
    console.log(
      `${"  extrapolated to the whole list".padEnd(34)}${pad(TOTAL, 8)}${pad((perSearch * TOTAL).toFixed(0) + " s", 11)}${pad(Math.round((singlesRequests / SAMPLE) * TOTAL), 16)}   EXTRAPOLATED from ${SAMPLE} (about ${((perSearch * TOTAL) / 60).toFixed(0)} min of typing and waiting)`,
    );
    console.log("");
    console.log(`Speed-up: ${((perSearch * TOTAL) / listSeconds).toFixed(1)}x; requests per value: list ${(listRequests / TOTAL).toFixed(2)}, grid ${(singlesRequests / SAMPLE).toFixed(2)}.`);
  } finally {
    await browser?.close();
  }
}

const stack: { process?: ChildProcess } = {};
main(stack)
  .then(() => {
    stack.process?.kill("SIGTERM");
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    stack.process?.kill("SIGTERM");
    process.exit(1);
  });
