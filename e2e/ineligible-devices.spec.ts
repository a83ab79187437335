import { expect, test } from "./fixtures/auth";

/** docs/product.md, "Journey 3: see why a device cannot be reset": the button says why, before anyone clicks. */
test("a hybrid joined device explains that it needs a full wipe", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("hybrid", 0);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("Hybrid Microsoft Entra joined devices can't be Autopilot Reset");
  await expect(page.getByTestId("reset-unavailable")).toContainText("full Wipe");
});

test("a device not registered with Autopilot says so", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("notAutopilot", 0, ["hybrid"]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("isn't registered with Windows Autopilot");
  // Sync is still possible for it.
  await expect(page.getByRole("button", { name: "Sync", exact: true })).toBeEnabled();
});
