import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";

/** docs/architecture.md, "Sign-in and tokens": an access token that expires mid-session. */

const DEFAULT_LIFETIME_SECONDS = 3600;

async function setAccessTokenLifetime(request: APIRequestContext, seconds: number) {
  const response = await request.put(`${EMULATOR_URL}/_emulator/auth`, { data: { accessTokenLifetimeSeconds: seconds } });
  expect(response.ok(), `PUT /_emulator/auth answered ${response.status()}`).toBe(true);
}

test("an access token that expires mid-session is renewed with the refresh token, unnoticed, and the reset is sent once", async ({
  page,
  request,
  emulator,
  signInAs,
}) => {
  test.setTimeout(90_000);
  const device = await emulator.device("eligible", 47, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);

  // Every access token minted during this test lives 8 s. (MSAL renews a token 300 s before it expires, so with so
  // short a lifetime each silent request renews; the wait below makes sure the token in hand has really expired.)
  const lifetimeSeconds = 8;
  await setAccessTokenLifetime(request, lifetimeSeconds);
  try {
    const refreshGrants: number[] = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && req.url().includes("/oauth2/v2.0/token") && (req.postData() ?? "").includes("grant_type=refresh_token")) {
        refreshGrants.push(Date.now());
      }
    });
    const signInPages: string[] = [];
    await signInAs("helpdesk", "/devices/windows");
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame() && new URL(frame.url()).origin === EMULATOR_URL) signInPages.push(frame.url());
    });
    const grid = page.getByRole("grid", { name: "Windows devices" });
    await expect(grid).toBeVisible();

    await page.waitForTimeout((lifetimeSeconds + 2) * 1000);
    const afterExpiry = Date.now();

    await page.getByLabel("Search by device name, user or serial number").fill(device.serialNumber);
    await expect(grid.getByRole("link", { name: device.deviceName, exact: true })).toBeVisible();
    await grid.getByRole("link", { name: device.deviceName, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();

    await page.waitForTimeout((lifetimeSeconds + 2) * 1000);
    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();

    // Unnoticed: no sign-in page, no "sign in again", and MSAL did renew with the refresh token after expiry.
    expect(signInPages).toEqual([]);
    await expect(page.getByRole("button", { name: "Sign in again" })).toHaveCount(0);
    expect(refreshGrants.filter((at) => at >= afterExpiry).length).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
  } finally {
    await setAccessTokenLifetime(request, DEFAULT_LIFETIME_SECONDS);
  }
});

test("a token Graph refuses as expired is told as a sentence with Sign in again, not a stack trace", async ({
  page,
  request,
  emulator,
  signInAs,
}) => {
  const device = await emulator.device("eligible", 48, ["offline", "pendingReset", "hybrid", "notAutopilot"]);
  const wipesBefore = await emulator.wipesOf(device.id);
  // MSAL believes its token is good for an hour, but the token it was handed expired a minute ago (a clock skew, or a
  // token revoked server-side): Graph answers 401 and the console must say so plainly.
  const minted = await request.post(`${EMULATOR_URL}/_emulator/token`, { data: { persona: "helpdesk", expiresInSeconds: -60 } });
  expect(minted.ok()).toBe(true);
  const expiredToken = ((await minted.json()) as { access_token: string }).access_token;
  // MSAL posts to .../oauth2/v2.0/token?client-request-id=..., so match the path, not a glob of the whole URL.
  await page.route((url) => url.origin === EMULATOR_URL && url.pathname.endsWith("/oauth2/v2.0/token"), async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...body, access_token: expiredToken, expires_in: 3600, ext_expires_in: 3600 } });
  });

  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const alert = page.getByRole("alert").filter({ hasText: "Sign in again" }).first();
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("Your sign-in has expired or was not accepted by Microsoft Graph. Sign in again, then retry.");
  await expect(alert.getByRole("button", { name: "Sign in again" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(/\bat \S+ \(|Error: |stack|undefined/);
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);
});
