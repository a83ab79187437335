/**
 * `npm run bench:emulator`: list-page latency of the Intune emulator for a 1,000 and a 100,000-device fleet, side by
 * side in one run, plus the emulator's memory at 100,000 devices.
 *
 * Each fleet runs in its own child process (so one's garbage collection never lands in the other's figures); the
 * bench mints a token through the control API and times sequential GETs over loopback with keep-alive, alternating
 * between the two fleets so both see the same machine noise. Timed: request sent -> whole body received. Prints
 * min / median / max per cell and the ratio of the medians; exits 1 when a scenario's ratio is 1.5 or more, or the
 * bench has not finished within 10 minutes.
 *
 * Env: BENCH_EMULATOR_BASE_PORT (default 3202: fleets on +0 and +1), BENCH_SAMPLES (default 40), BENCH_NICE
 * (bench/stack.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { assertPortsFree, formatSpread, raisePriority, reniceDescendants, spread, type Spread } from "./stack";

const ROOT = path.resolve(import.meta.dirname, "..");
const BASE_PORT = Number(process.env.BENCH_EMULATOR_BASE_PORT ?? 3202);
const SAMPLES = Math.min(Math.max(Number(process.env.BENCH_SAMPLES ?? 40), 5), 200);
const TARGET_RATIO = 1.5;
const FILTER = "operatingSystem eq 'Windows'";

interface Fleet {
  label: string;
  size: number;
  url: string;
  child?: ChildProcess;
  token?: string;
  startupMs?: number;
}

const fleets: Fleet[] = [
  { label: "1,000", size: 1_000, url: `http://127.0.0.1:${BASE_PORT}` },
  { label: "100,000", size: 100_000, url: `http://127.0.0.1:${BASE_PORT + 1}` },
];

async function start(fleet: Fleet): Promise<void> {
  const began = performance.now();
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "emulator/main.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ENTRA_CLIENT_ID: "",
      ENTRA_TENANT_ID: "",
      EMULATOR_PORT: new URL(fleet.url).port,
      EMULATOR_FLEET_SIZE: String(fleet.size),
      EMULATOR_SEED: "bench",
    },
  });
  fleet.child = child;
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  // Generating 100,000 devices takes seconds on a quiet machine; a shared one gets two minutes.
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`emulator (${fleet.label}) exited: ${output.trim()}`);
    try {
      const res = await fetch(`${fleet.url}/_emulator/info`);
      if (res.ok) {
        await res.arrayBuffer();
        fleet.startupMs = performance.now() - began;
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`emulator (${fleet.label}) did not start within 120 s: ${output.trim()}`);
}

async function control<T>(fleet: Fleet, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fleet.url}/_emulator${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${p} -> ${res.status}`);
  return (await res.json()) as T;
}

/** One timed GET; returns milliseconds and the parsed body (parsed after the clock stops). */
async function timedGet(fleet: Fleet, url: string): Promise<{ ms: number; body: { value: unknown[]; "@odata.nextLink"?: string } }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${fleet.token}` } });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status} ${text.slice(0, 200)}`);
  return { ms, body: JSON.parse(text) };
}

function listUrl(fleet: Fleet, top: number): string {
  return `${fleet.url}/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent(FILTER)}&$top=${top}`;
}

/** Follows nextLink to the end (bounded) and returns every page URL in order. */
async function chain(fleet: Fleet, top: number, maxPages: number): Promise<string[]> {
  const urls = [listUrl(fleet, top)];
  for (let i = 0; i < maxPages; i++) {
    const { body } = await timedGet(fleet, urls[urls.length - 1]!);
    const next = body["@odata.nextLink"];
    if (!next) break;
    urls.push(next);
  }
  return urls;
}

interface Scenario {
  name: string;
  /** Page URLs to cycle through, per fleet. */
  urls: [string[], string[]];
}

async function measure(scenario: Scenario): Promise<[Spread, Spread]> {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < SAMPLES; i++) {
    // Alternate which fleet goes first so neither always follows the other.
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const f of order) {
      const urls = scenario.urls[f as 0 | 1];
      samples[f as 0 | 1].push((await timedGet(fleets[f]!, urls[i % urls.length]!)).ms);
    }
  }
  return [spread(samples[0]), spread(samples[1])];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (s: Spread) => formatSpread(s, 2, " ms");

async function main(): Promise<void> {
  const priority = raisePriority();
  const deadline = setTimeout(() => {
    console.error("bench:emulator: gave up after 10 minutes");
    stop();
    process.exit(1);
  }, 600_000);
  try {
    await assertPortsFree(fleets.map((fleet) => fleet.url));
    await Promise.all(fleets.map(start));
    reniceDescendants();
    for (const fleet of fleets) fleet.token = (await control<{ access_token: string }>(fleet, "POST", "/token", { persona: "readonly" })).access_token;

    // Warm both (JIT, caches) before timing.
    for (const fleet of fleets) for (let i = 0; i < 15; i++) await timedGet(fleet, listUrl(fleet, 100));

    const chains100 = await Promise.all(fleets.map((f) => chain(f, 100, 1200)));
    const chains1000 = await Promise.all(fleets.map((f) => chain(f, 1000, 150)));
    // "Deep" = the last tenth of the chain (for 1,000 devices with $top=1000 the only page there is).
    const deep = (urls: string[]) => urls.slice(Math.floor(urls.length * 0.9));

    const scenarios: Scenario[] = [
      { name: "first page, $top=100", urls: [[listUrl(fleets[0]!, 100)], [listUrl(fleets[1]!, 100)]] },
      { name: "first page, $top=1000", urls: [[listUrl(fleets[0]!, 1000)], [listUrl(fleets[1]!, 1000)]] },
      { name: "deep page via nextLink, $top=100", urls: [deep(chains100[0]!), deep(chains100[1]!)] },
      { name: "deep page via nextLink, $top=1000", urls: [deep(chains1000[0]!), deep(chains1000[1]!)] },
      {
        name: "first page + $count=true, $top=100",
        urls: [[`${listUrl(fleets[0]!, 100)}&$count=true`], [`${listUrl(fleets[1]!, 100)}&$count=true`]],
      },
    ];

    const rows: string[][] = [];
    let worst = 0;
    for (const scenario of scenarios) {
      const [small, large] = await measure(scenario);
      const ratio = large.median / small.median;
      worst = Math.max(worst, ratio);
      rows.push([scenario.name, fmt(small), fmt(large), ratio.toFixed(2)]);
    }

    const header = ["list page (filter operatingSystem eq 'Windows')", "1,000 devices, min / median / max", "100,000 devices, min / median / max", "ratio of medians"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(`\n${priority}`);
    console.log(`Intune emulator list-page latency, ${SAMPLES} sequential requests per cell (loopback, keep-alive)\n`);
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) console.log(line(row));
    console.log(`\npages walked: $top=100 -> ${chains100[0]!.length} / ${chains100[1]!.length}; $top=1000 -> ${chains1000[0]!.length} / ${chains1000[1]!.length}`);

    for (const fleet of fleets) {
      const stats = await control<{ devices: number; rssBytes: number; heapUsedBytes: number }>(fleet, "GET", "/stats?gc=1");
      console.log(`memory, ${fleet.label} devices: RSS ${mb(stats.rssBytes)}, heap used after GC ${mb(stats.heapUsedBytes)} (started in ${((fleet.startupMs ?? 0) / 1000).toFixed(1)} s)`);
    }
    const verdict = worst < TARGET_RATIO ? "OK" : "OVER TARGET";
    console.log(`\nworst ratio ${worst.toFixed(2)} (target < ${TARGET_RATIO}): ${verdict}`);
    process.exitCode = worst < TARGET_RATIO ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    stop();
  }
}

function stop(): void {
  for (const fleet of fleets) if (fleet.child && fleet.child.exitCode === null) fleet.child.kill("SIGTERM");
}

process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

await main();
