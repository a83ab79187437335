import { expect, test } from "./fixtures/auth";
import { seriousViolations } from "./fixtures/axe";

for (const theme of ["light", "dark"] as const) {
  test(`the grid and the device page have no serious accessibility violations (${theme})`, async ({ page, emulator, signInAs }) => {
    // Three axe passes, one over a 100-row grid, take tens of seconds on this 2-core machine when it is busy.
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    // Not pending and not offline, so its Autopilot Reset button opens the dialog.
    const device = await emulator.device("eligible", 4, ["hybrid", "notAutopilot", "pendingReset", "offline"]);
    await signInAs("helpdesk", "/devices/windows");
    await expect(page.getByRole("grid", { name: "Windows devices" }).locator("tbody tr[data-device-row]").first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`/devices/windows/${device.id}`);
    await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await expect(page.getByRole("dialog", { name: "Autopilot Reset" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
