import { expect, test } from "./fixtures/auth";
import type { EmulatorControl, TestDevice } from "./fixtures/emulator";
import { seriousViolations } from "./fixtures/axe";

/**
 * Issue 18, item 4: a device's BitLocker recovery keys on its page (docs/graph.md, "BitLocker recovery keys"), against
 * the emulator's keys and Entra roles (emulator/README.md, "BitLocker recovery keys"). Keys do not change with resets,
 * so the devices come from the end of the notAutopilot list (Windows devices the reset specs leave alone).
 */
async function withKeys(emulator: EmulatorControl, fromEnd: number): Promise<TestDevice> {
  const device = (await emulator.devices("notAutopilot", 1000)).filter((d) => d.bitlockerKeys > 0).at(-1 - fromEnd);
  if (!device) throw new Error("No notAutopilot device with a BitLocker key");
  return device;
}
const readsOf = async (emulator: EmulatorControl, device: TestDevice) => (await emulator.counters()).bitlockerKeyReads[device.azureADDeviceId] ?? 0;

test("a Helpdesk Administrator sees the device's keys, shows one after the audit sentence, and hides it", async ({ page, emulator, signInAs }) => {
  const device = await withKeys(emulator, 0);
  const before = await readsOf(emulator, device);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const section = page.getByTestId("bitlocker");
  await expect(section.getByRole("heading", { name: "BitLocker recovery keys" })).toBeVisible();
  await section.getByRole("button", { name: "List BitLocker recovery keys" }).click();
  await expect(section.getByTestId("bitlocker-key")).toHaveCount(device.bitlockerKeys);
  await expect(section.getByTestId("bitlocker-key").first()).toContainText("Operating system drive");
  expect(await readsOf(emulator, device)).toBe(before);

  await section.getByRole("button", { name: /^Show recovery key / }).first().click();
  const confirm = section.getByTestId("bitlocker-confirm");
  await expect(confirm).toContainText("audited by Microsoft Entra ID");
  await expect(confirm).toContainText("you (Megan Bowen) read the BitLocker recovery key");
  expect(await readsOf(emulator, device)).toBe(before);
  await confirm.getByRole("button", { name: "Show", exact: true }).click();

  const keyText = section.getByTestId("bitlocker-key-text");
  await expect(keyText).toHaveText(/^(\d{6}-){7}\d{6}$/);
  const key = (await keyText.textContent())!;
  expect(await readsOf(emulator, device)).toBe(before + 1);
  const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
  expect(stored).not.toContain(key);
  expect(page.url()).not.toContain(key.slice(0, 13));
  expect(await seriousViolations(page)).toEqual([]);

  await section.getByRole("button", { name: "Hide" }).click();
  await expect(keyText).toHaveCount(0);
  await expect(section).not.toContainText(key);
  expect(await readsOf(emulator, device)).toBe(before + 1);
});

test("a persona without a role that may read keys gets the sentence and no key", async ({ page, emulator, signInAs }) => {
  const device = await withKeys(emulator, 1);
  const before = await readsOf(emulator, device);
  await signInAs("endpointsecurity", `/devices/windows/${device.id}`);
  const section = page.getByTestId("bitlocker");
  await section.getByRole("button", { name: "List BitLocker recovery keys" }).click();
  await expect(section.getByRole("alert")).toContainText("needs Helpdesk Administrator");
  await expect(section.getByRole("alert")).toContainText("Ask your administrator");
  await expect(section.getByRole("button", { name: /Show recovery key/ })).toHaveCount(0);
  expect(await readsOf(emulator, device)).toBe(before);
});

test("a device without a key in Entra ID says so", async ({ page, emulator, signInAs }) => {
  const device = (await emulator.devices("noBitlockerKey", 1000)).at(-1)!;
  await signInAs("readonly", `/devices/windows/${device.id}`);
  const section = page.getByTestId("bitlocker");
  await section.getByRole("button", { name: "List BitLocker recovery keys" }).click();
  await expect(section.getByTestId("bitlocker-none")).toContainText("Microsoft Entra ID holds no BitLocker recovery key for this device");
  await expect(section.getByRole("button", { name: /Show recovery key/ })).toHaveCount(0);
});
