import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";
import type { EmulatorControl, TestDevice } from "./fixtures/emulator";
import { graphToken } from "./fixtures/graph";

/**
 * Windows 10 reached end of support on 2025-10-14; Intune still allows an Autopilot Reset on it, without a guarantee
 * (docs/graph.md, "Windows 10"). Wherever a reset of a Windows 10 device is decided, the console says so and still
 * lets it go: the device page's reset dialog and a run's preflight. Nothing here presses Yes: the counters
 * prove the notes sent nothing.
 */

const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

/** An eligible device of each Windows release, far from the picks of other specs, that nothing has reset. */
async function onePerRelease(request: APIRequestContext, emulator: EmulatorControl) {
  const token = await graphToken(request);
  const wipes = (await emulator.counters()).wipes;
  const found: { win10?: TestDevice; win11?: TestDevice } = {};
  for (let pick = 300; pick < 400 && !(found.win10 && found.win11); pick++) {
    const device = await emulator.device("eligible", pick, [...NOT_PLAIN]);
    if ((wipes[device.id] ?? 0) > 0) continue;
    const response = await request.get(`${EMULATOR_URL}/beta/deviceManagement/managedDevices/${device.id}?$select=osVersion`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.ok()).toBe(true);
    const { osVersion } = (await response.json()) as { osVersion: string };
    const build = Number(/^10\.0\.(\d+)/.exec(osVersion)?.[1]);
    if (build < 22_000) found.win10 ??= device;
    else found.win11 ??= device;
  }
  expect(found.win10, "an eligible Windows 10 device").toBeDefined();
  expect(found.win11, "an eligible Windows 11 device").toBeDefined();
  return { win10: found.win10!, win11: found.win11! };
}

test("a Windows 10 device's reset dialog says 'allowed, not guaranteed'; a Windows 11 device's does not", async ({ page, request, emulator, signInAs }) => {
  const { win10, win11 } = await onePerRelease(request, emulator);
  const before = (await emulator.counters()).wipes;

  await signInAs("helpdesk", `/devices/windows/${win10.id}`);
  await expect(page.getByRole("heading", { level: 1, name: win10.deviceName })).toBeVisible();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog).toContainText("Intune allows an Autopilot Reset, but does not guarantee it works");
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toBeHidden();

  await page.goto(`/devices/windows/${win11.id}`);
  await expect(page.getByRole("heading", { level: 1, name: win11.deviceName })).toBeVisible();
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeEnabled();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).not.toContainText("Windows 10");
  await dialog.getByRole("button", { name: "No" }).click();

  const after = (await emulator.counters()).wipes;
  expect(after[win10.id] ?? 0).toBe(before[win10.id] ?? 0);
  expect(after[win11.id] ?? 0).toBe(before[win11.id] ?? 0);
});

test("a list run's preflight counts its Windows 10 devices and keeps them in the run", async ({ page, request, emulator, signInAs }) => {
  const { win10, win11 } = await onePerRelease(request, emulator);
  const before = (await emulator.counters()).wipes;

  await signInAs("helpdesk", "/devices/windows/from-list");
  await page.locator("#ticket-file-input").setInputFiles({
    name: "ticket-win10.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`serial\r\n${win10.serialNumber}\r\n${win11.serialNumber}\r\n`),
  });
  await page.getByRole("button", { name: "Check devices" }).click();
  await expect(page.getByTestId("ticket-counts")).toContainText("2 devices will be reset");
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog.getByTestId("bulk-plan-summary")).toContainText("2 devices will be reset");
  await expect(dialog.getByTestId("bulk-plan-windows10")).toHaveText(
    "1 of them runs Windows 10, which reached end of support on 14 October 2025: Intune allows an Autopilot Reset, but does not guarantee it works.",
  );
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toBeHidden();

  const after = (await emulator.counters()).wipes;
  expect(after[win10.id] ?? 0).toBe(before[win10.id] ?? 0);
  expect(after[win11.id] ?? 0).toBe(before[win11.id] ?? 0);
});
