import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import type { Download, Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { waitForEnd } from "./fixtures/bulk";

/**
 * A bulk run's preflight and results (docs/product.md, "Journey 4"), on three devices of this spec's own (picks 33 of
 * each trait), named in a "Reset from a list" link: one to reset, one hybrid joined, one not registered with Autopilot.
 */
const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

async function csvOf(page: Page, button: string): Promise<Record<string, string>[]> {
  const download: Promise<Download> = page.waitForEvent("download");
  await page.getByRole("button", { name: button }).click();
  const text = (await readFile((await (await download).path())!, "utf8")).replace(/^\ufeff/, "");
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test("skipped devices are named with their reason, result rows link to their devices, and both CSVs read like the screen", async ({ page, emulator, signInAs }) => {
  const target = await emulator.device("eligible", 33, [...NOT_PLAIN]);
  const hybrid = await emulator.device("hybrid", 33, ["pendingReset"]);
  const unregistered = await emulator.device("notAutopilot", 33, ["hybrid", "pendingReset"]);
  const devices = [target, hybrid, unregistered];
  const wipesBefore = await Promise.all(devices.map((d) => emulator.wipesOf(d.id)));

  await signInAs("helpdesk", `/devices/windows/from-list?lines=${devices.map((d) => encodeURIComponent(d.deviceName)).join(",")}`);
  await expect(page.getByTestId("ticket-counts")).toContainText("1 device will be reset", { timeout: 30_000 });
  const bar = page.getByRole("toolbar", { name: "Bulk actions" });

  // The selection CSV: serial number, primary user, the grid's words, ISO times.
  const selection = await csvOf(page, "Export selection (CSV)");
  expect(selection.map((r) => r["Device ID"]).sort()).toEqual(devices.map((d) => d.id).sort());
  for (const d of devices) {
    const row = selection.find((r) => r["Device ID"] === d.id)!;
    expect(row["Serial number"]).toBe(d.serialNumber);
    expect(row["Primary user UPN"]).toBe(d.userPrincipalName ?? "");
    expect(row["Last check-in"]).toMatch(ISO);
    expect(["Compliant", "Not compliant", "In grace period", "Conflict", "Error", "Unknown"]).toContain(row["Compliance"]);
  }
  expect(selection.find((r) => r["Device ID"] === hybrid.id)!["Join type"]).toBe("Microsoft Entra hybrid joined");
  expect(selection.find((r) => r["Device ID"] === target.id)!["Join type"]).toBe("Microsoft Entra joined");

  // The preflight names each skipped device under its reason, with a link to it.
  await bar.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  const skipped = dialog.getByTestId("bulk-plan-skipped");
  await expect(skipped.getByRole("listitem").filter({ hasText: "Hybrid Entra joined: needs a full Wipe: 1" })).toContainText(hybrid.deviceName);
  await expect(skipped.getByRole("listitem").filter({ hasText: "Not registered with Windows Autopilot: 1" })).toContainText(unregistered.deviceName);
  await expect(skipped.getByRole("link", { name: hybrid.deviceName })).toHaveAttribute("href", `/devices/windows/${hybrid.id}`);
  // The run's ticket reference (optional): refused when hostile, then carried to the panel, the CSV and each device's history.
  const ticket = dialog.getByLabel("Ticket reference (optional)");
  await ticket.fill("<b>INC</b>");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("bulk-ticket-reference-problem")).toContainText("A ticket reference starts with a letter or a digit");
  expect(await emulator.wipesOf(target.id)).toBe(wipesBefore[devices.indexOf(target)]);
  await ticket.fill("INC0012345");
  await expect(dialog.getByRole("button", { name: "No" })).toBeVisible();
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await expect(dialog.getByTestId("bulk-plan-warning")).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`bulk-dialog-ticket-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await waitForEnd(page);

  const panel = page.getByTestId("bulk-run-panel");
  await expect(panel).toContainText(/Started \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d/);
  await expect(panel.getByTestId("bulk-run-ticket")).toHaveText("INC0012345");
  await expect(page.getByTestId("bulk-run-summary")).toContainText("1 initiated, 2 skipped, 0 failed");
  const results = page.getByTestId("bulk-results");
  for (const d of devices) {
    await expect(results.locator(`tr[data-device-id="${d.id}"]`).getByRole("link", { name: new RegExp(`^${d.deviceName}`) })).toHaveAttribute(
      "href",
      `/devices/windows/${d.id}`,
    );
  }
  // An empty view says so.
  await page.getByLabel("Show").selectOption("failed");
  await expect(page.getByTestId("bulk-results-empty")).toHaveText("No device failed or was left unsent.");
  await page.getByLabel("Show").selectOption("all");

  const rows = await csvOf(page, "Export results (CSV)");
  expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(["Device ID", "Device name", "Serial number", "Primary user UPN", "Outcome", "Sent at", "Settled at"]));
  const byId = new Map(rows.map((r) => [r["Device ID"], r]));
  for (const d of devices) {
    expect(byId.get(d.id)!["Serial number"]).toBe(d.serialNumber);
    expect(byId.get(d.id)!["Primary user UPN"]).toBe(d.userPrincipalName ?? "");
  }
  expect(byId.get(target.id)!.Outcome).toBe("Initiated");
  expect(byId.get(target.id)!["Initiated by"]).toMatch(/^MeganB@/i);
  expect(byId.get(hybrid.id)!["Initiated by"]).toBe("");
  expect(byId.get(target.id)!["Sent at"]).toMatch(ISO);
  expect(byId.get(hybrid.id)!.Outcome).toBe("Skipped");
  // Words, never codes: the reason as the preflight says it, and the run's ticket on every row.
  expect(byId.get(hybrid.id)!.Reason).toBe("Hybrid Entra joined: needs a full Wipe");
  expect(byId.get(target.id)!.Reason).toBe("Accepted by Intune");
  expect(rows.flatMap((r) => Object.values(r))).not.toContain("hybrid-joined");
  for (const d of devices) expect(byId.get(d.id)!.Ticket).toBe("INC0012345");
  expect(byId.get(hybrid.id)!["Settled at"]).toMatch(ISO);

  const wipesAfter = await Promise.all(devices.map((d) => emulator.wipesOf(d.id)));
  expect(wipesAfter.map((n, i) => n - wipesBefore[i]!)).toEqual([1, 0, 0]);

  // The device's own history keeps the run's ticket reference.
  await page.goto(`/devices/windows/${target.id}`);
  await expect(page.getByTestId("device-history").getByTestId("device-history-ticket").first()).toHaveText("INC0012345");
});
