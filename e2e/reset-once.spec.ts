import { expect, test } from "./fixtures/auth";

test("a double click on Yes sends exactly one Autopilot Reset", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 1, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const before = await emulator.wipesOf(device.id);

  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).dblclick();

  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  // Give a stray second request time to arrive before counting.
  await page.waitForTimeout(1_000);
  expect(await emulator.wipesOf(device.id)).toBe(before + 1);
});
