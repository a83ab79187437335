/**
 * The bulk run against the send contract (lib/bulk/send-window.ts, lib/graph/batch-types.ts), on virtual time with a
 * simulated server and Intune (fake-tenant.test-helper.ts). The tenant's counters are the truth.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Papa from "papaparse";
import { BulkRunEngine, type BulkTransport } from "./engine";
import { createRun, retryFailed, type BulkRun } from "./run";
import { skippedGroups, summarize } from "./summary";
import { resultsToCsv } from "./csv";
import { SKIP_REASON_LABELS, STORE_UNAVAILABLE_NOT_SENT } from "./reasons";
import { planBulkAction } from "./planner";
import { WRITE_LANDING_MARGIN_MS, SEND_TICKET_LIFETIME_MS } from "./send-window";
import { FakeTenant, fakeDevice, scheduledTransport, seededRandom, virtualClock, type SendFault } from "./fake-tenant.test-helper";
import type { DeviceAction } from "@/lib/devices/types";

function ids(n: number, prefix = "d"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
}

function newRun(action: DeviceAction, deviceIds: string[], now: number, id = "run-1"): BulkRun {
  return createRun({ id, action, now, toSend: deviceIds.map((d) => ({ id: d, name: `PC-${d}` })), skipped: [] });
}

type Clock = ReturnType<typeof virtualClock>;

function engine(run: BulkRun, transport: BulkTransport, clock: Clock, seed = 1, devicesPerCall?: number) {
  return new BulkRunEngine(run, transport, {
    now: clock.now,
    sleep: clock.sleep,
    random: seededRandom(seed),
    persist: () => {},
    monotonic: clock.now,
    ...(devicesPerCall ? { devicesPerCall } : {}),
  });
}

/** Lets every write Graph still holds land (the run may end first), then checks the report against the tenant. */
async function expectTruthfulAfterLanding(run: BulkRun, tenant: FakeTenant, clock: Clock, deviceIds: string[]) {
  clock.advance(SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS + 1_000);
  tenant.land();
  expect(tenant.writesInFlight).toBe(0);
  expect(run.status === "finished" || run.status === "cancelled").toBe(true);
  for (const id of deviceIds) {
    const d = run.devices.find((x) => x.id === id)!;
    const applied = tenant.wipes.get(id) ?? 0;
    expect(applied, `wipes of ${id}`).toBeLessThanOrEqual(1);
    if (d.status === "initiated") expect(applied, `${id} reported initiated`).toBe(1);
    // One run alone: nobody else sent anything, so skipped and not-sent devices were not wiped.
    if (d.status === "skipped" || d.status === "not-sent" || (d.status === "failed" && d.reason !== "outcome-unknown")) {
      expect(applied, `${id} reported ${d.status} (${d.reason})`).toBe(0);
    }
  }
}

describe("the run bounds its own resends from its own record", () => {
  it("a write that lands 3 minutes late, after the server forgot its marker, is never sent twice", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    // Every send times out at the server, Graph applies it 175 s later, and no marker covers it (a restarted server).
    tenant.sendFaults = ["timeout-lands-late"];
    tenant.unclearMarkerMs = 0;
    const deviceIds = ids(7);
    const run = await engine(newRun("reset", deviceIds, clock.now()), tenant.transport(), clock).start();
    for (const id of deviceIds) expect(tenant.wipes.get(id), id).toBe(1);
    expect(summarize(run)).toMatchObject({ initiated: 7, failed: 0 });
    expect(run.devices.every((d) => d.reason === "confirmed")).toBe(true);
    await expectTruthfulAfterLanding(run, tenant, clock, deviceIds);
  });

  it("the ticket stays on an unclear device until a read on Graph's clock is past it, even with a server that never says busy", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.sendFaults = ["unavailable", "ok"];
    tenant.unclearMarkerMs = 0;
    tenant.preSendCheck = false;
    // Graph's clock ten minutes behind the PC's: only Graph's time decides.
    tenant.graphOffsetMs = -10 * 60_000;
    const deviceIds = ids(4);
    const start = clock.now();
    const run = await engine(newRun("reset", deviceIds, start), tenant.transport(), clock).start();
    expect(summarize(run).initiated).toBe(4);
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
    // The unclear ones were resent only once the ticket's lifetime and the landing margin had passed.
    expect(clock.now() - start).toBeGreaterThanOrEqual(SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS);
  });

  const sendFault = fc.constantFrom<SendFault>(
    "ok", "ok", "timeout-lands-late", "timeout-lands-late", "unavailable", "applied-then-5xx", "missing-sub-response", "throttle-applied", "throttle",
  );

  it("late writes and a server that forgets every marker mid-run: no device is sent twice, and every report matches (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 1, max: 50 }),
          sendFaults: fc.array(sendFault, { minLength: 1, maxLength: 30 }),
          readFaults: fc.array(fc.constantFrom("ok" as const, "ok" as const, "error" as const), { minLength: 1, maxLength: 6 }),
          lateWriteMs: fc.integer({ min: 0, max: WRITE_LANDING_MARGIN_MS }),
          forgetAt: fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 4 }),
          preSendCheck: fc.boolean(),
          restartGuard: fc.boolean(),
          unclearMarkerMs: fc.constantFrom(0, 60_000),
          writeLatencyMs: fc.constantFrom(0, 800, 8_000),
          graphOffsetMs: fc.constantFrom(0, 10 * 60_000, -10 * 60_000),
          devicesPerCall: fc.constantFrom(5, 20, 200),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        async (c) => {
          const clock = virtualClock();
          const tenant = new FakeTenant(clock.now);
          Object.assign(tenant, {
            sendFaults: c.sendFaults,
            readFaults: c.readFaults,
            lateWriteMs: c.lateWriteMs,
            preSendCheck: c.preSendCheck,
            restartGuard: c.restartGuard,
            unclearMarkerMs: c.unclearMarkerMs,
            writeLatencyMs: c.writeLatencyMs,
            graphOffsetMs: c.graphOffsetMs,
          });
          const deviceIds = ids(c.n);
          const start = clock.now();
          const transport = scheduledTransport(tenant.transport(), clock.now, c.forgetAt.map((ms) => ({ at: start + ms, run: () => tenant.forgetMarkers() })));
          const run = await engine(newRun("reset", deviceIds, start), transport, clock, c.seed, c.devicesPerCall).start();
          await expectTruthfulAfterLanding(run, tenant, clock, deviceIds);
        },
      ),
      { numRuns: 60 },
    );
  }, 180_000);

  it("the server answering store-restarted: the run waits as told and sends once; nothing fails", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.restartGuard = true;
    tenant.sendFaults = ["timeout-lands-late", "ok", "ok"];
    // More than one write window: the second goes out 20 s in, after the restart.
    const deviceIds = ids(260);
    const start = clock.now();
    // A restart 1 s in, while the first window's late writes are still on their way to Graph.
    const transport = scheduledTransport(tenant.transport(), clock.now, [{ at: start + 1_000, run: () => tenant.forgetMarkers() }]);
    const run = await engine(newRun("reset", deviceIds, start), transport, clock, 1, 20).start();
    expect(tenant.restartedAnswers).toBeGreaterThanOrEqual(60);
    expect(summarize(run)).toMatchObject({ initiated: 260, failed: 0, notSent: 0 });
    await expectTruthfulAfterLanding(run, tenant, clock, deviceIds);
  });
});

describe("every report is the truth", () => {
  it("two colleagues' overlapping runs of the same 82 devices: 82 wipes, and only the run that sent a device says initiated", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    // Each call's writes take 8 s at Graph: the second run finds every device locked by the first (busy).
    tenant.writeLatencyMs = 8_000;
    const deviceIds = ids(82);
    const megan = engine(newRun("reset", deviceIds, clock.now(), "megan"), tenant.transport("Megan Bowen"), clock, 1);
    const isaiah = engine(newRun("reset", deviceIds, clock.now(), "isaiah"), tenant.transport("Isaiah Langer"), clock, 2);
    const [a, b] = await Promise.all([megan.start(), isaiah.start()]);
    for (const id of deviceIds) expect(tenant.wipedBy.get(id), id).toHaveLength(1);
    const byWhom = (run: BulkRun, name: string) => run.devices.filter((d) => tenant.wipedBy.get(d.id)?.[0] === name).length;
    expect(summarize(a).initiated).toBe(byWhom(a, "Megan Bowen"));
    expect(summarize(b).initiated).toBe(byWhom(b, "Isaiah Langer"));
    expect(summarize(a).initiated + summarize(b).initiated).toBe(82);
    // The one that sent none says so, naming who did and when, under the preflight's words for the reason.
    const idle = summarize(a).initiated === 0 ? a : b;
    const sender = idle === a ? "Isaiah Langer" : "Megan Bowen";
    expect(summarize(idle)).toMatchObject({ initiated: 0, skipped: 82, skippedByReason: { "reset-pending": 82 } });
    for (const d of idle.devices) expect(d.message).toMatch(new RegExp(`^Skipped: a reset was already sent by ${sender} at \\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d`));
    expect(skippedGroups(idle)).toEqual([expect.objectContaining({ reason: "reset-pending", label: "A reset is already pending or running", count: 82 })]);
  });

  it("overlapping runs, whatever the timing and the answers: no device twice, and each report's initiated devices are its own wipes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 1, max: 90 }),
          // Faults that leave no doubt about whose wipe it was: each of these applies the wipe.
          sendFaults: fc.array(fc.constantFrom<SendFault>("ok", "ok", "applied-then-5xx", "missing-sub-response", "throttle-applied"), { minLength: 1, maxLength: 20 }),
          writeLatencyMs: fc.constantFrom(0, 800, 8_000, 20_000),
          secondStartsAfterMs: fc.integer({ min: 0, max: 30_000 }),
          graphOffsetMs: fc.constantFrom(0, 10 * 60_000, -10 * 60_000),
          devicesPerCall: fc.constantFrom(7, 20, 200),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        async (c) => {
          const clock = virtualClock();
          const tenant = new FakeTenant(clock.now);
          // The server repeats the landing rule for others: an unclear write keeps a device busy until it cannot land.
          Object.assign(tenant, { sendFaults: c.sendFaults, writeLatencyMs: c.writeLatencyMs, graphOffsetMs: c.graphOffsetMs, unclearMarkerMs: SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS });
          const deviceIds = ids(c.n);
          const first = engine(newRun("reset", deviceIds, clock.now(), "a"), tenant.transport("Megan Bowen"), clock, c.seed, c.devicesPerCall).start();
          const second = (async () => {
            if (c.secondStartsAfterMs > 0) await clock.sleep(c.secondStartsAfterMs, new AbortController().signal);
            return engine(newRun("reset", deviceIds, clock.now(), "b"), tenant.transport("Isaiah Langer"), clock, c.seed + 1, c.devicesPerCall).start();
          })();
          const [a, b] = await Promise.all([first, second]);
          for (const id of deviceIds) expect(tenant.wipes.get(id) ?? 0, id).toBeLessThanOrEqual(1);
          for (const [run, name] of [[a, "Megan Bowen"], [b, "Isaiah Langer"]] as const) {
            for (const d of run.devices) {
              const who = tenant.wipedBy.get(d.id)?.[0];
              if (d.status === "initiated") expect(who, `${name}'s report of ${d.id}`).toBe(name);
              if (d.status === "skipped") expect(who === undefined || who === name, `${name} skipped ${d.id}, wiped by ${who}`).toBe(false);
            }
          }
          expect(summarize(a).initiated + summarize(b).initiated).toBe([...tenant.wipes.values()].filter((n) => n > 0).length);
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);

  it("a device the server refuses is skipped with its reason, message and next step, counted and worded like the preflight's skips", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const deviceIds = ids(5);
    tenant.ineligible.set(deviceIds[1]!, "hybrid-joined");
    tenant.ineligible.set(deviceIds[3]!, "device-preparation");
    tenant.ineligible.set(deviceIds[4]!, "hybrid-joined");
    const run = await engine(newRun("reset", deviceIds, clock.now()), tenant.transport(), clock).start();
    const s = summarize(run);
    expect(s).toMatchObject({ initiated: 2, skipped: 3, skippedByReason: { "hybrid-joined": 2, "device-preparation": 1 } });
    expect(tenant.wipes.get(deviceIds[1]!)).toBeUndefined();
    const refused = run.devices.find((d) => d.id === deviceIds[1])!;
    expect(refused).toMatchObject({ status: "skipped", reason: "hybrid-joined", message: "Refused: hybrid-joined. Do something else." });
    const groups = skippedGroups(run);
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      [SKIP_REASON_LABELS["hybrid-joined"], 2],
      [SKIP_REASON_LABELS["device-preparation"], 1],
    ]);
    // The preflight says the same words for the same reason.
    const hybrid = { ...fakeDevice("h"), joinType: "hybridAzureADJoined" as const };
    expect(planBulkAction("reset", [hybrid], new Date()).skippedByReason[0]!.label).toBe(groups[0]!.label);
    const rows = Papa.parse<Record<string, string>>(resultsToCsv(run), { header: true, skipEmptyLines: true }).data;
    const row = rows.find((r) => r["Device ID"] === deviceIds[1])!;
    expect(row).toMatchObject({ Outcome: "Skipped", Reason: groups[0]!.label, Details: "Refused: hybrid-joined. Do something else." });
  });

  it("the coordination store down for 40 s mid-run: the run waits it out, and every device is wiped once", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const deviceIds = ids(300);
    const start = clock.now();
    const transport = scheduledTransport(tenant.transport(), clock.now, [
      { at: start + 1, run: () => (tenant.storeDown = true) },
      { at: start + 41_000, run: () => (tenant.storeDown = false) },
    ]);
    const run = await engine(newRun("reset", deviceIds, start), transport, clock, 1, 20).start();
    expect(summarize(run)).toMatchObject({ initiated: 300, failed: 0, notSent: 0 });
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
  });

  it("the coordination store down for good: devices never sent are 'Not sent: the console's coordination store …', never 'Graph did not confirm'; Retry sends them once", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const deviceIds = ids(262);
    const start = clock.now();
    // The first write window goes through; the store is gone before the second (20 s later).
    const transport = scheduledTransport(tenant.transport(), clock.now, [{ at: start + 1, run: () => (tenant.storeDown = true) }]);
    const run = await engine(newRun("reset", deviceIds, start), transport, clock, 1, 20).start();
    const s = summarize(run);
    expect(s).toMatchObject({ initiated: 200, notSent: 62, failed: 0 });
    expect(tenant.wipes.size).toBe(200);
    for (const d of run.devices.filter((x) => x.status !== "initiated")) {
      expect(d).toMatchObject({ status: "not-sent", reason: "store-unavailable", message: STORE_UNAVAILABLE_NOT_SENT });
      expect(tenant.wipes.get(d.id)).toBeUndefined();
    }
    expect(run.devices.some((d) => /Graph did not confirm/.test(d.message ?? ""))).toBe(false);
    expect(s.retryable).toBe(s.notSent);
    tenant.storeDown = false;
    const retried = await engine(retryFailed(run, clock.now()), tenant.transport(), clock).start();
    expect(summarize(retried)).toMatchObject({ initiated: 262, notSent: 0 });
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
  });
});
