import { expect, test } from "./fixtures/auth";
import { EMULATOR_URL } from "./fixtures/env";
import { autopilotReset, graphToken } from "./fixtures/graph";

/**
 * Not a check: screenshots of every page and dialog at three sizes, light and dark, for a person to look at. Runs only
 * when TOUR_DIR is set: `npm run tour` writes them to tour/<size>/<theme>-NN-<name>.png (gitignored), each page whole
 * up to three screens tall, dialogs as the screen shows them. A step that
 * cannot be reached (a page changed under it) is noted in tour/<size>/<theme>-missed.txt, and the tour goes on.
 *
 * It opens dialogs and says No, except where the picture is of what follows Yes: a bulk Sync of three devices (the run
 * panel). For a pending reset to show, it sends one Autopilot Reset per picture set straight to the emulator's Graph.
 */
const dir = process.env.TOUR_DIR;

test.skip(!dir, "set TOUR_DIR (npm run tour) to take screenshots");
// A step waiting on something that never comes (a disabled button) gives up and is noted, rather than ending the tour.
test.use({ actionTimeout: 10_000 });

const SIZES = [
  { name: "1440x900", width: 1440, height: 900 },
  { name: "1024x768", width: 1024, height: 768 },
  { name: "390x844", width: 390, height: 844 },
] as const;

/** Tour devices, by EmulatorControl.device picks no spec uses (one per size and theme). */
const PICK_BASE = 112;

for (const [sizeIndex, size] of SIZES.entries()) {
  for (const [themeIndex, theme] of (["light", "dark"] as const).entries()) {
    test(`tour ${size.name} ${theme}`, async ({ page, emulator }) => {
      test.setTimeout(300_000);
      const pick = PICK_BASE + sizeIndex * 2 + themeIndex;
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: theme });
      const missed: string[] = [];
      let n = 0;
      const shot = async (name: string, fullPage = true) => {
        n++;
        const path = `${dir}/${size.name}/${theme}-${String(n).padStart(2, "0")}-${name}.png`;
        // A whole page, but no taller than three screens: a list that grows with the page stays readable.
        const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), size.height * 3);
        await page.screenshot(fullPage ? { path, fullPage, clip: { x: 0, y: 0, width: size.width, height } } : { path });
      };
      /** One picture: a step that fails is noted and pictured as it stands, and the tour goes on. */
      const step = async (name: string, body: () => Promise<void>, fullPage = true) => {
        try {
          await body();
          await shot(name, fullPage);
        } catch (error) {
          missed.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
          await shot(`${name}-MISSED`, fullPage).catch(() => undefined);
          await page.keyboard.press("Escape").catch(() => undefined);
        }
      };

      const helpdesk = await emulator.persona("helpdesk");
      const resetting = await emulator.device("eligible", pick + 6, ["hybrid", "notAutopilot", "offline", "pendingReset", "winreDisabled"]);
      await autopilotReset(page.request, await graphToken(page.request), resetting.id);
      await step("sign-in-account-picker", async () => {
        await page.goto("/devices");
        await page.waitForURL((url) => url.origin === EMULATOR_URL, { timeout: 30_000 });
        await expect(page.getByRole("button", { name: new RegExp(helpdesk.displayName) })).toBeVisible();
      });
      await page.getByRole("button", { name: new RegExp(helpdesk.displayName) }).click();
      await page.waitForURL((url) => url.origin !== EMULATOR_URL && !url.pathname.startsWith("/auth/redirect"), { timeout: 30_000 });
      await expect(page.getByRole("button", { name: `Account: ${helpdesk.displayName}` })).toBeVisible();

      await step("devices-overview", async () => {
        await expect(page.getByRole("heading", { name: "By platform" })).toBeVisible();
      });
      await step("home", async () => {
        await page.goto("/");
        await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
      });
      await step("account-panel", async () => {
        await page.getByRole("button", { name: `Account: ${helpdesk.displayName}` }).click();
        await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      }, false);
      await page.keyboard.press("Escape");
      if (size.width < 768) {
        await step("phone-menu", async () => {
          await page.getByRole("button", { name: "Open navigation menu" }).click();
          await expect(page.getByRole("dialog", { name: "Navigation" })).toBeVisible();
        }, false);
        await page.keyboard.press("Escape");
      }

      await step("windows-grid", async () => {
        await page.goto("/devices/windows");
        await expect(page.getByRole("link", { name: /^[A-Z]{3}-(LT|DT)-/ }).first()).toBeVisible();
      });
      await step("windows-grid-selected", async () => {
        await page.goto("/devices/windows?q=BER-LT-");
        const boxes = page.getByRole("checkbox", { name: /^Select BER-LT-/ });
        await expect(boxes.first()).toBeVisible();
        for (let i = 0; i < 3; i++) await boxes.nth(i).check();
        await expect(page.getByRole("toolbar", { name: "Bulk actions" })).toBeVisible();
      });
      await step("bulk-reset-preflight", async () => {
        await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
        await expect(page.getByTestId("bulk-confirm-dialog")).toBeVisible({ timeout: 30_000 });
      }, false);
      await page.keyboard.press("Escape");
      await step("bulk-sync-run-panel", async () => {
        await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Sync" }).click();
        const dialog = page.getByTestId("bulk-confirm-dialog");
        await expect(dialog).toBeVisible({ timeout: 30_000 });
        await dialog.getByRole("button", { name: "Yes" }).click();
        await expect(page.getByRole("heading", { name: /Bulk Sync: Finished/ })).toBeVisible({ timeout: 60_000 });
      });
      await page.getByRole("region", { name: /Bulk Sync/ }).getByRole("button", { name: "Close" }).click().catch(() => undefined);

      const eligible = await emulator.device("eligible", pick, ["hybrid", "notAutopilot", "offline", "pendingReset", "winreDisabled"]);
      await step("device-page", async () => {
        await page.goto(`/devices/windows/${eligible.id}`);
        await expect(page.getByRole("heading", { name: "Essentials" })).toBeVisible();
      });
      await step("reset-dialog", async () => {
        await page.getByRole("button", { name: "Autopilot Reset" }).click();
        await expect(page.getByRole("dialog", { name: "Autopilot Reset" })).toBeVisible();
      }, false);
      await page.keyboard.press("Escape");
      await step("sync-dialog", async () => {
        await page.getByRole("button", { name: "Sync", exact: true }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
      }, false);
      await page.keyboard.press("Escape");
      await step("device-hybrid", async () => {
        await page.goto(`/devices/windows/${(await emulator.device("hybrid", pick)).id}`);
        await expect(page.getByTestId("reset-unavailable")).toBeVisible();
      });
      await step("device-reset-pending", async () => {
        await page.goto(`/devices/windows/${resetting.id}`);
        await expect(page.getByTestId("reset-status")).toContainText("Reset pending");
      });

      await step("from-list-tab", async () => {
        await page.goto("/devices/windows/from-list");
        await page.getByLabel(/one per line/).fill([eligible.deviceName, eligible.serialNumber, "QZ1NOSUCH17", eligible.deviceName].join("\n"));
        await page.getByRole("button", { name: "Check devices" }).click();
        await expect(page.getByTestId("ticket-counts")).toBeVisible();
      });
      await step("from-list-person-tab", async () => {
        await page.getByRole("tab", { name: "A person's devices" }).click();
        await expect(page.getByTestId("person-source")).toBeVisible();
        const source = page.getByTestId("person-source");
        await source.getByRole("searchbox").or(source.getByRole("textbox")).first().fill("Megan");
        await page.waitForTimeout(1_000);
      });
      await step("from-list-group-tab", async () => {
        await page.getByRole("tab", { name: "An Entra group" }).click();
        await expect(page.getByTestId("group-source")).toBeVisible();
        const source = page.getByTestId("group-source");
        await source.getByRole("searchbox").or(source.getByRole("textbox")).first().fill("Lab");
        await page.waitForTimeout(1_000);
      });

      await step("approvals", async () => {
        await page.goto("/devices/approvals");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForTimeout(1_000);
      });
      await step("device-actions", async () => {
        await page.goto("/devices/actions");
        await expect(page.locator("tr[data-monitor-row]").first()).toBeVisible({ timeout: 30_000 });
      });
      await step("device-actions-failed", async () => {
        await page.goto("/devices/actions?state=failed");
        await expect(page.locator("tr[data-monitor-row]").first().or(page.getByText("No device actions match these filters."))).toBeVisible({ timeout: 30_000 });
      });
      await step("device-actions-sync-all-dialog", async () => {
        await page.goto("/devices/actions?state=pending");
        await page.getByRole("button", { name: /^Sync all pending/ }).click();
        await expect(page.getByTestId("bulk-confirm-dialog")).toBeVisible();
      }, false);
      await page.keyboard.press("Escape");
      await step("not-found", async () => {
        await page.goto("/devices/windows/00000000-0000-4000-8000-000000000000");
        await expect(page.getByRole("heading", { name: "Device not found" })).toBeVisible();
      });

      if (missed.length > 0) {
        const { writeFile } = await import("node:fs/promises");
        await writeFile(`${dir}/${size.name}/${theme}-missed.txt`, `${missed.join("\n")}\n`);
      }
    });
  }
}
