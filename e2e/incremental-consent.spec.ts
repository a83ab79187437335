import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";

/**
 * docs/architecture.md, "Sign-in and tokens": PrivilegedOperations is asked for incrementally. When the silent request
 * for it needs the user (consent, MFA, an expired session), the console saves the reset, sends the user through
 * sign-in, and continues the reset once on return: not lost, not sent twice.
 */
test("a reset interrupted by a consent prompt continues once after it", async ({ page, emulator, signInAs }) => {
  test.setTimeout(90_000);
  const device = await emulator.device("eligible", 49, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);
  const who = await emulator.persona("helpdesk");
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();

  // Entra answers a silent request for a scope that needs the user with AADSTS65001 (consent_required).
  const privilegedRefreshes: string[] = [];
  await page.route(
    (url) => url.origin === EMULATOR_URL && url.pathname.endsWith("/oauth2/v2.0/token"),
    async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("grant_type=refresh_token") && body.includes("PrivilegedOperations")) {
        privilegedRefreshes.push(body);
        await route.fulfill({
          status: 400,
          headers: { "access-control-allow-origin": new URL(page.url()).origin },
          json: {
            error: "invalid_grant",
            error_description: "AADSTS65001: The user or administrator has not consented to use the application.",
            error_codes: [65001],
            suberror: "consent_required",
          },
        });
        return;
      }
      await route.fallback();
    },
  );
  // The session's cached access tokens are gone (as after they expire), so the silent request goes to the network.
  await page.evaluate(() => {
    for (const key of Object.keys(window.sessionStorage)) {
      if (key.toLowerCase().includes("accesstoken")) window.sessionStorage.removeItem(key);
    }
  });

  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();

  // The consent prompt: the emulator's sign-in page. Nothing has been sent yet.
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });
  expect(privilegedRefreshes.length).toBeGreaterThan(0);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);
  await page.unrouteAll();
  await page.getByRole("button", { name: new RegExp(who.displayName) }).click();

  // Back on the device page, the reset continues by itself, once.
  await page.waitForURL((url) => url.pathname === `/devices/windows/${device.id}`, { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
  await page.waitForTimeout(1_500);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
});
