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
});
