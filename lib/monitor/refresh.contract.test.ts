/**
 * The monitor's refresh against the in-process emulator: the first read walks the window, later reads are one page of
 * audits and one of check-ins whatever the number of rows, and the merged snapshot follows resets to their end.
 */
import { describe, expect, it } from "vitest";
import { withEmulator } from "@/tests/contract/emulator-harness";
import { refreshDeviceActionsMonitor } from "@/lib/actions/audits";
import type { MonitorWindowRead } from "@/lib/graph/audits";
import { mergeRefresh, nextRefreshQuery, windowStartFor, type MonitorSnapshot } from "./snapshot";

const emulator = withEmulator({ fleetSize: 2_600, seed: 11 });

async function refresh(token: string, previous: MonitorSnapshot | undefined, windowStart: string) {
  const result = await refreshDeviceActionsMonitor(token, nextRefreshQuery(previous, windowStart));
  if (result.error) throw new Error(result.error.message);
  return { read: result.data as MonitorWindowRead, snapshot: mergeRefresh(previous, result.data as MonitorWindowRead, windowStart) };
}

describe("monitor refresh (emulator)", () => {
  it("costs the same few Graph requests per refresh with 100 or 1,500 resets", async () => {
    const token = await emulator.token("helpdesk");
    const windowStart = windowStartFor(new Date());
    const ids: string[] = [];
    for (let offset = 0; ids.length < 1_500; offset += 1000) {
      const page = await emulator.control<{ value: { id: string; traits: string[] }[] }>("GET", `/_emulator/devices?limit=1000&offset=${offset}`);
      for (const device of page.value) if (!device.traits.includes("nonWindows") && ids.length < 1_500) ids.push(device.id);
    }

    const steadyCost: number[] = [];
    let sent = 0;
    for (const batch of [ids.slice(0, 100), ids.slice(100)]) {
      sent += batch.length;
      const response = await fetch(`${emulator.url}/beta/deviceManagement/managedDevices/executeAction`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ actionName: "wipe", deviceIds: batch, keepEnrollmentData: true, keepUserData: false }),
      });
      expect(response.status).toBe(200);
      // Online devices finish within the hour; offline ones stay pending.
      await emulator.control("POST", "/_emulator/clock/advance", { seconds: 3600 });

      const first = await refresh(token, undefined, windowStart);
      expect(first.snapshot.actions.length).toBeGreaterThanOrEqual(sent);
      expect(first.read.checkInsComplete).toBe(true);
      expect(Object.keys(first.snapshot.checkIns).length).toBe(2_600);

      // Nothing moved: the next refresh asks for what changed since, in one page of each.
      const steady = await refresh(token, first.snapshot, windowStart);
      expect(nextRefreshQuery(first.snapshot, windowStart).checkInsSince).not.toBeNull();
      steadyCost.push(steady.read.graphRequests);
    }
    // Offline devices keep resets pending, so the audit read starts at the oldest of them and may need a second page
    // with 1,500 rows: bounded by pages, never by devices (and the monitor paces itself on this count).
    expect(steadyCost[0]).toBe(2);
    expect(steadyCost[1]).toBeLessThanOrEqual(3);
  });

  it("follows a reset from pending to done and sees the check-in that ended it", async () => {
    // A fresh tenant: the bulk call above spent the write budget of the next 20 s.
    await emulator.control("POST", "/_emulator/reseed", {});
    const token = await emulator.token("helpdesk");
    const windowStart = windowStartFor(new Date());
    const [device] = await emulator.findDevices("eligible", 1);
    const first = await refresh(token, undefined, windowStart);
    const wipe = await fetch(`${emulator.url}/beta/deviceManagement/managedDevices/${device!.id}/wipe`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ keepEnrollmentData: true, keepUserData: false }),
    });
    expect(wipe.status).toBe(204);
    const pending = await refresh(token, first.snapshot, windowStart);
    const row = pending.snapshot.actions.find((record) => record.deviceId === device!.id && record.state === "pending");
    expect(row?.action).toBe("factoryResetKeepEnrollmentData");
    await emulator.control("POST", `/_emulator/devices/${device!.id}/checkin`);
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 31 });
    const done = await refresh(token, pending.snapshot, windowStart);
    expect(done.snapshot.actions.find((record) => record.id === row!.id)?.state).toBe("done");
    expect(Date.parse(done.snapshot.checkIns[device!.id]!.lastSyncDateTime!)).toBeGreaterThanOrEqual(Date.parse(row!.requestedAt!));
  });
});
