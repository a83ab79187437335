import { describe, expect, it } from "vitest";
import { holdDevices, peekDevice, releaseAll, rememberSend } from "./device-guard";

// The in-process store (no REDIS_URL): the same rules hold with Redis, whose store has its own tests.
const TENANT = `tenant-${crypto.randomUUID()}`;
const id = () => crypto.randomUUID();

describe("device guard", () => {
  it("one holder per device; the other is busy and told who", async () => {
    const device = id();
    const first = await holdDevices(TENANT, "reset", [device], "Megan Bowen");
    const second = await holdDevices(TENANT, "reset", [device], "Isaiah Langer");
    expect(first.held).toHaveLength(1);
    expect(second.busy[0]).toMatchObject({ deviceId: device, by: "Megan Bowen" });
    await releaseAll(first.held);
    const third = await holdDevices(TENANT, "reset", [device], "Isaiah Langer");
    expect(third.held).toHaveLength(1);
    await releaseAll(third.held);
  });

  it("a confirmed send is handed to the next holder; an unclear one keeps the device busy until it can no longer land", async () => {
    const [sent, unclear] = [id(), id()];
    await rememberSend(TENANT, "reset", sent, { by: "Megan Bowen", at: new Date().toISOString(), outcome: "confirmed" });
    await rememberSend(TENANT, "reset", unclear, { by: "Megan Bowen", at: new Date().toISOString(), outcome: "unclear" });
    const { held, busy } = await holdDevices(TENANT, "reset", [sent, unclear], "Isaiah Langer");
    expect(held.map((h) => [h.deviceId, h.marker?.by])).toEqual([[sent, "Megan Bowen"]]);
    expect(busy.map((b) => b.deviceId)).toEqual([unclear]);
    expect(busy[0]!.busyForMs).toBeGreaterThan(50_000);
    expect((await peekDevice(TENANT, "reset", unclear)).busyForMs).toBeGreaterThan(50_000);
    expect((await peekDevice(TENANT, "reset", sent)).marker).toMatchObject({ by: "Megan Bowen", confirmed: true });
    await releaseAll(held);
  });

  it("tenants and actions do not share locks", async () => {
    const device = id();
    const a = await holdDevices(TENANT, "reset", [device], "A");
    expect((await holdDevices(`${TENANT}-other`, "reset", [device], "B")).held).toHaveLength(1);
    expect((await holdDevices(TENANT, "sync", [device], "B")).held).toHaveLength(1);
    await releaseAll(a.held);
  });
});
