import { expect, test } from "./fixtures/auth";
import { choosePrefix, confirmTyped, deltas, selectAllMatching, SITE_PREFIXES } from "./fixtures/bulk";

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
  const left = await page.evaluate(() => {
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
    localStorage.setItem(key, "x".repeat(Math.max(0, fits - 500)));
    return fits;
  });
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
