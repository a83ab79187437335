/**
 * The docs match the code: every repository file the docs name exists, and no code comment (and no doc) cites a file
 * outside the repository (the facts code relies on live in docs/, cited by section).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

const DOCS = [
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
  "README.md",
  "emulator/README.md",
];

/** Generated or local folders at the root: never what a doc means by a repository path. */
const NOT_THE_REPOSITORY = new Set(["node_modules", ".git", "out", "tour", "tmp", "test-results", "playwright-report", "blob-report"]);
const TOP_LEVEL = new Set(readdirSync(ROOT).filter((name) => !NOT_THE_REPOSITORY.has(name) && !name.startsWith(".next")));

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.posix.join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) continue;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...walk(rel, keep));
    else if (keep(rel)) out.push(rel);
  }
  return out;
}

/** Base names of the repository's own code files: a doc may name one bare (`device-lookup.ts`) where its folder is clear. */
const CODE_BASENAMES = new Set(
  [...TOP_LEVEL]
    .flatMap((name) => (statSync(path.join(ROOT, name)).isDirectory() ? walk(name, () => true) : [name]))
    .map((file) => path.posix.basename(file)),
);

interface Named {
  doc: string;
  line: number;
  path: string;
}

/**
 * The repository paths a doc names: backticked text whose first segment is a top-level entry of the repository (a
 * section may follow after a comma: `docs/graph.md, "Throttling"`), a bare code file name in backticks, and markdown
 * links that are not URLs (relative to the doc). Placeholders (`{id}`, `<size>`, `*`, `...`) are not paths.
 */
function namedPaths(doc: string): Named[] {
  const out: Named[] = [];
  readFileSync(path.join(ROOT, doc), "utf8")
    .split("\n")
    .forEach((text, index) => {
      const line = index + 1;
      for (const [, inner = ""] of text.matchAll(/`([^`\n]+)`/g)) {
        const candidate = inner.split(/[,\s]/)[0] ?? "";
        if (/[{}<>*]|\.\.\.|:\/\//.test(candidate)) continue;
        const first = candidate.split("/")[0] ?? "";
        if (candidate.includes("/") && TOP_LEVEL.has(first)) out.push({ doc, line, path: candidate });
        else if (/^[\w.-]+\.(ts|tsx|mjs|js)$/.test(candidate)) out.push({ doc, line, path: candidate });
      }
      for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
        out.push({ doc, line, path: path.posix.normalize(path.posix.join(path.posix.dirname(doc), target.split("#")[0] ?? "")) });
      }
    });
  return out;
}

function exists({ path: named }: Named): boolean {
  if (!named.includes("/")) return CODE_BASENAMES.has(named) || existsSync(path.join(ROOT, named));
  const full = path.join(ROOT, named);
  return existsSync(full) && (!named.endsWith("/") || statSync(full).isDirectory());
}

/** Files outside the repository that once held the facts; code and docs cite docs/ instead. */
const OUTSIDE = /\b(?:GRAPH|PRODUCT|ARCHITECTURE)\.md\b|\.\.\/shared\b|\/work\/shared\b/g;

/** Every comment in a TypeScript or JavaScript file's text, with the line it starts on. */
function comments(file: string, text = readFileSync(path.join(ROOT, file), "utf8")): { line: number; text: string }[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const seen = new Map<number, string>();
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) seen.set(range.pos, text.slice(range.pos, range.end));
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return [...seen].map(([pos, comment]) => ({ line: source.getLineAndCharacterOfPosition(pos).line + 1, text: comment }));
}

const CODE_FOLDERS = ["app", "components", "lib", "emulator", "bench", "scripts", "e2e"];

describe("the docs name files that exist", () => {
  it("finds the paths the docs name (the scan is not empty)", () => {
    const all = DOCS.flatMap(namedPaths).map((n) => n.path);
    expect(all).toContain("lib/graph/client.ts");
    expect(all).toContain("docs/graph.md");
    expect(all).toContain("emulator/README.md");
  });

  it.each(DOCS)("every repository path %s names exists", (doc) => {
    const missing = namedPaths(doc)
      .filter((named) => !exists(named))
      .map(({ line, path: named }) => `${doc}:${line}: ${named}`);
    expect(missing).toEqual([]);
  });
});

describe("nothing cites a file outside the repository", () => {
  it("no comment in the code does", () => {
    const files = CODE_FOLDERS.flatMap((folder) => walk(folder, (file) => /\.(ts|tsx|mjs|js)$/.test(file)));
    expect(files.length).toBeGreaterThan(100);
    // Parsing every file is slow; only a file whose text names an outside file can have a comment that does.
    const suspects = files.filter((file) => new RegExp(OUTSIDE.source).test(readFileSync(path.join(ROOT, file), "utf8")));
    const citations = suspects.flatMap((file) =>
      comments(file).flatMap(({ text }) => [...text.matchAll(OUTSIDE)].map(([cited]) => `${file}: ${cited}`)),
    );
    expect(citations).toEqual([]);
  });

  it("no doc does", () => {
    const citations = DOCS.flatMap((doc) => [...readFileSync(path.join(ROOT, doc), "utf8").matchAll(OUTSIDE)].map(([cited]) => `${doc}: ${cited}`));
    expect(citations).toEqual([]);
  });

  it("the comment scan sees comments, and only comments", () => {
    const found = (code: string) => comments("probe.tsx", code).flatMap(({ line, text }) => [...text.matchAll(OUTSIDE)].map(([cited]) => `${line}: ${cited}`));
    expect(found(`const a = 1; // GRAPH.md §8\n/** see ../shared */\nexport const b = <div>{/* PRODUCT.md */}</div>;\n`)).toEqual(["1: GRAPH.md", "2: ../shared", "3: PRODUCT.md"]);
    expect(found(`export const text = "GRAPH.md is not a comment";\n`)).toEqual([]);
  });
});
