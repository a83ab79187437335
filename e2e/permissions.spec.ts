import { expect, test } from "./fixtures/auth";

/** docs/product.md, "Journey 6: be told plainly when you may not": told plainly, and nothing is sent. */
test("a Read Only Operator sees that Autopilot Reset is not theirs to run", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 2, ["offline", "pendingReset", "hybrid", "notAutopilot"]);
  const before = await emulator.counters();
  await signInAs("readonly", `/devices/windows/${device.id}`);
  await expect(page.getByTestId("reset-unavailable")).toContainText(
    "Your Intune role doesn't allow Autopilot Reset (needs Remote tasks: Wipe)",
  );
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("sync-unavailable")).toContainText("Your Intune role doesn't allow Sync");
  // A reason with a next step, not only a refusal.
  await expect(page.getByTestId("reset-unavailable")).toContainText("Next step: ask your Intune administrator");
  const after = await emulator.counters();
  expect(after.wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);
  expect(after.syncs[device.id] ?? 0).toBe(before.syncs[device.id] ?? 0);
});

test("a tenant that never consented names the missing scope", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 3, ["offline", "pendingReset", "hybrid", "notAutopilot"]);
  const before = await emulator.counters();
  await signInAs("noconsent", `/devices/windows/${device.id}`);
  await expect(page.getByTestId("reset-unavailable")).toContainText(
    "This app hasn't been granted DeviceManagementManagedDevices.PrivilegedOperations.All in your tenant: an admin must consent.",
  );
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  const after = await emulator.counters();
  expect(after.wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);
  expect(after.syncs[device.id] ?? 0).toBe(before.syncs[device.id] ?? 0);
});
