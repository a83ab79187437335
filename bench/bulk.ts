/**
 * npm run bench:bulk: bulk Autopilot Reset against the emulator at Intune's limits (200 writes / 20 s per app per
 * tenant, so 10 a second: 300 resets cannot take less than about 30 s) with 150 ms of latency on every request.
 *
 * Three runs on fresh devices, printed side by side:
 *   A. the console's engine (lib/bulk: paced JSON $batch of 20, through lib/graph/batch.ts);
 *   B. the one-request-at-a-time loop most scripts use (POST wipe, wait for the answer, next; honours Retry-After);
 *   C. the engine again with faults on (throttling, "applied then 5xx", 503s, a timeout): lost and duplicated actions
 *      are counted against the emulator's own counters (both must be 0).
 * Loopback only; every loop is bounded. Takes about three minutes (the throttle window is real time).
 */
import { startEmulator } from "../emulator/server";
import { BulkRunEngine, realSleep, type BulkTransport } from "../lib/bulk/engine";
import { createRun, summarize, type BulkRun } from "../lib/bulk/run";
import { serializeRun } from "../lib/bulk/persistence";
import { createGraphClient } from "../lib/graph/client";
import { readDeviceBatch, sendActionBatch } from "../lib/graph/batch";
import { sendAutopilotReset } from "../lib/graph/device-actions";
import { mapGraphError, retryAfterFrom } from "../lib/graph/errors";

const PORT = Number(process.env.BENCH_BULK_PORT ?? 3221);
const DEVICES = 300;
const LATENCY_MS = 150;
const FLOOR_SECONDS = DEVICES / 10;
const WINDOW_DRAIN_MS = 21_000;
const RUN_LIMIT_MS = 240_000;

interface Emu {
  url: string;
  close(): Promise<void> | void;
}

async function control<T>(emu: Emu, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /_emulator${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function token(emu: Emu): Promise<string> {
  const t = await control<{ access_token: string }>(emu, "POST", "/token", { persona: "helpdesk", expiresInSeconds: 3600 });
  return t.access_token;
}

async function eligibleDevices(emu: Emu, count: number): Promise<{ id: string; deviceName: string }[]> {
  const found = await control<{ value: { id: string; deviceName: string; traits: string[] }[] }>(emu, "GET", `/devices?trait=eligible&limit=${count}`);
  if (found.value.length < count) throw new Error(`The emulator has only ${found.value.length} eligible devices; ${count} needed.`);
  return found.value;
}

async function wipeCounts(emu: Emu): Promise<Record<string, number>> {
  return (await control<{ wipes: Record<string, number> }>(emu, "GET", "/counters")).wipes;
}

function transportFor(emu: Emu, getToken: () => Promise<string>): BulkTransport {
  const client = async (version: "v1.0" | "beta") => createGraphClient(await getToken(), { version, graphBaseUrl: emu.url, timeoutMs: 10_000 });
  // Straight to Graph, without the server's device locks (docs/safety.md, "Two people on one device"): the bench
  // measures the engine's pacing (moving it onto the browser's transport is still to do). One process plays both server
  // and browser, so its clock is the server's.
  return {
    send: async (action, ids) => ({ outcomes: await sendActionBatch(await client("v1.0"), action, ids), serverTime: Date.now() }),
    read: async (ids) => ({ reads: await readDeviceBatch(await client("beta"), ids), serverTime: Date.now() }),
    clock: async () => ({ serverTime: Date.now() }),
  };
}

async function engineRun(emu: Emu, devices: { id: string; deviceName: string }[], getToken: () => Promise<string>): Promise<{ seconds: number; run: BulkRun; persisted: number }> {
  const run = createRun({ id: `bench-${Date.now()}`, action: "reset", now: Date.now(), toSend: devices.map((d) => ({ id: d.id, name: d.deviceName })), skipped: [] });
  let persisted = 0;
  const engine = new BulkRunEngine(run, transportFor(emu, getToken), {
    now: () => Date.now(),
    sleep: realSleep,
    random: Math.random,
    // What the browser pays: the run serialized (and validated) before every send and after every answer.
    persist: (r) => {
      persisted += serializeRun(r).length > 0 ? 1 : 0;
    },
  });
  const guard = setTimeout(() => engine.cancel(), RUN_LIMIT_MS);
  const started = performance.now();
  const final = await engine.start();
  const seconds = (performance.now() - started) / 1000;
  clearTimeout(guard);
  return { seconds, run: final, persisted };
}

/** What most tools do: one wipe, wait for its answer, the next; a 429 waits its Retry-After and tries again. */
async function oneAtATime(emu: Emu, devices: { id: string }[], getToken: () => Promise<string>): Promise<{ seconds: number; failed: number }> {
  const started = performance.now();
  let failed = 0;
  for (const device of devices) {
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        await sendAutopilotReset(createGraphClient(await getToken(), { version: "v1.0", graphBaseUrl: emu.url }), device.id);
        break;
      } catch (error) {
        const mapped = mapGraphError(error, { write: true });
        if (mapped.kind !== "throttled" || attempt === 10) {
          failed++;
          break;
        }
        await new Promise((r) => setTimeout(r, (retryAfterFrom(error) ?? attempt) * 1000));
      }
    }
    if (performance.now() - started > RUN_LIMIT_MS) break;
  }
  return { seconds: (performance.now() - started) / 1000, failed };
}

function truth(run: BulkRun, before: Record<string, number>, after: Record<string, number>) {
  let lost = 0;
  let duplicated = 0;
  let unreported = 0;
  let agrees = 0;
  for (const d of run.devices) {
    const wipes = (after[d.id] ?? 0) - (before[d.id] ?? 0);
    if (wipes > 1) duplicated++;
    if (d.status === "initiated" && wipes === 0) lost++;
    if (d.status !== "initiated" && d.status !== "failed" && d.status !== "skipped" && d.status !== "not-sent") unreported++;
    if ((d.status === "initiated") === (wipes >= 1)) agrees++;
  }
  return { lost: lost + unreported, duplicated, agrees };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

async function main() {
  const emu: Emu = await startEmulator({ port: PORT, host: "127.0.0.1", fleetSize: 2500, seed: 4242 });
  try {
    const pool = await eligibleDevices(emu, DEVICES * 3);
    const [forEngine, forLoop, forFaults] = [pool.slice(0, DEVICES), pool.slice(DEVICES, DEVICES * 2), pool.slice(DEVICES * 2)];
    let cached: { value: string; at: number } | undefined;
    // A fresh token per chunk, as the browser does (cached for a minute here: minting is the emulator's work, not ours).
    const getToken = async () => {
      if (!cached || Date.now() - cached.at > 60_000) cached = { value: await token(emu), at: Date.now() };
      return cached.value;
    };

    await control(emu, "PUT", "/faults", { latencyMs: LATENCY_MS });
    await control(emu, "DELETE", "/counters");

    process.stdout.write(`A. engine: ${DEVICES} resets, paced $batch of 20 … `);
    const beforeA = await wipeCounts(emu);
    const a = await engineRun(emu, forEngine, getToken);
    const truthA = truth(a.run, beforeA, await wipeCounts(emu));
    console.log(`${a.seconds.toFixed(1)} s`);

    await new Promise((r) => setTimeout(r, WINDOW_DRAIN_MS));
    process.stdout.write(`B. one request at a time: ${DEVICES} resets … `);
    const b = await oneAtATime(emu, forLoop, getToken);
    console.log(`${b.seconds.toFixed(1)} s`);

    await new Promise((r) => setTimeout(r, WINDOW_DRAIN_MS));
    await control(emu, "PUT", "/faults", {
      latencyMs: LATENCY_MS,
      rules: [
        { fault: "throttle", pathContains: "/wipe", every: 9, retryAfterSeconds: 1.5 },
        { fault: "throttle-no-retry-after", pathContains: "/wipe", every: 31 },
        { fault: "applied-then-5xx", pathContains: "/wipe", every: 7 },
        { fault: "unavailable", pathContains: "/wipe", every: 11 },
        { fault: "timeout", pathContains: "/wipe", times: 1 },
        { fault: "unavailable", method: "GET", pathContains: "/managedDevices/", every: 5 },
      ],
    });
    process.stdout.write(`C. engine with faults: ${DEVICES} resets … `);
    const beforeC = await wipeCounts(emu);
    const c = await engineRun(emu, forFaults, getToken);
    const afterC = await wipeCounts(emu);
    const truthC = truth(c.run, beforeC, afterC);
    const faultsC = await control<{ rules: { fault: string; fired: number }[] }>(emu, "GET", "/faults").catch(() => ({ rules: [] }));
    console.log(`${c.seconds.toFixed(1)} s`);
    await control(emu, "DELETE", "/faults");

    const sA = summarize(a.run);
    const sC = summarize(c.run);
    const rows: [string, string, string][] = [
      ["", "engine (paced $batch)", "one at a time"],
      [`wall time, ${DEVICES} resets`, `${a.seconds.toFixed(1)} s`, `${b.seconds.toFixed(1)} s`],
      [`÷ physical floor (${FLOOR_SECONDS} s)`, (a.seconds / FLOOR_SECONDS).toFixed(2), (b.seconds / FLOOR_SECONDS).toFixed(2)],
      ["outcome", `${sA.initiated} initiated, ${sA.failed} failed`, `${DEVICES - b.failed} sent, ${b.failed} failed`],
      ["duplicated / lost (counters)", `${truthA.duplicated} / ${truthA.lost}`, "n/a"],
    ];
    console.log("");
    for (const [label, x, y] of rows) console.log(`${pad(label, 32)}${pad(x, 28)}${y}`);
    console.log(`${pad("speed-up", 32)}${(b.seconds / a.seconds).toFixed(2)}x`);
    console.log("");
    console.log(`Faulted run (latency ${LATENCY_MS} ms; faults fired: ${faultsC.rules.map((r) => `${r.fault} ${r.fired}`).join(", ") || "n/a"})`);
    console.log(`  wall time ${c.seconds.toFixed(1)} s (÷ floor ${(c.seconds / FLOOR_SECONDS).toFixed(2)}); ${sC.initiated} initiated, ${sC.failed} failed, ${sC.skipped} skipped`);
    console.log(`  lost actions: ${truthC.lost}   duplicated actions: ${truthC.duplicated}   report agrees with the emulator on ${truthC.agrees}/${DEVICES} devices`);
    console.log(`  run state persisted ${c.persisted} times (before every send, after every answer)`);
    const ok = a.seconds / FLOOR_SECONDS <= 1.1 && truthC.lost === 0 && truthC.duplicated === 0 && truthA.lost === 0 && truthA.duplicated === 0;
    console.log(ok ? "\nPASS: within 1.10 of the floor, nothing lost, nothing duplicated." : "\nFAIL: see the figures above.");
    process.exitCode = ok ? 0 : 1;
  } finally {
    await emu.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
