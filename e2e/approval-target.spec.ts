import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";
import type { PersonaId } from "./fixtures/emulator";
import { graphToken } from "./fixtures/graph";

/**
 * Issue 20, docs/product.md "Journey 8": a wipe of one device sent straight to Graph (not through the console) with a
 * justification naming another device. The approver sees "a device not confirmed" and a warning, never the named
 * device; Approve asks once more; the wiped device's page shows the request with its whole text, as text. The access
 * policy is tenant-wide (project tenant-wide).
 */

test.describe.configure({ mode: "serial" });

const NOT_RESETTABLE = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

test.beforeEach(async ({ request }) => {
  expect((await request.put(`${EMULATOR_URL}/_emulator/approval-policies`, { data: { preset: "wipe" } })).ok()).toBe(true);
});

test.afterEach(async ({ request }) => {
  expect((await request.delete(`${EMULATOR_URL}/_emulator/approval-policies`)).ok()).toBe(true);
});

test("a request with a misleading justification shows the approver 'not confirmed', never the named device", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const wiped = await emulator.device("eligible", 76, [...NOT_RESETTABLE]);
  const named = await emulator.device("eligible", 77, [...NOT_RESETTABLE]);
  const justification = `Autopilot Reset of ${named.deviceName} (${named.id}): Screen cracked, ticket 9035`;
  const wipe = await request.post(`${EMULATOR_URL}/beta/deviceManagement/managedDevices/${wiped.id}/wipe`, {
    headers: {
      Authorization: `Bearer ${await graphToken(request)}`,
      "x-msft-approval-justification": Buffer.from(justification, "utf8").toString("base64"),
    },
    data: { keepEnrollmentData: true, keepUserData: false },
  });
  expect(wipe.status()).toBe(403);
  const code = wipe.headers()["x-msft-approval-code"]!;
  expect(code).toMatch(/^[0-9a-f-]{36}$/);

  await signInAs("approver" as PersonaId, "/devices/approvals");
  // By request id: a retry of this serial file finds the first attempt's request too.
  const card = page.locator(`[data-testid="approval-request"][data-request-id="${code}"]`);
  await expect(card).toContainText("Autopilot Reset of a device not confirmed");
  await expect(card.getByTestId("approval-device-warning")).toContainText(`Device not confirmed: Intune does not say which device this request would reset. The justification names ${named.deviceName}`);
  await expect(card.getByRole("link", { name: named.deviceName })).toHaveCount(0);
  await expect(card).toContainText(justification);

  await card.getByRole("button", { name: "Approve" }).click();
  const dialog = page.getByRole("dialog", { name: "Approve the Autopilot Reset of a device not confirmed" });
  await expect(dialog.getByTestId("decision-device-warning")).toContainText("Device not confirmed");
  await dialog.getByLabel("Your justification").fill("Checked with the requester by phone");
  const approve = dialog.getByRole("button", { name: "Approve" });
  await expect(approve).toBeDisabled();
  await dialog.getByRole("checkbox", { name: /approve it anyway/ }).check();
  await approve.click();
  await expect(page.getByRole("status").filter({ hasText: "Approved the Autopilot Reset of a device not confirmed" })).toBeVisible();

  // The device Intune would wipe shows the request, its whole justification as text.
  await page.goto(`/devices/windows/${wiped.id}`);
  const status = page.getByTestId("approval-status");
  await expect(status).toContainText("Approved", { timeout: 20_000 });
  await expect(status).toContainText(justification);
  expect((await request.post(`${EMULATOR_URL}/_emulator/approval-requests/${code}/expire`)).ok()).toBe(true);
});

test("an approved request left for 3 days (Graph's clock) reads Expired on the device page and the Approvals page, never Complete, and a new one can be asked", async ({ page, request, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const device = await emulator.device("eligible", 78, [...NOT_RESETTABLE]);
  await signInAs("intuneadmin", `/devices/windows/${device.id}`);
  await page.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await dialog.getByLabel("Justification for the approver").fill("Left over the long weekend, ticket 9036");
  await dialog.getByRole("button", { name: "Yes" }).click();
  const status = page.getByTestId("approval-status");
  await expect(status).toContainText("Awaiting approval");

  // The approver approves straight through Graph; then nobody completes it for 3 days of the emulator's clock.
  const listed = (await (await request.get(`${EMULATOR_URL}/_emulator/approval-requests`)).json()) as { value: { id: string; deviceIds: string[] }[] };
  const asked = listed.value.filter((r) => r.deviceIds.includes(device.id)).at(-1)!;
  const approverToken = ((await (await request.post(`${EMULATOR_URL}/_emulator/token`, { data: { persona: "approver" } })).json()) as { access_token: string }).access_token;
  const approved = await request.post(`${EMULATOR_URL}/beta/deviceManagement/operationApprovalRequests/${asked.id}/approve`, {
    headers: { Authorization: `Bearer ${approverToken}` },
    data: { justification: "Fine", approvalSource: "adminConsole" },
  });
  expect(approved.ok()).toBe(true);
  await page.reload();
  await expect(status.getByRole("button", { name: "Complete reset" })).toBeVisible({ timeout: 20_000 });
  await emulator.advanceClock(3 * 86_400 + 60);

  await page.reload();
  await expect(status).toContainText("Approval expired");
  await expect(status.getByRole("button", { name: "Complete reset" })).toHaveCount(0);
  await page.goto("/devices/approvals");
  const card = page.locator(`[data-testid="approval-request"][data-request-id="${asked.id}"]`);
  await expect(card).toContainText("Approval expired");
  await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await page.goto(`/devices/windows/${device.id}`);
  await status.getByRole("button", { name: "Ask again" }).click();
  await dialog.getByLabel("Justification for the approver").fill("Asked again after the weekend, ticket 9036");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(status).toContainText("Awaiting approval");
  const after = (await (await request.get(`${EMULATOR_URL}/_emulator/approval-requests`)).json()) as { value: { id: string; status: string; deviceIds: string[] }[] };
  const mine = after.value.filter((r) => r.deviceIds.includes(device.id));
  expect(mine.map((r) => r.status).slice(-2)).toEqual(["expired", "needsApproval"]);
  expect((await request.post(`${EMULATOR_URL}/_emulator/approval-requests/${mine.at(-1)!.id}/expire`)).ok()).toBe(true);
});
