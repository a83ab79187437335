import { expect, test } from "./fixtures/auth";
import { addFaults, removeFaults } from "./fixtures/bulk";
import { autopilotReset, graphToken } from "./fixtures/graph";

/**
 * docs/product.md, "Journey 1: find a device": filter, sort, page and select in the Windows devices grid; the URL holds
 * the view.
 */
test("filters, sorting, paging and selection, with the view in the URL", async ({ page, signInAs }) => {
  await signInAs("helpdesk", "/devices/windows");
  const grid = page.getByRole("grid", { name: "Windows devices" });
  const rows = grid.locator("tbody tr[data-device-row]");
  await expect(rows.first()).toBeVisible();

  // Filter: join type = hybrid. Every row says so, and the URL carries it.
  await page.getByLabel("Join type").selectOption("hybridAzureADJoined");
  await expect(page).toHaveURL(/join=hybridAzureADJoined/);
  await expect(rows.first()).toContainText("Entra hybrid joined");
  const joinCells = await rows.locator("td:nth-child(7)").allTextContents();
  expect(joinCells.length).toBeGreaterThan(0);
  for (const cell of joinCells) expect(cell).toBe("Entra hybrid joined");

  // A shared link reproduces the view.
  await page.reload();
  await expect(page.getByLabel("Join type")).toHaveValue("hybridAzureADJoined");
  await page.getByRole("button", { name: "Clear all" }).click();
  await expect(page).not.toHaveURL(/join=/);

  // "Can be reset": Entra joined, registered with Autopilot, provisioned by it; pressed again, it clears the three.
  const canBeReset = page.getByRole("button", { name: "Can be reset" });
  await canBeReset.click();
  await expect(canBeReset).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/join=azureADJoined/);
  await expect(page).toHaveURL(/autopilot=registered/);
  await expect(page).toHaveURL(/provisioned=autopilot/);
  await expect(rows.first()).toBeVisible();
  for (const cell of await rows.locator("td:nth-child(7)").allTextContents()) expect(cell).toBe("Entra joined");
  await canBeReset.click();
  await expect(canBeReset).toHaveAttribute("aria-pressed", "false");
  await expect(page).not.toHaveURL(/join=|autopilot=|provisioned=/);

  // Sort by device name: the header says so to assistive technology, and the rows are in order.
  const nameHeader = grid.getByRole("columnheader", { name: /Device name/ });
  await expect(nameHeader).toHaveAttribute("aria-sort", "none");
  await nameHeader.getByRole("button").click();
  await expect(page).toHaveURL(/sort=deviceName\.asc/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  await expect
    .poll(async () => {
      const names = await rows.locator("td:nth-child(2)").allTextContents();
      return names.length > 1 && names.every((name, index) => index === 0 || names[index - 1]!.localeCompare(name, "en", { sensitivity: "base" }) <= 0);
    })
    .toBe(true);
  await nameHeader.getByRole("button").click();
  await expect(nameHeader).toHaveAttribute("aria-sort", "descending");

  // Paging: "Load more" brings the next page without duplicates.
  await expect(page.getByTestId("grid-count")).toHaveText(/^Showing 1–100 of \d/);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByTestId("grid-count")).toHaveText(/^Showing 1–200 of \d/);

  // Selection: tick one row, then the loaded rows, then everything matching.
  const firstName = (await rows.first().locator("td:nth-child(2)").textContent())!;
  await page.getByRole("checkbox", { name: `Select ${firstName}` }).click();
  // The bulk bar says what is selected, once (issue 23, item 10: it was said twice).
  await expect(page.getByTestId("bulk-selected-count")).toHaveText("1 device selected");
  await expect(page.getByText(/devices? selected/)).toHaveCount(1);
  await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
  await expect(page.getByTestId("bulk-selected-count")).toHaveText("200 devices selected");
  await expect(page.getByText(/devices? selected/)).toHaveCount(1);
  await page.screenshot({ path: "/tmp/h3/grid-selected-bulk.png" }).catch(() => undefined);
  await page.getByRole("button", { name: "Select all devices matching this search" }).click();
  await expect(page.getByTestId("bulk-selected-count")).toHaveText("All devices matching this view selected");
  await expect(page.getByTestId("selection-banner")).toHaveCount(0);
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("checkbox", { name: `Select ${firstName}` })).not.toBeChecked();
});

test("at 1024 px the grid keeps Join type and Autopilot (why a device would be skipped), and fits the window", async ({ page, signInAs }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signInAs("helpdesk", "/devices/windows");
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.locator("tbody tr[data-device-row]").first()).toBeVisible();
  for (const name of ["Device name", "Primary user UPN", "Join type", "Autopilot", "Last check-in", "Reset status"]) {
    await expect(grid.getByRole("columnheader", { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  await expect(grid.getByRole("columnheader", { name: /^Ownership/ })).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: "test-results/grid-1024/grid-1024.png" });
});

test("searching by primary user finds that user's device", async ({ page, emulator, signInAs }) => {
  const device = (await emulator.devices("eligible", 30)).find((candidate) => candidate.userPrincipalName);
  test.skip(!device, "no device with a primary user");
  await signInAs("helpdesk", "/devices/windows");
  await page.getByLabel("Search by device name, user or serial number").fill(device!.userPrincipalName!);
  await expect(page.getByRole("grid", { name: "Windows devices" }).getByRole("link", { name: device!.deviceName, exact: true })).toBeVisible();
});

test("while the tenant's audits are read, a row says Checking… (never None) and a device with a reset pending never looks like one without", async ({ page, request, emulator, signInAs }) => {
  // A reset sent straight to Graph, as the admin center would: a LIST row does not show it, the tenant's audits do.
  // Pick 70: far from the picks other specs make.
  const pending = await emulator.device("eligible", 70, ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows", "silentWipe"]);
  await autopilotReset(request, await graphToken(request), pending.id);
  // The devices named like it (often only itself).
  const search = pending.deviceName.slice(0, -1);
  // The tenant's audit read is held back (one read, 10 s), so "while the audits load" lasts long enough to look at.
  await addFaults(request, [{ fault: "slow", method: "GET", pathContains: "remoteActionAudits", delayMs: 10_000, times: 1 }]);
  try {
    await signInAs("helpdesk", `/devices/windows?q=${encodeURIComponent(search)}`);
    const grid = page.getByRole("grid", { name: "Windows devices" });
    const cell = grid.locator(`tr[data-device-row="${pending.id}"] td`).last();
    await expect(cell).toBeVisible();
    const checking = grid.locator('[data-reset-status="checking"]');
    // Every state the pending device's cell goes through until the audits are in (the server may have them at hand,
    // so loading can be short): loading is its own state, busy and worded apart from every status, and never "None".
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const busy = (await cell.locator('[aria-busy="true"]').count()) > 0 ? "busy:" : "";
          const text = `${busy}${((await cell.textContent()) ?? "").trim()}`;
          if (seen.at(-1) !== text) seen.push(text);
          if (seen.length === 1 && busy) await page.screenshot({ path: test.info().outputPath("grid-audits-loading-1440.png") });
          return text;
        },
        { timeout: 40_000, intervals: [100] },
      )
      .toContain("Reset pending");
    expect(seen.filter((text) => /None/.test(text)), `states seen: ${seen.join(" → ")}`).toEqual([]);
    for (const text of seen.filter((t) => t.includes("Checking"))) expect(text).toBe("busy:Checking…");
    // Once the audits are in, no row is left checking.
    await expect(checking).toHaveCount(0, { timeout: 40_000 });
  } finally {
    await removeFaults(request, ["remoteActionAudits"]);
  }
});
