import { expect, signIn, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";

const PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

test("signing out ends the session: the next page asks for sign-in again", async ({ page, signInAs }) => {
  await signInAs("readonly", "/");
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: /Help Desk/ }).first()).toBeVisible();
});

test("signing out in one tab ends the session in every other tab: its tokens are dropped and nothing more is sent from it", async ({ page, context, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 121, [...PLAIN]);
  const wipesBefore = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", "/");
  const other = await context.newPage();
  await signIn(other, emulator, "helpdesk", `/devices/windows/${device.id}`);
  await expect(other.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  // Each tab keeps its own tokens (MSAL in sessionStorage); the other tab has some, and a reset dialog open.
  const tokensIn = (tab: typeof other) => tab.evaluate(() => Object.keys(sessionStorage).filter((k) => /accesstoken|refreshtoken|idtoken/i.test(k)).length);
  expect(await tokensIn(other)).toBeGreaterThan(0);
  await other.getByRole("button", { name: "Autopilot Reset" }).click();
  await expect(other.getByRole("dialog", { name: "Autopilot Reset" })).toBeVisible();

  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });

  const notice = other.getByRole("alert").filter({ hasText: "You signed out in another tab" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("nothing more is sent from here");
  await expect(other.getByRole("dialog", { name: "Autopilot Reset" })).toHaveCount(0);
  await expect(other.getByRole("button", { name: "Yes" })).toHaveCount(0);
  await expect.poll(() => tokensIn(other)).toBe(0);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);

  // Signing in again starts over in that tab.
  await notice.getByRole("button", { name: "Sign in again" }).click();
  await other.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });
});

test("a Yes pressed offline sends nothing and says so, and nothing leaves when the network returns", async ({ page, context, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 122, [...PLAIN]);
  const wipesBefore = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog.getByRole("button", { name: "Yes" })).toBeEnabled();

  await context.setOffline(true);
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByRole("alert")).toContainText("This browser is offline, so nothing was sent.");
  await expect(dialog).not.toContainText("Sending");

  await context.setOffline(false);
  // A real wait, on purpose: a send held for the network (TanStack Query pauses mutations offline by default) leaves
  // within milliseconds of the browser's "online" event; two seconds later there must still be none.
  await page.waitForTimeout(2_000);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);

  // The dialog is still the person's to answer: a Yes now, online, sends the one reset.
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
});

test("a bulk Yes pressed offline starts no run and says so; back online, nothing leaves", async ({ page, context, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 123, [...PLAIN]);
  const wipesBefore = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows?q=${device.serialNumber}`);
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("link", { name: device.deviceName, exact: true })).toBeVisible();
  await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog.getByRole("button", { name: "Yes" })).toBeEnabled();

  await context.setOffline(true);
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("bulk-start-error")).toContainText("This browser is offline, so nothing was sent.");
  await expect(page.getByTestId("bulk-run-panel")).toHaveCount(0);
  await context.setOffline(false);
  // A real wait, on purpose: a run held for the network would send within moments of the "online" event.
  await page.waitForTimeout(2_000);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);
  await expect(page.getByTestId("bulk-run-panel")).toHaveCount(0);
});
