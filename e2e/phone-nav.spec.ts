import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { seriousViolations } from "./fixtures/axe";
import { APP_URL } from "./fixtures/env";

/**
 * docs/product.md, "Where the console should beat the admin center" (usable at 1024 px and on a phone): the shell at
 * every size. On a phone the left navigation folds into a menu that reaches every page by keyboard; no page asks for
 * a favicon it does not have; the shell never scrolls sideways at 1024x768; axe finds nothing serious in the shell or
 * the monitor at 390 and 1024 px, light or dark. Reads only: no device is touched.
 */
const PHONE = { width: 390, height: 844 };
const SMALL_LAPTOP = { width: 1024, height: 768 };

/** Every page of the navigation, by its link, with the heading it opens on. */
const PAGES = [
  { link: "Home", path: /\/$/, heading: "Home" },
  { link: "Devices", path: /\/devices$/, heading: "By platform" },
  { link: "Windows", path: /\/devices\/windows$/, heading: "Windows | Windows devices" },
  { link: "Reset from a list", path: /\/devices\/windows\/from-list/, heading: "Windows | Reset from a list" },
  { link: "Device actions", path: /\/devices\/actions$/, heading: "Monitor | Device actions" },
  { link: "Approvals", path: /\/devices\/approvals$/, heading: "Multi Admin Approval | Approvals" },
] as const;

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("on a phone the menu reaches every page, by keyboard, and gives focus back", async ({ page, signInAs }) => {
  test.setTimeout(90_000);
  await page.setViewportSize(PHONE);
  const notFound: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404 && response.url().startsWith(APP_URL)) notFound.push(response.url());
  });
  await signInAs("helpdesk", "/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  // The left navigation is gone; the menu button stands in for it.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  const menuButton = page.getByRole("button", { name: "Open navigation menu" });
  await expect(menuButton).toBeVisible();

  // Keyboard: Enter opens it with focus inside, Tab stays inside, Escape closes it and focus is back on the button.
  await menuButton.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("dialog", { name: "Navigation" });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    expect(await menu.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();

  for (const target of PAGES) {
    await menuButton.click();
    await expect(menu).toBeVisible();
    const link = menu.getByRole("link", { name: target.link, exact: true });
    await link.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(target.path);
    await expect(menu).toBeHidden();
    await expect(page.getByRole("heading", { name: target.heading }).first()).toBeVisible();
    await menuButton.click();
    await expect(menu.getByRole("link", { name: target.link, exact: true })).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Escape");
  }

  // The favicon is declared and served; nothing the pages asked for was missing.
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  expect(notFound).toEqual([]);
});

test("the shell does not scroll sideways at 1024x768, and has its left navigation there", async ({ page, signInAs }) => {
  test.setTimeout(90_000);
  await page.setViewportSize(SMALL_LAPTOP);
  await signInAs("helpdesk", "/");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Open navigation menu" })).toBeHidden();
  const overflowing: string[] = [];
  for (const target of PAGES) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: target.link, exact: true }).click();
    await expect(page).toHaveURL(target.path);
    await expect(page.getByRole("heading", { name: target.heading }).first()).toBeVisible();
    const overflow = await sidewaysOverflow(page);
    if (overflow > 0) overflowing.push(`${target.link}: ${overflow} px`);
  }
  expect(overflowing).toEqual([]);
});

for (const size of [PHONE, SMALL_LAPTOP]) {
  for (const theme of ["light", "dark"] as const) {
    test(`no serious axe violations in the shell and the monitor at ${size.width} px (${theme})`, async ({ page, signInAs }) => {
      test.setTimeout(90_000);
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await signInAs("helpdesk", "/");
      await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      if (size === PHONE) {
        await page.getByRole("button", { name: "Open navigation menu" }).click();
        await expect(page.getByRole("dialog", { name: "Navigation" })).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
        await page.keyboard.press("Escape");
      }
      await page.goto("/devices/actions");
      await expect(page.locator("tr[data-monitor-row]").first()).toBeVisible({ timeout: 30_000 });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}
