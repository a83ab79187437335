import { expect, test } from "./fixtures/auth";
import type { EmulatorControl, Trait } from "./fixtures/emulator";

/**
 * Issue 18, item 1: WinRE checked and enabled from the device page through the console's remediation package
 * (docs/remediations/winre), against the emulator's on-demand runs (emulator/README.md, "Remediations on demand").
 * Time moves by the emulator's control API only: a forced check-in runs the pushed remediation at once.
 */

/**
 * A device with `trait` and none of `exclude` that no spec has sent a wipe (the emulator's counters), from the end of
 * the trait's list: a device another spec reset starts with a failed or pending reset. (In the tenant-wide project
 * this spec would run last, after list and bulk runs that leave no WinRE-disabled or offline device unreset; it runs in
 * the chromium project, and only its package-missing test touches the tenant, for seconds, in a section no other spec
 * reads.)
 */
async function untouched(emulator: EmulatorControl, trait: Trait, exclude: Trait[], fromEnd: number) {
  const wiped = (await emulator.counters()).wipes;
  const fresh = (await emulator.devices(trait, 1000)).filter((d) => !wiped[d.id] && !d.traits.some((t) => exclude.includes(t as Trait)));
  const device = fresh.at(-1 - fromEnd);
  if (!device) throw new Error(`No ${trait} device left that no spec has reset`);
  return device;
}
test("a WinRE-disabled device is checked, enabled and then reset: two runs, one wipe", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await untouched(emulator, "winreDisabled", ["offline", "hybrid", "notAutopilot", "pendingReset"], 0);
  const wipesBefore = await emulator.wipesOf(device.id);
  const runsBefore = await emulator.remediationsOf(device.id);
  // The first run finds WinRE disabled and reagentc /enable fails, as on a device that cannot enable it yet.
  await emulator.setRemediationOutcome(device.id, "remediationFailed");
  try {
    await signInAs("helpdesk", `/devices/windows/${device.id}`);
    const winre = page.getByTestId("winre");
    const state = winre.getByTestId("winre-state");
    await expect(state).toHaveText("WinRE: not checked");

    await winre.getByRole("button", { name: "Check WinRE" }).click();
    await expect(winre.getByTestId("winre-progress")).toContainText(`Waiting for ${device.deviceName}`);
    await expect(state).toHaveText("WinRE: checking on the device…");
    await expect(winre.getByRole("button", { name: /WinRE$/ })).toHaveCount(0);
    expect(await emulator.remediationsOf(device.id)).toBe(runsBefore + 1);
    await emulator.checkIn(device.id);
    await expect(state).toHaveText(/^WinRE: disabled \(checked /, { timeout: 20_000 });
    await expect(winre.getByTestId("winre-problem")).toContainText("reagentc /enable did not enable WinRE");
    await expect(winre.getByTestId("winre-progress")).toHaveCount(0);

    await emulator.setRemediationOutcome(device.id, "normal");
    await winre.getByRole("button", { name: "Enable WinRE" }).click();
    await expect(winre.getByTestId("winre-progress")).toBeVisible();
    expect(await emulator.remediationsOf(device.id)).toBe(runsBefore + 2);
    await emulator.checkIn(device.id);
    await expect(state).toHaveText(/^WinRE: enabled \(checked /, { timeout: 20_000 });
    await expect(winre.getByTestId("winre-problem")).toHaveCount(0);
    await expect(winre.getByRole("button", { name: "Check WinRE" })).toBeEnabled();
    // A remediation run is not a reset.
    expect(await emulator.wipesOf(device.id)).toBe(wipesBefore);
    expect((await emulator.deviceState(device.id)).wipe).toBeNull();

    await page.getByRole("button", { name: "Autopilot Reset" }).click();
    await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
    const resetStatus = page.getByTestId("reset-status");
    await expect(resetStatus).toContainText("Reset pending");
    await emulator.checkIn(device.id);
    await expect(resetStatus).toContainText("Resetting", { timeout: 20_000 });
    await emulator.advanceClock(31);
    await expect(resetStatus).toContainText("Reset complete", { timeout: 20_000 });
    expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
    expect(await emulator.remediationsOf(device.id)).toBe(runsBefore + 2);
  } finally {
    await emulator.setRemediationOutcome(device.id, "normal");
  }
});

test("without the remediation package the page says so and keeps the manual fix", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("winreDisabled", 4, ["offline", "hybrid", "notAutopilot", "pendingReset"]);
  // Tenant-wide for a moment: only this spec reads the package, and it is put back whatever happens.
  await emulator.setRemediationPackage("absent");
  try {
    await signInAs("helpdesk", `/devices/windows/${device.id}`);
    const winre = page.getByTestId("winre");
    await expect(winre.getByTestId("winre-blocked")).toContainText('The WinRE remediation package "Autopilot Reset Console - WinRE" is not in this tenant');
    await expect(winre.getByTestId("winre-blocked")).toContainText("Run reagentc.exe /enable on the device");
    await expect(winre.getByRole("button", { name: /WinRE$/ })).toHaveCount(0);
    expect(await emulator.remediationsOf(device.id)).toBe(0);
  } finally {
    await emulator.setRemediationPackage("present");
  }
});

test("an offline device is not sent a run, and the page says why", async ({ page, emulator, signInAs }) => {
  const device = await untouched(emulator, "offline", ["nonWindows", "hybrid", "notAutopilot", "pendingReset"], 0);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const winre = page.getByTestId("winre");
  await expect(winre.getByTestId("winre-blocked")).toContainText("it is probably offline");
  await expect(winre.getByRole("button", { name: /WinRE$/ })).toHaveCount(0);
  expect(await emulator.remediationsOf(device.id)).toBe(0);
});
