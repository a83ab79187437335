/** Paging to the end of a 10,000-device fleet, through the raw client and through the listWindowsDevices action. */
import { describe, expect, it } from "vitest";
import { createGraphClient } from "@/lib/graph/client";
import { listWindowsDevices } from "@/lib/actions/devices";
import { withEmulator } from "./emulator-harness";

const FLEET = 10_000;
const emulator = withEmulator({ fleetSize: FLEET, seed: 11 });

describe("paging a 10,000-device fleet", () => {
  it("follows @odata.nextLink to the end and sees every device once", async () => {
    const graph = createGraphClient(await emulator.token("helpdesk"), { version: "beta", graphBaseUrl: emulator.url });
    const ids = new Set<string>();
    let page = await graph.api("/deviceManagement/managedDevices").select(["id"]).top(1000).count(true).get();
    const count = page["@odata.count"] as number;
    let pages = 1;
    for (;;) {
      for (const row of page.value as { id: string }[]) ids.add(row.id);
      const next = page["@odata.nextLink"] as string | undefined;
      if (!next) break;
      page = await graph.api(next.replace(emulator.url, "").replace(/^\/beta/, "")).get();
      pages += 1;
    }
    expect(count).toBe(FLEET);
    expect(ids.size).toBe(FLEET);
    expect(pages).toBe(10);
  });

  it("pages Windows devices through the server action with opaque cursors, none twice", async () => {
    const token = await emulator.token("helpdesk");
    const graph = createGraphClient(token, { version: "beta", graphBaseUrl: emulator.url });
    const windowsCount = (await graph.api("/deviceManagement/managedDevices").filter("operatingSystem eq 'Windows'").top(1).count(true).get())[
      "@odata.count"
    ] as number;
    const seen = new Set<string>();
    let cursor: string | null = null;
    let calls = 0;
    do {
      const result = await listWindowsDevices(token, { cursor, pageSize: 200 });
      if (result.error) throw new Error(result.error.message);
      for (const device of result.data.devices) {
        expect(device.operatingSystem).toBe("Windows");
        expect(seen.has(device.id)).toBe(false);
        seen.add(device.id);
      }
      expect(result.data.ignoredByGraph).toEqual([]);
      cursor = result.data.nextCursor;
      calls += 1;
    } while (cursor);
    expect(seen.size).toBe(windowsCount);
    // One round trip per 200 devices (plus possibly one empty last page): no whole-tenant load anywhere.
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(windowsCount / 200));
    expect(calls).toBeLessThanOrEqual(Math.ceil(windowsCount / 200) + 1);
  }, 120_000);
});
