/**
 * What the Chromium benches share: `npm start` (scripts/start.mjs) as a child process serving the console and its
 * emulator on the given origins, its output prefixed on stderr, and a wait until a URL answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

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

export async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
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
