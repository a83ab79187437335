import { expect, test, type Request } from "@playwright/test";
import { startEmulator } from "../../emulator/server";
import { EmulatorClient, signInThrough } from "./emulator-client";
import { assertBuilt, startNextApp, waitForHttp, type RunningProcess } from "./processes";
import { startRoundRobin, type RoundRobin } from "./round-robin";

/**
 * docs/architecture.md, "A stateless server that shares only coordination": the server keeps no state. Two `next start`
 * instances of the same build sit behind a balancer that sends every request to the other one; one user signs in,
 * browses the grid and resets a device. Nothing is lost and the device gets exactly one wipe. The same setup, with its
 * own emulator whose counters no other test touches, shows that a server action with a missing or malformed token is
 * refused before Graph hears of it, and that no token reaches the servers' logs.
 */

const BALANCER_PORT = 3241;
const APP_PORTS = [3242, 3243];
const EMULATOR_PORT = 3244;
const APP_URL = `http://localhost:${BALANCER_PORT}`;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/;

let emulator: { url: string; close(): Promise<void> } | undefined;
let apps: RunningProcess[] = [];
let balancer: RoundRobin | undefined;

test.describe.configure({ mode: "serial" });
test.setTimeout(90_000);

test.beforeAll(async () => {
  test.setTimeout(60_000);
  assertBuilt();
  const started = await startEmulator({
    port: EMULATOR_PORT,
    host: "127.0.0.1",
    fleetSize: 300,
    seed: 6,
    appOrigins: [APP_URL],
  });
  emulator = started;
  apps = APP_PORTS.map((port) => startNextApp(port, { EMULATOR_URL: started.url }));
  await Promise.all(apps.map((app, index) => waitForHttp(`http://127.0.0.1:${APP_PORTS[index]}/auth/redirect`, app)));
  balancer = await startRoundRobin({ port: BALANCER_PORT, backends: APP_PORTS });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && balancer) {
    await testInfo.attach("balancer-log.json", { body: JSON.stringify(balancer.log, null, 1), contentType: "application/json" });
    for (const app of apps) await testInfo.attach(`${app.name}.log`, { body: app.output(), contentType: "text/plain" });
  }
});

test.afterAll(async () => {
  await balancer?.close();
  await Promise.all(apps.map((app) => app.stop()));
  await emulator?.close();
});

test("one user signs in, browses and resets a device through two alternating instances: nothing lost, one wipe", async ({ page }) => {
  const control = new EmulatorClient(emulator!.url, page.request);
  const device = await control.resettableDevice();
  const actionRequests: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) actionRequests.push(request);
  });

  await signInThrough(page, APP_URL, control, "helpdesk");
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("row").nth(1)).toBeVisible();

  await page.getByLabel("Search by device name, user or serial number").fill(device.serialNumber);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(device.serialNumber)}`));
  await expect(grid.getByRole("link", { name: device.deviceName, exact: true })).toBeVisible();
  await grid.getByRole("link", { name: device.deviceName, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();

  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();

  // A reload lands on either instance: still signed in (the token lives in the tab) and the reset is still pending.
  await page.reload();
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
  await page.goto(`${APP_URL}/devices/windows`);
  await expect(grid.getByRole("row").nth(1)).toBeVisible();

  const counters = await control.counters();
  expect(counters.wipes[device.id]).toBe(1);
  expect(Object.values(counters.wipes).reduce((sum, n) => sum + n, 0)).toBe(1);

  // Both instances did real work, server actions included, and none of it failed.
  const log = balancer!.log;
  for (const port of APP_PORTS) {
    expect(log.filter((entry) => entry.backend === port && entry.serverAction).length, `server actions on ${port}`).toBeGreaterThan(0);
    expect(log.filter((entry) => entry.backend === port && entry.method === "GET").length, `pages on ${port}`).toBeGreaterThan(0);
  }
  expect(log.filter((entry) => (entry.status ?? 0) >= 500)).toEqual([]);
  expect(actionRequests.length).toBeGreaterThan(0);
  const perBackend = APP_PORTS.map(
    (port) =>
      `${port}: ${log.filter((entry) => entry.backend === port).length} requests, ` +
      `${log.filter((entry) => entry.backend === port && entry.serverAction).length} server actions`,
  );
  console.log(`two instances: ${perBackend.join("; ")}; wipes of ${device.id}: ${counters.wipes[device.id]}`);
});

test("a server action with a missing or malformed token is refused before Graph is called", async ({ page }) => {
  const control = new EmulatorClient(emulator!.url, page.request);
  // Capture one real server-action call (its id and body shape come from this build), then replay it with the
  // token replaced. Replays go through the balancer, so both instances are asked.
  let captured: { headers: Record<string, string>; body: string } | undefined;
  page.on("request", (request) => {
    const body = request.postData();
    if (!captured && request.method() === "POST" && request.headers()["next-action"] && body && JWT.test(body)) {
      captured = { headers: request.headers(), body };
    }
  });
  await signInThrough(page, APP_URL, control, "helpdesk");
  await expect(page.getByRole("grid", { name: "Windows devices" }).getByRole("row").nth(1)).toBeVisible();
  expect(captured, "a server action carrying the token was seen").toBeDefined();
  const token = JWT.exec(captured!.body)![0];

  const replay = async (body: string) => {
    const response = await page.request.post(`${APP_URL}/devices/windows`, {
      headers: {
        "next-action": captured!.headers["next-action"]!,
        "content-type": captured!.headers["content-type"] ?? "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin: APP_URL,
      },
      data: body,
    });
    return { status: response.status(), text: await response.text() };
  };

  // The page's own background reads (the approvals poll, the grid) would move the counter: leave it first. The
  // replays go through page.request, which needs no document.
  await page.goto("about:blank");
  // A read the page had already sent may still land: count from the moment the counter has stopped moving.
  let before = await control.counters();
  for (let settled = false, tries = 0; !settled && tries < 10; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await control.counters();
    settled = now.requests === before.requests;
    before = now;
  }
  const refusals = [
    captured!.body.replace(`"${token}"`, "null"),
    captured!.body.replace(token, ""),
    captured!.body.replace(token, "not-a-token"),
    captured!.body.replace(token, token.split(".").slice(0, 2).join(".")),
    captured!.body.replace(token, `${token}.${token}`),
    captured!.body.replace(token, `Bearer ${token}`),
  ];
  for (const body of [...refusals, ...refusals]) {
    const { status, text } = await replay(body);
    expect(status).toBe(200);
    expect(text).toContain('"unauthenticated"');
  }
  expect((await control.counters()).requests, "Graph was not called").toBe(before.requests);

  // The same replay with the real token does reach Graph: the counter above would have seen a leak.
  const { text } = await replay(captured!.body);
  expect(text).not.toContain('"unauthenticated"');
  expect((await control.counters()).requests).toBeGreaterThan(before.requests);
});

test("no token appears in either instance's output", async () => {
  for (const app of apps) expect(app.output(), app.name).not.toMatch(JWT);
});
