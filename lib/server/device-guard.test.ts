import { describe, expect, it } from "vitest";
import { SEND_TICKET_LIFETIME_MS, WRITE_LANDING_MARGIN_MS } from "@/lib/bulk/send-window";
import { holdDevices, landingLeftMs, landsByFrom, peekDevice, releaseAll, rememberSend } from "./device-guard";

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

  it("every record is handed to the next holder; an unconfirmed one stands until Graph's clock passes landsBy", async () => {
    const [sent, unclear, refused] = [id(), id(), id()];
    const graphNow = Date.parse("2026-12-07T10:00:00Z");
    const at = new Date(graphNow).toISOString();
    await rememberSend(TENANT, "reset", sent, { by: "Megan Bowen", at, state: "confirmed" });
    await rememberSend(TENANT, "reset", unclear, { by: "Megan Bowen", at, state: "unclear", landsBy: landsByFrom(graphNow) });
    await rememberSend(TENANT, "reset", refused, { by: "Megan Bowen", at, state: "cleared" });
    const { held, busy } = await holdDevices(TENANT, "reset", [sent, unclear, refused], "Isaiah Langer");
    expect(busy).toEqual([]);
    const marker = (device: string) => held.find((h) => h.deviceId === device)!.marker;
    expect(marker(sent)).toMatchObject({ by: "Megan Bowen", confirmed: true });
    expect(landingLeftMs(marker(unclear), graphNow)).toBe(SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS);
    expect(landingLeftMs(marker(unclear), landsByFrom(graphNow))).toBe(0);
    expect(landingLeftMs(marker(refused), graphNow)).toBe(0);
    await releaseAll(held);
    // A read a minute later on Graph's clock: still busy, and who sent it; past landsBy, free.
    expect(await peekDevice(TENANT, "reset", unclear, graphNow + 60_000)).toMatchObject({ busyForMs: SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS - 60_000, by: "Megan Bowen" });
    expect((await peekDevice(TENANT, "reset", unclear, landsByFrom(graphNow) + 1)).busyForMs).toBe(0);
    expect((await peekDevice(TENANT, "reset", sent, graphNow)).marker).toMatchObject({ by: "Megan Bowen", confirmed: true });
  });

  it("tenants and actions do not share locks", async () => {
    const device = id();
    const a = await holdDevices(TENANT, "reset", [device], "A");
    expect((await holdDevices(`${TENANT}-other`, "reset", [device], "B")).held).toHaveLength(1);
    expect((await holdDevices(TENANT, "sync", [device], "B")).held).toHaveLength(1);
    await releaseAll(a.held);
  });
});
