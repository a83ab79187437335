/**
 * The bulk server actions against the emulator: one call carries up to a write window's worth of devices (the server
 * sends them as $batches of 20 side by side), each device gets one outcome, and each is wiped once.
 */
import { describe, expect, it } from "vitest";
import { readActionStates, readBulkGuardrails, readServerClock, sendBulkChunk } from "@/lib/actions/bulk";
import { MAX_DEVICES_PER_CALL } from "@/lib/bulk/types";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 400, seed: 5 });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

describe("sendBulkChunk", () => {
  it("resets 45 devices in one call, one outcome and one wipe each", async () => {
    const token = await emulator.token("helpdesk");
    const devices = await emulator.findDevices("eligible", 45);
    expect(devices).toHaveLength(45);
    const ids = devices.map((d) => d.id);
    const { serverTime } = data(await readServerClock(token));
    const before = await emulator.counters();
    const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: ids, issuedAt: serverTime }));
    expect(answer.outcomes.map((o) => o.deviceId)).toEqual(ids);
    const after = await emulator.counters();
    for (const id of ids) {
      const outcome = answer.outcomes.find((o) => o.deviceId === id)!;
      const wiped = (after.wipes[id] ?? 0) - (before.wipes[id] ?? 0);
      // A silent-wipe device or one already pending is answered without a write; any accepted one is wiped once.
      if (outcome.kind === "accepted") expect(wiped, id).toBe(1);
      else expect(wiped, `${id} (${outcome.kind})`).toBe(0);
    }
    expect(answer.outcomes.filter((o) => o.kind === "accepted").length).toBeGreaterThan(30);

    // Read back in one call: every device is now pending.
    const reads = data(await readActionStates(token, { deviceIds: ids, action: "reset" }));
    expect(reads.reads.map((r) => r.deviceId)).toEqual(ids);
    expect(reads.reads.every((r) => r.kind === "found")).toBe(true);

    // And a second send of the same call changes nothing: every device has a reset under way.
    const again = data(await sendBulkChunk(token, { action: "reset", deviceIds: ids, issuedAt: Date.now() }));
    expect(again.outcomes.every((o) => o.kind === "already-pending" || o.kind === "busy")).toBe(true);
    const last = await emulator.counters();
    for (const id of ids) expect(last.wipes[id] ?? 0, id).toBe(after.wipes[id] ?? 0);
  });

  it(`refuses more than ${MAX_DEVICES_PER_CALL} devices in one call, before anything is read`, async () => {
    const token = await emulator.token("helpdesk");
    const ids = Array.from({ length: MAX_DEVICES_PER_CALL + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const before = await emulator.counters();
    const result = await sendBulkChunk(token, { action: "reset", deviceIds: ids, issuedAt: Date.now() });
    expect(result.error?.kind).toBe("invalid");
    expect((await emulator.counters()).requests).toBe(before.requests + 0);
  });
});

describe("readBulkGuardrails", () => {
  it("names each device reset in the last 24 hours, with who asked, from the tenant's audit log", async () => {
    const token = await emulator.token("helpdesk");
    const [first, second, untouched] = await emulator.findDevices("eligible", 60).then((all) => all.filter((d) => d.traits.length === 1).slice(-3));
    const { serverTime, graphTime } = data(await readServerClock(token));
    const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: [first!.id, second!.id], issuedAt: graphTime ?? serverTime }));
    expect(answer.outcomes.map((o) => o.kind)).toEqual(["accepted", "accepted"]);
    const guardrails = data(await readBulkGuardrails(token));
    if ("error" in guardrails.wipes) throw new Error(guardrails.wipes.error.message);
    const resets = new Map(guardrails.wipes.resets.map((r) => [r.deviceId, r]));
    for (const device of [first!, second!]) expect(resets.get(device.id), device.id).toMatchObject({ by: expect.stringMatching(/@/) });
    expect(resets.has(untouched!.id)).toBe(false);
  });
});
