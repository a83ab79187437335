import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";
import { choosePrefix, confirmTyped, deltas, LAPTOP_PREFIXES, selectAllMatching, summaryOf } from "./fixtures/bulk";

/**
 * A bulk Autopilot Reset under Multi Admin Approval (docs/product.md, "Journey 4"; emulator/README.md, "Multi Admin
 * Approval"). The policy is tenant-wide, so this spec must not run beside another that wipes: run it alone or with
 * --workers=1. A Help Desk Operator may not read the access policies, so the console learns of the policy from the
 * first answer (approval required, no request opened), asks once for the run's justification, and resumes: every
 * device then awaits approval, none is wiped, and Retry failed only has nothing to offer. Three days later on Graph's
 * clock, nobody having approved, the same panel reads the requests again and says "Approval expired: ask again" for
 * every device, on screen and in its CSV, without a reload.
 */

test.describe.configure({ mode: "serial" });

test.afterAll(async ({ request }) => {
  expect((await request.delete(`${EMULATOR_URL}/_emulator/approval-policies`)).ok()).toBe(true);
});

test("a bulk reset of 60 under Multi Admin Approval: one justification, every device awaiting approval, no wipe", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(240_000);
  const { search, matching, targets } = await choosePrefix(request, LAPTOP_PREFIXES, 60);
  expect((await request.put(`${EMULATOR_URL}/_emulator/approval-policies`, { data: { preset: "wipe" } })).ok()).toBe(true);
  const before = (await emulator.counters()).wipes;
  const requestsBefore = ((await (await request.get(`${EMULATOR_URL}/_emulator/approval-requests`)).json()) as { value: unknown[] }).value.length;

  await signInAs("helpdesk", `/devices/windows?q=${search}`);
  await selectAllMatching(page, search);
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const confirmed = await confirmTyped(page);

  const panel = page.getByTestId("bulk-run-panel");
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Paused" })).toBeVisible({ timeout: 60_000 });
  await expect(panel).toContainText("Give one justification for the run, then resume");
  const resume = panel.getByRole("button", { name: "Resume with this justification" });
  await expect(resume).toBeDisabled();
  const field = panel.getByTestId("bulk-resume-justification");
  // 5,000 characters, then a line break: each refused with a sentence, nothing sent.
  await field.fill("x".repeat(5000));
  await expect(panel.getByRole("alert").filter({ hasText: /5,000 characters long/ })).toBeVisible();
  await expect(resume).toBeDisabled();
  await field.fill("Lab refresh\tbefore term");
  await expect(panel.getByRole("alert").filter({ hasText: /control character/ })).toBeVisible();
  await expect(resume).toBeDisabled();
  await field.fill("Classroom refresh before the new term (ticket 4711)");
  await resume.click();
  await expect(panel.getByRole("heading", { name: "Bulk Autopilot Reset: Finished" })).toBeVisible({ timeout: 120_000 });

  const summary = await summaryOf(page);
  expect(summary.text).toContain(`${confirmed} awaiting approval`);
  expect(summary.initiated).toBe(0);
  expect(summary.failed).toBe(0);
  await expect(panel.getByTestId("bulk-run-approval")).toContainText(`${confirmed} devices await approval`);
  await expect(panel.getByRole("button", { name: /Retry failed/ })).toHaveCount(0);
  await panel.getByLabel("Show").selectOption("awaiting-approval");
  await expect(panel.locator('[data-testid="bulk-results"] [data-status="awaiting-approval"]').first()).toBeVisible();

  const d = deltas(before, (await emulator.counters()).wipes, matching.map((m) => m.id));
  expect([...d.values()].every((n) => n === 0), "no device wiped").toBe(true);
  const requests = ((await (await request.get(`${EMULATOR_URL}/_emulator/approval-requests`)).json()) as { value: { id: string; deviceIds: string[]; requestJustification: string }[] }).value;
  const opened = requests.slice(requestsBefore);
  expect(opened).toHaveLength(confirmed);
  expect(confirmed).toBeGreaterThanOrEqual(60);
  const targetIds = new Set(targets.map((t) => t.id));
  for (const r of opened) {
    expect(targetIds.has(r.deviceIds[0]!)).toBe(true);
    expect(r.requestJustification).toMatch(/^Autopilot Reset of .+ \([0-9a-f-]{36}\): Classroom refresh before the new term \(ticket 4711\)$/);
  }

  // Three days pass on Graph's clock and nobody approves: Intune expires every request (docs/graph.md, "Multi Admin
  // Approval"). The panel is not reloaded: asked to check again, it reads the requests and says so.
  await emulator.advanceClock(3 * 86_400 + 60);
  await panel.getByTestId("bulk-run-approvals-refresh").click();
  await expect(panel.getByTestId("bulk-run-approval-expired")).toContainText(`Approval expired: ask again. ${confirmed} devices' approval requests expired`);
  await expect(panel.getByTestId("bulk-run-approval")).toHaveCount(0);
  expect((await summaryOf(page)).text).toContain(`${confirmed} approvals expired`);
  expect((await summaryOf(page)).text).not.toContain("awaiting approval");
  await panel.getByLabel("Show").selectOption("approval-expired");
  const expiredRow = panel.locator('[data-testid="bulk-results"] [data-reason="approval-expired"]').first();
  await expect(expiredRow).toContainText("Approval expired");
  await expect(expiredRow).toContainText("Approval expired: ask again.");
  await panel.getByLabel("Show").selectOption("awaiting-approval");
  await expect(panel.getByTestId("bulk-results-empty")).toHaveText("No device is awaiting approval.");

  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: "Export results (CSV)" }).click();
  const csv = (await readFile((await (await download).path())!, "utf8")).replace(/^\ufeff/, "");
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  // The run's rows also name the devices the preflight skipped; every device that was sent now reads expired.
  const sent = rows.filter((row) => row.Outcome !== "Skipped");
  expect(sent).toHaveLength(confirmed);
  for (const row of sent) expect([row.Outcome, row.Reason]).toEqual(["Approval expired: ask again", "Approval expired: ask again"]);
  expect(new Set(sent.map((r) => r["Approval request"]))).toEqual(new Set(opened.map((r) => r.id)));
});
