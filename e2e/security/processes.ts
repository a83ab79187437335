/**
 * Starting and stopping the extra `next start` instances that the two-instance and https tests need, bounded in time
 * and always stopped (by their own process group, never by name).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface RunningProcess {
  name: string;
  output: () => string;
  stop(): Promise<void>;
  /** SIGKILL to the whole process group, as a crash or an OOM kill would end it; resolves once it has exited. */
  kill(): Promise<void>;
}

/** The production build the e2e harness made; the extra instances serve the same build. */
export function assertBuilt(): void {
  if (!existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next: run `npx next build` (the e2e harness does) before this test.");
  }
}

export function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child: ChildProcess = spawn(command, args, {
    cwd: REPO_ROOT,
    env,
    detached: true, // its own process group, so stop() ends next-server's children too
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        return;
      }
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `next start` of the existing build on 127.0.0.1:port with the given environment. */
export function startNextApp(port: number, env: Record<string, string>): RunningProcess {
  const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
  const base: NodeJS.ProcessEnv = { ...process.env };
  // The instance must see only the configuration the test gives it.
  for (const name of ["ENTRA_CLIENT_ID", "ENTRA_TENANT_ID", "GRAPH_BASE_URL", "EMULATOR_URL", "NODE_EXTRA_CA_CERTS"]) delete base[name];
  return startProcess(`app:${port}`, process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    ...base,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...env,
  });
}

/** Polls until the URL answers (any status), or fails with the process output after `timeoutMs`. */
export async function waitForHttp(url: string, running: RunningProcess | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      return;
    } catch (error) {
      lastError = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError}).\n${running?.output() ?? ""}`);
}
