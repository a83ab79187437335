import { expect, test } from "./fixtures/auth";
import { devicesNamed, selectAllMatching, waitForEnd } from "./fixtures/bulk";

const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;
/** About a quarter of the seeded fleet's Windows devices (emulator/fleet/generate.ts), none of them in a bulk spec's run. */
const PREFIX = "DESKTOP-";

/**
 * docs/product.md, "Recently reset": a device reset in the last 24 hours (on Graph's clock, from its audits and this
 * console's records) is named with when and by whom in a pasted list's preflight, starts unticked, and is reset only
 * if the person ticks it again.
 */
test("a device reset a moment ago is unticked in a pasted list's preflight until ticked again", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(180_000);
  // Three plain devices no spec has wiped, under a name prefix with more devices than the grid's first page, so that
  // "all matching" is offered for it below.
  const wiped = (await emulator.counters()).wipes;
  const plain = (await devicesNamed(request, PREFIX)).filter(
    (d) => d.traits.includes("eligible") && !d.traits.some((t) => (NOT_PLAIN as readonly string[]).includes(t)) && !((wiped[d.id] ?? 0) > 0),
  );
  expect(plain.length).toBeGreaterThan(50);
  const [left, again, other] = [plain[41]!, plain[43]!, plain[42]!];

  // Reset two of them from their pages, and let the emulator's clock complete both: then nothing but their history
  // holds them back.
  await signInAs("helpdesk", `/devices/windows/${left.id}`);
  for (const d of [left, again]) {
    await page.goto(`/devices/windows/${d.id}`);
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
  }
  const devices = [left, again, other];
  const wipesBefore = await Promise.all(devices.map((d) => emulator.wipesOf(d.id)));

  await page.goto(`/devices/windows/from-list?lines=${devices.map((d) => encodeURIComponent(d.deviceName)).join(",")}`);
  await expect(page.getByTestId("ticket-counts")).toContainText("3 devices will be reset", { timeout: 30_000 });
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  const section = dialog.getByTestId("bulk-plan-recent");
  await expect(section.getByTestId("bulk-plan-recent-device")).toHaveCount(2);
  for (const d of [left, again]) {
    const item = section.getByTestId("bulk-plan-recent-device").filter({ hasText: d.deviceName });
    await expect(item).toContainText(/Reset (just now|\d+ min ago) by Megan Bowen\./);
    await expect(item.getByRole("checkbox", { name: `Reset ${d.deviceName} again` })).not.toBeChecked();
  }
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("1 device will be reset; 2 will be skipped.");

  // Ticked again it is in the run; unticked, out again.
  const tick = section.getByRole("checkbox", { name: `Reset ${again.deviceName} again` });
  await tick.click();
  await expect(tick).toBeChecked();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("2 devices will be reset; 1 will be skipped.");
  await tick.click();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("1 device will be reset; 2 will be skipped.");
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await expect(dialog.getByTestId("bulk-plan-warning")).toBeInViewport();
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`recently-reset-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await tick.click();
  await expect(dialog.getByTestId("bulk-plan-summary")).toHaveText("2 devices will be reset; 1 will be skipped.");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await waitForEnd(page);
  const wipesAfter = await Promise.all(devices.map((d) => emulator.wipesOf(d.id)));
  expect(wipesAfter.map((n, i) => n - wipesBefore[i]!)).toEqual([0, 1, 1]);

  // The results say why one was left out, and the server reported the one ticked again, in words.
  const results = page.getByTestId("bulk-results");
  await expect(results.locator(`tr[data-device-id="${left.id}"]`)).toContainText(/Reset (just now|\d+ min ago) by Megan Bowen/);
  await expect(results.locator(`tr[data-device-id="${again.id}"]`)).toContainText(/already been reset in the last 24 hours: Reset (just now|\d+ min ago) by Megan Bowen/);
  await expect(results.locator(`tr[data-device-id="${other.id}"]`)).not.toContainText("24 hours");

  // "All matching" in the grid is read from the device list, which has no audits: the tenant's resets of the day (the
  // audit log the daily limit is counted from) name the device all the same. No is pressed: nothing is sent.
  await selectAllMatching(page, PREFIX);
  await expect(page.getByTestId("bulk-selected-count")).toContainText("All devices matching");
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const gridDialog = page.getByTestId("bulk-confirm-dialog");
  await expect(gridDialog.getByRole("button", { name: "No" })).toBeFocused({ timeout: 60_000 });
  const leftOut = gridDialog.getByTestId("bulk-plan-recent").getByTestId("bulk-plan-recent-device").filter({ hasText: left.deviceName });
  // The audit log names who asked by user principal name.
  await expect(leftOut).toContainText(/Reset (just now|\d+ min ago) by MeganB@contoso\.onmicrosoft\.com\./);
  await expect(leftOut.getByRole("checkbox", { name: `Reset ${left.deviceName} again` })).not.toBeChecked();
  await gridDialog.getByRole("button", { name: "No" }).click();
  expect(await emulator.wipesOf(left.id)).toBe(wipesAfter[0]);
});
