import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BulkRunEngine, nextStep } from "./engine";
import { createPacer, INTUNE_WRITE_LIMIT, recordSends } from "./pacer";
import { createRun, prepareResume, retryFailed, type BulkRun } from "./run";
import { summarize } from "./summary";
import { RunNotSavedError } from "./persistence";
import { SEND_TICKET_LIFETIME_MS, WRITE_LANDING_MARGIN_MS } from "./send-window";
import { FakeTenant, mortalTransport, virtualClock, type ChunkFault, type ReadFault, type SendFault } from "./fake-tenant.test-helper";
import type { DeviceAction } from "@/lib/devices/types";

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `d${String(i).padStart(4, "0")}`);
}

function newRun(action: DeviceAction, deviceIds: string[], now: number): BulkRun {
  return createRun({ id: "run-1", action, now, toSend: deviceIds.map((id) => ({ id, name: `PC-${id}` })), skipped: [] });
}

/** Calls of 20 devices where a test needs a run to take several calls (cancel, pause or a failed save between them). */
const SMALL_CALLS = { devicesPerCall: 20 };

function engineFor(run: BulkRun, tenant: FakeTenant, clock: ReturnType<typeof virtualClock>, snapshots?: string[], seed = 1, options: { devicesPerCall?: number } = {}) {
  let x = seed;
  const random = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  return new BulkRunEngine(run, tenant.transport(), {
    now: clock.now,
    sleep: clock.sleep,
    random,
    persist: (r) => snapshots?.push(JSON.stringify(r)),
    monotonic: clock.now,
    ...options,
  });
}

/** Every device settled, none wiped twice (once every write Graph still holds has landed), and the report is the truth. */
function expectTruthful(run: BulkRun, tenant: FakeTenant, deviceIds: string[], clock?: ReturnType<typeof virtualClock>) {
  if (clock) {
    clock.advance(SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS + 1_000);
    tenant.land();
  }
  expect(run.status === "finished" || run.status === "cancelled").toBe(true);
  const counter = run.action === "reset" ? tenant.wipes : tenant.syncs;
  for (const id of deviceIds) {
    const d = run.devices.find((x) => x.id === id)!;
    const applied = counter.get(id) ?? 0;
    if (run.action === "reset") expect(applied, `wipes of ${id}`).toBeLessThanOrEqual(1);
    expect(["initiated", "failed", "skipped", "not-sent"]).toContain(d.status);
    if (d.status === "initiated") expect(applied, `${id} reported initiated`).toBeGreaterThanOrEqual(1);
    // One run alone: a device it skipped or did not send was not wiped (nobody else sent anything).
    if (d.status === "skipped" || d.status === "not-sent" || (d.status === "failed" && d.reason !== "outcome-unknown")) expect(applied, `${id} reported ${d.reason}`).toBe(0);
  }
}

describe("nextStep", () => {
  it("reads unclear devices before sending, and waits for the pacer", () => {
    const run = newRun("reset", ids(250), 0);
    const pacer = createPacer(0);
    const limits = { maxCallsInFlight: 1, devicesPerCall: 200, pacer: INTUNE_WRITE_LIMIT };
    const step = nextStep(run, pacer, 0, { sends: 0, reads: 0, readingIds: new Set() }, limits);
    expect(step).toEqual({ kind: "send", deviceIds: ids(200) });
    const unclear: BulkRun = { ...run, devices: run.devices.map((d, i) => (i === 3 ? { ...d, status: "unclear", sends: 1, firstSentAt: 0 } : d)) };
    expect(nextStep(unclear, pacer, 0, { sends: 0, reads: 0, readingIds: new Set() }, limits)).toEqual({ kind: "read", deviceIds: ["d0003"] });
  });

  it("asks for the next wave early by the lead, so its writes leave the server as the window opens", () => {
    const run = newRun("reset", ids(300), 0);
    // The first 200 writes left the server at 1,000 ms: the window takes more at 21,250 ms (margin included).
    const pacer = recordSends(createPacer(0), 200, 1_000);
    const rest = { ...run, devices: run.devices.map((d, i) => (i < 200 ? { ...d, status: "initiated" as const } : d)) };
    const inFlight = { sends: 0, reads: 0, readingIds: new Set<string>() };
    const limits = { maxCallsInFlight: 1, devicesPerCall: 200, pacer: INTUNE_WRITE_LIMIT };
    expect(nextStep(rest, pacer, 20_000, inFlight, limits)).toEqual({ kind: "wait", until: 21_250 });
    expect(nextStep(rest, pacer, 20_000, inFlight, { ...limits, leadMs: () => 800 })).toEqual({ kind: "wait", until: 20_450 });
    expect(nextStep(rest, pacer, 20_450, inFlight, { ...limits, leadMs: () => 800 })).toEqual({ kind: "send", deviceIds: ids(300).slice(200) });
    expect(nextStep(rest, pacer, 20_449, inFlight, limits)).toMatchObject({ kind: "wait" });
  });

  it("is done only when nothing is queued, under way or waiting", () => {
    const run = newRun("sync", [], 0);
    const limits = { maxCallsInFlight: 1, devicesPerCall: 200, pacer: INTUNE_WRITE_LIMIT };
    expect(nextStep(run, createPacer(0), 0, { sends: 0, reads: 0, readingIds: new Set() }, limits)).toEqual({ kind: "done" });
    expect(nextStep(run, createPacer(0), 0, { sends: 1, reads: 0, readingIds: new Set() }, limits)).toEqual({ kind: "wait", until: null });
  });

  it("makes one call at a time: Next would queue a second behind the first", () => {
    const run = newRun("reset", ids(250), 0);
    const limits = { maxCallsInFlight: 1, devicesPerCall: 200, pacer: INTUNE_WRITE_LIMIT };
    const unclear: BulkRun = { ...run, devices: run.devices.map((d, i) => (i === 3 ? { ...d, status: "unclear", sends: 1, firstSentAt: 0 } : d)) };
    expect(nextStep(unclear, createPacer(0), 0, { sends: 1, reads: 0, readingIds: new Set() }, limits)).toEqual({ kind: "wait", until: null });
    expect(nextStep(run, createPacer(0), 0, { sends: 0, reads: 1, readingIds: new Set() }, limits)).toEqual({ kind: "wait", until: null });
    expect(nextStep(run, createPacer(0), 0, { sends: 0, reads: 0, readingIds: new Set(), clock: "fetching" }, limits)).toEqual({ kind: "wait", until: null });
  });
});

describe("BulkRunEngine", () => {
  it("sends a window's worth per call: 150 devices in one call, 1,000 in five, 20 s apart (virtual time, no faults)", async () => {
    for (const [total, calls, floorMs] of [[150, 1, 0], [1000, 5, 80_000]] as const) {
      const clock = virtualClock();
      const tenant = new FakeTenant(clock.now);
      const deviceIds = ids(total);
      const start = clock.now();
      const run = await engineFor(newRun("reset", deviceIds, start), tenant, clock).start();
      expect(summarize(run)).toMatchObject({ initiated: total, failed: 0 });
      expect(tenant.sendCalls, `${total} devices`).toBe(calls);
      expect(clock.now() - start, `${total} devices`).toBeGreaterThanOrEqual(floorMs);
      expect(clock.now() - start, `${total} devices`).toBeLessThanOrEqual(floorMs + 2_000);
      expectTruthful(run, tenant, deviceIds);
    }
  });

  it("asks each wave early by the time the server took to reach its writes for a call no larger, and never sooner than the window allows", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const inner = tenant.transport();
    const asks: { at: number; devices: number }[] = [];
    const left: number[] = [];
    // The server reads for 900 ms before its writes leave, and answers 100 ms after.
    const transport = {
      ...inner,
      async send(action: DeviceAction, deviceIds: string[], ticket: { issuedAt: number }) {
        asks.push({ at: clock.now(), devices: deviceIds.length });
        await new Promise((r) => setImmediate(r));
        clock.advance(900);
        left.push(clock.now());
        const answer = await inner.send(action, deviceIds, ticket);
        clock.advance(100);
        return { ...answer, serverTime: clock.now(), sentAtServer: clock.now() - 100 };
      },
    };
    const deviceIds = ids(500);
    const run = await new BulkRunEngine(newRun("reset", deviceIds, clock.now()), transport, { now: clock.now, sleep: clock.sleep, random: () => 0.5, persist: () => undefined, monotonic: clock.now }).start();
    expect(summarize(run)).toMatchObject({ initiated: 500 });
    expect(asks.map((a) => a.devices)).toEqual([200, 200, 100]);
    // The second 200 are asked 900 ms before the window opens, so their writes leave as it does (20 s + the margin).
    expect(left[1]! - left[0]!).toBeGreaterThanOrEqual(20_250);
    expect(left[1]! - left[0]!).toBeLessThan(20_400);
    // The last call is smaller than any answered one: nothing teaches its lead, so it is asked when the window opens.
    expect(asks[2]!.at - left[1]!).toBeGreaterThanOrEqual(20_250);
  });

  it("settles applied-then-5xx as initiated without a second wipe, and unavailable by resending once checked", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.sendFaults = ["applied-then-5xx", "unavailable", "ok", "ok"];
    const deviceIds = ids(40);
    const run = await engineFor(newRun("reset", deviceIds, clock.now()), tenant, clock).start();
    expect(summarize(run).initiated).toBe(40);
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
    expect(run.devices.some((d) => d.reason === "confirmed")).toBe(true);
  });

  it("a throttled wipe that went through anyway is not sent again", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.sendFaults = ["throttle-applied"];
    const deviceIds = ids(5);
    const run = await engineFor(newRun("reset", deviceIds, clock.now()), tenant, clock).start();
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
    expect(summarize(run).initiated).toBe(5);
  });

  it("a device deleted since it was selected ends failed: not found", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.deleted.add("d0001");
    const run = await engineFor(newRun("reset", ids(3), clock.now()), tenant, clock).start();
    expect(run.devices.find((d) => d.id === "d0001")).toMatchObject({ status: "failed", reason: "not-found" });
  });

  it("gives up on a device throttled forever, saying so, with nothing applied", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.sendFaults = ["throttle-no-retry-after"];
    const run = await engineFor(newRun("sync", ids(2), clock.now()), tenant, clock).start();
    expect(summarize(run)).toMatchObject({ failed: 2, failedByReason: { throttled: 2 } });
    expect(tenant.syncs.size).toBe(0);
  });

  it("cancel stops sending; what was sent is reported", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const deviceIds = ids(100);
    const engine = engineFor(newRun("reset", deviceIds, clock.now()), tenant, clock, undefined, 1, SMALL_CALLS);
    const done = engine.start();
    while (tenant.wipes.size < 40) await new Promise((r) => setImmediate(r));
    engine.cancel();
    const run = await done;
    const s = summarize(run);
    expect(run.status).toBe("cancelled");
    expect(s.initiated).toBe(tenant.wipes.size);
    expect(s.notSent).toBe(100 - tenant.wipes.size);
    expectTruthful(run, tenant, deviceIds);
  });

  it("a session that ends mid-run pauses it; resuming sends the rest once", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    const deviceIds = ids(50);
    let calls = 0;
    const base = tenant.transport();
    const engine = new BulkRunEngine(newRun("reset", deviceIds, clock.now()), {
      read: base.read,
      clock: base.clock,
      send: async (action, batch, ticket) =>
        ++calls === 2
          ? { outcomes: batch.map((deviceId) => ({ deviceId, kind: "rejected" as const, status: 401, error: { kind: "unauthenticated" as const, message: "Sign in again." } })), serverTime: clock.now() }
          : base.send(action, batch, ticket),
    }, { now: clock.now, sleep: clock.sleep, random: () => 0.5, persist: () => {}, monotonic: clock.now, ...SMALL_CALLS });
    const paused = await engine.start();
    expect(paused.status).toBe("paused");
    const resumed = await engineFor(prepareResume(paused, clock.now()), tenant, clock).start();
    expect(summarize(resumed).initiated).toBe(50);
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
  });

  it("retry failed only sends to the failed devices, after checking the ones with an unknown outcome", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.sendFaults = ["throttle-no-retry-after"];
    const deviceIds = ids(3);
    const first = await engineFor(newRun("reset", deviceIds, clock.now()), tenant, clock).start();
    expect(summarize(first).failed).toBe(3);
    tenant.sendFaults = [];
    const second = await engineFor(retryFailed(first, clock.now()), tenant, clock).start();
    expect(summarize(second).initiated).toBe(3);
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
  });

  const sendFault = fc.constantFrom<SendFault>(
    "ok", "ok", "ok", "throttle", "throttle-no-retry-after", "throttle-applied", "unavailable", "applied-then-5xx", "missing-sub-response", "gone", "timeout-lands-late",
  );
  const chunkFault = fc.constantFrom<ChunkFault>("none", "none", "none", "network-error-applied", "network-error-not-applied");
  const readFault = fc.constantFrom<ReadFault>("ok", "ok", "ok", "error");

  it("whatever Graph does, every device ends in a stated outcome that matches the tenant and none is wiped twice (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }),
        fc.array(sendFault, { minLength: 1, maxLength: 50 }),
        fc.array(chunkFault, { minLength: 1, maxLength: 10 }),
        fc.array(readFault, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        async (n, sendFaults, chunkFaults, readFaults, seed) => {
          const clock = virtualClock();
          const tenant = new FakeTenant(clock.now);
          Object.assign(tenant, { sendFaults, chunkFaults, readFaults });
          const deviceIds = ids(n);
          const run = await engineFor(newRun("reset", deviceIds, clock.now()), tenant, clock, undefined, seed).start();
          expectTruthful(run, tenant, deviceIds, clock);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a reload at any point, then resume, never wipes a device twice and reports the truth (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(sendFault, { minLength: 1, maxLength: 30 }),
        fc.array(readFault, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(0, 800, 8_000),
        fc.constantFrom(0, 10 * 60_000, -10 * 60_000),
        async (n, sendFaults, readFaults, crashAtPersist, writeLatencyMs, graphOffsetMs) => {
          const clock = virtualClock();
          const tenant = new FakeTenant(clock.now);
          // Slow writes land after the tab has gone; Graph's clock may be ten minutes off the PC's.
          Object.assign(tenant, { sendFaults, readFaults, writeLatencyMs, graphOffsetMs });
          const deviceIds = ids(n);
          let saved: string | undefined;
          let persists = 0;
          const tab = mortalTransport(tenant.transport());
          const first = new BulkRunEngine(newRun("reset", deviceIds, clock.now()), tab.transport, {
            now: clock.now,
            sleep: async (ms, signal) => (tab.dead() ? new Promise<void>(() => {}) : clock.sleep(ms, signal)),
            random: () => 0.5,
            persist: (r) => {
              // The tab dies right after save number crashAtPersist: a request that save announced still reaches the
              // server, which carries it out; its answer is lost with the tab.
              if (tab.dead()) throw new Error("The tab is gone.");
              saved = JSON.stringify(r);
              if (++persists >= crashAtPersist) tab.kill();
            },
            monotonic: clock.now,
          });
          let finished = false;
          void first.start().then(
            () => (finished = true),
            () => undefined,
          );
          // Until the tab dies (or the run ends first); bounded, and independent of how busy the machine is.
          for (let i = 0; i < 200_000 && !finished && !tab.dead(); i++) await new Promise((r) => setImmediate(r));
          expect(finished || tab.dead()).toBe(true);
          const restored = prepareResume(JSON.parse(saved!) as BulkRun, clock.now());
          // The original tab's promises never resolve: a fresh engine on the same tenant takes over.
          const run = await engineFor(restored, tenant, clock).start();
          expectTruthful(run, tenant, deviceIds, clock);
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);
});

describe("BulkRunEngine when the run cannot be saved", () => {
  it("sends nothing whose about-to-send marker could not be stored, and stops", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    let saves = 0;
    const engine = new BulkRunEngine(newRun("reset", ids(60), clock.now()), tenant.transport(), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      persist: () => {
        if (++saves > 3) throw new Error("QuotaExceededError");
      },
      ...SMALL_CALLS,
    });
    await expect(engine.start()).rejects.toThrow(RunNotSavedError);
    // Save 1: start; save 2: first chunk marked; save 3: its answers. The second chunk's marker failed: not sent.
    expect(tenant.wipes.size).toBe(20);
    expect(engine.state.devices.filter((d) => d.status === "initiated")).toHaveLength(20);
    expect(engine.state.devices.filter((d) => d.status === "queued")).toHaveLength(40);
  });

  it("a save that fails while answers are under way: nothing more is sent, and the run in memory shows every answer (never '0 initiated' over wiped devices)", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    // Each call's writes take 8 s: the save of the first answer fails while the second call is still at Graph.
    tenant.writeLatencyMs = 8_000;
    let saves = 0;
    let callsWhenItFailed: number | undefined;
    const engine = new BulkRunEngine(newRun("reset", ids(463), clock.now()), tenant.transport(), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      monotonic: clock.now,
      maxCallsInFlight: 2,
      persist: (r) => {
        saves++;
        if (r.devices.some((d) => d.status === "initiated")) {
          callsWhenItFailed ??= tenant.sendCalls;
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        }
      },
      devicesPerCall: 100,
    });
    await expect(engine.start()).rejects.toThrow(RunNotSavedError);
    expect(saves).toBeGreaterThan(3);
    expect(tenant.sendCalls).toBe(callsWhenItFailed);
    const s = summarize(engine.state);
    expect(s.initiated).toBe(tenant.wipes.size);
    expect(s.initiated).toBeGreaterThan(100);
    expect(s.inFlight + s.checking).toBe(0);
  });
});

describe("BulkRunEngine when its page goes away", () => {
  it("stop() starts nothing more; the answer under way is recorded and saved; Resume sends the rest once", async () => {
    const clock = virtualClock();
    const tenant = new FakeTenant(clock.now);
    tenant.writeLatencyMs = 5_000;
    const deviceIds = ids(300);
    let saved = "";
    const engine = new BulkRunEngine(newRun("reset", deviceIds, clock.now()), tenant.transport(), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      monotonic: clock.now,
      persist: (r) => {
        saved = JSON.stringify(r);
      },
    });
    const done = engine.start();
    while (tenant.sendCalls === 0) await new Promise((r) => setImmediate(r));
    engine.stop();
    const stopped = await done;
    expect(tenant.sendCalls).toBe(1);
    expect(stopped.status).toBe("running");
    expect(summarize(stopped)).toMatchObject({ initiated: 200, queued: 100, inFlight: 0 });
    expect(JSON.parse(saved)).toEqual(stopped);
    // The page comes back: Resume carries on from what was saved.
    const resumed = await engineFor(prepareResume(JSON.parse(saved) as BulkRun, clock.now()), tenant, clock).start();
    expect(summarize(resumed).initiated).toBe(300);
    for (const id of deviceIds) expect(tenant.wipes.get(id)).toBe(1);
  });
});

describe("the engine's estimate (issue 23, item 2)", () => {
  it("under a Graph that fails every call: once 3 calls failed in a row it names the next try, never a countdown", async () => {
    const clock = virtualClock();
    const run = newRun("reset", ids(1), clock.now());
    const failing = {
      send: async () => {
        throw new Error("503");
      },
      read: async () => {
        throw new Error("503");
      },
      clock: async () => ({ serverTime: clock.now(), graphTime: clock.now() }),
    };
    const seen: { failures: number; estimate: ReturnType<BulkRunEngine["estimate"]> }[] = [];
    let failures = 0;
    const engine: BulkRunEngine = new BulkRunEngine(run, failing, {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      persist: () => undefined,
      monotonic: clock.now,
      onChange: (r) => {
        // The failed send, then each failed read (checks): the engine's estimate right after each is recorded.
        failures = r.devices[0]!.checks + (r.devices[0]!.sends > 0 && r.devices[0]!.status !== "sent" ? 1 : 0);
        queueMicrotask(() => seen.push({ failures, estimate: engine.estimate() }));
      },
    });
    const final = await engine.start();
    expect(final.devices[0]!.status).toBe("failed");
    const waiting = seen.filter((s) => s.estimate.kind === "waiting");
    expect(waiting.length).toBeGreaterThan(0);
    for (const s of waiting) expect(s.estimate).toMatchObject({ kind: "waiting", why: "errors" });
    // From the third failure in a row on, while the device is open, no countdown.
    const after = seen.filter((s) => s.failures >= 3 && s.estimate.kind !== "none");
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(s.estimate.kind).toBe("waiting");
  });
});
