import Papa from "papaparse";
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import type { Trait } from "./fixtures/emulator";
import { autopilotReset, graphToken } from "./fixtures/graph";

/**
 * docs/product.md, "Journey 5: check reset status": the Device actions monitor's views. Search by device name, the
 * whole 30-day window by default, Export (CSV) of what the view shows, and a Sync that hurries a pending reset without
 * becoming a second pending row. Resets go straight to Graph (the console's reset button has its own spec); each test
 * acts on its own devices (EmulatorControl.device picks 100-103, which no other spec takes).
 */
const NOT_PLAIN: Trait[] = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows"];

function rowsOf(page: Page): Locator {
  return page.locator("tr[data-monitor-row]");
}

test("search by device name, the 30-day default, and a CSV of the view", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(90_000);
  const first = await emulator.device("eligible", 100, NOT_PLAIN);
  const second = await emulator.device("eligible", 101, NOT_PLAIN);
  const token = await graphToken(request);
  for (const device of [first, second]) await autopilotReset(request, token, device.id);

  const me = (await signInAs("helpdesk", "/devices/actions")) as { userPrincipalName: string };
  // The window the intro promises is the filter's default, and a default is not written into the URL.
  await expect(page.getByText(/audit log \(last 30 days\)/)).toBeVisible();
  await expect(page.getByLabel("Requested", { exact: true })).toHaveValue("30d");
  await expect(page).not.toHaveURL(/time=/);
  // The emulator's seeded history (Isaiah Langer's resets, weeks old) is in that default view.
  await page.getByLabel("Initiated by").selectOption("IsaiahL@contoso.onmicrosoft.com");
  const scroller = page.getByTestId("monitor-scroll");
  await expect(rowsOf(page).first()).toBeVisible();
  await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  const clock = Date.parse((await emulator.info()).clock);
  const oldest = await rowsOf(page).last().locator("td").nth(3).locator("time").getAttribute("datetime");
  expect(clock - Date.parse(oldest!)).toBeGreaterThan(7 * 86_400_000);
  await page.getByLabel("Initiated by").selectOption("");

  // Search: part of the name, any case, kept in the URL.
  const search = page.getByLabel("Device name");
  await search.fill(first.deviceName.slice(2).toLowerCase());
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(first.deviceName.slice(2).toLowerCase())}`, "i"));
  await expect(rowsOf(page).filter({ hasText: first.deviceName }).first()).toContainText("Reset pending");
  await expect(page.locator(`tr[data-monitor-row="${second.id}"]`)).toHaveCount(0);
  for (const text of await rowsOf(page).allInnerTexts()) expect(text.toLowerCase()).toContain(first.deviceName.slice(2).toLowerCase());
  await page.reload();
  await expect(page.getByLabel("Device name")).toHaveValue(first.deviceName.slice(2).toLowerCase());
  await expect(rowsOf(page).filter({ hasText: first.deviceName }).first()).toBeVisible();

  // Export: the rows of the view, in the page's words, parsed back.
  await search.fill(first.deviceName);
  await expect(page.locator(`tr[data-monitor-row="${first.id}"]`).first()).toBeVisible();
  const shown = Number((await page.getByText(/^[\d,]+ of [\d,]+ actions$/).innerText()).split(" ")[0]!.replace(/,/g, ""));
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export (CSV)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^device-actions-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
  const csv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(csv.errors).toEqual([]);
  expect(csv.meta.fields).toEqual([
    "Device name", "Device ID", "Action", "Origin", "State", "Details", "Initiated by", "Ticket", "Requested at", "Pending for", "Last check-in", "Sync sent at", "Approval request",
  ]);
  expect(csv.data).toHaveLength(shown);
  const row = csv.data.find((r) => r["Device ID"] === first.id);
  expect(row).toMatchObject({ "Device name": first.deviceName, Action: "Autopilot Reset", State: "Reset pending", Origin: "Audit log", "Initiated by": me.userPrincipalName, Ticket: "" });
  expect(row!["Requested at"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  expect(row!["Pending for"]).toMatch(/min|under a minute|h/);
  expect(csv.data.some((r) => r["Device ID"] === second.id)).toBe(false);
});

test("Sync all pending hurries a pending reset without counting the sync as a second pending action", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(90_000);
  // Offline: neither the reset nor the sync moves on while the test looks.
  const device = await emulator.device("offline", 102, ["pendingReset", "hybrid", "notAutopilot", "nonWindows"]);
  await autopilotReset(request, await graphToken(request), device.id);
  const syncsBefore = await emulator.syncsOf(device.id);

  await signInAs("helpdesk", `/devices/actions?q=${encodeURIComponent(device.deviceName)}`);
  const row = page.locator(`tr[data-monitor-row="${device.id}"][data-action="reset"]`);
  await expect(row).toContainText("Reset pending");
  await expect(page.getByTestId("count-pending")).toHaveText("1");

  await page.getByRole("button", { name: "Sync all pending (1)" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("heading", { name: /Bulk Sync: Finished/ })).toBeVisible({ timeout: 30_000 });
  expect(await emulator.syncsOf(device.id)).toBe(syncsBefore + 1);
  // The run panel takes the page's width, not half the toolbar's.
  const panel = await page.getByTestId("monitor-run-panel").boundingBox();
  const main = await page.locator("main").boundingBox();
  expect(panel!.width).toBeGreaterThan(main!.width * 0.85);

  // One waiting device, one pending row: the sync shows on the reset's row.
  await expect(row).toContainText(/Sync sent .* to hurry it/);
  await expect(page.getByTestId("count-pending")).toHaveText("1");
  await expect(page.locator(`tr[data-monitor-row="${device.id}"][data-action="sync"]`)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sync all pending (1)" })).toBeVisible();
  // Asked for, the sync is listed on its own.
  await page.getByLabel("Action", { exact: true }).selectOption("sync");
  await expect(page.locator(`tr[data-monitor-row="${device.id}"][data-action="sync"]`)).toContainText("Sync pending");
  await page.reload();
  await page.getByLabel("Action", { exact: true }).selectOption("");
  await expect(row).toContainText(/Sync sent/);
  await expect(page.getByTestId("count-pending")).toHaveText("1");
});
