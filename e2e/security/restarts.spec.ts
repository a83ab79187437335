import { expect, test } from "@playwright/test";
import { EmulatorClient, signInThrough, type ControlDevice } from "./emulator-client";
import { assertBuilt } from "./processes";
import { bulkResetAll, NOT_SIMPLE, secondsLeft, simpleGroup, summaryOf, watcherLoaded, windowsFleet, World } from "./world";

/**
 * docs/safety.md, "A restart forgets nothing that matters": a console server killed while its writes are at Graph, and
 * a Redis restarted empty after unclear answers, must not lead to a second wipe of any device. The emulator's wipe
 * counters are the truth. Time is moved, not waited for: the emulator's clock (Graph's clock, which decides whether an
 * earlier write could still land) and Playwright's page clock (the run's own waits).
 */

const world = new World({ emulator: 3260, app: 3261, redis: 3262 });
const appUrl = world.appUrl;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => assertBuilt());
test.afterEach(async ({}, testInfo) => world.tearDown(testInfo));

test("console server killed mid-chunk and restarted on its data folder: Resume reads, never resends; one wipe each", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const { emulator, appEnv } = await world.start(11);
  const context = await browser.newContext();
  const page = await context.newPage();
  const control = new EmulatorClient(emulator.url, page.request);
  const { search, devices } = await simpleGroup(control, 7, 9);
  const ids = devices.map((d) => d.id);

  await page.clock.install();
  await signInThrough(page, appUrl, control, "helpdesk", `/devices/windows?q=${search}`);
  await control.addFaultRules(ids.map((id) => ({ fault: "hold", pathContains: id })));
  await bulkResetAll(page, search, devices.length);

  // The chunk is at Graph: every write held there, none applied.
  await expect.poll(async () => (await control.faults()).held.length, { timeout: 30_000 }).toBe(devices.length);
  expect((await control.counters()).wipes).toEqual({});

  const killedAt = Date.now();
  const restart = await world.killConsole(appEnv);
  // The writes outlive the server that sent them: they land now, once each.
  const { released } = await control.release();
  expect(released.map((r) => r.status)).toEqual(devices.map(() => 204));
  // From here on a resend would reach Graph (and the counters) instead of being held.
  await control.removeFaultRules(ids);
  const landed = (await control.counters()).wipes;
  for (const id of ids) expect(landed[id], `wipes of ${id} once released`).toBe(1);

  // The user leaves the page while the server is down (a reload would land on Chromium's error page, which reloads
  // itself once the server answers, at a moment of its own choosing); the run stays in localStorage.
  await page.goto("about:blank");
  await restart();
  const restartMs = Date.now() - killedAt;
  await page.goto(`${appUrl}/devices/windows?q=${search}`);
  const panel = page.getByTestId("bulk-run-panel");
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Interrupted" })).toBeVisible({ timeout: 30_000 });
  await panel.getByRole("button", { name: "Resume" }).click();

  // The run's own record of the send bounds the wait, on Graph's clock: the ticket's 30 s plus the 180 s margin (the
  // panel's estimate adds a round trip of about 2 s).
  const checking = panel.getByTestId("bulk-run-checking");
  await expect(checking).toContainText("before anything is resent: a request may still reach Intune", { timeout: 30_000 });
  await expect(panel.getByTestId("bulk-run-estimate")).toContainText(/^About .+ left\.$/, { timeout: 30_000 });
  const graphWait = (await secondsLeft(page))!;
  expect(graphWait).toBeGreaterThan(150);
  expect(graphWait).toBeLessThanOrEqual(215);
  await control.advanceClock(graphWait + 5);
  // The run reads again at most 30 s (page time) after a read that was not final.
  await page.clock.fastForward(31_000);

  // Nothing else to wait for: the restarted server dropped the killed one's device locks (lib/server/file-device-lock.ts).
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Finished" })).toBeVisible({ timeout: 30_000 });
  testInfo.annotations.push({ type: "timing", description: `restart ${restartMs} ms; Graph wait ${graphWait} s (moved)` });
  console.log(`kill-restart: restart ${restartMs} ms, Graph wait ${graphWait} s moved`);

  const summary = await summaryOf(page);
  const wipes = (await control.counters()).wipes;
  for (const id of ids) expect(wipes[id], `wipes of ${id}`).toBe(1);
  expect(Object.keys(wipes).sort()).toEqual([...ids].sort());
  expect((await control.faults()).held).toEqual([]);
  expect(summary.initiated, summary.text).toBe(devices.length);
  expect(summary.failed, summary.text).toBe(0);
  expect(summary.notSent, summary.text).toBe(0);
  await context.close();
});

test("a colleague's Yes right after a restart: one wipe per device in all, and the colleague is told of Megan's reset", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const { emulator, appEnv } = await world.start(12);
  const [megan, isaiah] = [await browser.newContext(), await browser.newContext()];
  const control = new EmulatorClient(emulator.url, (await megan.newPage()).request);
  // Two devices, one kill: Megan's write to `landed` is applied before the server comes back (Graph shows it to
  // whoever reads), her write to `held` only after Isaiah's Yes (Graph shows nothing yet: only what the killed server
  // recorded in DATA_DIR before the write left can stop a second one).
  const [landed, held] = (await windowsFleet(control)).filter((d) => !d.traits.some((t) => NOT_SIMPLE.has(t))).slice(0, 2) as [ControlDevice, ControlDevice];
  const open = async (context: typeof megan, persona: string, device: ControlDevice) => {
    const page = await context.newPage();
    await signInThrough(page, appUrl, control, persona, `/devices/windows/${device.id}`);
    await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
    return page;
  };
  const meganPages = [await open(megan, "helpdesk", landed), await open(megan, "helpdesk", held)];
  const isaiahPages = [await open(isaiah, "intuneadmin", landed), await open(isaiah, "intuneadmin", held)];
  for (const page of [...meganPages, ...isaiahPages]) {
    await watcherLoaded(page);
    await page.getByRole("button", { name: "Autopilot Reset" }).click();
  }
  await control.addFaultRules([landed, held].map((d) => ({ fault: "hold", pathContains: d.id })));
  for (const page of meganPages) await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
  await expect.poll(async () => (await control.faults()).held.length, { timeout: 30_000 }).toBe(2);

  const killedAt = Date.now();
  const restart = await world.killConsole(appEnv);
  expect((await control.release(landed.id)).released.map((r) => r.status)).toEqual([204]);
  await control.removeFaultRules([landed.id]);
  expect((await control.counters()).wipes).toEqual({ [landed.id]: 1 });
  await restart();

  // Isaiah's dialogs were open all along: he presses Yes on both devices on the restarted server.
  const yesAt = Date.now();
  const answers = await Promise.all(
    isaiahPages.map(async (page) => {
      const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
      await dialog.getByRole("button", { name: "Yes" }).click();
      const told = page.getByRole("status").filter({ hasText: /Autopilot Reset (initiated|was already requested)/ }).first();
      await expect(told.or(dialog.getByRole("alert"))).toBeVisible({ timeout: 30_000 });
      const text = ((await told.isVisible()) ? await told.textContent() : await dialog.getByRole("alert").textContent()) ?? "";
      return { text, ms: Date.now() - yesAt };
    }),
  );
  // Whatever a second write to `held` would do, the rule holds it: it would show in the emulator's held writes.
  expect((await control.faults()).held.map((w) => w.path)).toEqual([expect.stringContaining(held.id)]);
  expect((await control.release()).released.map((r) => r.status)).toEqual([204]);
  await control.removeFaultRules([held.id]);
  expect((await control.counters()).wipes).toEqual({ [landed.id]: 1, [held.id]: 1 });

  const summary = answers.map((a, i) => `${i === 0 ? "landed" : "held"}: after ${a.ms} ms: ${a.text}`).join("\n");
  console.log(`colleague after restart (restart ${yesAt - killedAt} ms):\n${summary}`);
  testInfo.annotations.push({ type: "timing", description: summary });
  // Megan is named and nothing new was sent, within seconds: the restarted server dropped the killed one's locks, and
  // judges from what Graph shows (the landed reset) and from the in-flight record the killed server wrote before her
  // write left (the held one).
  const [landedAnswer, heldAnswer] = [answers[0]!, answers[1]!];
  expect(landedAnswer.text).toMatch(/Autopilot Reset was already requested .*by (Megan Bowen|MeganB@contoso)/);
  expect(heldAnswer.text).toMatch(/Megan Bowen's request to this device may still reach Intune, so nothing was sent/);
  expect(heldAnswer.text, "said once").not.toMatch(/nothing was sent.*nothing was sent/i);

  // Megan's pages, whose looks at their devices failed while the server was down, follow them again without a reload
  // (lib/queries/action-state-poll.ts: 15 s after a failed look; a real wait, as these pages have the real clock so
  // that MSAL's token timers behave), and every page, reloaded, says the same.
  for (const page of meganPages) await expect(page.getByTestId("reset-status")).toContainText("Reset pending", { timeout: 40_000 });
  for (const page of [...meganPages, ...isaiahPages]) {
    await page.reload();
    await expect(page.getByTestId("reset-status")).toContainText("Reset pending", { timeout: 30_000 });
  }
  expect((await control.counters()).wipes).toEqual({ [landed.id]: 1, [held.id]: 1 });
  await megan.close();
  await isaiah.close();
});

test("Redis restarted empty after unclear answers: nothing is sent in the quiet period, the late writes are read, one wipe each", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const startedAt = Date.now();
  const { emulator } = await world.start(9, { REDIS_URL: world.redisUrl }, async () => {
    await world.startRedis();
    // A brand-new Redis has no epoch, so the first send would wait out a quiet period as if Redis had restarted. This
    // deployment never sent through any other store, and its operator says so the way a new data folder does: the
    // epoch 0 ("every send since the beginning is here"). The one quiet period in this test is then the restart's.
    expect(await world.redisCall("SET", "arc:epoch", "0")).toBe("+OK\r\n");
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const control = new EmulatorClient(emulator.url, page.request);
  const { search, devices } = await simpleGroup(control, 6, 6);
  const ids = devices.map((d) => d.id);
  // Five writes are answered 504 at once and applied a minute later on Graph's clock; the sixth is throttled for a
  // minute, so the run sends it again after Redis has restarted.
  const late = ids.slice(0, 5);
  const throttled = ids[5]!;
  const AFTER_S = 60;
  await control.addFaultRules([
    ...late.map((id) => ({ fault: "landsLater", pathContains: id, afterMs: AFTER_S * 1_000 })),
    { fault: "throttle", method: "POST", pathContains: throttled, times: 1, retryAfterSeconds: 60 },
  ]);

  await page.clock.install();
  await signInThrough(page, appUrl, control, "helpdesk", `/devices/windows?q=${search}`);
  await bulkResetAll(page, search, devices.length);
  const panel = page.getByTestId("bulk-run-panel");
  const results = page.getByTestId("bulk-results");
  const row = (id: string) => results.locator(`[data-device-id="${id}"]`);

  // Unclear answers: the late writes are pending at Graph, the sixth was throttled, nothing has landed, and the run
  // is checking.
  await expect.poll(async () => (await control.faults()).landsLater.length, { timeout: 30_000 }).toBe(late.length);
  await expect.poll(async () => (await control.faults()).rules.find((r) => r.fault === "throttle")?.fired, { timeout: 30_000 }).toBe(1);
  await expect(panel.getByTestId("bulk-run-checking")).toContainText("a request may still reach Intune", { timeout: 30_000 });
  expect((await control.counters()).wipes).toEqual({});
  expect(await world.redisCall("EXISTS", "arc:epoch")).toBe(":1\r\n");

  // Redis goes away and comes back empty: the send records of the late writes and the epoch are gone.
  await world.stopRedis();
  await world.startRedis();
  expect(await world.redisCall("DBSIZE")).toBe(":0\r\n");

  // The run holds its devices on its own record: the late writes' tickets (their server records went with Redis), and
  // for all of them the quiet period the server now reports, from the epoch its first read after the restart claimed
  // at Graph's time. The throttled device, whose Retry-After passes (page time), is read and not sent either.
  await page.clock.fastForward(61_000);
  await expect(row(throttled)).toContainText("Checking: a request to this device may still reach Intune", { timeout: 30_000 });
  // The panel's one estimate counts the longest of the devices' waits, the quiet period among them.
  await expect(panel.getByTestId("bulk-run-estimate")).toContainText(/^About .+ left\.$/, { timeout: 30_000 });
  const quietLeft = (await secondsLeft(page))!;
  expect(quietLeft).toBeGreaterThan(180);
  expect(await world.redisCall("EXISTS", "arc:epoch")).toBe(":1\r\n");
  for (const id of late) await expect(row(id)).toHaveAttribute("data-status", "unclear");

  // A colleague presses Yes on a device whose late write has not landed: Graph shows nothing, and Redis has no record
  // of the send. The server's epoch refuses it: nothing is sent until no earlier write can land.
  const isaiah = await browser.newContext();
  const colleague = await isaiah.newPage();
  const target = devices[0]!;
  await signInThrough(colleague, appUrl, control, "intuneadmin", `/devices/windows/${target.id}`);
  await expect(colleague.getByRole("heading", { level: 1, name: target.deviceName })).toBeVisible();
  await colleague.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = colleague.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByRole("alert")).toContainText(
    "The console's coordination store came back empty, so a request sent before it may still reach Intune. Nothing was sent",
    { timeout: 30_000 },
  );
  await isaiah.close();
  expect((await control.counters()).wipes).toEqual({});

  // Graph's clock passes afterMs: the late writes land, once each.
  await control.advanceClock(AFTER_S + 5);
  const landed = (await control.counters()).wipes;
  for (const id of late) expect(landed[id], `wipes of ${id} once landed`).toBe(1);
  expect(landed[throttled] ?? 0).toBe(0);
  expect((await control.faults()).landsLater).toEqual([]);

  // Then past the rest of the quiet period, as the run was told (it began after every ticket of the run, so the
  // tickets' landing margins are past too).
  await control.advanceClock(quietLeft);
  const endingAt = Date.now();
  const finished = panel.getByRole("heading", { name: "Bulk Autopilot Reset: Finished" });
  let steps = 0;
  // Every wait of the run is at most 30 s of page time (a read that was not final is made again within 30 s), so
  // each jump lets the run read, or send, once more; a few jumps end it.
  while (!(await finished.waitFor({ timeout: 3_000 }).then(() => true, () => false)) && steps < 10) {
    await page.clock.fastForward(31_000);
    steps++;
  }
  await expect(finished).toBeVisible({ timeout: 5_000 });
  testInfo.annotations.push({ type: "timing", description: `quiet period reported ${quietLeft} s; ${steps} page-clock jumps to the end` });
  console.log(`redis-restart: quiet period reported ${quietLeft} s; ${steps} page-clock jumps to the end; ${Math.round((Date.now() - startedAt) / 1000)} s in all, ${Math.round((Date.now() - endingAt) / 1000)} s to end after the clocks moved`);

  const summary = await summaryOf(page);
  const wipes = (await control.counters()).wipes;
  for (const id of ids) expect(wipes[id], `wipes of ${id}`).toBe(1);
  expect(Object.keys(wipes).sort()).toEqual([...ids].sort());
  expect(summary.initiated, summary.text).toBe(devices.length);
  expect(summary.failed, summary.text).toBe(0);
  expect(summary.notSent, summary.text).toBe(0);
  await context.close();
});
