import { expect, test } from "./fixtures/auth";

/** docs/product.md, "Journey 5: check reset status": a failed reset says why and how to fix it. */
test("a reset on a device with WinRE disabled fails with the reason and the fix", async ({ page, emulator, signInAs }) => {
  test.setTimeout(90_000);
  const device = await emulator.device("winreDisabled", 0, ["offline", "hybrid", "notAutopilot", "pendingReset"]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
  const status = page.getByTestId("reset-status");
  await expect(status).toContainText("Reset pending");
  await emulator.checkIn(device.id);
  await expect(status).toContainText("Resetting", { timeout: 20_000 });
  await emulator.advanceClock(31);
  await expect(status).toContainText("Reset failed", { timeout: 20_000 });
  await expect(status).toContainText("0x80070032");
  await expect(status).toContainText("reagentc.exe /enable");
});
