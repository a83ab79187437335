/**
 * A property of the server, whoever calls it (docs/safety.md, "The server decides"): random mixes of every kind of
 * device, fed to every "use server" export that can send, called as a modified client would. Whatever the mix, no
 * device that must not take an Autopilot Reset is ever wiped, no device is ever wiped twice, and every device that is
 * not sent gets a reason in words.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { autopilotReset, syncDevice } from "@/lib/actions/device-actions";
import { readServerClock, sendBulkChunk } from "@/lib/actions/bulk";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 300, seed: 23, scenarioDevices: true });

const MUST_NOT_WIPE = ["hybrid", "notAutopilot", "devicePreparation", "devicePreparationRegistered", "staleDuplicate", "entraMismatch", "nonWindows"];
const MAY_WIPE = ["eligible", "offline", "reenrolled", "winreDisabled"];

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

describe("no entry point wipes a device it must not, whatever the mix", () => {
  it("random mixes (with duplicates, unknown ids and case changes) through autopilotReset, syncDevice and sendBulkChunk", async () => {
    const token = await emulator.token("helpdesk");
    const pool = new Map<string, string>();
    for (const trait of [...MUST_NOT_WIPE, ...MAY_WIPE]) for (const d of await emulator.findDevices(trait, 3)) pool.set(d.id, trait);
    const ids = [...pool.keys()];
    expect(ids.length).toBeGreaterThan(25);
    const start = await emulator.counters();

    const pick = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...ids) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(...ids).map((id) => id.toUpperCase()) },
    );
    const call = fc.record({
      entry: fc.constantFrom("autopilotReset", "syncDevice", "sendBulkChunk-reset", "sendBulkChunk-sync"),
      devices: fc.array(pick, { minLength: 1, maxLength: 8 }),
    });

    await fc.assert(
      fc.asyncProperty(call, async ({ entry, devices }) => {
        if (entry === "autopilotReset" || entry === "syncDevice") {
          for (const deviceId of devices) {
            const result = entry === "autopilotReset" ? await autopilotReset(token, { deviceId }) : await syncDevice(token, { deviceId });
            if (result.error) expect(result.error.message.length, `${entry} ${deviceId}`).toBeGreaterThan(20);
          }
          return;
        }
        const clock = data(await readServerClock(token));
        const action = entry === "sendBulkChunk-reset" ? "reset" : "sync";
        const result = await sendBulkChunk(token, { action, deviceIds: devices, issuedAt: clock.graphTime ?? clock.serverTime });
        if (result.error) {
          // Only the whole call's shape is refused: a device twice (by case) in one call.
          expect(result.error.kind).toBe("invalid");
          return;
        }
        for (const outcome of result.data.outcomes) {
          if (outcome.kind === "refused" || outcome.kind === "not-sent" || outcome.kind === "busy") expect(outcome.message.length).toBeGreaterThan(20);
          if (outcome.kind === "refused") expect(outcome.reason).toBeTruthy();
          if (outcome.kind === "rejected") expect(outcome.error.message.length).toBeGreaterThan(20);
        }
      }),
      { numRuns: 25, seed: 20261207 },
    );

    const end = await emulator.counters();
    for (const [id, trait] of pool) {
      const wiped = (end.wipes[id] ?? 0) - (start.wipes[id] ?? 0);
      if (MUST_NOT_WIPE.includes(trait)) expect(wiped, `${trait} ${id}`).toBe(0);
      else expect(wiped, `${trait} ${id}`).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});
