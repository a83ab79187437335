import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { seriousViolations } from "./fixtures/axe";

/**
 * Autopilot device preparation does not support Autopilot Reset (docs/graph.md, "Autopilot device preparation"): the
 * device page says so before anyone clicks, with what to do instead, and the grid tells such devices apart.
 */
const SHOTS = process.env.E2E_SHOTS_DIR;
const WIDTHS = [1440, 1024, 390];

async function shoot(page: Page, name: string, ready: () => Promise<void>) {
  if (!SHOTS) return;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await ready();
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("a device preparation device's page says why Reset is unavailable and what to do instead", async ({ page, emulator, signInAs }) => {
  // Two page loads, axe and three screenshots on a 2-core machine shared with other runs: more than the default minute.
  test.setTimeout(150_000);
  const device = await emulator.device("devicePreparation", 0);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);

  const autopilot = page.getByTestId("autopilot-section");
  await expect(autopilot.getByTestId("provisioned-by")).toHaveText("Device preparation");
  await expect(autopilot.getByTestId("provisioned-by-why")).toContainText("does not support Autopilot Reset");

  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("Autopilot device preparation policy");
  const next = page.getByTestId("reset-next-step");
  await expect(next).toContainText("Wipe it from its page in the Intune admin center");
  await expect(next).toContainText("new Intune and Microsoft Entra records");
  await expect(next.getByRole("link", { name: new RegExp(`Open ${device.deviceName} in the Intune admin center`) })).toBeVisible();

  expect(await seriousViolations(page)).toEqual([]);
  await shoot(page, "device-preparation", () => expect(page.getByTestId("reset-next-step")).toBeVisible());
  // Nothing reached the device.
  expect(await emulator.wipesOf(device.id)).toBe(0);
});

test("a device registered with Autopilot but provisioned by device preparation is refused too", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("devicePreparationRegistered", 0);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByTestId("autopilot-section").getByTestId("provisioned-by")).toHaveText("Device preparation");
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("does not support Autopilot Reset");
});

test("a name shared by a profile and a policy is Unknown: the reset stays possible and the page says what is not known", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("profileNameCollision", 0);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByTestId("autopilot-section").getByTestId("provisioned-by")).toHaveText("Unknown");
  await expect(page.getByTestId("autopilot-section").getByTestId("provisioned-by-why")).toContainText("is not known");
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeEnabled();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("reset-dialog-note").filter({ hasText: "is not known" })).toBeVisible();
  await dialog.getByRole("button", { name: "No" }).click();
});

test("the grid shows Provisioned by and filters by it", async ({ page, emulator, signInAs }) => {
  // Two page loads, axe and three screenshots on a 2-core machine shared with other runs: more than the default minute.
  test.setTimeout(150_000);
  const device = await emulator.device("devicePreparation", 1);
  await signInAs("helpdesk", "/devices/windows");
  await expect(page.getByTestId("grid-count")).toBeVisible();

  // The column is in the picker: the default columns fill a laptop's width.
  await expect(page.getByRole("columnheader", { name: "Provisioned by" })).toHaveCount(0);
  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Provisioned by" }).click();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("columnheader", { name: "Provisioned by" })).toBeVisible();
  const cells = page.locator("[data-provisioned-by]");
  await expect(cells.first()).toBeVisible();

  await page.getByLabel("Provisioned by").selectOption("device-preparation");
  await expect(page).toHaveURL(/provisioned=device-preparation/);
  await expect(page.getByText("Intune can't filter by provisioning itself")).toBeVisible();
  await expect(page.locator(`[data-device-row="${device.id}"]`)).toBeVisible({ timeout: 30_000 });
  const kinds = await cells.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-provisioned-by")));
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds)).toEqual(new Set(["device-preparation"]));

  expect(await seriousViolations(page)).toEqual([]);
  await shoot(page, "grid-provisioned-by", async () => {
    // A phone gets cards: no columns, but the same filter.
    const width = page.viewportSize()?.width ?? 1440;
    await expect(width < 640 ? page.locator(`[data-device-card="${device.id}"]`) : page.locator(`[data-device-row="${device.id}"]`)).toBeVisible();
  });

  await page.getByLabel("Provisioned by").selectOption("autopilot");
  await expect(page.locator(`[data-device-row="${device.id}"]`)).toHaveCount(0);
  await expect(cells.first()).toBeVisible();
  const autopilot = await cells.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-provisioned-by")));
  expect(new Set(autopilot)).toEqual(new Set(["autopilot"]));
});
