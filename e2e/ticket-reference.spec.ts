import { expect, test } from "./fixtures/auth";

/**
 * docs/product.md, "Ticket reference" and "A device's reset history": a reset carries the ticket reference given at
 * Yes (a hostile one is refused before anything is sent), the next dialog is pre-filled with it, and the device's
 * history lists every attempt with its reference, not only the latest.
 */
test("a device reset twice lists both attempts with their ticket references", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 3, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);

  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  const history = page.getByTestId("device-history");
  await expect(history).toBeVisible();

  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  // Still opens on No, with the warning in view.
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await expect(dialog.getByTestId("reset-dialog-warning")).toBeInViewport();
  const field = dialog.getByLabel("Ticket reference (optional)");
  await field.fill('=HYPERLINK("http://evil.example")');
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("ticket-reference-problem")).toContainText("A ticket reference starts with a letter or a digit");
  await expect(field).toBeFocused();
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);

  await field.fill("  INC0012345 ");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
  const entries = history.getByTestId("device-history-entry");
  await expect(entries).toHaveCount(1, { timeout: 10_000 });
  await expect(entries.first()).toContainText("Autopilot Reset");
  await expect(entries.first().getByTestId("device-history-ticket")).toHaveText("INC0012345");

  // The emulator's clock completes it: the device checks in and the reset runs (emulator/fleet/fleet.ts).
  const resetStatus = page.getByTestId("reset-status");
  await resetStatus.getByRole("button", { name: "Sync now" }).click();
  await page.getByRole("dialog", { name: "Sync" }).getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Sync initiated for ${device.deviceName}` })).toBeVisible();
  await emulator.advanceClock(16);
  await expect(resetStatus).toContainText("Resetting", { timeout: 20_000 });
  await emulator.advanceClock(31);
  await expect(resetStatus).toContainText("Reset complete", { timeout: 20_000 });
  await expect(entries.filter({ hasText: "Autopilot Reset" }).first().getByTestId("device-history-outcome")).toHaveText("Complete", { timeout: 10_000 });

  // The second reset: the dialog is pre-filled with the session's reference, and takes a new one.
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await expect(dialog.getByLabel("Ticket reference (optional)")).toHaveValue("INC0012345");
  await dialog.getByLabel("Ticket reference (optional)").fill("INC0012346");
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await expect(dialog.getByTestId("reset-dialog-warning")).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`reset-dialog-ticket-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 2);

  const resets = entries.filter({ hasText: "Autopilot Reset" });
  await expect(resets).toHaveCount(2, { timeout: 10_000 });
  // Newest first, each with its own reference and outcome; the sync between them is listed too.
  await expect(resets.nth(0).getByTestId("device-history-ticket")).toHaveText("INC0012346");
  await expect(resets.nth(0).getByTestId("device-history-outcome")).toContainText("Pending");
  await expect(resets.nth(1).getByTestId("device-history-ticket")).toHaveText("INC0012345");
  await expect(resets.nth(1).getByTestId("device-history-outcome")).toHaveText("Complete");
  await expect(entries.filter({ hasText: "Sync" })).toHaveCount(1);
  await expect(history).not.toContainText("HYPERLINK");

  // Device actions shows the reference beside who asked, and exports it.
  await page.goto("/devices/actions");
  const row = page.locator("tr[data-monitor-row]").filter({ hasText: device.deviceName }).first();
  await expect(row.getByTestId("monitor-ticket")).toHaveText("Ticket INC0012346", { timeout: 20_000 });
  await page.goto(`/devices/windows/${device.id}`);

  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await history.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`history-${width}.png`), fullPage: true });
  }
});
