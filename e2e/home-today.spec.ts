import { expect, test } from "./fixtures/auth";
import { autopilotReset, graphToken } from "./fixtures/graph";
import type { Trait } from "./fixtures/emulator";

/**
 * Home's numbers for today (issue 23, "What to build"), and the reset watcher's toasts (item 10): resets sent straight
 * to Graph under the Help Desk Operator's token are counted on Home, each number opens the filtered Device actions
 * view, and once the emulator's clock moves on, two completions make one short toast and a failure its own, with a
 * link to the filtered list; the monitor, which lists them, shows no toast.
 */

const NOT_PLAIN: Trait[] = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows"];
/** Far from the picks other specs make. */
const PICK = 97;

test("Home counts today's resets, each number opens its filtered list, and finished resets make one short toast each way", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  // Resets the specs before this one left pending complete now, before the watcher's baseline: the toasts below are
  // about this spec's three, not about every reset the Help Desk Operator started in the run.
  await emulator.advanceClock(13 * 60 + 40);
  const first = await emulator.device("eligible", PICK, NOT_PLAIN);
  const second = await emulator.device("eligible", PICK + 1, NOT_PLAIN);
  const winre = await emulator.device("winreDisabled", PICK % 9, ["offline", "pendingReset", "hybrid", "notAutopilot"]);
  const token = await graphToken(request);
  for (const device of [first, second, winre]) await autopilotReset(request, token, device.id);

  await signInAs("helpdesk", "/");
  const today = page.getByTestId("home-today");
  await expect(today.getByRole("heading", { name: "Today" })).toBeVisible();
  const pending = page.getByTestId("today-pending-value");
  await expect(pending).toHaveText(/^\d+$/, { timeout: 30_000 });
  expect(Number(await pending.textContent())).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("today-wipesLeft")).toContainText(/Of Intune's [\d,]+ a day/, { timeout: 30_000 });
  await expect(page.getByTestId("today-approvals")).toContainText("Your requests waiting for approval");
  await expect(page.getByTestId("today-nextWave-value")).toHaveText(/^\d+$/);
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await page.screenshot({ path: `test-results/home-today/home-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // "Resets pending" opens Device actions filtered to them, with the same count.
  const shownPending = (await pending.textContent())!;
  await page.getByTestId("today-pending").click();
  await expect(page).toHaveURL(/\/devices\/actions\?action=reset&state=pending$/);
  await expect(page.getByTestId("count-pending")).toHaveText(shownPending);
  await expect(page.getByTestId("count-link-pending")).toHaveAttribute("aria-current", "true");
  await expect(page.locator(`tr[data-monitor-row="${first.id}"]`).first()).toBeVisible();

  // Back on Home (the console keeps its reads: the watcher's baseline has the three pending), the clock moves on.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(today).toBeVisible();
  // The watcher has its baseline (the three pending) before Graph's clock moves.
  await expect(page.locator('html[data-reset-watcher="watching"]')).toBeAttached();
  await emulator.advanceClock(13 * 60);
  await emulator.advanceClock(40);
  await page.getByRole("button", { name: "Refresh today's numbers" }).click();
  const toasts = page.locator("[data-sonner-toast]");
  // The two completions make one toast, and the failure its own. A reset another spec left pending may finish in the
  // same refresh and join a toast ("3 … are complete", "2 … did not complete"): still one toast each way.
  const completions = toasts.filter({ hasText: /^\d+ Autopilot Resets you started are complete\./ });
  await expect(completions).toHaveCount(1, { timeout: 30_000 });
  expect(Number(((await completions.textContent()) ?? "").match(/^(\d+)/)?.[1])).toBeGreaterThanOrEqual(2);
  await expect(toasts.filter({ hasText: new RegExp(`Autopilot Reset of ${winre.deviceName} failed\\.|^\\d+ Autopilot Resets you started did not complete\\.`) })).toHaveCount(1);
  // One toast each way: never a list of every device in it.
  await expect(toasts).toHaveCount(2);
  await expect(toasts.filter({ hasText: first.deviceName })).toHaveCount(0);
  await expect(page.getByTestId("today-failed24h-value")).not.toHaveText("0");
  await page.screenshot({ path: "test-results/home-today/home-toasts-1280.png" });

  // "Failed in the last 24 hours" opens the failures of the last 24 hours.
  await page.getByTestId("today-failed24h").click();
  await expect(page).toHaveURL(/\/devices\/actions\?action=reset&state=failed&time=24h$/);
  await expect(page.locator(`tr[data-monitor-row="${winre.id}"]`).first()).toContainText("Reset failed");
  await expect(page.locator(`tr[data-monitor-row="${first.id}"]`)).toHaveCount(0);
});
