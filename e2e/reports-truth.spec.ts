import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures/auth";
import { choosePrefix, deltas, selectAllMatching, summaryOf, waitForEnd } from "./fixtures/bulk";

/**
 * Every report is the truth (docs/safety.md, "The server decides: one send protocol"): a run says "initiated" only for
 * the resets it sent itself, and names who sent the others (a run that cannot be saved: e2e/bulk-storage.spec.ts).
 * The emulator's counters are the truth. Desktop site prefixes are this spec's own.
 */
const PREFIXES = ["LON-DT-", "SEA-DT-", "NYC-DT-", "BER-DT-", "SYD-DT-"];

async function startReset(page: Page, search: string) {
  await selectAllMatching(page, search);
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const typed = dialog.getByTestId("bulk-confirm-input");
  if (await typed.count()) {
    const expected = (await dialog.getByText(/^Type \d+ to confirm$/).textContent())!.match(/\d+/)![0];
    await typed.fill(expected);
  }
  return dialog;
}

test("two colleagues' overlapping runs of the same devices: each device wiped once, and each report says who sent it", async ({ browser, request, emulator }) => {
  test.setTimeout(180_000);
  const { search, matching, targets } = await choosePrefix(request, PREFIXES, 5, 20);
  const before = (await emulator.counters()).wipes;
  const [megan, isaiah] = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const pages = [await megan.newPage(), await isaiah.newPage()];
    await signIn(pages[0]!, emulator, "helpdesk", "/devices/windows");
    await signIn(pages[1]!, emulator, "intuneadmin", "/devices/windows");
    const dialogs = [await startReset(pages[0]!, search), await startReset(pages[1]!, search)];
    // Both say Yes at the same moment, after both preflights read the devices as resettable.
    await Promise.all(dialogs.map((dialog) => dialog.getByRole("button", { name: "Yes" }).click()));
    await Promise.all(pages.map((page) => waitForEnd(page)));

    const d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
    expect([...d.entries()].filter(([, n]) => n > 1), "devices wiped twice").toEqual([]);
    for (const t of targets) expect(d.get(t.id), `wipes of ${t.deviceName}`).toBe(1);
    const ofMegan = await summaryOf(pages[0]!);
    const ofIsaiah = await summaryOf(pages[1]!);
    // Each initiated what it sent, and only that: together, exactly the devices wiped.
    expect(ofMegan.initiated + ofIsaiah.initiated, `${ofMegan.text} | ${ofIsaiah.text}`).toBe(targets.length);
    expect(ofMegan.failed + ofIsaiah.failed).toBe(0);
    // The devices one run did not send name the colleague who did.
    for (const [page, other] of [[pages[0]!, "Isaiah Langer"], [pages[1]!, "Megan Bowen"]] as const) {
      const ofThis = page === pages[0] ? ofMegan : ofIsaiah;
      if (ofThis.initiated < targets.length) {
        // visible: on a wide screen the detail under the name (for phones) is hidden, and the Details cell says it.
        await expect(page.getByTestId("bulk-results").getByText(new RegExp(`already sent by ${other}`)).filter({ visible: true }).first()).toBeVisible();
      }
    }
  } finally {
    await Promise.all([megan.close(), isaiah.close()]);
  }
});
