/**
 * WinRE through the server actions (lib/actions/winre.ts), lib/graph/remediations.ts and the real
 * @microsoft/microsoft-graph-client against the emulator (docs/graph.md, "Remediations on demand (WinRE)"): the
 * package found by name, a run that enables WinRE at the device's next check-in, and each thing that can be missing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getWinreStatus, runWinreRemediation } from "@/lib/actions/winre";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 200, seed: 43 });

afterEach(async () => {
  await emulator.control("PUT", "/_emulator/remediations", { preset: "present", licensed: true });
});

async function status(persona: Parameters<typeof emulator.token>[0], deviceId: string) {
  const answer = await getWinreStatus(await emulator.token(persona), { deviceId });
  if ("error" in answer && answer.error) throw new Error(answer.error.message);
  return answer.data!;
}

describe("WinRE status and run", () => {
  it("checks a WinRE-disabled device, enables it at its next check-in, and counts one run and no wipe", async () => {
    const [device] = await emulator.findDevices("winreDisabled", 1);
    expect(await status("helpdesk", device!.id)).toMatchObject({ blocked: null, evidence: { kind: "not-checked" }, packageId: expect.any(String) });
    const run = await runWinreRemediation(await emulator.token("helpdesk"), { deviceId: device!.id });
    expect(run.data?.requestedAt).toMatch(/^\d{4}-/);
    expect((await status("helpdesk", device!.id)).evidence).toMatchObject({ kind: "running" });
    const again = await runWinreRemediation(await emulator.token("helpdesk"), { deviceId: device!.id });
    expect(again.error?.message).toContain("already on its way");
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 300 });
    expect((await status("helpdesk", device!.id)).evidence).toMatchObject({ kind: "checked", winre: "enabled", remediated: true });
    const counters = await emulator.control<{ remediations: Record<string, number>; wipes: Record<string, number> }>("GET", "/_emulator/counters");
    expect(counters.remediations[device!.id]).toBe(1);
    expect(counters.wipes[device!.id]).toBeUndefined();
  });

  it("says which is missing: the package, a duplicate, the scope, the role, the licence", async () => {
    const [device] = await emulator.findDevices("eligible", 1);
    await emulator.control("PUT", "/_emulator/remediations", { preset: "absent" });
    expect((await status("helpdesk", device!.id)).blocked?.reason).toBe("package-missing");
    await emulator.control("PUT", "/_emulator/remediations", { preset: "duplicate" });
    expect((await status("helpdesk", device!.id)).blocked?.reason).toBe("package-duplicate");
    await emulator.control("PUT", "/_emulator/remediations", { preset: "present" });
    expect((await status("noconsent", device!.id)).blocked?.reason).toBe("scope");
    expect((await status("readonly", device!.id)).blocked?.reason).toBe("role");
    const refused = await runWinreRemediation(await emulator.token("readonly"), { deviceId: device!.id });
    expect(refused.error?.kind).toBe("forbidden-role");
    await emulator.control("PUT", "/_emulator/remediations", { licensed: false });
    const unlicensed = await runWinreRemediation(await emulator.token("helpdesk"), { deviceId: device!.id });
    expect(unlicensed.error?.message).toContain("E3/E5");
    const [mac] = await emulator.findDevices("nonWindows", 1);
    expect((await status("helpdesk", mac!.id)).blocked?.reason).toBe("not-windows");
  });

  it("sends no run to a device that has not checked in for days, and says it is probably offline", async () => {
    const [device] = await emulator.findDevices("offline", 1);
    expect((await status("helpdesk", device!.id)).blocked).toMatchObject({ reason: "offline", message: expect.stringContaining("probably offline") });
    const refused = await runWinreRemediation(await emulator.token("helpdesk"), { deviceId: device!.id });
    expect(refused.error?.message).toContain("probably offline");
    const counters = await emulator.control<{ remediations: Record<string, number> }>("GET", "/_emulator/counters");
    expect(counters.remediations[device!.id]).toBeUndefined();
  });

  it("refuses a device id that is not one", async () => {
    const answer = await runWinreRemediation(await emulator.token("helpdesk"), { deviceId: "../../me" });
    expect(answer.error?.kind).toBe("not-found");
  });
});
