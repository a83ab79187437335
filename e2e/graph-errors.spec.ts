import { expect, test } from "./fixtures/auth";
import { addFaults, removeFaults } from "./fixtures/bulk";

/**
 * docs/product.md, "Journey 6: be told plainly when you may not": Graph outages and throttling become a sentence and a
 * way forward.
 */
/** The device each test faulted: only its rules go when the test ends (other specs' rules stay). */
const faulted: string[] = [];
test.afterEach(async ({ request }) => {
  if (faulted.length > 0) await removeFaults(request, faulted.splice(0));
});

test("an outage shows a sentence and a retry that works once Graph is back", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(90_000);
  const device = await emulator.device("eligible", 5, ["hybrid", "notAutopilot"]);
  // Only this device's reads fail, so tests running beside this one are not disturbed.
  faulted.push(device.id);
  await addFaults(request, [{ fault: "unavailable", method: "GET", pathContains: device.id, times: 1000 }]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toBeVisible({ timeout: 45_000 });
  await expect(alert).not.toContainText("Error:");
  const retry = alert.getByRole("button", { name: "Try again" });
  await expect(retry).toBeVisible();

  await removeFaults(request, [device.id]);
  await retry.click();
  await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible({ timeout: 30_000 });
});

test("throttling says to wait, and for how long", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(90_000);
  const device = await emulator.device("eligible", 6, ["hybrid", "notAutopilot"]);
  faulted.push(device.id);
  await addFaults(request, [{ fault: "throttle", method: "GET", pathContains: device.id, retryAfterSeconds: 1, times: 1000 }]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert.getByRole("button", { name: "Try again" })).toBeVisible();
});
