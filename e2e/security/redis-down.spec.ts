import { expect, test, type Locator, type Page } from "@playwright/test";
import { EmulatorClient, signInThrough } from "./emulator-client";
import { assertBuilt } from "./processes";
import { bulkResetAll, secondsLeft, simpleGroup, summaryOf, World } from "./world";

/**
 * docs/safety.md, "A restart forgets nothing that matters": Redis, the console's coordination store, goes down in the
 * middle of a bulk run. The server sends nothing it cannot record, so the devices it had not sent yet end "not sent"
 * with a sentence about the store (never "unclear", never "Graph did not confirm"), and none is wiped. When Redis comes
 * back (empty, as a restarted Redis without persistence does), Retry sends each of them once, after the quiet period
 * the server reports. The emulator's wipe counters are the truth; time is moved (Graph's clock and the page's), never
 * waited for.
 */

const world = new World({ emulator: 3266, app: 3267, redis: 3268 });

test.describe.configure({ mode: "serial" });
test.beforeAll(() => assertBuilt());
test.afterEach(async ({}, testInfo) => world.tearDown(testInfo));

/** Moves the page's clock 31 s at a time (every wait of a run is at most 30 s of page time) until `done` holds. */
async function fastForwardUntil(page: Page, done: () => Promise<boolean>, maxSteps = 12): Promise<number> {
  let steps = 0;
  while (!(await done()) && steps < maxSteps) {
    await page.clock.fastForward(31_000);
    steps++;
    // The run's next server action answers in its own time (a store that is down refuses within a few seconds).
    await expect.poll(done, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  }
  return steps;
}

const settled = (rows: Locator[], status: string) => async () => {
  for (const row of rows) if ((await row.getAttribute("data-status")) !== status) return false;
  return true;
};

test("Redis down mid-run: the devices not yet sent end 'not sent' with a sentence about the store; Retry once it is back sends each once", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const { emulator } = await world.start(14, { REDIS_URL: world.redisUrl }, async () => {
    await world.startRedis();
    // A Redis that never served another store: its operator seeds the epoch, as the README says (docs/safety.md).
    expect(await world.redisCall("SET", "arc:epoch", "0")).toBe("+OK\r\n");
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const control = new EmulatorClient(emulator.url, page.request);
  const { search, devices } = await simpleGroup(control, 5, 9);
  const ids = devices.map((d) => d.id);
  // Two devices are throttled once (20 s), so the run still has them to send when Redis goes away.
  const later = ids.slice(-2);
  const sentFirst = ids.slice(0, -2);
  await control.addFaultRules(later.map((id) => ({ fault: "throttle", method: "POST", pathContains: id, times: 1, retryAfterSeconds: 20 })));

  await page.clock.install();
  await signInThrough(page, world.appUrl, control, "helpdesk", `/devices/windows?q=${search}`);
  await bulkResetAll(page, search, devices.length);
  const panel = page.getByTestId("bulk-run-panel");
  const row = (id: string) => page.getByTestId("bulk-results").locator(`[data-device-id="${id}"]`);

  await expect.poll(async () => (await control.faults()).rules.filter((r) => r.fault === "throttle").reduce((n, r) => n + (r.fired ?? 0), 0), { timeout: 30_000 }).toBe(2);
  await expect.poll(async () => {
    const wipes = (await control.counters()).wipes;
    return sentFirst.filter((id) => wipes[id] === 1).length;
  }, { timeout: 30_000 }).toBe(sentFirst.length);

  // Redis goes away while the run waits out the Retry-After; the run's next tries find the store unreachable.
  await world.stopRedis();
  const laterRows = later.map(row);
  const steps = await fastForwardUntil(page, settled(laterRows, "not-sent"));
  for (const r of laterRows) {
    await expect(r).toHaveAttribute("data-status", "not-sent");
    await expect(r).toContainText("Not sent: the console's coordination store could not be reached, so nothing was sent to this device.");
  }
  await expect(panel.getByRole("heading", { name: /Bulk Autopilot Reset: Finished/ })).toBeVisible({ timeout: 30_000 });
  const down = await summaryOf(page);
  expect(down.initiated, down.text).toBe(sentFirst.length);
  expect(down.notSent, down.text).toBe(2);
  expect(down.failed, down.text).toBe(0);
  expect(await panel.textContent()).not.toMatch(/unclear|did not confirm/i);
  let wipes = (await control.counters()).wipes;
  for (const id of later) expect(wipes[id] ?? 0, `wipes of ${id} while Redis was down`).toBe(0);

  // Redis is back, empty. Retry: the server notices the missing epoch and sends nothing in the quiet period it reports.
  await world.startRedis();
  await panel.getByRole("button", { name: /^Retry failed/ }).click();
  await page.getByRole("dialog", { name: /^Retry failed/ }).getByRole("button", { name: "Yes" }).click();
  await expect(laterRows[0]!).toContainText(/may still reach Intune|coordination store restarted/, { timeout: 30_000 });
  const quietLeft = (await secondsLeft(page)) ?? 240;
  wipes = (await control.counters()).wipes;
  for (const id of later) expect(wipes[id] ?? 0, `wipes of ${id} in the quiet period`).toBe(0);

  await control.advanceClock(quietLeft + 5);
  const retrySteps = await fastForwardUntil(page, settled(laterRows, "initiated"));
  for (const r of laterRows) await expect(r).toHaveAttribute("data-status", "initiated");
  wipes = (await control.counters()).wipes;
  for (const id of ids) expect(wipes[id], `wipes of ${id}`).toBe(1);
  expect(Object.keys(wipes).sort()).toEqual([...ids].sort());
  const end = await summaryOf(page);
  expect(end.initiated, end.text).toBe(devices.length);
  expect(end.notSent + end.failed, end.text).toBe(0);
  testInfo.annotations.push({ type: "timing", description: `${steps} page-clock jumps to 'not sent'; quiet period ${quietLeft} s; ${retrySteps} jumps to the end` });
  await context.close();
});
