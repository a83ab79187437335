import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { seriousViolations } from "./fixtures/axe";
import { EMULATOR_URL } from "./fixtures/env";
import { autopilotReset, graphToken } from "./fixtures/graph";
import type { EmulatorControl, TestDevice, Trait } from "./fixtures/emulator";
import { MONITOR_MAX_INTERVAL_MS, MONITOR_MIN_INTERVAL_MS } from "../lib/monitor/polling";

/**
 * docs/product.md, "Journey 5: check reset status": resets are followed after the 204. Resets are started through Graph
 * under the Help Desk Operator's own token (the console's reset button has its own spec), then the monitor, the grid's
 * reset-status column and the device page must tell the same story as the emulator moves its clock on.
 */

const NOT_PLAIN: Trait[] = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows"];
/** Far from the picks other specs make (they take the first few of each trait). */
const PICK_BASE = 61;

async function longOfflineDevice(request: APIRequestContext, emulator: EmulatorControl): Promise<TestDevice> {
  for (const device of (await emulator.devices("offline", 200)).slice(PICK_BASE % 7)) {
    if (device.traits.includes("pendingReset")) continue;
    const summary = (await (await request.get(`${EMULATOR_URL}/_emulator/devices/${device.id}`)).json()) as { lastSyncDateTime: string | null };
    if (summary.lastSyncDateTime && Date.now() - Date.parse(summary.lastSyncDateTime) > 9 * 86_400_000) return device;
  }
  throw new Error("No device offline for more than 9 days");
}

function monitorRow(page: Page, deviceId: string, action: "reset" | "sync" = "reset"): Locator {
  return page.locator(`tr[data-monitor-row="${deviceId}"][data-action="${action}"]`).first();
}

/** The table is virtualized: scroll it until the row is rendered (other specs' actions may sit above it). */
async function scrolledTo(page: Page, row: Locator): Promise<Locator> {
  const scroller = page.getByTestId("monitor-scroll");
  await scroller.evaluate((element) => element.scrollTo(0, 0));
  for (let step = 0; step < 60 && (await row.count()) === 0; step++) {
    await scroller.evaluate((element) => element.scrollBy(0, element.clientHeight / 2));
    await page.waitForTimeout(50);
  }
  await row.scrollIntoViewIfNeeded();
  return row;
}

async function refreshMonitor(page: Page) {
  const refresh = page.getByRole("button", { name: "Refresh now" });
  await expect(refresh).toBeEnabled();
  await refresh.click();
}

async function gridCell(page: Page, device: TestDevice): Promise<Locator> {
  await page.goto(`/devices/windows?q=${encodeURIComponent(device.serialNumber)}`);
  const row = page.locator(`tr[data-device-row="${device.id}"]`);
  await expect(row).toBeVisible();
  return row.locator("td").last();
}

test("the monitor, the grid and the device page agree on pending, done, failed and not supported", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(180_000);
  const succeeds = await emulator.device("eligible", PICK_BASE, NOT_PLAIN);
  const winre = await emulator.device("winreDisabled", PICK_BASE, ["pendingReset"]);
  const hybrid = await emulator.device("hybrid", PICK_BASE, ["pendingReset"]);
  const offline = await longOfflineDevice(request, emulator);
  const token = await graphToken(request);
  for (const device of [succeeds, winre, hybrid, offline]) await autopilotReset(request, token, device.id);

  const me = await signInAs("helpdesk", "/devices/actions");
  await expect(page.getByRole("heading", { name: "Monitor | Device actions" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Device actions" })).toBeVisible();

  for (const device of [succeeds, winre, hybrid, offline]) {
    const row = monitorRow(page, device.id);
    await expect(row).toContainText("Reset pending");
    await expect(row).toContainText(device.deviceName);
    await expect(row).toContainText((me as { userPrincipalName: string }).userPrincipalName);
  }
  await expect(monitorRow(page, offline.id)).toContainText(/Offline since .*: it resets when it reconnects\./);
  await expect(monitorRow(page, succeeds.id).getByRole("button", { name: `Sync ${succeeds.deviceName}` })).toBeVisible();
  // The reset watcher takes its baseline from its first read: let it see them pending.
  await expect(page.locator('html[data-reset-watcher="watching"]')).toBeAttached();

  // Online devices pick a reset up within 3-12 minutes of emulator time (the push), then take 30 s.
  await emulator.advanceClock(13 * 60);
  await emulator.advanceClock(40);
  await refreshMonitor(page);
  await expect(monitorRow(page, succeeds.id)).toContainText("Reset complete");
  await expect(monitorRow(page, winre.id)).toContainText("Reset failed");
  // The page lists them, so no toast repeats them (issue 23, item 10; e2e/home-today.spec.ts sees the toasts elsewhere).
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0);
  await expect(monitorRow(page, winre.id)).toContainText("reagentc.exe /enable");
  await expect(monitorRow(page, winre.id)).toContainText("0x80070032");
  await expect(monitorRow(page, hybrid.id)).toContainText("Not supported");
  await expect(monitorRow(page, hybrid.id)).toContainText("full Wipe");
  await expect(monitorRow(page, offline.id)).toContainText("Reset pending");
  // Its last check-in is known (from the one device list read), not a dash.
  await expect(monitorRow(page, offline.id).locator("td").nth(4)).toContainText(/ago|last week|last month/);

  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "light" });

  // A state's count is a link to the list filtered by it (URL state); pressed again it shows every state.
  await page.getByTestId("count-link-failed").click();
  await expect(page).toHaveURL(/[?&]state=failed/);
  await expect(page.getByTestId("count-link-failed")).toHaveAttribute("aria-current", "true");
  await expect(monitorRow(page, winre.id)).toBeVisible();
  await expect(monitorRow(page, succeeds.id)).toBeHidden();
  await page.getByTestId("count-link-failed").click();
  await expect(page).not.toHaveURL(/state=/);
  await expect(monitorRow(page, succeeds.id)).toBeVisible();

  // Filters: state, action, initiator and time, kept in the URL.
  const state = page.getByLabel("State", { exact: true });
  await state.selectOption("failed");
  await expect(page).toHaveURL(/state=failed/);
  await expect(monitorRow(page, winre.id)).toBeVisible();
  await expect(monitorRow(page, succeeds.id)).toBeHidden();
  for (const value of await page.locator("tr[data-monitor-row]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-state")))) {
    expect(value).toBe("failed");
  }
  await state.selectOption("");
  await page.getByLabel("Initiated by").selectOption((me as { userPrincipalName: string }).userPrincipalName);
  await expect(page).toHaveURL(/by=/);
  for (const text of await page.locator("tr[data-monitor-row]").allInnerTexts()) expect(text).toContain((me as { userPrincipalName: string }).userPrincipalName);
  await page.getByLabel("Action", { exact: true }).selectOption("sync");
  await expect(page.getByText("No device actions match these filters.")).toBeVisible();
  await page.getByLabel("Action", { exact: true }).selectOption("");
  await page.getByLabel("Initiated by").selectOption("");
  await page.getByLabel("Requested", { exact: true }).selectOption("24h");
  await expect(page).toHaveURL(/time=24h/);
  // The default is the whole 30 days the page reads, and leaves the URL.
  await page.getByLabel("Requested", { exact: true }).selectOption("30d");
  await expect(page).not.toHaveURL(/time=/);
  // The emulator's seeded history (other admins' resets, weeks old) shows only in the wider window. (Filtered by its
  // initiator: the table is virtualized, and after the other specs' resets those old rows are far below the fold.)
  await page.getByLabel("Initiated by").selectOption("IsaiahL@contoso.onmicrosoft.com");
  await expect(page.locator("tr[data-monitor-row]").filter({ hasText: "IsaiahL@contoso.onmicrosoft.com" }).first()).toBeVisible();
  await page.getByLabel("Requested", { exact: true }).selectOption("1h");
  await expect(page.locator("tr[data-monitor-row]").filter({ hasText: "IsaiahL@contoso.onmicrosoft.com" })).toHaveCount(0);
  await page.getByLabel("Initiated by").selectOption("");
  await expect(monitorRow(page, succeeds.id)).toBeVisible();

  // The grid's reset-status column says the same, with the reason and fix.
  await expect(await gridCell(page, succeeds)).toContainText("Reset complete");
  const winreCell = await gridCell(page, winre);
  await expect(winreCell).toContainText("Reset failed");
  await expect(winreCell.locator("[title*='reagentc.exe /enable']")).toHaveCount(1);
  await expect(await gridCell(page, hybrid)).toContainText("Not supported");
  const offlineCell = await gridCell(page, offline);
  await expect(offlineCell).toContainText("Reset pending");
  await expect(offlineCell).toContainText("Offline since");
  await expect(offlineCell.getByRole("button", { name: `Sync ${offline.deviceName}` })).toBeVisible();

  // And so does the device page.
  await page.goto(`/devices/windows/${winre.id}`);
  const panel = page.getByTestId("reset-status");
  await expect(panel).toContainText("Reset failed");
  await expect(panel).toContainText("Fix: Run reagentc.exe /enable on the device, then reset it again.");
  await page.goto(`/devices/windows/${hybrid.id}`);
  await expect(page.getByTestId("reset-status")).toContainText("Not supported");
  await expect(page.getByTestId("reset-status")).toContainText("full Wipe");
  await page.goto(`/devices/windows/${offline.id}`);
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
  await expect(page.getByTestId("reset-status")).toContainText(/Offline since .*: it resets when it reconnects\./);
  await page.goto(`/devices/windows/${succeeds.id}`);
  await expect(page.getByTestId("reset-status")).toContainText("Reset complete");
});

test("Sync all pending goes through the bulk run and makes online pending devices progress", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(180_000);
  const online = (await emulator.devices("eligible", 200))
    .filter((device) => !device.traits.some((trait) => NOT_PLAIN.includes(trait as Trait)))
    .slice(PICK_BASE + 10, PICK_BASE + 13);
  expect(online).toHaveLength(3);
  const syncsBefore = await Promise.all(online.map((device) => emulator.syncsOf(device.id)));
  const token = await graphToken(request);
  for (const device of online) await autopilotReset(request, token, device.id);

  await signInAs("helpdesk", "/devices/actions?state=pending&time=1h");
  for (const device of online) await expect(monitorRow(page, device.id)).toContainText("Reset pending");

  const syncAll = page.getByRole("button", { name: /^Sync all pending \(\d+\)$/ });
  await syncAll.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Sync");
  const typed = dialog.getByTestId("bulk-confirm-input");
  if (await typed.isVisible()) {
    const expected = (await dialog.getByText(/^Type \d+ to confirm$/).innerText()).match(/\d+/)?.[0] ?? "";
    await typed.fill(expected);
  }
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect.poll(async () => Promise.all(online.map((device) => emulator.syncsOf(device.id))), { timeout: 30_000 }).toEqual(
    syncsBefore.map((n) => n + 1),
  );

  // A synced online device checks in 5-15 s later (emulator time): the reset goes active, then done 30 s after.
  await emulator.advanceClock(16);
  await emulator.advanceClock(31);
  await page.getByLabel("State", { exact: true }).selectOption("");
  await refreshMonitor(page);
  for (const device of online) await expect(monitorRow(page, device.id)).toContainText(/Resetting|Reset complete/);
  // The syncs this console sent are listed too (Sync is not in Intune's audit log), done once the device checked in.
  // Other specs may have moved the emulator clock hours ahead of the browser, whose clock dates the recorded syncs.
  await page.getByLabel("Requested", { exact: true }).selectOption("30d");
  await page.getByLabel("Action", { exact: true }).selectOption("sync");
  for (const device of online) await expect(await scrolledTo(page, monitorRow(page, device.id, "sync"))).toContainText("Sync complete");
});

test("the monitor makes one server call per refresh, never one per device, and stops while the tab is hidden", async ({ page, signInAs }) => {
  // The page's timers run on Playwright's clock: 35 s of refreshes pass in a moment.
  await page.clock.install();
  await signInAs("helpdesk", "/devices/actions");
  await expect(page.locator("tr[data-monitor-row]").first()).toBeVisible();
  const calls: number[] = [];
  page.on("request", (req) => {
    if (req.method() === "POST" && req.headers()["next-action"]) calls.push(Date.now());
  });
  // A refresh that needed more Graph pages waits longer (lib/monitor/polling.ts, at most 5 minutes): the clock runs
  // past the longest wait, and the calls stay one per 15 s at most, whatever the number of rows.
  await page.clock.runFor(MONITOR_MAX_INTERVAL_MS + 5_000);
  expect(calls.length).toBeGreaterThanOrEqual(1);
  expect(calls.length).toBeLessThanOrEqual(Math.ceil((MONITOR_MAX_INTERVAL_MS + 5_000) / MONITOR_MIN_INTERVAL_MS));

  calls.length = 0;
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(page.getByTestId("monitor-refresh-status")).toHaveText("Paused while this tab is hidden.");
  await page.clock.runFor(MONITOR_MAX_INTERVAL_MS + 5_000);
  expect(calls).toHaveLength(0);
});
