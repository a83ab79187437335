import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";

/**
 * docs/product.md, journeys 2 and 4: a dialog that can destroy opens with its warning in view and focus on No, at a
 * desk (1440), on a small laptop (1024x768) and on a phone (390x844). The middle of a long dialog scrolls; the title,
 * the warning and the answer buttons do not. Screenshots go to test-results/dialog-warning-in-view/ for a person to
 * look at.
 */
const SIZES = [
  { name: "1440x900", width: 1440, height: 900 },
  { name: "1024x768", width: 1024, height: 768 },
  { name: "390x844", width: 390, height: 844 },
] as const;

/**
 * Wholly inside the viewport: by its box, and by what the browser says is visible (a scrolled-off child is not). Soft,
 * so one run reports every element out of view; the position is logged for the record.
 */
async function expectInView(page: Page, locator: Locator, what: string) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what} has a box`).not.toBeNull();
  console.log(`${viewport.width}x${viewport.height} ${what}: top ${Math.round(box!.y)}, bottom ${Math.round(box!.y + box!.height)}`);
  expect.soft(box!.y, `${what} starts below the top of the screen`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.x, `${what} starts right of the screen's left edge`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.y + box!.height, `${what} ends above the bottom of the screen`).toBeLessThanOrEqual(viewport.height);
  expect.soft(box!.x + box!.width, `${what} ends left of the screen's right edge`).toBeLessThanOrEqual(viewport.width);
  await expect.soft(locator, `${what} is not scrolled out of its dialog`).toBeInViewport({ ratio: 1 });
}

for (const size of SIZES) {
  test(`at ${size.name} the reset dialog and the bulk preflight open on No with their warning in view`, async ({ page, emulator, signInAs }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    const shots = `test-results/dialog-warning-in-view/${size.name}`;
    // Only dialogs are opened and closed with No here: nothing is sent, so any eligible device does.
    const device = await emulator.device("eligible", 150 + SIZES.indexOf(size), ["offline", "pendingReset", "hybrid", "notAutopilot"]);

    await signInAs("helpdesk", `/devices/windows/${device.id}`);
    await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
    await expectInView(page, dialog.getByRole("heading", { name: "Autopilot Reset" }), "the title");
    const warning = dialog.getByText(/loses their work/);
    await expect(warning).toContainText(device.deviceName);
    await expectInView(page, warning, "the warning");
    await expectInView(page, dialog.getByRole("button", { name: "No" }), "No");
    await expectInView(page, dialog.getByRole("button", { name: "Yes" }), "Yes");
    await page.screenshot({ path: `${shots}-reset-dialog.png` });
    await dialog.getByRole("button", { name: "No" }).click();
    await expect(dialog).toBeHidden();

    // A large preflight with skipped devices of several kinds: every CONTOSO-LT- device (about 800, 100 skipped).
    await page.goto(`/devices/windows?q=CONTOSO-LT-`);
    await expect(page.getByRole("link", { name: /^CONTOSO-LT-/i }).first()).toBeVisible();
    await expect(page.getByText(/^Showing [\d,]+–[\d,]+ of [\d,]+/)).toBeVisible();
    await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
    await page.getByRole("button", { name: "Select all devices matching this search" }).click();
    await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
    const preflight = page.getByTestId("bulk-confirm-dialog");
    await expect(preflight).toBeVisible({ timeout: 30_000 });
    await expect(preflight.getByRole("button", { name: "No" })).toBeFocused();
    const summary = preflight.getByTestId("bulk-plan-summary");
    await expect(summary).toContainText(/will be reset; [\d,]+ will be skipped/);
    await expectInView(page, preflight.getByRole("heading", { name: "Autopilot Reset: selected devices" }), "the preflight's title");
    await expectInView(page, summary, "how many will be reset and skipped");
    await expectInView(page, preflight.getByText(/loses their work/), "the preflight's warning");
    await expectInView(page, preflight.getByRole("button", { name: "No" }), "No");
    await expectInView(page, preflight.getByTestId("bulk-confirm-input"), "the typed confirmation");
    await page.screenshot({ path: `${shots}-bulk-preflight.png` });
    // The skipped names are there by scrolling the middle, not by scrolling the warning away.
    const skipped = preflight.getByTestId("bulk-plan-skipped");
    await skipped.scrollIntoViewIfNeeded();
    await expect(skipped).toBeInViewport();
    await expectInView(page, summary, "the summary, once the list is scrolled");
    await page.screenshot({ path: `${shots}-bulk-preflight-scrolled.png` });
    await preflight.getByRole("button", { name: "No" }).click();
    await expect(preflight).toBeHidden();
  });
}
