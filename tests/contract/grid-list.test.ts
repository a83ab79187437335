/** The grid's list action against the emulator: its total from @odata.count, and the new server-side filters. */
import { describe, expect, it } from "vitest";
import { resolveSelection } from "@/lib/actions/bulk";
import { listWindowsDevices } from "@/lib/actions/devices";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 1_200, seed: 5 });

async function windowsCount(filter = ""): Promise<number> {
  const graph = await emulator.client("helpdesk", "beta");
  const page = await graph
    .api("/deviceManagement/managedDevices")
    .filter(`operatingSystem eq 'Windows'${filter}`)
    .top(1)
    .count(true)
    .get();
  return page["@odata.count"] as number;
}

async function firstPage(input: Record<string, unknown>) {
  const result = await listWindowsDevices(await emulator.token("helpdesk"), { pageSize: 100, ...input });
  if (result.error) throw new Error(result.error.message);
  return result.data;
}

describe("the grid's total", () => {
  it("is Graph's count of Windows devices on the first page, and absent on the next", async () => {
    const page = await firstPage({});
    expect(page.total).toEqual({ kind: "exact", count: await windowsCount() });
    const next = await listWindowsDevices(await emulator.token("helpdesk"), { pageSize: 100, cursor: page.nextCursor });
    expect(next.data?.total).toBeUndefined();
  });

  it("counts a filter Graph applies, and gives no total for one it drops", async () => {
    const compliant = await firstPage({ filters: { compliance: "noncompliant" } });
    expect(compliant.total).toEqual({ kind: "exact", count: await windowsCount(" and complianceState eq 'noncompliant'") });
    const hybrid = await firstPage({ filters: { joinType: "hybridAzureADJoined" } });
    expect(hybrid.ignoredByGraph).toContain("joinType");
    expect(hybrid.total).toBeUndefined();
  });

  it("counts a search that only one field matches exactly", async () => {
    const page = await firstPage({ search: "CONTOSO-" });
    expect(page.total?.kind).toBe("exact");
    expect(page.total?.count).toBe(await windowsCount(" and contains(deviceName,'CONTOSO-')"));
  });
});

describe("the grid's new filters", () => {
  it("finds devices whose last check-in is older than 7 days, on Graph's clock, with an exact total", async () => {
    const page = await firstPage({ filters: { checkIn: "7d" } });
    expect(page.devices.length).toBeGreaterThan(0);
    const info = await emulator.control<{ clock: string }>("GET", "/_emulator/info");
    const cutoff = Date.parse(info.clock) - 7 * 86_400_000;
    for (const device of page.devices) expect(Date.parse(device.lastSyncDateTime!)).toBeLessThan(cutoff);
    expect(page.ignoredByGraph).toEqual([]);
    expect(page.total?.kind).toBe("exact");
  });

  it("counts back from Graph's clock, not this machine's: ten days on, every device online then is still fresh", async () => {
    const before = (await firstPage({ filters: { checkIn: "7d" } })).total!.count;
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 10 * 86_400 });
    const after = await firstPage({ filters: { checkIn: "7d" } });
    // Devices offline for days fall further behind; online ones checked in on the emulator's clock.
    expect(after.total!.count).toBeGreaterThan(before);
    expect(after.total!.count).toBeLessThan(await windowsCount());
  });

  it("filters by OS version and model on the server", async () => {
    const sample = (await firstPage({})).devices[0]!;
    const model = await firstPage({ filters: { model: sample.model } });
    expect(model.ignoredByGraph).toEqual([]);
    expect(model.devices.every((device) => device.model?.toLowerCase().includes(sample.model!.toLowerCase()))).toBe(true);
    const os = await firstPage({ filters: { osVersion: sample.osVersion } });
    expect(os.devices.map((device) => device.id)).toContain(sample.id);
  });

  it("refuses a text filter that is too long or not one line", async () => {
    const token = await emulator.token("helpdesk");
    expect((await listWindowsDevices(token, { filters: { model: "x".repeat(65) } })).error?.kind).toBe("invalid");
    expect((await listWindowsDevices(token, { filters: { osVersion: "10\n0" } })).error?.kind).toBe("invalid");
  });
});

describe("the reset status filter", () => {
  it("lists the devices whose latest Autopilot Reset is pending, then done, from the audit log", async () => {
    const eligible = await emulator.findDevices("eligible", 60);
    const picked = eligible.filter((device) => !device.traits.includes("offline")).slice(40, 43);
    const graph = await emulator.client("helpdesk", "beta");
    for (const device of picked) {
      await graph.api(`/deviceManagement/managedDevices/${device.id}/wipe`).post({ keepEnrollmentData: true, keepUserData: false });
    }
    const pending = await firstPage({ filters: { resetStatus: "pending" } });
    expect(pending.devices.map((device) => device.id)).toEqual(expect.arrayContaining(picked.map((device) => device.id)));
    expect(pending.total?.kind).toBe("exact");
    expect(pending.total?.count).toBe(pending.devices.length);

    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 3_600 });
    const done = await firstPage({ filters: { resetStatus: "done" } });
    expect(done.devices.map((device) => device.id)).toEqual(expect.arrayContaining(picked.map((device) => device.id)));
    const stillPending = await firstPage({ filters: { resetStatus: "pending" } });
    expect(stillPending.devices.map((device) => device.id)).not.toEqual(expect.arrayContaining(picked.map((device) => device.id)));

    // "Select all devices matching" in this view resolves exactly these devices, never the wider fleet.
    const selected = await resolveSelection(await emulator.token("helpdesk"), { search: "", filters: { resetStatus: "done" }, cursor: null });
    expect(selected.data?.devices.map((device) => device.id).sort()).toEqual(done.devices.map((device) => device.id).sort());

    // Paging by position: a page of one, then the next, none twice.
    const first = await firstPage({ filters: { resetStatus: "done" }, pageSize: 1 });
    expect(first.devices).toHaveLength(1);
    const second = await listWindowsDevices(await emulator.token("helpdesk"), { filters: { resetStatus: "done" }, pageSize: 1, cursor: first.nextCursor });
    expect(second.data?.devices[0]?.id).not.toBe(first.devices[0]!.id);
    const forged = await listWindowsDevices(await emulator.token("helpdesk"), { filters: { resetStatus: "pending" }, pageSize: 1, cursor: first.nextCursor });
    expect(forged.error?.kind).toBe("invalid");
  });
});
