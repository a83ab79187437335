import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { seriousViolations } from "./fixtures/axe";
import type { EmulatorControl } from "./fixtures/emulator";

/**
 * One device, two Intune records after a re-enrollment (docs/graph.md, "Records that must agree"): the stale
 * record's page names the current one and links to it, and the grid marks rows that share a serial.
 */
const SHOTS = process.env.E2E_SHOTS_DIR;

/** A stale record and the record the same device uses now (same serial, the "reenrolled" one). */
async function stalePair(emulator: EmulatorControl, pick: number) {
  const stale = await emulator.device("staleDuplicate", pick);
  const current = (await emulator.devices("reenrolled", 1000)).find((d) => d.serialNumber === stale.serialNumber && d.id !== stale.id);
  if (!current) throw new Error(`No re-enrolled record shares serial ${stale.serialNumber}`);
  return { stale, current };
}

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(page.getByTestId("serial-records")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("a stale record's page names the current record and links to it", async ({ page, emulator, signInAs }) => {
  // Two page loads, axe and three screenshots on a 2-core machine shared with other runs: more than the default minute.
  test.setTimeout(150_000);
  const { stale, current } = await stalePair(emulator, 0);
  await signInAs("helpdesk", `/devices/windows/${stale.id}`);

  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("not the one the device uses now");
  const records = page.getByTestId("serial-records");
  await expect(records).toContainText(/2 Intune records share this serial; this one last checked in 4\d days ago/);
  // Newest first: the current record leads, with its primary user.
  await expect(records.getByTestId("serial-record").first()).toContainText(current.deviceName);
  await expect(records.getByTestId("serial-record").first()).toContainText("newest");
  await expect(records.getByTestId("serial-record").nth(1)).toContainText("this record");

  expect(await seriousViolations(page)).toEqual([]);
  await shoot(page, "stale-duplicate");

  await page.getByTestId("current-record-link").click();
  await expect(page).toHaveURL(new RegExp(`/devices/windows/${current.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: current.deviceName })).toBeVisible();
  await expect(page.getByTestId("serial-records")).toContainText("this one is the newest");
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeEnabled();
  expect(await emulator.wipesOf(stale.id)).toBe(0);
});

test("the grid marks loaded rows that share a serial", async ({ page, emulator, signInAs }) => {
  const { stale, current } = await stalePair(emulator, 1);
  await signInAs("helpdesk", `/devices/windows?q=${encodeURIComponent(stale.serialNumber)}`);
  for (const id of [stale.id, current.id]) {
    await expect(page.locator(`[data-device-row="${id}"] [data-shared-serial="2"]`)).toBeVisible();
  }
  await expect(page.locator(`[data-device-row="${stale.id}"]`)).toContainText(`2 loaded devices share serial number ${stale.serialNumber}`);
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/grid-shared-serial-1440.png` });
});
