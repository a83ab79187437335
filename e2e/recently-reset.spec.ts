import { expect, test } from "./fixtures/auth";
import { waitForEnd } from "./fixtures/bulk";

const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

/**
 * docs/product.md, "Recently reset": a device reset in the last 24 hours (on Graph's clock, from its audits and this
 * console's records) is named with when and by whom in a pasted list's preflight, starts unticked, and is reset only
 * if the person ticks it again.
 */
test("a device reset a moment ago is unticked in a pasted list's preflight until ticked again", async ({ page, emulator, signInAs }) => {
  test.setTimeout(150_000);
  const recent = await emulator.device("eligible", 41, [...NOT_PLAIN]);
  const other = await emulator.device("eligible", 42, [...NOT_PLAIN]);
  expect(other.id).not.toBe(recent.id);

  // Reset it from its page, and let the emulator's clock complete it: then nothing but its history holds it back.
  await signInAs("helpdesk", `/devices/windows/${recent.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
  const resetStatus = page.getByTestId("reset-status");
  await expect(resetStatus).toContainText("Reset pending");
  await resetStatus.getByRole("button", { name: "Sync now" }).click();
  await page.getByRole("dialog", { name: "Sync" }).getByRole("button", { name: "Yes" }).click();
  await emulator.advanceClock(16);
  await expect(resetStatus).toContainText("Resetting", { timeout: 20_000 });
  await emulator.advanceClock(31);
  await expect(resetStatus).toContainText("Reset complete", { timeout: 20_000 });
  const wipesBefore = [await emulator.wipesOf(recent.id), await emulator.wipesOf(other.id)];

  await page.goto(`/devices/windows/from-list?lines=${[recent, other].map((d) => encodeURIComponent(d.deviceName)).join(",")}`);
  await expect(page.getByTestId("ticket-counts")).toContainText("2 devices will be reset", { timeout: 30_000 });
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  const section = dialog.getByTestId("bulk-plan-recent");
  await expect(section.getByTestId("bulk-plan-recent-device")).toHaveCount(1);
  await expect(section).toContainText(recent.deviceName);
  await expect(section).toContainText(/Reset (just now|\d+ min ago) by Megan Bowen\./);
  const tick = section.getByRole("checkbox", { name: `Reset ${recent.deviceName} again` });
  await expect(tick).not.toBeChecked();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("1 device will be reset; 1 will be skipped.");

  // Ticked again it is in the run; unticked, out again.
  await tick.click();
  await expect(tick).toBeChecked();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("2 devices will be reset.");
  await tick.click();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("1 device will be reset; 1 will be skipped.");
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await expect(dialog.getByTestId("bulk-plan-warning")).toBeInViewport();
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`recently-reset-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await waitForEnd(page);
  expect([await emulator.wipesOf(recent.id), await emulator.wipesOf(other.id)]).toEqual([wipesBefore[0], wipesBefore[1]! + 1]);

  // The results and their CSV say why it was left out, in words.
  const row = page.getByTestId("bulk-results").locator(`tr[data-device-id="${recent.id}"]`);
  await expect(row).toContainText(/Reset (just now|\d+ min ago) by Megan Bowen/);
});
