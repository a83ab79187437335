import { expect, test } from "./fixtures/auth";
import type { Page } from "@playwright/test";
import { choosePrefix, confirmTyped, deltas, removeFaults, selectAllMatching, SITE_PREFIXES, slowDevices, summaryOf } from "./fixtures/bulk";

/** Fills the origin's storage with another account's run, leaving `spare` characters; returns what was free before. */
function fillStorage(page: Page, spare: number): Promise<number> {
  return page.evaluate((spare) => {
    const key = "autopilot-console:bulk-run:v3:previous-user";
    let used = 0;
    for (let i = 0; i < localStorage.length; i++) used += localStorage.key(i)!.length + (localStorage.getItem(localStorage.key(i)!)?.length ?? 0);
    // The largest value that fits, by halving (each refused try is a 5 MB string).
    let fits = 0;
    let over = 5_242_880 - used - key.length + 1;
    while (over - fits > 16) {
      const size = Math.floor((fits + over) / 2);
      try {
        localStorage.setItem(key, "x".repeat(size));
        fits = size;
      } catch {
        over = size;
      }
    }
    localStorage.setItem(key, "x".repeat(Math.max(0, fits - spare)));
    return fits;
  }, spare);
}

/**
 * A run that cannot be saved sends nothing, and says so where the user is looking (docs/safety.md, "A reload or a
 * closed tab while a write is slow"): on a shared PC whose browser storage a previous user's run has filled, Yes
 * leaves the confirmation open with the user's typed count, says why, and no device is wiped.
 */
test("storage filled by a previous user's run: Yes sends nothing, and the dialog says why and keeps the typed count", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const { search, matching } = await choosePrefix(request, SITE_PREFIXES.bulk, 21);
  const before = (await emulator.counters()).wipes;
  await signInAs("helpdesk", `/devices/windows?q=${search}`);
  await selectAllMatching(page, search);
  // Another account's run, leaving 500 characters of the origin's storage (the console never removes another's run;
  // a completely full storage also stops sign-in, so this spec fills it only once signed in and on the grid).
  const left = await fillStorage(page, 500);
  expect(left).toBeGreaterThan(500);

  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const typed = await confirmTyped(page);

  const dialog = page.getByTestId("bulk-confirm-dialog");
  const error = dialog.getByTestId("bulk-start-error");
  await expect(error).toContainText("This browser's storage for the console is full");
  await expect(error).toContainText("so nothing was sent");
  await expect(error).toContainText("Other bulk runs saved on this PC");
  // The dialog keeps the user's choices: the typed count stands, and Yes can be pressed again once there is room.
  await expect(dialog.getByTestId("bulk-confirm-input")).toHaveValue(String(typed));
  await expect(dialog.getByRole("button", { name: "Yes" })).toBeEnabled();
  await expect(page.getByTestId("bulk-run-panel")).toHaveCount(0);
  const d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  expect([...d.values()].every((n) => n === 0)).toBe(true);
});

test("storage that fills while answers are on their way: the run stops, says so in its panel, and shows every wipe it made", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(180_000);
  const { search, matching } = await choosePrefix(request, SITE_PREFIXES.bulk, 21);
  const before = (await emulator.counters()).wipes;
  await signInAs("helpdesk", `/devices/windows?q=${search}`);
  await selectAllMatching(page, search);
  // The run is one call; its writes take 8 s at Graph, long enough to refuse its saves while they are there.
  await slowDevices(request, matching.map((m) => m.id), 8_000);
  try {
    await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
    await confirmTyped(page);
    await page.getByLabel("Show").selectOption("open");
    await expect(page.locator('[data-testid="bulk-results"] [data-status="sent"]').first()).toBeAttached({ timeout: 30_000 });
    // The browser refuses every save of this run from now on, as a full storage refuses a larger record (an answer's
    // record can be smaller than the about-to-send one it replaces, so filling alone would not always refuse it); then
    // the storage is filled, so the panel's sentence has a real story to tell.
    await page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        if (key.startsWith("autopilot-console:bulk-run:v3:") && !key.endsWith(":previous-user")) {
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        }
        return setItem.call(this, key, value);
      };
    });
    await fillStorage(page, 0);

    const problem = page.getByTestId("bulk-run-problem");
    await expect(problem).toContainText("This browser's storage for the console is full", { timeout: 60_000 });
    await expect(problem).toContainText("so it stopped: nothing more is sent");
    await expect(problem).toContainText("export the results (CSV)");
    // The panel says what happened, not what the storage last held ("0 initiated" over wiped devices).
    await page.waitForTimeout(2_000); // the panel's once-a-second refresh from storage must not replace the run shown
    const summary = await summaryOf(page);
    const d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
    expect([...d.values()].every((n) => n <= 1)).toBe(true);
    expect(summary.initiated, summary.text).toBe([...d.values()].filter((n) => n === 1).length);
    expect(summary.initiated).toBeGreaterThan(0);
  } finally {
    await removeFaults(request, matching.map((m) => m.id));
  }
});
