import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { startEmulator } from "../../emulator/server";
import { EmulatorClient, type ControlDevice } from "./emulator-client";
import { startNextApp, startProcess, waitForHttp, type RunningProcess } from "./processes";

/**
 * A world of its own for a spec that kills, restarts or starves the console's servers: an emulator, one console on a
 * new data folder, and a redis-server when asked, on the spec's own ports (specs of the chromium project run side by
 * side), torn down after each test whatever happened.
 */

/** Traits of a device that takes an Autopilot Reset at once and completes it like any other. */
export const NOT_SIMPLE = new Set([
  "offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows", "devicePreparation",
  "devicePreparationRegistered", "profileNameCollision", "reenrolled", "staleDuplicate", "entraMismatch",
]);
const SITE_PREFIXES = ["NYC-LT-", "SYD-LT-", "TYO-LT-", "SAO-LT-", "BER-LT-", "AMS-LT-", "LON-LT-", "SEA-LT-"];

export interface Ports {
  emulator: number;
  app: number;
  redis: number;
}

interface Running {
  emulator: { url: string; close(): Promise<void> };
  apps: RunningProcess[];
  dataDir: string;
  redis?: RunningProcess;
}

/** Every Windows device with its traits, by id. */
export async function windowsFleet(control: EmulatorClient): Promise<ControlDevice[]> {
  const byId = new Map<string, ControlDevice>();
  for (const trait of ["eligible", ...NOT_SIMPLE]) {
    for (const device of await control.devices(trait)) byId.set(device.id, device);
  }
  return [...byId.values()];
}

/** A device-name prefix whose devices (between min and max of them) all take an Autopilot Reset at once. */
export async function simpleGroup(control: EmulatorClient, min: number, max: number, exclude: string[] = []) {
  const fleet = await windowsFleet(control);
  for (const prefix of SITE_PREFIXES.filter((p) => !exclude.includes(p))) {
    const matching = fleet.filter((d) => d.deviceName.toUpperCase().startsWith(prefix));
    if (matching.length >= min && matching.length <= max && matching.every((d) => !d.traits.some((t) => NOT_SIMPLE.has(t)))) {
      return { search: prefix, devices: matching };
    }
  }
  throw new Error(`No prefix among ${SITE_PREFIXES.join(", ")} has ${min}-${max} devices that all reset simply: change the seed.`);
}

/** Refuses a port something already answers on (a process left by a run that was killed): it would answer in its place. */
async function assertPortFree(port: number): Promise<void> {
  const taken = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
  if (taken) throw new Error(`Port ${port} is already in use (a console, emulator or redis-server left by an earlier run?): stop it first.`);
}

/** Selects every device the search finds and confirms a bulk Autopilot Reset (up to 20 devices: a plain Yes). */
export async function bulkResetAll(page: Page, search: string, count: number) {
  const grid = page.getByRole("grid", { name: "Windows devices" });
  await expect(grid.getByRole("link", { name: new RegExp(`^${search}`) })).toHaveCount(count);
  await page.getByRole("checkbox", { name: "Select all loaded devices" }).click();
  const bar = page.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bar.getByTestId("bulk-selected-count")).toHaveText(`${count} devices selected`);
  await bar.getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole("button", { name: "Yes" }).click();
}

export async function summaryOf(page: Page) {
  const text = (await page.getByTestId("bulk-run-summary").textContent()) ?? "";
  const n = (label: string) => Number(text.match(new RegExp(`(\\d+) ${label}`))?.[1] ?? 0);
  return { text, initiated: n("initiated"), skipped: n("skipped"), failed: n("failed"), notSent: n("not sent") };
}

/** Seconds the panel's one estimate says are left ("About 3 min 25 s left."), or null when it says none. */
export async function secondsLeft(page: Page): Promise<number | null> {
  const line = page.getByTestId("bulk-run-estimate");
  if (!(await line.isVisible())) return null;
  const text = (await line.textContent()) ?? "";
  const match = text.match(/^About (.+) left\.$/);
  if (!match) return null;
  const minutes = Number(match[1]!.match(/(\d+) min/)?.[1] ?? 0);
  const seconds = Number(match[1]!.match(/(\d+) s/)?.[1] ?? 0);
  return minutes * 60 + seconds;
}

/**
 * Every console page loads the reset watcher's code 4 s after it opens (components/monitor/deferred-reset-watcher.tsx).
 * A page whose server goes away before then cannot load it and falls to the error page, so the people here have had
 * their pages open for longer than that: a real wait of up to 4 s, on the page's own timeline.
 */
export async function watcherLoaded(page: Page) {
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByType("resource").some((e) => (e as PerformanceResourceTiming).initiatorType === "script" && e.startTime >= 4_000)), { timeout: 15_000 })
    .toBe(true);
}

export class World {
  readonly appUrl: string;
  private running: Running | undefined;

  constructor(private readonly ports: Ports) {
    this.appUrl = `http://localhost:${ports.app}`;
  }

  /** The REDIS_URL of the test's redis-server (started by startRedis). */
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }

  /** One command to the test's redis-server (RESP over a plain socket); its reply as Redis wrote it. */
  redisCall(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ port: this.ports.redis, host: "127.0.0.1" }, () =>
        socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`),
      );
      socket.setTimeout(3_000, () => socket.destroy(new Error("redis-server did not answer")));
      socket.once("data", (data) => {
        socket.end();
        resolve(data.toString());
      });
      socket.once("error", reject);
    });
  }

  /** A redis-server of the test's own, keeping nothing on disk: a restart starts it empty. */
  async startRedis(): Promise<RunningProcess> {
    await assertPortFree(this.ports.redis);
    const redis = startProcess("redis", "redis-server", ["--port", String(this.ports.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], process.env);
    await expect.poll(() => this.redisCall("PING").catch(() => ""), { timeout: 15_000, message: redis.output() }).toBe("+PONG\r\n");
    if (this.running) this.running.redis = redis;
    return redis;
  }

  /** Stops the test's redis-server (its data goes with it). */
  async stopRedis(): Promise<void> {
    await this.running?.redis?.stop();
    if (this.running) delete this.running.redis;
  }

  private async startApp(env: Record<string, string>): Promise<RunningProcess> {
    await assertPortFree(this.ports.app);
    const app = startNextApp(this.ports.app, env);
    await waitForHttp(`http://127.0.0.1:${this.ports.app}/auth/redirect`, app);
    return app;
  }

  /** A new data folder, the emulator, and one console on it (`before` runs between the two, e.g. to start Redis). */
  async start(seed: number, env: Record<string, string> = {}, before?: () => Promise<void>) {
    await assertPortFree(this.ports.emulator);
    const dataDir = mkdtempSync(path.join(tmpdir(), "arc-restarts-"));
    const emulator = await startEmulator({ port: this.ports.emulator, host: "127.0.0.1", fleetSize: 300, seed, appOrigins: [this.appUrl], dailyWipeLimit: null });
    this.running = { emulator, apps: [], dataDir };
    await before?.();
    const appEnv = { EMULATOR_URL: emulator.url, DATA_DIR: dataDir, ...env };
    this.running.apps.push(await this.startApp(appEnv));
    return { emulator, appEnv };
  }

  /** Kills the console (SIGKILL: no shutdown of any kind) and returns a function that starts it again, same env and port. */
  async killConsole(appEnv: Record<string, string>) {
    const running = this.running!;
    await running.apps[0]!.kill();
    return async () => {
      running.apps[0] = await this.startApp(appEnv);
    };
  }

  /** After each test: the console's logs when it failed, then every process stopped and the data folder removed. */
  async tearDown(testInfo: TestInfo): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const app of running.apps) await testInfo.attach(`${app.name}.log`, { body: app.output(), contentType: "text/plain" });
    }
    // Each step whatever the others did: a process left running would answer the next run on its port.
    await Promise.allSettled([...running.apps.map((app) => app.stop()), running.emulator.close(), running.redis?.stop()]);
    rmSync(running.dataDir, { recursive: true, force: true });
  }
}
