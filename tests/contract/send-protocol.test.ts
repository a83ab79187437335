/**
 * One send protocol, one verdict (docs/safety.md, "The server decides"): every server action that can send an
 * Autopilot Reset is called here as a modified client would call it, with no browser preflight, over a table of device
 * kinds. Each entry point must give the same verdict for the same kind of device, and the emulator's wipe counters
 * must show exactly one wipe for a device that may take it and none for any other.
 */
import { describe, expect, it } from "vitest";
import { autopilotReset, syncDevice } from "@/lib/actions/device-actions";
import { readServerClock, sendBulkChunk } from "@/lib/actions/bulk";
import type { SendOutcome } from "@/lib/graph/batch-types";
import type { ActionResult } from "@/lib/result";
import { withEmulator, type Harness } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 300, seed: 17, scenarioDevices: true });

type Verdict = { sent: boolean; kind: string; reason?: string };

/** What each kind of device must get from every entry point. */
const TABLE: { kind: string; trait: string; verdict: Verdict }[] = [
  { kind: "eligible", trait: "eligible", verdict: { sent: true, kind: "accepted" } },
  { kind: "offline (the reset waits for it)", trait: "offline", verdict: { sent: true, kind: "accepted" } },
  { kind: "WinRE disabled (fails later, at the device)", trait: "winreDisabled", verdict: { sent: true, kind: "accepted" } },
  { kind: "the current record of a re-enrolled device", trait: "reenrolled", verdict: { sent: true, kind: "accepted" } },
  { kind: "hybrid joined", trait: "hybrid", verdict: { sent: false, kind: "refused", reason: "hybrid-joined" } },
  { kind: "not registered with Autopilot", trait: "notAutopilot", verdict: { sent: false, kind: "refused", reason: "not-autopilot" } },
  { kind: "deployed by device preparation", trait: "devicePreparation", verdict: { sent: false, kind: "refused", reason: "device-preparation" } },
  {
    kind: "deployed by device preparation, with an Autopilot record",
    trait: "devicePreparationRegistered",
    verdict: { sent: false, kind: "refused", reason: "device-preparation" },
  },
  { kind: "a stale duplicate record", trait: "staleDuplicate", verdict: { sent: false, kind: "refused", reason: "not-current-record" } },
  { kind: "records that name different Entra devices", trait: "entraMismatch", verdict: { sent: false, kind: "refused", reason: "records-disagree" } },
  { kind: "not Windows", trait: "nonWindows", verdict: { sent: false, kind: "refused", reason: "not-windows" } },
];

const ENTRY_POINTS = ["autopilotReset", "sendBulkChunk (one device)", "sendBulkChunk (a mix)"] as const;

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

/** The one-device action's answer in the bulk outcome's words. */
function verdictOfSingle(result: Awaited<ReturnType<typeof autopilotReset>>): Verdict {
  if (result.data) return { sent: result.data.status === "initiated", kind: result.data.status === "initiated" ? "accepted" : result.data.status };
  return { sent: false, kind: result.error.kind === "invalid" ? "refused" : result.error.kind };
}

function verdictOfOutcome(outcome: SendOutcome): Verdict {
  return { sent: outcome.kind === "accepted", kind: outcome.kind, ...(outcome.kind === "refused" ? { reason: outcome.reason } : {}) };
}

async function ticket(token: string): Promise<number> {
  const clock = data(await readServerClock(token));
  return clock.graphTime ?? clock.serverTime;
}

/** Devices of a trait nobody in this file has used yet. */
const used = new Set<string>();
async function fresh(harness: Harness, trait: string, count: number) {
  const found = (await harness.findDevices(trait, count + used.size + 10)).filter((d) => !used.has(d.id)).slice(0, count);
  for (const d of found) used.add(d.id);
  return found;
}

describe("every entry point that sends a reset gives every kind of device the same verdict", () => {
  it("devices of each kind, called directly, skipping the browser: the server judges each itself", async () => {
    const token = await emulator.token("helpdesk");
    const picks = new Map<string, string[]>();
    for (const row of TABLE) {
      const devices = await fresh(emulator, row.trait, ENTRY_POINTS.length);
      expect(devices, `the emulator has ${ENTRY_POINTS.length} devices of trait ${row.trait}`).toHaveLength(ENTRY_POINTS.length);
      picks.set(row.kind, devices.map((d) => d.id));
    }
    const before = await emulator.counters();
    const got = new Map<string, Verdict[]>();
    const verdicts = (kind: string) => got.get(kind) ?? got.set(kind, []).get(kind)!;

    for (const row of TABLE) verdicts(row.kind).push(verdictOfSingle(await autopilotReset(token, { deviceId: picks.get(row.kind)![0] })));
    for (const row of TABLE) {
      const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: [picks.get(row.kind)![1]], issuedAt: await ticket(token) }));
      verdicts(row.kind).push(verdictOfOutcome(answer.outcomes[0]!));
    }
    const mix = TABLE.map((row) => picks.get(row.kind)![2]!);
    const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: mix, issuedAt: await ticket(token) }));
    TABLE.forEach((row, index) => verdicts(row.kind).push(verdictOfOutcome(answer.outcomes[index]!)));

    const after = await emulator.counters();
    for (const row of TABLE) {
      const expected = row.verdict.kind === "refused" ? { sent: false, kind: "refused" } : { sent: row.verdict.sent, kind: row.verdict.kind };
      // The one-device action says "invalid" with a sentence where the bulk outcome names the reason.
      expect(got.get(row.kind)![0], `${row.kind} via autopilotReset`).toEqual(expected);
      expect(got.get(row.kind)![1], `${row.kind} via one-device chunk`).toEqual(row.verdict);
      expect(got.get(row.kind)![2], `${row.kind} via a mixed chunk`).toEqual(row.verdict);
      for (const id of picks.get(row.kind)!) {
        expect((after.wipes[id] ?? 0) - (before.wipes[id] ?? 0), `${row.kind}: wipes of ${id}`).toBe(row.verdict.sent ? 1 : 0);
      }
    }
  });

  it("a refusal carries its reason, its sentence and what to do instead; a stale record names the current one", async () => {
    const token = await emulator.token("helpdesk");
    const [stale] = await fresh(emulator, "staleDuplicate", 1);
    const [prep] = await fresh(emulator, "devicePreparationRegistered", 1);
    const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: [stale!.id, prep!.id], issuedAt: await ticket(token) }));
    const [forStale, forPrep] = answer.outcomes;
    expect(forStale).toMatchObject({ kind: "refused", reason: "not-current-record" });
    expect(forStale?.kind === "refused" && forStale.currentDeviceId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(forStale?.kind === "refused" && forStale.currentDeviceId?.toLowerCase()).not.toBe(stale!.id.toLowerCase());
    expect(forPrep).toMatchObject({ kind: "refused", reason: "device-preparation" });
    expect(forPrep?.kind === "refused" && forPrep.message).toMatch(/device preparation/i);
    expect(forPrep?.kind === "refused" && forPrep.nextStep).toMatch(/Wipe/);
  });

  it("a device already pending, by each signal, is sent nothing whichever entry point asks", async () => {
    const token = await emulator.token("helpdesk");
    const colleague = await emulator.client("intuneadmin");
    // A colleague's reset sent straight to Graph (audit, deviceActionResults, managementState), one on a device whose
    // wipes Graph leaves out of deviceActionResults, and one this console sent a moment ago (its own record).
    const [direct] = await fresh(emulator, "eligible", 1);
    const [silent] = await fresh(emulator, "silentWipe", 1);
    const [viaConsole] = await fresh(emulator, "eligible", 1);
    for (const device of [direct!, silent!]) {
      await colleague.api(`/deviceManagement/managedDevices/${device.id}/wipe`).post({ keepEnrollmentData: true, keepUserData: false });
    }
    expect(data(await autopilotReset(await emulator.token("intuneadmin"), { deviceId: viaConsole!.id })).status).toBe("initiated");
    const before = await emulator.counters();
    for (const device of [direct!, silent!, viaConsole!]) {
      expect(data(await autopilotReset(token, { deviceId: device.id })).status, device.deviceName).toBe("already-pending");
    }
    const answer = data(await sendBulkChunk(token, { action: "reset", deviceIds: [direct!.id, silent!.id, viaConsole!.id], issuedAt: await ticket(token) }));
    expect(answer.outcomes.map((o) => o.kind)).toEqual(["already-pending", "already-pending", "already-pending"]);
    expect(answer.outcomes[2]).toMatchObject({ by: "Isaiah Langer" });
    const after = await emulator.counters();
    for (const device of [direct!, silent!, viaConsole!]) expect(after.wipes[device.id] ?? 0).toBe(before.wipes[device.id] ?? 0);
  });

  it("an unknown id is not found, the same device twice (by case) is refused whole, and a stale ticket sends nothing", async () => {
    const token = await emulator.token("helpdesk");
    const unknown = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect((await autopilotReset(token, { deviceId: unknown })).error?.kind).toBe("not-found");
    const [a] = await fresh(emulator, "eligible", 1);
    const before = await emulator.counters();
    const twice = await sendBulkChunk(token, { action: "reset", deviceIds: [a!.id, a!.id.toUpperCase()], issuedAt: await ticket(token) });
    expect(twice.error?.kind).toBe("invalid");
    const chunk = data(await sendBulkChunk(token, { action: "reset", deviceIds: [unknown, a!.id], issuedAt: (await ticket(token)) - 31_000 }));
    expect(chunk.outcomes.map((o) => o.kind)).toEqual(["rejected", "not-sent"]);
    expect(chunk.outcomes[1]).toMatchObject({ reason: "ticket-expired" });
    expect((await emulator.counters()).wipes[a!.id] ?? 0).toBe(before.wipes[a!.id] ?? 0);
  });

  it("Sync goes through the same protocol: a non-Windows device is refused by both entry points, a Windows one synced once", async () => {
    const token = await emulator.token("helpdesk");
    const [mac1, mac2] = await fresh(emulator, "nonWindows", 2);
    const [pc] = await fresh(emulator, "hybrid", 1);
    expect((await syncDevice(token, { deviceId: mac1!.id })).error?.kind).toBe("invalid");
    const before = await emulator.counters();
    const answer = data(await sendBulkChunk(token, { action: "sync", deviceIds: [mac2!.id, pc!.id], issuedAt: await ticket(token) }));
    expect(answer.outcomes.map((o) => o.kind)).toEqual(["refused", "accepted"]);
    const after = await emulator.counters();
    expect((after.syncs[mac2!.id] ?? 0) - (before.syncs[mac2!.id] ?? 0)).toBe(0);
    expect((after.syncs[pc!.id] ?? 0) - (before.syncs[pc!.id] ?? 0)).toBe(1);
  });
});
