import { expect, test } from "./fixtures/auth";

/**
 * docs/product.md, journeys 1, 2 and 5: find a device, Autopilot Reset it, Sync it, and follow the reset to the end.
 */
test("a Help Desk Operator finds a device, resets it, syncs it and sees the reset through", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 0, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);
  const syncsBefore = await emulator.syncsOf(device.id);

  await signInAs("helpdesk", "/devices/windows");
  await expect(page.getByRole("heading", { name: "Windows | Windows devices" })).toBeVisible();

  await page.getByLabel("Search by device name, user or serial number").fill(device.serialNumber);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(device.serialNumber)}`));
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("link", { name: device.deviceName, exact: true })).toBeVisible();
  await grid.getByRole("link", { name: device.deviceName, exact: true }).click();

  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible();

  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog).toContainText("The primary user");
  await expect(dialog).toContainText("Personal files, apps and settings");
  await expect(dialog).toContainText("Region, language and keyboard");
  await expect(dialog).toContainText("Wi-Fi connection details");
  await expect(dialog).toContainText("SCEP certificates");
  await expect(dialog).toContainText("starts when the device next checks in");
  await dialog.getByRole("button", { name: "Yes" }).click();

  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  await expect(dialog).toBeHidden();
  // A keyboard user stays in the page after Yes: the Reset button is disabled now, so focus goes to the main region.
  await expect.poll(() => page.evaluate(() => document.activeElement !== document.body && document.activeElement?.closest("main") !== null)).toBe(true);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);

  const resetStatus = page.getByTestId("reset-status");
  await expect(resetStatus).toContainText("Reset pending");
  // The Autopilot card says the same, read again when the status moved (no 15 s poll to wait for).
  await expect(page.getByTestId("autopilot-section")).toContainText("Enrollment stateReset pending", { timeout: 10_000 });
  // One message says it: the disabled button points to it, and no "unavailable" banner repeats it.
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toHaveAccessibleDescription(/Autopilot Reset initiated/);
  await expect(page.getByTestId("reset-unavailable")).toHaveCount(0);

  // The pending reset offers Sync; Sync works the same way: a dialog, Yes, a message.
  await resetStatus.getByRole("button", { name: "Sync now" }).click();
  const syncDialog = page.getByRole("dialog", { name: "Sync" });
  await syncDialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Sync initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.syncsOf(device.id)).toBe(syncsBefore + 1);

  // Emulator time moves on. A synced online device checks in 5-15 s later and the reset turns active; 30 s after
  // that it is done (emulator/fleet/fleet.ts). The page polls every few seconds while the reset is under way.
  await expect(resetStatus).toContainText("Reset pending");
  await emulator.advanceClock(16);
  await expect(resetStatus).toContainText("Resetting", { timeout: 20_000 });
  await emulator.advanceClock(31);
  await expect(resetStatus).toContainText("Reset complete", { timeout: 20_000 });
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
  // The page never says two things at once: the Autopilot card is read again when the reset's status moves, so it
  // does not keep "Reset pending" beside "Reset complete" (its own poll stops once the reset is over).
  const autopilot = page.getByTestId("autopilot-section");
  await expect(autopilot).toContainText("Enrollment stateEnrolled", { timeout: 10_000 });
  await expect(autopilot).not.toContainText("Reset pending");
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: test.info().outputPath(`device-after-reset-${width}.png`), fullPage: true });
  }
});
