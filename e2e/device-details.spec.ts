import { expect, test } from "./fixtures/auth";
import { graphToken } from "./fixtures/graph";
import { EMULATOR_URL } from "./fixtures/env";
import type { APIRequestContext } from "@playwright/test";

/**
 * The device page's Autopilot section and what the reset dialog says (docs/product.md, "Journey 2" and "Journey 3"):
 * checked against the emulator's own windowsAutopilotDeviceIdentity, read through its Graph as any client would.
 * Picks 29-31 are this spec's own (grep the other specs before taking more).
 */
const NOT_PLAIN = ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot"] as const;

async function autopilotRecord(request: APIRequestContext, serialNumber: string) {
  const headers = { Authorization: `Bearer ${await graphToken(request)}` };
  const base = `${EMULATOR_URL}/beta/deviceManagement/windowsAutopilotDeviceIdentities`;
  const list = await request.get(`${base}?$filter=${encodeURIComponent(`contains(serialNumber,'${serialNumber}')`)}`, { headers });
  expect(list.ok()).toBe(true);
  const row = ((await list.json()) as { value: Record<string, string>[] }).value[0]!;
  const detail = await request.get(`${base}/${row.id}?$expand=deploymentProfile`, { headers });
  expect(detail.ok()).toBe(true);
  const profile = ((await detail.json()) as { deploymentProfile: { displayName: string } | null }).deploymentProfile;
  return { groupTag: row.groupTag!, status: row.deploymentProfileAssignmentStatus!, profileName: profile?.displayName ?? null };
}

test("the Autopilot section shows the emulator's record, and the reset dialog says what the reset keeps, needs and brings back", async ({ page, request, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 29, [...NOT_PLAIN]);
  const record = await autopilotRecord(request, device.serialNumber);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);

  const section = page.getByTestId("autopilot-section");
  await expect(section.getByRole("heading", { name: "Windows Autopilot" })).toBeVisible();
  await expect(section).toContainText(`Group tag${record.groupTag || "None"}`);
  // Every device page links to the same device in the Intune admin center (its Overview), in a new tab.
  const adminCenter = page.getByTestId("admin-center-link");
  await expect(adminCenter).toHaveAttribute("href", `https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${device.id}`);
  await expect(adminCenter).toHaveAttribute("target", "_blank");
  await expect(adminCenter).toHaveAccessibleName("Open this device in the Intune admin center (opens in a new tab)");
  await expect(section).toContainText(`Deployment profile${record.profileName ?? "None"}`);
  await expect(section).toContainText(`Profile status${record.status === "assignedInSync" ? "Assigned" : "Not assigned"}`);
  await expect(section).toContainText("Enrollment stateEnrolled");
  await expect(section).toContainText("RemediationNone needed");
  await expect(section).toContainText(/Last contact.+ \(\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d\)/);

  // The dialog opens on No, and says what this device comes back with.
  const opener = page.getByRole("button", { name: "Autopilot Reset" });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Autopilot Reset" });
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await expect(dialog.getByTestId("reset-dialog-autopilot").first()).toContainText(record.groupTag ? `group tag “${record.groupTag}”` : "no group tag");
  await expect(dialog).toContainText("It reapplies");
  await expect(dialog).toContainText("The device's original settings.");
  await expect(dialog).toContainText("one on a USB drive plugged in when the reset starts");
  await expect(dialog).toContainText("WinRE");
  await expect(dialog).toContainText("reagentc.exe /enable");
  // Focus goes back to the button that opened it, after No and after Escape.
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(opener).toBeFocused();

  const sync = page.getByRole("button", { name: "Sync", exact: true });
  await sync.click();
  const syncDialog = page.getByRole("dialog", { name: "Sync" });
  await expect(syncDialog.getByRole("button", { name: "No" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(sync).toBeFocused();
});

test("Yes says 'initiated' once: no toast beside it and no 'unavailable' banner over it", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("eligible", 30, [...NOT_PLAIN]);
  const wipesBefore = await emulator.wipesOf(device.id);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  const opener = page.getByRole("button", { name: "Autopilot Reset" });
  await opener.click();
  await page.getByRole("dialog", { name: "Autopilot Reset" }).getByRole("button", { name: "Yes" }).click();

  const initiated = `Autopilot Reset initiated for ${device.deviceName}`;
  await expect(page.getByRole("status").filter({ hasText: initiated })).toBeVisible();
  await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
  await expect(page.getByText(initiated)).toHaveCount(1);
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0);
  await expect(page.getByTestId("reset-unavailable")).toHaveCount(0);
  // The disabled button is described by that one message.
  await expect(opener).toBeDisabled();
  await expect(opener).toHaveAccessibleDescription(new RegExp(initiated));
  expect(await emulator.wipesOf(device.id)).toBe(wipesBefore + 1);
  // The Autopilot record follows the reset (read again every 15 s while it is under way).
  await expect(page.getByTestId("autopilot-section")).toContainText("Enrollment stateReset pending", { timeout: 20_000 });
});

test("a hybrid joined device gets a next step: a full Wipe, with a link to it in the Intune admin center", async ({ page, emulator, signInAs }) => {
  const device = await emulator.device("hybrid", 31, ["pendingReset"]);
  await signInAs("helpdesk", `/devices/windows/${device.id}`);
  await expect(page.getByRole("button", { name: "Autopilot Reset" })).toBeDisabled();
  await expect(page.getByTestId("reset-unavailable")).toContainText("Hybrid Microsoft Entra joined devices can't be Autopilot Reset");
  const next = page.getByTestId("reset-next-step");
  await expect(next).toContainText("Wipe it from its page in the Intune admin center");
  const link = next.getByRole("link", { name: `Open ${device.deviceName} in the Intune admin center (opens in a new tab)` });
  await expect(link).toHaveAttribute(
    "href",
    `https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${device.id}`,
  );
  await expect(link).toHaveAttribute("target", "_blank");
});
