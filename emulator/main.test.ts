import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "emulator/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: "3209", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("npm run emulator", () => {
  it("refuses to start, in one line with exit code 1, when the app is configured for real Entra ID", () => {
    const variants: Record<string, string>[] = [{ ENTRA_CLIENT_ID: "x" }, { ENTRA_TENANT_ID: "y" }];
    for (const env of variants) {
      const result = run(env);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/refuses to start/);
    }
  });

  it("rejects a malformed fleet size", () => {
    const result = run({ ENTRA_CLIENT_ID: "", ENTRA_TENANT_ID: "", EMULATOR_FLEET_SIZE: "lots" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/EMULATOR_FLEET_SIZE/);
  });

  it("rejects an unknown EMULATOR_SILENT_WIPES", () => {
    const result = run({ ENTRA_CLIENT_ID: "", ENTRA_TENANT_ID: "", EMULATOR_SILENT_WIPES: "sometimes" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/EMULATOR_SILENT_WIPES must be one of none, some, all/);
  });

  it("rejects an unknown EMULATOR_APPROVAL_POLICY and a malformed EMULATOR_DAILY_WIPE_LIMIT", () => {
    const policy = run({ ENTRA_CLIENT_ID: "", ENTRA_TENANT_ID: "", EMULATOR_APPROVAL_POLICY: "everything" });
    expect(policy.status).toBe(1);
    expect(policy.stderr).toMatch(/EMULATOR_APPROVAL_POLICY must be one of none, wipe, deviceAction/);
    const limit = run({ ENTRA_CLIENT_ID: "", ENTRA_TENANT_ID: "", EMULATOR_DAILY_WIPE_LIMIT: "-5" });
    expect(limit.status).toBe(1);
    expect(limit.stderr).toMatch(/EMULATOR_DAILY_WIPE_LIMIT/);
  });
});
