import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures/auth";
import {
  choosePrefix,
  confirmTyped,
  deltas,
  addFaults,
  expectOneSentOthersTold,
  pressYesTogether,
  reloadMidChunkThenResume,
  removeFaults,
  selectAllMatching,
  slowDevices,
  SITE_PREFIXES,
  summaryOf,
  waitForEndMovingClocks,
} from "./fixtures/bulk";
import { EmulatorControl, type TestDevice } from "./fixtures/emulator";

/**
 * One reset per device for one decision, whatever the user does with tabs, reloads and windows, whoever else works on
 * the device, whatever the PC's clock says (docs/safety.md). The truth is the emulator's counters: no device gets two
 * wipes, and what the console reports equals what the emulator received.
 *
 * Slow writes are "slow" fault rules on the test's own devices, so a spec running beside these is not slowed; each
 * test takes its rules away when it ends. The tests are independent: one failing skips none of the others.
 */

const NOT_SIMPLE = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

async function startBulkReset(page: Page, search: string) {
  await selectAllMatching(page, search);
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  return confirmTyped(page);
}

/** The run's summary equals the emulator's truth: every target wiped once, nothing twice, initiated = wiped. */
async function expectTruthful(page: Page, emulator: EmulatorControl, before: Record<string, number>, matching: TestDevice[], targets: TestDevice[]) {
  const summary = await summaryOf(page);
  const d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  const twice = [...d.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  expect(twice, "devices wiped twice").toEqual([]);
  for (const t of targets) expect(d.get(t.id), `wipes of ${t.deviceName}`).toBe(1);
  expect(summary.initiated, summary.text).toBe([...d.values()].filter((n) => n === 1).length);
  expect(summary.failed, summary.text).toBe(0);
  return summary;
}

/** The devices each test slowed or faulted, whose rules are taken away when it ends, whatever happened. */
const ruled: string[] = [];
async function slow(request: APIRequestContext, deviceIds: string[], delayMs: number) {
  ruled.push(...deviceIds);
  await slowDevices(request, deviceIds, delayMs);
}

test.afterEach(async ({ request }) => {
  if (ruled.length > 0) await removeFaults(request, ruled.splice(0));
});

test("a duplicated tab follows the run without driving it; closing the driving tab mid-send offers Resume at once", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(300_000);
  const { search, matching, targets } = await choosePrefix(request, SITE_PREFIXES.neverTwice, 21);
  const before = (await emulator.counters()).wipes;
  await page.context().clock.install();
  await signInAs("helpdesk", `/devices/windows?q=${search}`);
  // A run of 21 is one call; slow writes keep that call under way long enough to duplicate the tab and close the
  // original while its writes are still at Graph.
  await slow(request, matching.map((m) => m.id), 10_000);
  await startBulkReset(page, search);
  await expect(page.getByRole("heading", { name: "Bulk Autopilot Reset: Running" })).toBeVisible();

  // window.open copies sessionStorage (MSAL's tokens and any stored tab id) into the new tab, like "Duplicate tab".
  const [copy] = await Promise.all([page.context().waitForEvent("page"), page.evaluate(() => window.open(window.location.href))]);
  const copyPanel = copy.getByTestId("bulk-run-panel");
  await expect(copyPanel.getByRole("heading", { name: "Bulk Autopilot Reset: Running in another tab" })).toBeVisible({ timeout: 30_000 });
  await expect(copyPanel.getByRole("button", { name: "Resume" })).toHaveCount(0);

  // The driving tab goes away mid-send: the browser frees its lock, and the copy offers Resume within seconds. The
  // writes it had sent still land; the copy reads them (after the send window) instead of sending them again.
  await expect(page.locator('[data-testid="bulk-results"] [data-status="sent"]').first()).toBeAttached();
  await page.close();
  await expect(copyPanel.getByRole("button", { name: "Resume" })).toBeVisible({ timeout: 5_000 });
  await copyPanel.getByRole("button", { name: "Resume" }).click();
  await waitForEndMovingClocks(copy, emulator);
  await expectTruthful(copy, emulator, before, matching, targets);
});

test("reload while Graph answers writes slowly, then Resume: sends still at Graph are waited out and read, not resent", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(300_000);
  const { search, matching, targets } = await choosePrefix(request, SITE_PREFIXES.neverTwice, 21);
  const before = (await emulator.counters()).wipes;
  await page.clock.install();
  await signInAs("helpdesk", `/devices/windows?q=${search}`);
  await slow(request, matching.map((m) => m.id), 8_000);
  await startBulkReset(page, search);
  // A chunk has left and its writes are held at Graph for 8 s: reload now.
  const panel = await reloadMidChunkThenResume(page);
  await expect(panel.getByTestId("bulk-run-checking")).toContainText("before anything is resent");
  await removeFaults(request, matching.map((m) => m.id));
  await waitForEndMovingClocks(page, emulator);
  await expectTruthful(page, emulator, before, matching, targets);
});

test("a PC clock 10 minutes ahead of Graph, with unclear answers: every wiped device is reported initiated", async ({ browser, request, emulator }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  // The whole page runs ten minutes ahead, as on a PC whose clock is off; Playwright's clock lets the test move it on too.
  await context.clock.install({ time: Date.now() + 10 * 60_000 });
  const page = await context.newPage();
  const { search, matching, targets } = await choosePrefix(request, [...SITE_PREFIXES.neverTwice].reverse(), 21);
  const pick = (i: number) => targets[i]!.id;
  await addFaults(request, [
    ...[0, 1, 2, 3, 4].map((i) => ({ fault: "applied-then-5xx", method: "POST", pathContains: pick(i), times: 1 })),
    ...[5, 6].map((i) => ({ fault: "unavailable", method: "POST", pathContains: pick(i), times: 1 })),
    ...[7, 8].map((i) => ({ fault: "throttle", method: "POST", pathContains: pick(i), times: 1, retryAfterSeconds: 1 })),
  ]);
  try {
    const before = (await emulator.counters()).wipes;
    await signIn(page, emulator, "helpdesk", `/devices/windows?q=${search}`);
    expect((await page.evaluate(() => Date.now())) - Date.now()).toBeGreaterThan(9 * 60_000);
    await startBulkReset(page, search);
    await waitForEndMovingClocks(page, emulator);
    const summary = await expectTruthful(page, emulator, before, matching, targets);
    // Every device is accounted for once. Not "skipped = the rest": a device another spec reset over a day ago on
    // Graph's clock is no target here (targets were never wiped) and is sent all the same.
    expect(summary.initiated + summary.skipped).toBe(matching.length);
  } finally {
    await removeFaults(request, matching.map((m) => m.id));
    await context.close();
  }
});

async function openDevicePage(context: BrowserContext, emulator: EmulatorControl, persona: "helpdesk" | "intuneadmin", device: TestDevice) {
  const page = await context.newPage();
  await signIn(page, emulator, persona, `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  return page;
}

test("two people press Yes on the same device within a second: one wipe, and the second is told who sent it", async ({ browser, request, emulator }) => {
  const device = await emulator.device("eligible", 40, [...NOT_SIMPLE]);
  const before = await emulator.wipesOf(device.id);
  const [megan, isaiah] = [await browser.newContext(), await browser.newContext()];
  try {
    const pages = [await openDevicePage(megan, emulator, "helpdesk", device), await openDevicePage(isaiah, emulator, "intuneadmin", device)];
    for (const page of pages) await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await slow(request, [device.id], 1_500);
    expectOneSentOthersTold(await pressYesTogether(pages));
    expect(await emulator.wipesOf(device.id)).toBe(before + 1);
  } finally {
    await megan.close();
    await isaiah.close();
  }
});

test("Enter on Autopilot Reset, then Enter again, sends nothing: the dialog opens on No and gives focus back", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 41, [...NOT_SIMPLE]);
  const before = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const reset = page.getByRole("toolbar", { name: "Device actions" }).getByRole("button", { name: "Autopilot Reset" });
  // The button is disabled while the page reads the device's facts; focus() does not wait for that, a click would.
  await expect(reset).toBeEnabled();
  await reset.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(reset).toBeFocused();
  await page.waitForTimeout(1_000);
  expect(await emulator.wipesOf(device.id)).toBe(before);
});

test("Esc closes the dialog while a slow reset is on its way; the result still arrives, once", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 42, [...NOT_SIMPLE]);
  const before = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await slow(request, [device.id], 5_000);
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByRole("button", { name: "Sending…" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible({ timeout: 30_000 });
  expect(await emulator.wipesOf(device.id)).toBe(before + 1);
});

test("Yes, then a reload 0.4 s later: the page shows the reset under way at once, never None, and it lands once", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 43, [...NOT_SIMPLE]);
  const before = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await slow(request, [device.id], 4_000);
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
  await page.waitForTimeout(400);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  // While the write is held at Graph, the server's lock says a reset is being sent; then Graph says pending.
  await expect(page.getByTestId("reset-unavailable")).toContainText(/is sending an Autopilot Reset|already pending/, { timeout: 5_000 });
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending", { timeout: 5_000 });
  // The write lands when Graph lets it (4 s); the page still says pending, and there is one wipe, not two.
  await expect.poll(() => emulator.wipesOf(device.id), { timeout: 20_000 }).toBe(before + 1);
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
  await page.waitForTimeout(1_000);
  expect(await emulator.wipesOf(device.id)).toBe(before + 1);
});
