import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";
import { confirmTyped, deltas, devicesNamed, resettable, selectAllMatching, summaryOf } from "./fixtures/bulk";

/**
 * Intune's daily wipe limit (docs/product.md, "Journey 4"; emulator/README.md, "Daily wipe limit"). The suite runs with
 * no limit; these tests set one (500, Intune's) and put it back. The limit is tenant-wide, so this spec must not run
 * beside another that wipes (or under Multi Admin Approval): run it alone or with --workers=1.
 *
 * The truth is the emulator's counters: every device wiped at most once, the first wave exactly what the preflight
 * said was left today, the second only after the emulator's clock has moved 24 hours and the user started it.
 */

test.describe.configure({ mode: "serial" });

const SEARCH = "CONTOSO-LT-";

async function setLimit(request: import("@playwright/test").APIRequestContext, limit: number | null) {
  expect((await request.put(`${EMULATOR_URL}/_emulator/wipe-limit`, { data: { limit } })).ok()).toBe(true);
}

async function forgetCountedWipes(request: import("@playwright/test").APIRequestContext) {
  expect((await request.delete(`${EMULATOR_URL}/_emulator/wipe-limit`)).ok()).toBe(true);
}

async function wipeLimit(request: import("@playwright/test").APIRequestContext) {
  return (await (await request.get(`${EMULATOR_URL}/_emulator/wipe-limit`)).json()) as { limit: number | null; used: number; nextRoomDateTime: string };
}

test.afterAll(async ({ request }) => {
  await setLimit(request, null);
  // The specs after this one start on a day of their own too: the hundreds of wipes above would otherwise fill the
  // console's count of the last 24 hours, and split their runs into waves (however far this spec got).
  expect((await request.post(`${EMULATOR_URL}/_emulator/clock/advance`, { data: { seconds: 86_400 + 120 } })).ok()).toBe(true);
});

test("a bulk reset larger than today's limit goes in two waves: today's part now, the rest once the user starts it after the window frees", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(420_000);
  await setLimit(request, 500);
  await forgetCountedWipes(request);
  // A day of its own: the specs before this one wiped hundreds of devices, and the console counts the wipe audits of
  // the last 24 hours (on Graph's clock, so the emulator's clock moving on is what ages them out).
  expect((await request.post(`${EMULATOR_URL}/_emulator/clock/advance`, { data: { seconds: 86_400 + 120 } })).ok()).toBe(true);
  const matching = await devicesNamed(request, SEARCH);
  const targets = matching.filter(resettable);
  expect(targets.length, "more resettable devices than the limit").toBeGreaterThan(500);
  const before = (await emulator.counters()).wipes;

  await signInAs("helpdesk", `/devices/windows?q=${SEARCH}`);
  await selectAllMatching(page, SEARCH);
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByTestId("bulk-plan-budget")).toContainText(/Intune allows about 500 wipes a day per tenant/);
  const waves = dialog.getByTestId("bulk-plan-waves").getByRole("listitem");
  await expect(waves).toHaveCount(2);
  const question = (await dialog.getByTestId("bulk-confirm-question").textContent()) ?? "";
  const [, nowText, laterText] = question.match(/Reset (\d+) devices now, and plan (\d+) for later waves\?/) ?? [];
  const firstWave = Number(nowText);
  const secondWave = Number(laterText);
  // Nothing the console counts was wiped in the last 24 hours (the seeded history is days old): all 500 are left.
  expect(firstWave).toBe(500);
  await expect(waves.nth(0)).toHaveText(`${firstWave} devices now`);
  await expect(waves.nth(1)).toContainText(new RegExp(`^${secondWave} devices at .+ \\(in about (23 h|24 h)`));
  expect(await confirmTyped(page)).toBe(firstWave);

  const panel = page.getByTestId("bulk-run-panel");
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Waiting for the next wave" })).toBeVisible({ timeout: 240_000 });
  await expect(panel.getByTestId("bulk-run-limit")).toContainText(`${secondWave} devices wait for the next wave`);
  const next = panel.getByTestId("bulk-next-wave");
  await expect(next).toBeDisabled();
  await expect(next).toHaveText(/^Start next wave at .+ \(in about/);
  let summary = await summaryOf(page);
  expect(summary.initiated).toBe(firstWave);
  expect(summary.failed).toBe(0);
  expect(summary.text).toContain(`${secondWave} waiting for the daily limit`);
  let d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  expect([...d.values()].every((n) => n <= 1), "no device wiped twice").toBe(true);
  expect([...d.values()].filter((n) => n === 1)).toHaveLength(firstWave);
  expect((await wipeLimit(request)).used).toBe(firstWave);

  // A day later on Graph's clock (the emulator's), the first wave has left the window: the server's count says so.
  await emulator.advanceClock(24 * 3600 + 120);
  await panel.getByRole("button", { name: "Check again" }).click();
  await expect(next).toHaveText(`Start next wave (${secondWave})`, { timeout: 30_000 });
  await expect(next).toBeEnabled();
  // Nothing went on its own meanwhile.
  d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  expect([...d.values()].filter((n) => n === 1)).toHaveLength(firstWave);
  await next.click();
  const confirmWave = page.getByRole("dialog", { name: "Start next wave" });
  await expect(confirmWave.getByRole("button", { name: "No" })).toBeFocused();
  await confirmWave.getByRole("button", { name: "Yes" }).click();
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Finished" })).toBeVisible({ timeout: 180_000 });

  summary = await summaryOf(page);
  d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  expect([...d.values()].every((n) => n <= 1), "no device wiped twice").toBe(true);
  expect([...d.values()].filter((n) => n === 1)).toHaveLength(firstWave + secondWave);
  expect(summary.initiated).toBe(firstWave + secondWave);
  expect(summary.failed).toBe(0);
  for (const t of targets) expect(d.get(t.id), `wipes of ${t.deviceName}`).toBe(1);
  console.log(`daily-limit figures: matching ${matching.length}, resettable ${targets.length}, waves ${firstWave} + ${secondWave}`);
});

/**
 * The device page words its refusal with lib/monitor/status-wording.ts dailyLimitRetrySentence (when to try again,
 * from Graph's Retry-After).
 */
for (const part of ["says so and sends nothing", "says when to try again"] as const) test(`a single reset refused by the daily limit ${part}`, async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const pick = part === "says so and sends nothing" ? 311 : 317;
  const [first, second] = [await emulator.device("eligible", pick, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"]), await emulator.device("eligible", pick + 2, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"])];
  await forgetCountedWipes(request);
  await setLimit(request, 1);
  // One wipe through Graph fills today's limit of one.
  const info = (await (await request.get(`${EMULATOR_URL}/_emulator/info`)).json()) as { graphBaseUrl: string };
  const { access_token: accessToken } = (await (await request.post(`${EMULATOR_URL}/_emulator/token`, { data: { persona: "helpdesk" } })).json()) as { access_token: string };
  const wiped = await request.post(`${info.graphBaseUrl}/v1.0/deviceManagement/managedDevices/${first!.id}/wipe`, {
    headers: { Authorization: `Bearer ${accessToken}` },
    data: { keepEnrollmentData: true, keepUserData: false },
  });
  expect(wiped.status()).toBe(204);
  const wipesBefore = await emulator.wipesOf(second!.id);

  await signInAs("helpdesk", `/devices/windows/${second!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: second!.deviceName })).toBeVisible();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();
  const refusal = page.getByText(/daily limit on wipes/).first();
  await expect(refusal).toBeVisible({ timeout: 30_000 });
  await expect(refusal).toContainText("not sent");
  expect(await emulator.wipesOf(second!.id)).toBe(wipesBefore);
  if (part === "says when to try again") await expect(refusal).toContainText(/Try again in about (23 h|24 h)/, { timeout: 2_000 });
});
