import { expect, test } from "./fixtures/auth";

/** PRODUCT.md journeys 1, 2 and 5: find a device, Autopilot Reset it, Sync it, and follow the reset to the end. */
test("a Help Desk Operator finds a device, resets it, syncs it and sees the reset through", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 0, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);
  const syncsBefore = await emulator.syncsOf(device.id);

  await signInAs("helpdesk", "/devices/windows");
  await expect(page.getByRole("heading", { name: "Windows | Windows devices" })).toBeVisible();

  await page.getByLabel("Search by device name, user or serial number").fill(device.serialNumber);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(device.serialNumber)}`));
  const grid = page.getByRole("table", { name: "Windows devices" });
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
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);

  const resetStatus = page.getByTestId("reset-status");
  await expect(resetStatus).toContainText("Reset pending");
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("already pending");

  // The pending reset offers Sync; Sync works the same way: a dialog, Yes, a message.
  await resetStatus.getByRole("button", { name: "Sync now" }).click();
  const syncDialog = page.getByRole("dialog", { name: "Sync" });
  await syncDialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Sync initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.syncsOf(device.id)).toBe(syncsBefore + 1);

  // Emulator time moves on: the device checks in (sooner, thanks to Sync), the reset runs, then finishes.
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        await emulator.advanceClock(120);
        const text = (await resetStatus.textContent()) ?? "";
        for (const state of ["Reset pending", "Resetting", "Reset complete"]) if (text.includes(state)) seen.add(state);
        return seen.has("Reset complete");
      },
      { timeout: 90_000, intervals: [3_500] },
    )
    .toBe(true);
  expect([...seen]).toEqual(expect.arrayContaining(["Reset pending", "Resetting", "Reset complete"]));
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
});
