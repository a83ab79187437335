import { expect, test } from "./fixtures/auth";

test("hostile search strings find nothing and say so; an overlong one is refused with a sentence", async ({ page, signInAs }) => {
  await signInAs("helpdesk", "/devices/windows");
  const search = page.getByLabel("Search by device name, user or serial number");
  await expect(page.getByRole("grid", { name: "Windows devices" })).toBeVisible();

  for (const hostile of ["' or 1 eq 1", "O'Brien')", '"DESKTOP"', "(startswith(deviceName,'a'))", "a' and contains(x,'b"]) {
    await search.fill(hostile);
    await expect(page).toHaveURL(/q=/);
    await expect(page.getByRole("status").filter({ hasText: "No Windows devices match" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  }

  await search.fill("x".repeat(5000));
  await expect(page.getByRole("alert").filter({ hasText: "too long" })).toBeVisible();
  await expect(search).toHaveAttribute("aria-invalid", "true");
});

test("a malformed device address shows the not-found page", async ({ page, signInAs }) => {
  await signInAs("helpdesk", "/devices/windows/not-a-device'%20or%201%20eq%201");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Search Windows devices" })).toBeVisible();
});

test("an unknown device id says the device does not exist", async ({ page, signInAs }) => {
  await signInAs("helpdesk", "/devices/windows/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Device not found" })).toBeVisible();
});
