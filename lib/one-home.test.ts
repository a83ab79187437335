/**
 * One home per fact (docs/architecture.md, "Boundaries"): each of these is defined once and imported everywhere else.
 * The scan reads the app's own sources (app/, components/, lib/, tests/, proxy.ts); emulator/ is a separate program
 * with its own copies by design (it imports nothing from the console).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SELF = path.relative(ROOT, import.meta.filename);

function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = path.join(dir, name);
      if (name === "node_modules" || name.startsWith(".")) continue;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|tsx)$/.test(name) && rel !== SELF) out.push({ file: rel, text: readFileSync(path.join(ROOT, rel), "utf8") });
    }
  };
  for (const dir of ["app", "components", "lib", "tests"]) walk(dir);
  out.push({ file: "proxy.ts", text: readFileSync(path.join(ROOT, "proxy.ts"), "utf8") });
  return out;
}

const ALL = sources();

/** The files whose text matches `pattern`. */
function filesMatching(pattern: RegExp): string[] {
  return ALL.filter(({ text }) => pattern.test(text)).map(({ file }) => file).sort();
}

/** Like filesMatching, without unit and contract tests (which may spell a fact out to check it). */
function codeMatching(pattern: RegExp): string[] {
  return filesMatching(pattern).filter((file) => !file.endsWith(".test.ts") && !file.startsWith("tests/"));
}

describe("one home per fact", () => {
  it("writes the GUID pattern once, in lib/devices/ids.ts", () => {
    expect(filesMatching(/\[0-9a-f\]\{8\}-/)).toEqual(["lib/devices/ids.ts"]);
  });

  it("parses Retry-After once, in lib/graph/retry-after.ts", () => {
    for (const reader of ["lib/graph/batch.ts", "lib/graph/client.ts", "lib/graph/errors.ts"]) {
      expect(ALL.find(({ file }) => file === reader)?.text).toMatch(/import \{ parseRetryAfter \} from "\.\/retry-after"/);
    }
    expect(filesMatching(/function\s+\w*retryAfter\w*\s*\(\s*\w+\s*:\s*(string|Response)/i)).toEqual(["lib/graph/retry-after.ts"]);
  });

  it("names Graph scopes once, in lib/auth/scopes.ts", () => {
    expect(codeMatching(/"DeviceManagement[A-Za-z]+\./)).toEqual(["lib/auth/scopes.ts"]);
    // Scope matching is hasScope's: nobody compares granted scopes by hand.
    expect(codeMatching(/granted\.toLowerCase\(\) ===/)).toEqual([]);
  });

  it("words each Graph error context once, in lib/graph/errors.ts", () => {
    for (const permission of ["Managed devices / Read", "Audit data / Read", "Remote tasks / Wipe", "Remote tasks / Sync devices"]) {
      expect(codeMatching(new RegExp(`rolePermission: "${permission}"`))).toEqual(["lib/graph/errors.ts"]);
    }
    expect(codeMatching(/"No device has this id\./)).toEqual(["lib/graph/errors.ts"]);
  });

  it("names the two actions once: DeviceAction in lib/devices/types.ts", () => {
    expect(codeMatching(/"reset" \| "sync"|"sync" \| "reset"/)).toEqual([]);
    expect(codeMatching(/type DeviceAction\b\s*=/)).toEqual(["lib/devices/types.ts"]);
    expect(codeMatching(/\b(BulkAction|DeviceActionKind|PendingActionKind|MonitoredAction)\b/)).toEqual([]);
  });

  it("lists reset action names once, in lib/devices/action-results.ts", () => {
    expect(codeMatching(/"(factoryResetKeepEnrollmentData|automaticRedeployment)"/i)).toEqual(["lib/devices/action-results.ts", "lib/monitor/test-helpers.ts"]);
  });

  it("keeps one useNow hook, in lib/queries/use-now.ts", () => {
    expect(codeMatching(/function useNow\b/)).toEqual(["lib/queries/use-now.ts"]);
    expect(codeMatching(/setNow\(new Date\(\)\)/)).toEqual(["lib/queries/use-now.ts"]);
  });

  it("keeps one ActionFailure, one MyPermissions and one formatDuration", () => {
    expect(codeMatching(/class ActionFailure\b/)).toEqual(["lib/result.ts"]);
    expect(codeMatching(/(interface|type) MyPermissions\b/)).toEqual(["lib/auth/permissions.ts"]);
    expect(codeMatching(/function formatDuration\b/)).toEqual(["lib/monitor/pending-for.ts"]);
  });

  it("lists filter values, sort fields and the search and cursor schemas once", () => {
    expect(codeMatching(/\["registered", "notRegistered"\]/)).toEqual(["lib/devices/types.ts"]);
    expect(codeMatching(/"userPrincipalName",\s*"lastSyncDateTime"/)).toEqual(["lib/devices/types.ts"]);
    expect(codeMatching(/z\.string\(\{ message: "The search must be text\." \}\)/)).toEqual(["lib/actions/schemas.ts"]);
    expect(codeMatching(/\.max\(CURSOR_MAX_LENGTH/)).toEqual(["lib/actions/schemas.ts"]);
  });
});
