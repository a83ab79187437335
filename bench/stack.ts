/**
 * What the Chromium benches share: `npm start` (scripts/start.mjs) as a child process serving the console and its
 * emulator on the given origins, its output prefixed on stderr, a wait until a URL answers, a stop that waits for the
 * ports to be given back, and min / median / max over a bench's repetitions. Each stack gets a data folder of its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

const NICE = Number(process.env.BENCH_NICE ?? -10);
const raising = Number.isInteger(NICE) && NICE < 0;

/**
 * Linux shares the CPU between sessions ("autogroups") before it looks at a process's nice value, so a bench's nice
 * only counts against other jobs once its session's autogroup has it too. Returns false where there are none.
 */
function setAutogroupNice(pid: number | "self", nice: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

function autogroupNice(pid: number | "self"): number | null {
  try {
    const match = /nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Raises the CPU priority of this process and of everything it starts (BENCH_NICE, default -10; 0 leaves it), so that
 * another job on a shared machine (a build, a test run) slows what is measured less: the goals are about the console,
 * not about the machine's spare CPU. The bench's session (autogroup) gets it too, and is given its old value back on
 * exit. Needs root or CAP_SYS_NICE; without it the bench runs at normal priority and says so. Returns the line the
 * bench prints about it.
 */
export function raisePriority(): string {
  if (!raising) return "priority: normal (BENCH_NICE=0)";
  try {
    os.setPriority(0, NICE);
  } catch (error) {
    return `priority: normal (could not set nice ${NICE}: ${(error as NodeJS.ErrnoException).code ?? String(error)}); other jobs on the machine weigh on the figures`;
  }
  const before = autogroupNice("self");
  const grouped = before !== null && setAutogroupNice("self", NICE);
  if (grouped) {
    process.on("exit", () => setAutogroupNice("self", before));
    // Ctrl-C skips "exit" handlers: give the session back its value, then stop as the signal would have.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        setAutogroupNice("self", before);
        process.kill(process.pid, signal);
      });
    }
  }
  return `priority: nice ${os.getPriority(0)} for the bench, its stack and Chromium${grouped ? ", and their sessions" : ""} (BENCH_NICE; other jobs run at 0)`;
}

/**
 * Gives every process this bench started (its descendants: the stack and Chromium) the bench's raised priority again,
 * and their sessions too: Chromium runs in a session of its own and sets its processes' priorities itself (a renderer
 * it starts runs at 0 or 5 whatever its parent's). The benches call this before timing. Linux only (/proc).
 */
export function reniceDescendants(): void {
  if (!raising || os.getPriority(0) !== NICE) return;
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const name of entries) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const pid = queue.pop()!;
    queue.push(...(children.get(pid) ?? []));
    try {
      if (os.getPriority(pid) > NICE) os.setPriority(pid, NICE);
      const group = autogroupNice(pid);
      if (group !== null && group > NICE) setAutogroupNice(pid, NICE);
    } catch {
      // gone meanwhile
    }
  }
}

export interface StackOptions {
  label: string;
  appUrl: string;
  emulatorUrl: string;
  fleetSize: number;
  /** More environment for the stack (e.g. a raised daily wipe limit). */
  env?: Record<string, string>;
}

export function startStack({ label, appUrl, emulatorUrl, fleetSize, env = {} }: StackOptions): ChildProcess {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ENTRA_CLIENT_ID: "",
      ENTRA_TENANT_ID: "",
      PORT: new URL(appUrl).port,
      EMULATOR_URL: emulatorUrl,
      EMULATOR_PORT: new URL(emulatorUrl).port,
      EMULATOR_APP_ORIGINS: appUrl,
      EMULATOR_FLEET_SIZE: String(fleetSize),
      EMULATOR_SEED: "42",
      // A new data folder per bench: the console's send records start empty against a freshly seeded emulator. With
      // ./.data, a bench started minutes after another found the same seed's devices "already sent" and skipped them.
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "arc-bench-data-")),
      ...env,
    },
  });
  const log = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  };
  child.stdout?.on("data", log);
  child.stderr?.on("data", log);
  return child;
}

const listening = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2_000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(false));
  });

/** The URLs among `urls` whose port something listens on (`next start -H localhost` may take either loopback address). */
async function taken(urls: string[]): Promise<string[]> {
  const result: string[] = [];
  for (const url of urls) {
    const { hostname, port } = new URL(url);
    const hosts = hostname === "localhost" ? ["127.0.0.1", "::1"] : [hostname.replace(/^\[|\]$/g, "")];
    for (const host of hosts) {
      if (await listening(host, Number(port))) {
        result.push(url);
        break;
      }
    }
  }
  return result;
}

/**
 * Throws when something already listens on one of `urls`' ports: a stack left over from another run (or another
 * bench) would answer `waitUntilUp` in place of the one this bench starts, and be measured instead.
 */
export async function assertPortsFree(urls: string[]): Promise<void> {
  const busy = await taken(urls);
  if (busy.length) throw new Error(`already in use: ${busy.join(", ")}. Stop what listens there, or pick other ports (see the bench's Env line).`);
}

/**
 * SIGTERM to a stack (scripts/start.mjs passes it on to the console and the emulator), then waits until it has exited
 * and `urls` no longer answer, so a bench run right after (`npm run bench` runs two) finds its ports free. 30 s at most.
 */
export async function stopStack(child: ChildProcess | undefined, urls: string[]): Promise<void> {
  if (!child) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  const deadline = Date.now() + 20_000;
  while ((await taken(urls)).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

/** Waits until `url` answers below 500; fails at once if `child` (the stack meant to answer) exits first. */
export async function waitUntilUp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`the stack stopped (${child.signalCode ?? `exit code ${child.exitCode}`}) before ${url} answered`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** The emulator's control API (`/_emulator/...`) for a bench: JSON in, JSON out, a non-2xx answer thrown with its status. */
export function emulatorControl(emulatorUrl: string) {
  return async function control<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${emulatorUrl}/_emulator${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /_emulator${route} answered ${response.status}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** min / median / max (the median of an even count is the mean of the middle two). */
export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error("spread of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** "min / median / max" with `digits` decimals and an optional unit after the last. */
export function formatSpread(s: Spread, digits = 2, unit = ""): string {
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}${unit}`;
}

/** The build's server actions by id (.next/server/server-reference-manifest.json): name, for logs and for telling calls apart. */
export function serverActionNames(): Map<string, string> {
  try {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    };
    return new Map(Object.entries(manifest.node).map(([id, entry]) => [id, entry.exportedName ?? id]));
  } catch {
    return new Map();
  }
}
