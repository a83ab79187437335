import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures/auth";
import { APP_URL, EMULATOR_URL } from "./fixtures/env";
import type { EmulatorControl, PersonaId } from "./fixtures/emulator";

/**
 * docs/product.md, "Journey 8: work inside the tenant's guardrails": an Autopilot Reset under Multi Admin Approval on
 * one device, from the justification to the completed reset (exactly one wipe, per the emulator's counters), a
 * rejection, an expiry, a justification Intune would refuse (nothing sent), and an approver who may not approve their
 * own request. While a request waits, the grid and the monitor show it as awaiting approval too. The access policy is
 * switched on for these tests and off after each.
 */

// Access policies are tenant-wide: the tests of this file take turns.
test.describe.configure({ mode: "serial" });

const NOT_RESETTABLE = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;
const APPROVER = "approver" as PersonaId;

interface ApprovalCounters {
  wipes: Record<string, number>;
  approvalRequests: number;
  approvalCompletions: number;
}

interface EmulatorRequest {
  id: string;
  status: string;
  deviceIds: string[];
}

async function control<T>(request: APIRequestContext, method: "GET" | "PUT" | "POST" | "DELETE", path: string, data?: unknown): Promise<T> {
  const response = await request.fetch(`${EMULATOR_URL}/_emulator${path}`, { method, data });
  expect(response.ok(), `${method} /_emulator${path} answered ${response.status()}`).toBe(true);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const counters = (request: APIRequestContext) => control<ApprovalCounters>(request, "GET", "/counters");

async function requestsFor(request: APIRequestContext, deviceId: string): Promise<EmulatorRequest[]> {
  return (await control<{ value: EmulatorRequest[] }>(request, "GET", "/approval-requests")).value.filter((r) => r.deviceIds.includes(deviceId));
}

/** A second person in their own browser context (their own sessionStorage, so their own sign-in). */
async function secondPerson(browser: Browser, emulator: EmulatorControl, persona: PersonaId, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: APP_URL });
  const page = await context.newPage();
  await signIn(page, emulator, persona, path);
  return page;
}

test.beforeEach(async ({ request }) => {
  await control(request, "PUT", "/approval-policies", { preset: "wipe" });
});

test.afterEach(async ({ request }) => {
  await control(request, "DELETE", "/approval-policies");
});

test("a reset under Multi Admin Approval goes from justification to approval to exactly one wipe", async ({ page, browser, request, emulator, signInAs }) => {
  test.setTimeout(150_000);
  const device = await emulator.device("eligible", 70, [...NOT_RESETTABLE]);
  const before = await counters(request);

  // Help Desk Operator may not read access policies: the first Yes learns that approval is needed, and nothing runs.
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("heading", { level: 1, name: device.deviceName })).toBeVisible();
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog).toContainText("needs approval under your tenant's Multi Admin Approval policy");
  const field = dialog.getByLabel("Justification for the approver");
  await expect(field).toBeVisible();
  // The field the answer asks for is brought into view and takes focus (it was below the dialog's fold).
  await expect(field).toBeInViewport();
  await expect(field).toBeFocused();
  expect((await counters(request)).wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);

  await field.fill("Laptop goes to the new hire on Monday, ticket 4711");
  // The ticket reference starts what the approver reads (docs/product.md, "Ticket reference").
  await dialog.getByLabel("Ticket reference (optional)").fill("INC0012345");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog).toBeHidden();
  // Focus stays in the page (the disabled Reset button cannot take it back), never on <body>.
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest("main") !== null && document.activeElement !== document.body)).toBe(true);
  await expect(page.getByTestId("approval-requested")).toContainText("Intune sends no notification");
  // The page says it: no toast repeats it over the page (issue 23, item 10).
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0);
  const status = page.getByTestId("approval-status");
  await expect(status).toContainText("Awaiting approval");
  await expect(status).toContainText("INC0012345: Laptop goes to the new hire on Monday, ticket 4711");
  await expect(status).toContainText("Megan Bowen");
  await expect(status).toContainText("Expires");
  await expect(page.getByTestId("reset-status")).not.toContainText("failed");
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  // Not "unavailable": the reset waits for an approver (issue 23, item 10).
  await expect(page.getByTestId("reset-unavailable")).toContainText("Autopilot Reset awaiting approval:");
  await expect(page.getByTestId("reset-unavailable")).not.toContainText("unavailable");

  // Intune tells no approver: the requester copies a message with where to approve it (issue 23, "What to build").
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const tell = page.getByTestId("tell-approver");
  await expect(tell.getByTestId("tell-approver-text")).toHaveValue(new RegExp(`^Please approve my Autopilot Reset of ${device.deviceName} `));
  await expect(tell.getByTestId("tell-approver-text")).toHaveValue(/Why: INC0012345: Laptop goes to the new hire on Monday, ticket 4711/);
  await expect(tell.getByTestId("tell-approver-text")).toHaveValue(/intune\.microsoft\.com\/#view\/Microsoft_Intune_DeviceSettings\/TenantAdminMenu\/~\/multiAdminApproval/);
  await tell.getByRole("button", { name: "Copy message" }).click();
  await expect(tell.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await tell.getByTestId("tell-approver-text").inputValue());
  await tell.getByRole("button", { name: "Copy link to Approvals" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${new URL(page.url()).origin}/devices/approvals`);
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await tell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/approval-tell/device-awaiting-${width}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  const [asked] = await requestsFor(request, device.id);
  expect(asked?.status).toBe("needsApproval");

  // The grid and the monitor say the same while it waits: awaiting approval, never failed.
  await page.goto(`/devices/windows?q=${encodeURIComponent(device.deviceName)}`);
  const gridRow = page.locator(`tr[data-device-row="${device.id}"]`);
  await expect(gridRow).toContainText("Awaiting approval", { timeout: 20_000 });
  await expect(gridRow).not.toContainText("failed");
  await expect(gridRow.locator('[data-approval-status="needsApproval"] [title]').first()).toHaveAttribute("title", /since .*, asked by Megan Bowen; expires /);
  await page.goto("/devices/actions");
  const monitorRow = page.locator(`tr[data-monitor-row="${device.id.toLowerCase()}"][data-state="awaitingApproval"]`);
  await expect(monitorRow).toContainText("Awaiting approval", { timeout: 20_000 });
  await expect(monitorRow).toContainText("Megan Bowen");
  await expect(monitorRow).toContainText("Approval request");
  await page.getByLabel("State", { exact: true }).selectOption("awaitingApproval");
  await expect(page).toHaveURL(/state=awaitingApproval/);
  await expect(monitorRow).toBeVisible();
  await page.goto(`/devices/windows/${device.id}`);
  await expect(status).toContainText("Awaiting approval");

  // The approver, in a second browser, approves it on the Approvals page.
  const approver = await secondPerson(browser, emulator, APPROVER, "/devices/approvals");
  await expect(approver.getByRole("heading", { name: /Approvals/ })).toBeVisible();
  const card = approver.getByTestId("approval-request").filter({ hasText: device.deviceName });
  await expect(card).toContainText("Megan Bowen");
  await expect(card).toContainText("INC0012345: Laptop goes to the new hire on Monday, ticket 4711");
  await card.getByRole("button", { name: "Approve" }).click();
  const decision = approver.getByRole("dialog", { name: `Approve the Autopilot Reset of ${device.deviceName}` });
  await decision.getByLabel("Your justification").fill("Confirmed with the manager");
  await decision.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByRole("status").filter({ hasText: `Approved the Autopilot Reset of ${device.deviceName}` })).toBeVisible();
  // The approver tells the requester, with the link to the device where Complete reset is.
  await approver.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const tellRequester = approver.getByTestId("tell-requester");
  await expect(tellRequester).toContainText("Message for Megan Bowen");
  await expect(tellRequester.getByTestId("tell-requester-text")).toHaveValue(new RegExp(`/devices/windows/${device.id}`));
  await tellRequester.getByRole("button", { name: "Copy link to the device" }).click();
  await expect(tellRequester.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await approver.evaluate(() => navigator.clipboard.readText())).toBe(`${new URL(approver.url()).origin}/devices/windows/${device.id}`);
  for (const width of [1440, 1024, 390]) {
    await approver.setViewportSize({ width, height: width === 390 ? 844 : width === 1024 ? 768 : 900 });
    await tellRequester.scrollIntoViewIfNeeded();
    await approver.screenshot({ path: `test-results/approval-tell/approver-${width}.png` });
  }
  await approver.context().close();
  expect((await counters(request)).wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);

  // The requester completes it: one wipe, however the button is pressed.
  await expect(status).toContainText("Approved: ready to complete", { timeout: 20_000 });
  await expect(page.getByTestId("reset-unavailable")).toContainText("Autopilot Reset approved:");
  await expect(page.getByTestId("tell-approver")).toHaveCount(0);
  await expect(status).toContainText("Johanna Lorenz");
  await status.getByRole("button", { name: "Complete reset" }).click();
  const complete = page.getByRole("dialog", { name: "Complete Autopilot Reset" });
  await expect(complete.getByRole("button", { name: "No" })).toBeFocused();
  await complete.getByRole("button", { name: "Yes" }).dblclick();
  await expect(page.getByRole("status").filter({ hasText: `Autopilot Reset initiated for ${device.deviceName}` })).toBeVisible();
  await expect(status).toContainText("Approval completed");
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");

  await page.reload();
  await expect(page.getByTestId("approval-status")).toContainText("Approval completed");
  await expect(page.getByRole("button", { name: "Complete reset" })).toHaveCount(0);
  const after = await counters(request);
  expect((after.wipes[device.id] ?? 0) - (before.wipes[device.id] ?? 0)).toBe(1);
  expect(after.approvalRequests - before.approvalRequests).toBe(1);
  expect(after.approvalCompletions - before.approvalCompletions).toBe(1);
  expect((await requestsFor(request, device.id)).map((r) => r.status)).toEqual(["completed"]);
});

test("a rejected reset says so with the approver's reason and can be asked for again", async ({ page, browser, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 71, [...NOT_RESETTABLE]);
  const before = await counters(request);

  // Intune Administrator may read the access policies: the dialog asks for a justification at once.
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog).toContainText(`Ask for approval to reset ${device.deviceName}?`);
  await dialog.getByLabel("Justification for the approver").fill("Reimage before handover");
  await dialog.getByRole("button", { name: "Yes" }).click();
  const status = page.getByTestId("approval-status");
  await expect(status).toContainText("Awaiting approval");

  const approver = await secondPerson(browser, emulator, APPROVER, "/devices/approvals");
  const card = approver.getByTestId("approval-request").filter({ hasText: device.deviceName });
  await card.getByRole("button", { name: "Reject" }).click();
  const decision = approver.getByRole("dialog", { name: `Reject the Autopilot Reset of ${device.deviceName}` });
  await decision.getByLabel("Your justification").fill("Wrong device: the ticket names another laptop");
  await decision.getByRole("button", { name: "Reject" }).click();
  await expect(approver.getByRole("status").filter({ hasText: "Rejected the Autopilot Reset" })).toBeVisible();
  await approver.context().close();

  await expect(status).toContainText("Approval rejected", { timeout: 20_000 });
  await expect(status).toContainText("Wrong device: the ticket names another laptop");
  await expect(page.getByTestId("reset-status")).not.toContainText("Reset failed");
  await status.getByRole("button", { name: "Ask again" }).click();
  await dialog.getByLabel("Justification for the approver").fill("Reimage before handover, checked the serial");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(status).toContainText("Awaiting approval");
  expect((await requestsFor(request, device.id)).map((r) => r.status)).toEqual(["rejected", "needsApproval"]);
  expect((await counters(request)).wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);
  await control(request, "POST", `/approval-requests/${(await requestsFor(request, device.id))[1]!.id}/expire`);
});

test("an expired request says so and offers to ask again", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 72, [...NOT_RESETTABLE]);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByLabel("Justification for the approver").fill("Refresh for the spring intake");
  await dialog.getByRole("button", { name: "Yes" }).click();
  const status = page.getByTestId("approval-status");
  await expect(status).toContainText("Awaiting approval");

  const [asked] = await requestsFor(request, device.id);
  await control(request, "POST", `/approval-requests/${asked!.id}/expire`);
  await page.reload();
  await expect(page.getByTestId("approval-status")).toContainText("Approval expired");
  await expect(page.getByTestId("approval-status")).toContainText("expired before the reset was completed");
  await expect(page.getByRole("button", { name: "Ask again" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeEnabled();
});

test("a 5,000-character justification is refused with a sentence, and nothing is sent", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 73, [...NOT_RESETTABLE]);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  const field = dialog.getByLabel("Justification for the approver");
  const before = await counters(request);

  await field.fill("x".repeat(5_000));
  await expect(dialog).toContainText("5,000 of 834 characters");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("justification-problem")).toHaveText(
    "The justification is 5,000 characters long; Intune accepts at most 834 here. Shorten it by 4,166 characters.",
  );
  await expect(field).toBeFocused();

  await field.fill("first line\nsecond line");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("justification-problem")).toContainText("Write it on one line.");

  await field.fill("   ");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByTestId("justification-problem")).toContainText("Write a justification");

  await expect(dialog).toBeVisible();
  const after = await counters(request);
  expect(after.approvalRequests).toBe(before.approvalRequests);
  expect(after.wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);
  expect(await requestsFor(request, device.id)).toEqual([]);
});

test("an approver cannot approve their own request", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 74, [...NOT_RESETTABLE]);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByLabel("Justification for the approver").fill("Reimage");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByTestId("approval-status")).toContainText("Awaiting approval");

  await page.getByRole("link", { name: "Approvals" }).click();
  const card = page.getByTestId("approval-request").filter({ hasText: device.deviceName });
  await expect(card).toContainText("Isaiah Langer (you)");
  await expect(card.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(card.getByRole("button", { name: "Reject" })).toBeDisabled();
  await expect(card.getByTestId("own-request")).toHaveText("You made this request; a requestor cannot approve their own request. Another approver must.");
  const [asked] = await requestsFor(request, device.id);
  expect(asked?.status).toBe("needsApproval");
  await control(request, "POST", `/approval-requests/${asked!.id}/expire`);
});

test("someone who may not approve sees their own requests, read-only", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 75, [...NOT_RESETTABLE]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await dialog.getByLabel("Justification for the approver").fill("Reimage for the new starter");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByTestId("approval-status")).toContainText("Awaiting approval");

  await page.goto("/devices/approvals");
  await expect(page.getByTestId("approvals-read-only")).toContainText("does not include Approval for Multi Admin Approval");
  const card = page.getByTestId("approval-request").filter({ hasText: device.deviceName });
  await expect(card).toContainText("Megan Bowen (you)");
  await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(card).toContainText("(just now)");

  // Graph's clock moves 20 hours on: the relative time beside the request's date follows Graph's clock, the clock of
  // the date, never "just now" beside a date 20 hours away (issue 23, item 10). The page learns Graph's time from what
  // it reads (the devices' newest check-in), so it reads again after the move.
  await emulator.advanceClock(20 * 3600);
  await page.reload();
  // Graph's time as the page knows it is the newest check-in read, which may trail Graph's clock by up to an hour.
  await expect(card.locator("time").first()).toContainText(/\((19|20) hours ago\)/, { timeout: 30_000 });
  await expect(card).not.toContainText("just now");
  const [asked] = await requestsFor(request, device.id);
  await control(request, "POST", `/approval-requests/${asked!.id}/expire`);
});
