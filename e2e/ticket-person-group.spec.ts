import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/auth";
import { addFaults, currentFaults, removeFaults, summaryOf } from "./fixtures/bulk";
import { EMULATOR_URL } from "./fixtures/env";

/**
 * docs/product.md, Journey 7 (a person's devices, an Entra group): the list page's "A person's devices" and "An Entra
 * group" tabs take a directory object's Windows devices into the shared bulk flow. Each Sync goes exactly once to each
 * ticked device and to no other. Sync only: nothing tenant-wide changes (no daily wipe limit, no approval policy).
 */
const PAGE = "/devices/windows/from-list";

async function control<T>(path: string): Promise<T> {
  const res = await fetch(`${EMULATOR_URL}/_emulator${path}`);
  expect(res.ok, path).toBe(true);
  return (await res.json()) as T;
}

/** Sync from the page's bulk bar; the typed confirmation when the plan asks for it. Returns the count confirmed. */
async function runSync(page: Page): Promise<number> {
  await page.getByTestId("ticket-bulk").getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: /Sync/ }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const typed = dialog.getByText(/^Type \d+ to confirm$/);
  let count = 0;
  if (await typed.isVisible()) {
    count = Number((await typed.textContent())!.match(/\d+/)![0]);
    await dialog.getByTestId("bulk-confirm-input").fill(String(count));
  }
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("heading", { name: /Bulk Sync: Finished/ })).toBeVisible({ timeout: 150_000 });
  return count;
}

/**
 * Ticks every listed device. The list starts with the devices an Autopilot Reset cannot take unticked (hybrid joined
 * ones among them, which are checked to be unticked first); a Sync suits them too, so a person ticks them for it.
 */
async function tickEveryDevice(source: Locator) {
  for (const row of await source.locator("tbody tr", { hasText: "Hybrid Entra joined" }).all()) {
    await expect(row.getByRole("checkbox")).toHaveAttribute("aria-checked", "false");
  }
  const every = source.getByRole("checkbox", { name: "Select every device" });
  if ((await every.getAttribute("aria-checked")) !== "true") await every.click();
  await expect(every).toHaveAttribute("aria-checked", "true");
}

function expectOneSyncEach(before: Record<string, number>, after: Record<string, number>, selected: string[]) {
  const chosen = new Set(selected);
  for (const id of selected) expect((after[id] ?? 0) - (before[id] ?? 0), id).toBe(1);
  const others = Object.keys(after).filter((id) => !chosen.has(id) && (after[id] ?? 0) !== (before[id] ?? 0));
  expect(others).toEqual([]);
}

test("a person found by UPN prefix: one Sync to each of their ticked Windows devices, none to others", async ({ page, emulator, signInAs }) => {
  test.setTimeout(180_000);
  const { value } = await control<{ value: { id: string; displayName: string; userPrincipalName: string; windowsDeviceIds: string[] }[] }>("/users?withDevices=2&limit=1");
  const user = value[0]!;
  await signInAs("helpdesk", PAGE);
  await page.getByRole("tab", { name: "A person's devices" }).click();
  await expect(page).toHaveURL(/[?&]source=person/);
  const source = page.getByTestId("person-source");
  const prefix = user.userPrincipalName.split("@")[0]!.slice(0, 6);
  await source.getByRole("searchbox").or(source.getByRole("textbox")).first().fill(prefix);
  await source.getByRole("button", { name: new RegExp(user.displayName) }).or(source.getByRole("option", { name: new RegExp(user.displayName) })).first().click();
  await expect(page).toHaveURL(new RegExp(`[?&]user=${user.id}`));
  await expect(source.getByTestId("chosen-person")).toContainText(user.displayName);
  const n = user.windowsDeviceIds.length;
  await expect(source.getByTestId("source-summary")).toContainText(`${n} Windows devices in Intune`);
  // The URL names the person, never a device.
  for (const id of user.windowsDeviceIds) expect(page.url()).not.toContain(id);

  await tickEveryDevice(source);
  const before = (await emulator.counters()).syncs;
  await runSync(page);
  const after = (await emulator.counters()).syncs;
  expectOneSyncEach(before, after, user.windowsDeviceIds);
  expect((await summaryOf(page)).initiated).toBe(n);
});

test("a nested group (Lab - Seattle): its transitive Windows devices counted, one Sync each", async ({ page, emulator, signInAs }) => {
  test.setTimeout(240_000);
  const { value } = await control<{ value: { id: string; displayName: string; nestedGroupIds: string[] }[] }>("/groups");
  const lab = value.find((g) => g.displayName === "Lab - Seattle")!;
  expect(lab.nestedGroupIds.length).toBeGreaterThan(0);
  const detail = await control<{ transitiveDevices: { managedDeviceId: string | null; operatingSystem: string }[] }>(`/groups/${lab.id}`);
  const windows = [...new Set(detail.transitiveDevices.filter((d) => d.managedDeviceId && d.operatingSystem === "Windows").map((d) => d.managedDeviceId!))];
  expect(windows.length).toBeGreaterThan(2);

  await signInAs("helpdesk", PAGE);
  await page.getByRole("tab", { name: "An Entra group" }).click();
  await expect(page).toHaveURL(/[?&]source=group/);
  const source = page.getByTestId("group-source");
  await source.getByRole("searchbox").or(source.getByRole("textbox")).first().fill("Lab - Seattle");
  await source.getByRole("button", { name: /^Lab - Seattle(?! Room)/ }).or(source.getByRole("option", { name: /^Lab - Seattle(?! Room)/ })).first().click();
  await expect(page).toHaveURL(new RegExp(`[?&]group=${lab.id}`));
  await expect(source.getByTestId("chosen-group")).toHaveText("Lab - Seattle");
  await expect(source.getByTestId("source-summary")).toContainText(`${windows.length} Windows devices in Intune`);
  await expect(page.getByRole("tab", { name: "An Entra group" })).toHaveAttribute("aria-selected", "true");

  // A reload keeps the tab and the group (the URL), not a device list.
  await page.reload();
  await expect(page.getByTestId("group-source").getByTestId("source-summary")).toContainText(`${windows.length} Windows devices in Intune`);

  await tickEveryDevice(page.getByTestId("group-source"));
  const before = (await emulator.counters()).syncs;
  const confirmed = await runSync(page);
  if (confirmed > 0) expect(confirmed).toBe(windows.length);
  const after = (await emulator.counters()).syncs;
  expectOneSyncEach(before, after, windows);
});

test("noconsent opening the group source: the consent sentence, and no Graph request for members", async ({ page, request, signInAs }) => {
  const { value } = await control<{ value: { id: string; displayName: string }[] }>("/groups");
  const lab = value.find((g) => g.displayName === "Lab - Seattle")!;
  // A rule on this group's paths only (other specs' rules are kept): it counts every Graph request that reaches them.
  const rule = { fault: "unavailable", pathContains: `/groups/${lab.id}` };
  await addFaults(request, [rule]);
  try {
    await signInAs("noconsent", PAGE);
    await page.goto(`${PAGE}?source=group&group=${lab.id}`);
    const alert = page.getByTestId("group-source").getByRole("alert");
    await expect(alert).toContainText("GroupMember.Read.All");
    await expect(alert).toContainText("An administrator must grant admin consent");
    await page.waitForTimeout(2_000);
    const mine = (await currentFaults(request)).rules.filter((r) => r.pathContains === rule.pathContains);
    expect(mine.length).toBe(1);
    expect(mine[0]!.matched ?? 0).toBe(0);
    expect(mine[0]!.fired ?? 0).toBe(0);
    await expect(page.getByTestId("group-source").getByTestId("chosen-group")).toHaveCount(0);
    await expect(page.getByTestId("group-source").getByTestId("source-summary")).toHaveCount(0);
  } finally {
    await removeFaults(request, [rule.pathContains]);
  }
});
