import { expect, test } from "./fixtures/auth";

/**
 * Not a check: screenshots of every page, light and dark, for a person to look at. Runs only when SCREENSHOT_DIR is
 * set (e.g. SCREENSHOT_DIR=/tmp/console-shots npx playwright test visual-tour), and writes outside the repository.
 */
const dir = process.env.SCREENSHOT_DIR;

test.skip(!dir, "set SCREENSHOT_DIR to take screenshots");

for (const theme of ["light", "dark"] as const) {
  test(`tour (${theme})`, async ({ page, emulator, signInAs }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: theme });
    const shot = (name: string) => page.screenshot({ path: `${dir}/${theme}-${name}.png`, fullPage: true });

    await page.goto("/auth/redirect");
    await shot("00-redirect-landing");
    await signInAs("helpdesk", "/");
    await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
    await shot("01-home");
    await page.goto("/devices");
    await expect(page.getByRole("heading", { name: "By platform" })).toBeVisible();
    await shot("02-devices-overview");
    await page.goto("/devices/windows");
    await expect(page.locator("tbody tr[data-device-row]").first()).toBeVisible();
    await shot("03-windows-grid");
    await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
    await shot("04-grid-selected");
    await page.getByLabel("Search by device name, user or serial number").fill("' or 1 eq 1");
    await expect(page.getByText("No Windows devices match")).toBeVisible();
    await shot("05-grid-no-match");

    const eligible = await emulator.device("eligible", theme === "light" ? 9 : 10, ["hybrid", "notAutopilot", "offline", "pendingReset"]);
    await page.goto(`/devices/windows/${eligible.id}`);
    await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible();
    await shot("06-device");
    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await shot("07-reset-dialog");
    await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
    await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
    await shot("07b-reset-pending");

    const hybrid = await emulator.device("hybrid", 1);
    await page.goto(`/devices/windows/${hybrid.id}`);
    await expect(page.getByTestId("reset-unavailable")).toBeVisible();
    await shot("08-device-hybrid");

    const winre = await emulator.device("winreDisabled", theme === "light" ? 7 : 8, ["offline", "hybrid", "notAutopilot"]);
    await page.goto(`/devices/windows/${winre.id}`);
    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
    await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
    await emulator.checkIn(winre.id);
    await emulator.advanceClock(31);
    await expect(page.getByTestId("reset-status")).toContainText("Reset failed", { timeout: 20_000 });
    await shot("09-device-reset-failed");
    const pending = await emulator.devices("pendingReset", 1);
    if (pending[0]) {
      await page.goto(`/devices/windows/${pending[0].id}`);
      await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible();
      await shot("10-device-pending");
    }
    await page.goto("/devices/windows/not-a-guid");
    await shot("11-not-found");
    await page.goto("/devices/windows/00000000-0000-4000-8000-000000000000");
    await expect(page.getByRole("heading", { name: "Device not found" })).toBeVisible();
    await shot("12-device-not-found");
  });
}
