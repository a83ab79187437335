import { expect, test } from "./fixtures/auth";
import type { Page } from "@playwright/test";
import type { EmulatorControl } from "./fixtures/emulator";
import { seriousViolations } from "./fixtures/axe";

/**
 * Issue 18, item 2: "Prepare before the reset". A device's Autopilot group tag is changed on its page, the profile
 * catches up on the emulator's clock (emulator/README.md, "Group tags": 5 minutes), and the reset warns until it has.
 * Tenant-wide project (playwright.config.ts): moving Graph's clock 5 minutes would complete other specs' resets.
 * Picks 160-163 are this spec's own.
 */
const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;
const CATCH_UP_SECONDS = 300;

/** The group tag the device page shows in the Autopilot section's "Group tag" field. */
async function shownTag(page: Page): Promise<string> {
  const section = page.getByTestId("autopilot-section");
  await expect(section).toContainText("Deployment profile");
  return (await section.textContent())!.match(/Group tag(\S*)Deployment profile/)?.[1] ?? "";
}

const updatesOf = async (emulator: EmulatorControl, id: string) => (await emulator.counters()).autopilotPropertyUpdates[id] ?? 0;

test("a changed group tag: the profile catches up, the reset warns until it is in sync, then offers without the warning", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 160, [...NOT_PLAIN]);
  const wipesBefore = await emulator.wipesOf(device.id);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  const section = page.getByTestId("group-tag");
  const profile = section.getByTestId("profile-catch-up");
  await expect(profile).toContainText(/^Profile: (assigned, in sync|none assigned)/);
  const current = await shownTag(page);
  const newTag = current === "Kiosk" ? "Engineering" : "Kiosk";

  await section.getByRole("button", { name: "Change group tag" }).click();
  await section.getByLabel("New group tag").fill(newTag);
  await section.getByRole("button", { name: "Review change" }).click();
  const confirm = page.getByRole("dialog", { name: "Change the Autopilot group tag" });
  await expect(confirm.getByRole("button", { name: "No" })).toBeFocused();
  await expect(confirm.getByTestId("group-tag-summary")).toContainText(`to “${newTag}”`);
  await expect(confirm.getByTestId("group-tag-summary")).toContainText("Nothing is sent to the device: this is not a reset.");
  await confirm.getByRole("button", { name: "Yes" }).click();
  await expect(confirm).toBeHidden();
  await expect(profile).toHaveText(/^Profile: catching up with the group tag since \d\d:\d\d/);
  await expect(page.getByTestId("autopilot-section")).toContainText(`Group tag${newTag}`);
  expect(await updatesOf(emulator, device.id)).toBe(1);

  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await page.getByTestId("autopilot-section").screenshot({ path: `test-results/group-tag/catching-up-${width}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Before the profile caught up: the reset dialog opens with the warning in view, on a phone too.
  const reset = page.getByRole("button", { name: "Autopilot Reset" });
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await reset.click();
    await expect(dialog.getByTestId("reset-dialog-old-profile")).toContainText("may come back with the old profile");
    await expect(dialog.getByTestId("reset-dialog-old-profile")).toBeInViewport({ ratio: 1 });
    if (size.width === 390) await page.screenshot({ path: "test-results/group-tag/reset-warning-390.png" });
    await dialog.getByRole("button", { name: "No" }).click();
    await expect(dialog).toBeHidden();
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await emulator.advanceClock(CATCH_UP_SECONDS);
  // The page reads the record every 5 s while the profile catches up: this waits for that poll, not for Graph's time.
  await expect(profile).toHaveText(/^Profile: assigned, in sync \(Contoso (kiosk|engineering)\)$/, { timeout: 20_000 });
  await page.getByTestId("autopilot-section").screenshot({ path: "test-results/group-tag/in-sync-1280.png" });
  await reset.click();
  await expect(dialog.getByTestId("reset-dialog-autopilot").first()).toContainText(`group tag “${newTag}”`);
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await expect(dialog.getByTestId("reset-dialog-old-profile")).toHaveCount(0);
  await expect(dialog.getByText("may come back with the old profile")).toHaveCount(0);
  await dialog.getByRole("button", { name: "No" }).click();
  // A tag change is not a reset.
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);
  expect(await updatesOf(emulator, device.id)).toBe(1);
});

test("a refused tag (500 characters, markup) gets a sentence and nothing is sent", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 161, [...NOT_PLAIN]);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  const section = page.getByTestId("group-tag");
  await section.getByRole("button", { name: "Change group tag" }).click();
  const input = section.getByLabel("New group tag");
  await input.fill("x".repeat(500));
  await section.getByRole("button", { name: "Review change" }).click();
  await expect(section.getByTestId("group-tag-problem")).toHaveText("A group tag can be at most 64 characters.");
  await input.fill(`<img src=x onerror="alert(1)">`);
  await section.getByRole("button", { name: "Review change" }).click();
  await expect(section.getByTestId("group-tag-problem")).toContainText("only letters, digits, spaces");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // The open form, its refusal and the profile notice pass the page's accessibility check.
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId("autopilot-section").screenshot({ path: "test-results/group-tag/refused-1280.png" });
  expect(await updatesOf(emulator, device.id)).toBe(0);
});

/**
 * A refusal from the server: Help Desk Operator has no "Enrollment programs / Update device" in the emulated tenant
 * (Graph refuses); noconsent's tenant never granted DeviceManagementServiceConfig.ReadWrite.All (asking for it returns
 * a token without it, and the server refuses before calling Graph). The dialog says why; nothing changes.
 */
const REFUSALS = [
  { persona: "helpdesk", pick: 162, title: "a role without the permission is told so, and nothing changes", says: "Enrollment programs / Update device" },
  { persona: "noconsent", pick: 163, title: "without the write scope granted, the change says an administrator must grant it, and nothing changes", says: "DeviceManagementServiceConfig.ReadWrite.All" },
] as const;

for (const refusal of REFUSALS) {
  test(refusal.title, async ({ page, emulator, signInAs }) => {
    const device = await emulator.device("eligible", refusal.pick, [...NOT_PLAIN]);
    await signInAs(refusal.persona, `/devices/windows/${device.id}`);
    const section = page.getByTestId("group-tag");
    await section.getByRole("button", { name: "Change group tag" }).click();
    await section.getByLabel("New group tag").fill((await shownTag(page)) === "Finance" ? "Standard" : "Finance");
    await section.getByRole("button", { name: "Review change" }).click();
    const confirm = page.getByRole("dialog", { name: "Change the Autopilot group tag" });
    await confirm.getByRole("button", { name: "Yes" }).click();
    await expect(confirm.getByRole("alert")).toContainText(refusal.says);
    expect(await updatesOf(emulator, device.id)).toBe(0);
  });
}
