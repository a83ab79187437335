/**
 * The one-home rules in eslint.config.mjs (docs/architecture.md, "Boundaries"), run through ESLint's own API on small
 * snippets: each fires, on the line that spells the fact out, when the snippet sits outside the fact's home, and stays
 * quiet at the home itself (and in tests, which may spell a fact out to check it).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

let eslint: ESLint;
beforeAll(() => {
  // Only this file's rules run: the rest of the config (layers, cycles, React) has nothing to say about a snippet.
  eslint = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId.startsWith("one-home/") });
});

interface Finding {
  ruleId: string | null;
  line: number;
  message: string;
}

async function lint(code: string, filePath: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  if (!result) throw new Error(`${filePath}: ESLint returned no result`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${filePath}: ${fatal.map((m) => m.message).join("; ")}`);
  return result.messages.map(({ ruleId, line, message }) => ({ ruleId, line, message }));
}

interface Case {
  name: string;
  rule: string;
  /** The snippet; its offending line is `line`, else line 2 (line 1 is an unrelated statement). */
  code: string;
  line?: number;
  /** A path outside the fact's home, where the rule must fire. */
  outside: string;
  /** The fact's home (or one of them), where the same code is allowed. */
  home: string;
  message: string;
}

const cases: Case[] = [
  {
    name: "a GUID regular expression",
    rule: "one-home/guid-pattern",
    code: `export const x = 1;\nexport const ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;\n`,
    outside: "lib/graph/example.ts",
    home: "lib/devices/ids.ts",
    message: "The GUID pattern lives in lib/devices/ids.ts: import GUID_PATTERN, isGuid or isDeviceId from there.",
  },
  {
    name: "a GUID pattern in a string",
    rule: "one-home/guid-pattern",
    code: `export const x = 1;\nexport const ID = new RegExp("^[a-f0-9]{8}-[a-f0-9]{4}-");\n`,
    outside: "components/example.tsx",
    home: "lib/devices/ids.ts",
    message: "The GUID pattern lives in lib/devices/ids.ts: import GUID_PATTERN, isGuid or isDeviceId from there.",
  },
  {
    name: "a Retry-After parser of its own",
    rule: "one-home/retry-after",
    code: `export const x = 1;\nexport function readRetryAfter(value: string | null): number {\n  return Number(value);\n}\n`,
    outside: "lib/graph/batch.ts",
    home: "lib/graph/retry-after.ts",
    message: "Retry-After is parsed once, in lib/graph/retry-after.ts: call parseRetryAfter from there.",
  },
  {
    name: "an arrow that parses Retry-After off a response",
    rule: "one-home/retry-after",
    code: `export const x = 1;\nexport const retryAfterOf = (response: Response) => response.headers.get("x");\n`,
    outside: "lib/bulk/example.ts",
    home: "lib/graph/retry-after.ts",
    message: "Retry-After is parsed once, in lib/graph/retry-after.ts: call parseRetryAfter from there.",
  },
  {
    name: "Retry-After read as a number in place",
    rule: "one-home/retry-after",
    code: `declare const headers: Headers;\nexport const wait = Number(\n  headers.get("retry-after"),\n);\n`,
    line: 3,
    outside: "lib/graph/client.ts",
    home: "lib/graph/retry-after.ts",
    message: "Retry-After is parsed once, in lib/graph/retry-after.ts: call parseRetryAfter from there.",
  },
  {
    name: "a Graph scope name",
    rule: "one-home/graph-scopes",
    code: `export const x = 1;\nexport const SCOPE = "DeviceManagementManagedDevices.Read.All";\n`,
    outside: "lib/actions/example.ts",
    home: "lib/auth/scopes.ts",
    message: "Graph scope names live in lib/auth/scopes.ts: use SCOPE_NAMES (or the scope lists) from there.",
  },
  {
    name: "a granted scope compared by hand",
    rule: "one-home/graph-scopes",
    code: `declare const granted: string;\nexport const ok = granted.toLowerCase() === "x";\n`,
    outside: "lib/queries/example.ts",
    home: "lib/auth/scopes.ts",
    message: "Granted scopes are matched once, by hasScope in lib/auth/scopes.ts: call it instead of comparing by hand.",
  },
  {
    name: "a role permission worded outside lib/graph/errors.ts",
    rule: "one-home/graph-error-words",
    code: `export const x = 1;\nexport const context = { operation: "wipe", rolePermission: "Remote tasks / Wipe" };\n`,
    outside: "lib/graph/device-actions.ts",
    home: "lib/graph/errors.ts",
    message: "The Intune role permission each Graph call needs is worded in lib/graph/errors.ts: use its error contexts.",
  },
  {
    name: "the not-found sentence",
    rule: "one-home/graph-error-words",
    code: `export const x = 1;\nexport const text = "No device has this id. Go back.";\n`,
    outside: "components/devices/example.tsx",
    home: "lib/graph/errors.ts",
    message: "\"No device has this id.\" is worded in lib/graph/errors.ts: use NO_SUCH_DEVICE from there.",
  },
  {
    name: "a union of the two actions",
    rule: "one-home/device-action",
    code: `export const x = 1;\nexport type Kind = "sync" | "reset";\n`,
    outside: "lib/bulk/example.ts",
    home: "lib/devices/types.ts",
    message: "The two actions are named once, as DeviceAction in lib/devices/types.ts: use that type.",
  },
  {
    name: "a second DeviceAction",
    rule: "one-home/device-action",
    code: `export const x = 1;\nexport type DeviceAction = string;\n`,
    outside: "lib/monitor/example.ts",
    home: "lib/devices/types.ts",
    message: "DeviceAction is declared once, in lib/devices/types.ts: import it from there.",
  },
  {
    name: "an old name for DeviceAction",
    rule: "one-home/device-action",
    code: `import type { DeviceAction } from "@/lib/devices/types";\nexport type BulkAction = DeviceAction;\n`,
    outside: "lib/bulk/example.ts",
    home: "lib/devices/types.ts",
    message: "This is an old name for DeviceAction (lib/devices/types.ts): use DeviceAction.",
  },
  {
    name: "a reset action name",
    rule: "one-home/reset-action-names",
    code: `export const x = 1;\nexport const isReset = (action: string) => action === "automaticRedeployment";\n`,
    outside: "lib/monitor/example.ts",
    home: "lib/devices/action-results.ts",
    message: "Autopilot Reset's action names are listed in lib/devices/action-results.ts: use AUTOPILOT_RESET_AUDIT_ACTIONS or its helpers.",
  },
  {
    name: "a reset action name (the monitor's test fixtures)",
    rule: "one-home/reset-action-names",
    code: `export const x = 1;\nexport const action = "factoryResetKeepEnrollmentData";\n`,
    outside: "lib/monitor/fixtures.ts",
    home: "lib/monitor/test-helpers.ts",
    message: "Autopilot Reset's action names are listed in lib/devices/action-results.ts: use AUTOPILOT_RESET_AUDIT_ACTIONS or its helpers.",
  },
  {
    name: "a second useNow",
    rule: "one-home/use-now",
    code: `export const x = 1;\nexport const useNow = () => new Date();\n`,
    outside: "components/monitor/example.tsx",
    home: "lib/queries/use-now.ts",
    message: "The browser's ticking \"now\" is useNow in lib/queries/use-now.ts: call it.",
  },
  {
    name: "a ticking now of one's own",
    rule: "one-home/use-now",
    code: `declare const setNow: (now: Date) => void;\nsetInterval(() => setNow(new Date()), 1000);\n`,
    outside: "components/monitor/example.tsx",
    home: "lib/queries/use-now.ts",
    message: "The browser's ticking \"now\" is useNow in lib/queries/use-now.ts: call it instead of keeping your own.",
  },
  {
    name: "a second ActionFailure",
    rule: "one-home/action-failure",
    code: `export const x = 1;\nexport class ActionFailure extends Error {}\n`,
    outside: "lib/actions/example.ts",
    home: "lib/result.ts",
    message: "ActionFailure is declared once, in lib/result.ts: import it from there.",
  },
  {
    name: "a second MyPermissions",
    rule: "one-home/my-permissions",
    code: `export const x = 1;\nexport interface MyPermissions { canReset: boolean }\n`,
    outside: "lib/actions/example.ts",
    home: "lib/auth/permissions.ts",
    message: "MyPermissions is declared once, in lib/auth/permissions.ts: import it from there.",
  },
  {
    name: "a second formatDuration",
    rule: "one-home/format-duration",
    code: `export const x = 1;\nexport function formatDuration(ms: number): string { return String(ms); }\n`,
    outside: "components/monitor/example.tsx",
    home: "lib/monitor/pending-for.ts",
    message: "formatDuration lives in lib/monitor/pending-for.ts: import it from there.",
  },
  {
    name: "the Autopilot filter values",
    rule: "one-home/device-list-vocabulary",
    code: `export const x = 1;\nexport const VALUES = ["notRegistered", "registered"];\n`,
    outside: "lib/actions/example.ts",
    home: "lib/devices/types.ts",
    message: "The Autopilot filter values are listed in lib/devices/types.ts: use AUTOPILOT_FILTER_VALUES.",
  },
  {
    name: "the sort fields",
    rule: "one-home/device-list-vocabulary",
    code: `export const x = 1;\nexport const sortFields = ["deviceName"] as const;\n`,
    outside: "lib/queries/example.ts",
    home: "lib/devices/types.ts",
    message: "The device list's sort fields are listed in lib/devices/types.ts: use SORT_FIELDS.",
  },
  {
    name: "the search schema",
    rule: "one-home/search-schemas",
    code: `import { z } from "zod";\nexport const search = z\n  .string({ message: "The search must be text." })\n  .max(10);\n`,
    line: 3,
    outside: "lib/actions/example.ts",
    home: "lib/actions/schemas.ts",
    message: "The search schema lives in lib/actions/schemas.ts: import it from there.",
  },
  {
    name: "the cursor schema",
    rule: "one-home/search-schemas",
    code: `import { z } from "zod";\nimport { CURSOR_MAX_LENGTH } from "@/lib/graph/cursor";\nexport const cursor = z.string().max(CURSOR_MAX_LENGTH);\n`,
    line: 3,
    outside: "lib/actions/example.ts",
    home: "lib/actions/schemas.ts",
    message: "The cursor schema lives in lib/actions/schemas.ts: import it from there.",
  },
];

describe("one home per fact, as lint rules", () => {
  it.each(cases)("$rule fires on $name outside its home, names the line, and says where the home is", async (c) => {
    const found = (await lint(c.code, c.outside)).filter((f) => f.ruleId === c.rule);
    expect(found).toEqual([{ ruleId: c.rule, line: c.line ?? 2, message: c.message }]);
  });

  it.each(cases)("$rule is quiet about $name at its home, $home", async (c) => {
    expect(await lint(c.code, c.home)).toEqual([]);
  });

  it.each(cases)("$rule is quiet about $name in a test", async (c) => {
    expect(await lint(c.code, c.outside.replace(/\.tsx?$/, ".test.ts"))).toEqual([]);
    expect(await lint(c.code, "tests/contract/example.ts")).toEqual([]);
  });

  // The real homes, copied beside themselves, are exactly what each rule refuses: the selectors know today's spelling.
  it.each([
    ["lib/devices/ids.ts", "one-home/guid-pattern"],
    ["lib/graph/retry-after.ts", "one-home/retry-after"],
    ["lib/auth/scopes.ts", "one-home/graph-scopes"],
    ["lib/graph/errors.ts", "one-home/graph-error-words"],
    ["lib/devices/types.ts", "one-home/device-action"],
    ["lib/devices/types.ts", "one-home/device-list-vocabulary"],
    ["lib/devices/action-results.ts", "one-home/reset-action-names"],
    ["lib/queries/use-now.ts", "one-home/use-now"],
    ["lib/result.ts", "one-home/action-failure"],
    ["lib/auth/permissions.ts", "one-home/my-permissions"],
    ["lib/monitor/pending-for.ts", "one-home/format-duration"],
    ["lib/actions/schemas.ts", "one-home/search-schemas"],
  ])("%s, copied elsewhere, breaks %s", async (home, rule) => {
    const copy = home.replace(/\.ts$/, "-copy.ts");
    const found = (await lint(readFileSync(path.join(ROOT, home), "utf8"), copy)).filter((f) => f.ruleId === rule);
    expect(found.length).toBeGreaterThan(0);
    expect(await lint(readFileSync(path.join(ROOT, home), "utf8"), home)).toEqual([]);
  });

  it("leaves look-alikes alone", async () => {
    const code = [
      `import { parseRetryAfter } from "./retry-after";`,
      `function retryAfterFrom(error: unknown): number | undefined { return parseRetryAfter(String(error)); }`,
      `export const wait = retryAfterFrom(new Error("x"));`,
      `export const select = ["deviceName", "lastSyncDateTime", "userPrincipalName"];`,
      `export const kinds: Array<"reset" | "wipe"> = [];`,
      `export const label = "Sync";`,
    ].join("\n");
    expect(await lint(code, "lib/graph/example.ts")).toEqual([]);
  });
});

describe("the server reads time through one clock", () => {
  const message =
    "The server reads time through one clock: use serverNow() from lib/server/clock.ts, or Graph's clock for anything about a write that may still land (docs/safety.md, \"Which clock decides\").";

  it.each(["lib/actions/example.ts", "lib/server/example.ts", "lib/server/send/example.ts"])("refuses Date.now() and new Date() in %s", async (file) => {
    const code = `export const a = 1;\nexport const b = Date.now();\nexport const c = new Date();\nexport const d = [1].map(Date.now);\n`;
    expect(await lint(code, file)).toEqual([
      { ruleId: "one-home/server-clock", line: 2, message },
      { ruleId: "one-home/server-clock", line: 3, message },
      { ruleId: "one-home/server-clock", line: 4, message },
    ]);
  });

  it("refuses lib/server/clock.ts's own read anywhere else on the server", async () => {
    const clock = readFileSync(path.join(ROOT, "lib/server/clock.ts"), "utf8");
    expect((await lint(clock, "lib/server/clock-copy.ts")).map((f) => f.ruleId)).toEqual(["one-home/server-clock"]);
  });

  it("allows a date made from a value, the clock itself, tests, and the rest of the console", async () => {
    expect(await lint(`export const at = (iso: string) => new Date(iso).getTime() + Date.parse(iso);\n`, "lib/server/example.ts")).toEqual([]);
    const reads = `export const now = () => Date.now() + new Date().getTime();\n`;
    for (const file of ["lib/server/clock.ts", "lib/server/example.test.ts", "lib/monitor/example.ts", "components/example.tsx"]) {
      expect(await lint(reads, file)).toEqual([]);
    }
  });
});

describe("one send protocol: only lib/server/send/protocol.ts calls Graph's writes", () => {
  const code = `export const a = 1;\nimport { sendActions } from "@/lib/graph/batch";\nimport { sendAutopilotReset, sendSyncDevice } from "@/lib/graph/device-actions";\nexport const all = [sendActions, sendAutopilotReset, sendSyncDevice];\n`;

  it.each(["lib/actions/bulk.ts", "lib/actions/example.ts", "lib/server/example.ts", "components/example.tsx"])("refuses an import of a write in %s", async (file) => {
    expect((await lint(code, file)).map((f) => [f.ruleId, f.line])).toEqual([
      ["one-home/one-sender", 2],
      ["one-home/one-sender", 3],
      ["one-home/one-sender", 3],
    ]);
  });

  it("allows the protocol itself, lib/graph that defines them, and tests", async () => {
    for (const file of ["lib/server/send/protocol.ts", "lib/graph/example.ts", "tests/contract/example.test.ts"]) expect(await lint(code, file)).toEqual([]);
  });
});
