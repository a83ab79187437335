import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { REPO_ROOT } from "./processes";

/**
 * docs/architecture.md, "Security": a configuration mistake is reported on start in one clear line (not as an MSAL
 * error code in a browser), and the emulator refuses to run when the console is configured for a real tenant. Each case
 * stops before anything is built or served.
 */

const run = promisify(execFile);
const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const TENANT_ID = "66666666-7777-8888-9999-000000000000";

async function start(script: string[], env: Record<string, string>) {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: "3248" };
  for (const name of ["ENTRA_CLIENT_ID", "ENTRA_TENANT_ID", "GRAPH_BASE_URL", "EMULATOR_URL", "EMULATOR_PORT"]) delete base[name];
  try {
    const { stdout, stderr } = await run(process.execPath, script, { cwd: REPO_ROOT, env: { ...base, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const npmStart = ["scripts/start.mjs"];
const emulator = [path.join("node_modules", "tsx", "dist", "cli.mjs"), "emulator/main.ts"];

for (const [what, env, expected] of [
  ["only the client id", { ENTRA_CLIENT_ID: CLIENT_ID }, "ENTRA_TENANT_ID is not set"],
  ["only the tenant id", { ENTRA_TENANT_ID: TENANT_ID }, "ENTRA_CLIENT_ID is not set"],
  ["a tenant name instead of its id", { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: "contoso.onmicrosoft.com" }, "ENTRA_TENANT_ID must be"],
  ["a Graph URL with a version", { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, GRAPH_BASE_URL: "https://graph.microsoft.com/v1.0" }, "GRAPH_BASE_URL must be"],
  ["the emulator together with Entra", { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, EMULATOR_URL: "http://127.0.0.1:3001" }, "EMULATOR_URL is set together"],
  ["a malformed emulator URL", { EMULATOR_URL: "127.0.0.1:3001" }, "EMULATOR_URL must be"],
] as const) {
  test(`npm start with ${what} stops with one line`, async () => {
    const result = await start(npmStart, env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n").filter((line) => !line.startsWith("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
  });
}

test("the emulator refuses to start when the console is configured for a real tenant", async () => {
  const result = await start(emulator, { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, EMULATOR_PORT: "3248" });
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toContain("refuses to start");
});
