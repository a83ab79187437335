import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";

test("signing out ends the session: the next page asks for sign-in again", async ({ page, signInAs }) => {
  await signInAs("readonly", "/");
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: /Help Desk/ }).first()).toBeVisible();
});
