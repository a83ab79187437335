import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { expect, test } from "./fixtures/auth";
import { axeViolations, confirmTyped, fleet, resettable, waitForEnd } from "./fixtures/bulk";
import type { Page } from "@playwright/test";

/**
 * Reset from a list (docs/product.md, "Journey 7: start from what the ticket names"): a CSV of 300 serial numbers built
 * from the emulator's fleet, with 7 unknown serials, 3 duplicated lines and 5 devices that cannot be Autopilot Reset,
 * says 285 will be reset, and the run sends exactly one wipe to each of them and none to the others (the emulator's
 * counters). The bad inputs each get their sentence, and the emulator's request counter shows nothing was sent for them
 * (that test runs first, before any reset makes the console's watcher poll).
 */

test.describe.configure({ mode: "serial" });

const PAGE = "/devices/windows/from-list";

async function upload(page: Page, name: string, buffer: Buffer, mimeType = "text/csv") {
  await page.locator("#ticket-file-input").setInputFiles({ name, mimeType, buffer });
}

/** Graph requests the emulator counted, once the page has stopped reading (permissions, approvals) on its own. */
async function settledRequests(read: () => Promise<{ requests: number }>): Promise<number> {
  let last = (await read()).requests;
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 700));
    const now = (await read()).requests;
    if (now === last) return now;
    last = now;
  }
  return last;
}

test("bad inputs: each says why and sends nothing for it", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  await signInAs("helpdesk", PAGE);
  await expect(page.getByRole("button", { name: "Check devices" })).toBeVisible();
  const problem = page.getByTestId("ticket-problem");
  // Every POST the page makes (server actions included), to show no bad line ever left the browser.
  const posted: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posted.push(r.postData() ?? "");
  });
  const start = await settledRequests(() => emulator.counters());

  await upload(page, "fleet-export.csv", Buffer.alloc(20 * 1024 * 1024, "PF3A9K2X\n"));
  await expect(problem).toContainText("is 20.0 MB");
  await expect(problem).toContainText("Nothing was read");

  await upload(page, "laptop.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), "image/png");
  await expect(problem).toContainText("contains NUL bytes");

  const many = Array.from({ length: 100_000 }, (_, i) => `PC${i}`).join("\n");
  await upload(page, "many.txt", Buffer.from(many), "text/plain");
  await expect(problem).toContainText("more than 10,000 lines");

  // UTF-16 with its byte-order mark, as Excel's "Unicode text" writes: decoded, and its bad lines refused.
  const utf16 = "Serial number\r\n=HYPERLINK(\"http://evil.example\",\"open\")\r\nx' or 1 eq 1\r\n\r\n@SUM(A1)\r\n";
  await upload(page, "unicode.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, "utf16le")]), "text/plain");
  await expect(problem).toBeHidden();
  await expect(page.getByTestId("ticket-notes")).toContainText("UTF-16");
  await expect(page.getByTestId("ticket-notes")).toContainText("1 blank line skipped");
  const table = page.getByTestId("ticket-preflight");
  await expect(table.locator('tr[data-line="2"]')).toContainText("Looks like a spreadsheet formula, not a device.");
  await expect(table.locator('tr[data-line="3"]')).toContainText("Looks like a query (OData), not a device");
  await expect(table.locator('tr[data-line="5"]')).toContainText("Looks like a spreadsheet formula, not a device.");
  const beforeCheck = await settledRequests(() => emulator.counters());
  await page.getByRole("button", { name: "Check devices" }).click();
  await expect(page.getByTestId("ticket-counts")).toContainText("0 devices will be reset");
  await expect(page.getByTestId("ticket-counts")).toContainText("3 refused");
  // Checking a list of refused lines asks Graph nothing.
  expect((await emulator.counters()).requests).toBe(beforeCheck);

  // A semicolon-separated CSV: read that way, and said so.
  await upload(page, "eu.csv", Buffer.from("Name;Serial number\nLT-1;=cmd|' /C calc'!A0\n"), "text/csv");
  await expect(page.getByTestId("ticket-notes")).toContainText("semicolons");
  await expect(table.locator('tr[data-line="2"]')).toContainText("Looks like a spreadsheet formula");

  // The page's own reads (permissions, token renewals) may come and go; none of them carried a line: no POST from the
  // page held any of the values above, and the Graph requests stayed a handful, whatever the 20 MB file held.
  expect((await settledRequests(() => emulator.counters())) - start).toBeLessThan(10);
  expect(posted.filter((body) => body.includes('"values"'))).toEqual([]);
  expect(posted.filter((body) => /HYPERLINK|1 eq 1|calc|SUM\(A1\)|PF3A9K2X/.test(body))).toEqual([]);

  // A short pasted list lives in the URL, so a shared link reopens the same check.
  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await page.getByLabel(/one per line/).fill("QZ1NOSUCH17\n\nx' or 1 eq 1");
  await page.getByRole("button", { name: "Check devices" }).click();
  await expect(page.getByTestId("ticket-counts")).toContainText("1 not found");
  await expect.poll(() => new URL(page.url()).searchParams.get("lines")).toBeNull();
  await page.getByLabel(/one per line/).fill("QZ1NOSUCH17\nQZ2NOSUCH27");
  await page.getByRole("button", { name: "Check devices" }).click();
  await expect(page.getByTestId("ticket-counts")).toContainText("2 not found");
  await expect.poll(() => new URL(page.url()).searchParams.get("lines")).toBe("QZ1NOSUCH17,QZ2NOSUCH27");
  await page.reload();
  await expect(page.getByTestId("ticket-counts")).toContainText("2 not found", { timeout: 30_000 });
});

test("a CSV of 300 serial numbers: 285 reset, one wipe each, nothing to the unknown, duplicated and ineligible ones", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(240_000);
  // A day of its own: the console plans wipes under Intune's daily limit from the wipe audits of the last 24 hours, on
  // Graph's clock, and the specs before this one wiped hundreds of devices. Moving the emulator's clock on ages them
  // out, so all 285 fit today's room and none waits for a later wave.
  await emulator.advanceClock(86_400 + 120);
  const all = await fleet(request);
  const before = (await emulator.counters()).wipes;
  const serialCount = new Map<string, number>();
  for (const d of all) serialCount.set(d.serialNumber.toLowerCase(), (serialCount.get(d.serialNumber.toLowerCase()) ?? 0) + 1);
  const unique = all.filter((d) => serialCount.get(d.serialNumber.toLowerCase()) === 1 && !d.traits.includes("pendingReset"));
  // From the end of the fleet's list, and none an earlier spec has reset (the console would skip it as reset pending).
  const targets = unique.filter((d) => resettable(d) && !before[d.id]).slice(-285);
  const ineligible = [...unique.filter((d) => d.traits.includes("hybrid")).slice(-3), ...unique.filter((d) => d.traits.includes("notAutopilot") && !d.traits.includes("hybrid")).slice(-2)];
  expect(targets).toHaveLength(285);
  expect(ineligible).toHaveLength(5);
  const unknown = Array.from({ length: 7 }, (_, i) => `QZ${i}NOSUCH${i}7`);
  const rows: string[][] = [
    ...targets.map((d, i) => [i % 50 === 0 ? d.serialNumber.toLowerCase() : d.serialNumber, `ticket ${i}`]),
    ...ineligible.map((d) => [d.serialNumber, "ineligible"]),
    ...unknown.map((s) => [s, "unknown"]),
    ...targets.slice(10, 13).map((d) => [` ${d.serialNumber} `, "again"]),
  ];
  expect(rows).toHaveLength(300);
  const csv = Papa.unparse({ fields: ["Serial number", "Note"], data: rows }, { newline: "\r\n" });

  await signInAs("helpdesk", PAGE);
  await expect(page.getByRole("heading", { name: /Reset from a list/ })).toBeVisible();
  await upload(page, "ticket-4711.csv", Buffer.from(csv, "utf8"));
  await expect(page.getByTestId("ticket-notes")).toContainText("Line 1 is the header");
  await expect(page.getByLabel("Column with the devices")).toHaveValue("0");
  await page.getByRole("button", { name: "Check devices" }).click();
  const counts = page.getByTestId("ticket-counts");
  await expect(counts).toContainText("285 devices will be reset", { timeout: 60_000 });
  await expect(counts).toContainText("290 found");
  await expect(counts).toContainText("7 not found");
  await expect(counts).toContainText("5 not eligible");
  await expect(counts).toContainText("3 duplicates");
  await expect(page.getByTestId("ticket-url-note")).toContainText("never put in the page's address");
  expect(new URL(page.url()).searchParams.get("lines")).toBeNull();

  // A duplicate line points at its first line; an unknown serial says what was tried.
  const table = page.getByTestId("ticket-preflight");
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.locator('tr[data-line="301"]')).toContainText("Duplicate of line 14");
  await expect(table.locator('tr[data-line="298"]')).toContainText("Not found");
  expect(await axeViolations(page, "main")).toEqual([]);

  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toContainText("285");
  await expect(dialog).toContainText("will be skipped");
  await expect(dialog.getByTestId("bulk-plan-waves")).toHaveCount(0);
  expect(await confirmTyped(page)).toBe(285);
  await waitForEnd(page);

  const after = (await emulator.counters()).wipes;
  for (const d of targets) expect((after[d.id] ?? 0) - (before[d.id] ?? 0), `${d.deviceName} ${d.serialNumber}`).toBe(1);
  for (const d of ineligible) expect((after[d.id] ?? 0) - (before[d.id] ?? 0), d.deviceName).toBe(0);
  const sent = Object.keys(after).filter((id) => (after[id] ?? 0) !== (before[id] ?? 0));
  expect(sent.length).toBe(285);

  // The results CSV keeps each device's line of the ticket beside it.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export results (CSV)" }).click();
  const results = Papa.parse<string[]>((await readFile((await (await download).path())!, "utf8")).replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;
  expect(results[0]!.slice(-2)).toEqual(["Source line", "Source text"]);
  const first = results.find((r) => r[0] === targets[1]!.id)!;
  expect(first.slice(-2)).toEqual(["3", targets[1]!.serialNumber]);
  expect(results).toHaveLength(1 + 290);
});
