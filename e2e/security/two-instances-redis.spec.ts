import { expect, test, type Browser, type Page } from "@playwright/test";
import { createClient } from "redis";
import { startEmulator } from "../../emulator/server";
import { EPOCH_KEY } from "../../lib/server/redis-device-lock";
import { EmulatorClient, signInThrough, type ControlDevice } from "./emulator-client";
import { expectOneSentOthersTold, pressYesTogether } from "../fixtures/bulk";
import { assertBuilt, startNextApp, startProcess, waitForHttp, type RunningProcess } from "./processes";

/**
 * Two people press Yes on the same device within a second, each on a different `next start` instance; the instances
 * share their device locks through a real Redis (REDIS_URL). The emulator gets one wipe, and the second person is told
 * who sent it (docs/safety.md, "Two people on one device").
 */

const APP_PORTS = [3252, 3253];
const EMULATOR_PORT = 3255;
const REDIS_PORT = 3256;
const appUrl = (port: number) => `http://localhost:${port}`;

let emulator: { url: string; close(): Promise<void> } | undefined;
let redis: RunningProcess | undefined;
let apps: RunningProcess[] = [];

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

async function redisAnswers(): Promise<void> {
  const { createConnection } = await import("node:net");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port: REDIS_PORT, host: "127.0.0.1" }, () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`redis-server did not answer on ${REDIS_PORT}.\n${redis?.output() ?? ""}`);
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  assertBuilt();
  redis = startProcess("redis", "redis-server", ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], process.env);
  await redisAnswers();
  // A Redis that has never served the console, seeded as the README tells an operator to: without it, the console
  // cannot tell this Redis from one restarted empty and sends nothing for its quiet period (docs/safety.md).
  const seed = createClient({ url: `redis://127.0.0.1:${REDIS_PORT}` });
  await seed.connect();
  await seed.set(EPOCH_KEY, "0");
  await seed.quit();
  const started = await startEmulator({ port: EMULATOR_PORT, host: "127.0.0.1", fleetSize: 300, seed: 7, appOrigins: APP_PORTS.map(appUrl) });
  emulator = started;
  apps = APP_PORTS.map((port) => startNextApp(port, { EMULATOR_URL: started.url, REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}` }));
  await Promise.all(apps.map((app, index) => waitForHttp(`http://127.0.0.1:${APP_PORTS[index]}/auth/redirect`, app)));
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const app of apps) await testInfo.attach(`${app.name}.log`, { body: app.output(), contentType: "text/plain" });
  }
});

test.afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await emulator?.close();
  await redis?.stop();
});

async function onDevicePage(browser: Browser, port: number, persona: string, device: ControlDevice): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const control = new EmulatorClient(emulator!.url, page.request);
  await signInThrough(page, appUrl(port), control, persona, `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  return page;
}

test("two people on two instances sharing Redis press Yes on one device: one wipe, and the second is told who", async ({ browser, request }) => {
  const control = new EmulatorClient(emulator!.url, request);
  const device = await control.resettableDevice();
  const pages = [await onDevicePage(browser, APP_PORTS[0]!, "helpdesk", device), await onDevicePage(browser, APP_PORTS[1]!, "intuneadmin", device)];
  for (const page of pages) await page.getByRole("button", { name: "Autopilot Reset" }).click();
  // Writes held at Graph for 1.5 s: both Yes clicks land while the first send is still under way.
  expect((await request.put(`${emulator!.url}/_emulator/faults`, { data: { writeLatencyMs: 1_500 } })).ok()).toBe(true);
  expectOneSentOthersTold(await pressYesTogether(pages));
  expect((await control.counters()).wipes[device.id]).toBe(1);
  for (const page of pages) await page.context().close();
});
