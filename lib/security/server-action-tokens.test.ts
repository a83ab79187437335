/**
 * Every server action refuses a missing or malformed access token before anything reaches Graph, and no action logs
 * the token it was given. Runs each exported function of every "use server" module in lib/actions (a new action is
 * covered without editing this file) against a loopback stand-in for Graph that counts what reaches it.
 */
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const GRAPH_PORT = 3248;
const ACTIONS_DIR = path.resolve(import.meta.dirname, "../actions");
const DEVICE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

type ServerAction = (token: unknown, input?: unknown) => Promise<unknown>;

let reachedGraph: string[] = [];
let server: http.Server;
const savedEnv = { ...process.env };

function base64url(value: string): string {
  return Buffer.from(value).toString("base64url");
}

/** Well-formed but unsigned: passes the shape check, so Graph (here, the stand-in) gets to judge it. */
const WELL_SHAPED_TOKEN = [
  base64url(JSON.stringify({ alg: "RS256", typ: "JWT" })),
  base64url(JSON.stringify({ aud: "https://graph.microsoft.com", scp: "DeviceManagementManagedDevices.Read.All", marker: "t0k3n-m4rk3r" })),
  base64url("signature"),
].join(".");

const MALFORMED_TOKENS: Array<[string, unknown]> = [
  ["undefined", undefined],
  ["null", null],
  ["an empty string", ""],
  ["a number", 42],
  ["an object", { accessToken: WELL_SHAPED_TOKEN }],
  ["an array", [WELL_SHAPED_TOKEN]],
  ["a 'Bearer ' prefixed token", `Bearer ${WELL_SHAPED_TOKEN}`],
  ["two segments", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0"],
  ["four segments", `${WELL_SHAPED_TOKEN}.extra`],
  ["a token with a newline (header injection)", `${WELL_SHAPED_TOKEN}\r\nX-Evil: 1`],
  ["a token with spaces", WELL_SHAPED_TOKEN.replace(".", ". ")],
  ["a 20,000-character token", `${"a".repeat(10_000)}.${"b".repeat(9_000)}.${"c".repeat(998)}`],
  ["plain text", "not-a-token"],
];

function serverActionModules(): string[] {
  return readdirSync(ACTIONS_DIR)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .filter((file) => /^\s*["']use server["']/.test(readFileSync(path.join(ACTIONS_DIR, file), "utf8")))
    .map((file) => path.join(ACTIONS_DIR, file));
}

async function serverActions(): Promise<Array<[string, ServerAction]>> {
  const found: Array<[string, ServerAction]> = [];
  for (const file of serverActionModules()) {
    const exported = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value === "function") found.push([`${path.basename(file, ".ts")}.${name}`, value as ServerAction]);
    }
  }
  return found;
}

/** Actions that take no input (their schema accepts anything); every other action validates what it is given. */
const INPUTLESS = new Set([
  "approvals.getApprovalCoverage",
  "approvals.listApprovalRequests",
  "bulk.readBulkGuardrails",
  "bulk.readServerClock",
  "devices.getPlatformCounts",
  "permissions.getMyPermissions",
  "ticket.countTicketTenant",
]);

/** An input that records every look at it, to show the token is judged before the input is read at all. */
function watchedInput(): { input: object; touched: string[] } {
  const touched: string[] = [];
  const input = new Proxy(
    { deviceId: DEVICE_ID },
    {
      get: (target, key) => (touched.push(`get ${String(key)}`), Reflect.get(target, key)),
      has: (target, key) => (touched.push(`has ${String(key)}`), Reflect.has(target, key)),
      ownKeys: (target) => (touched.push("ownKeys"), Reflect.ownKeys(target)),
      getOwnPropertyDescriptor: (target, key) => (touched.push(`describe ${String(key)}`), Reflect.getOwnPropertyDescriptor(target, key)),
      getPrototypeOf: (target) => (touched.push("getPrototypeOf"), Reflect.getPrototypeOf(target)),
    },
  );
  return { input, touched };
}

/** Inputs an action would accept, so that a refusal can only come from the token. */
const PLAUSIBLE_INPUTS: unknown[] = [{ deviceId: DEVICE_ID }, {}, undefined];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    reachedGraph.push(`${request.method} ${request.url}`);
    response.writeHead(401, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } }));
  });
  await new Promise<void>((resolve) => server.listen(GRAPH_PORT, "127.0.0.1", resolve));
  delete process.env.ENTRA_CLIENT_ID;
  delete process.env.ENTRA_TENANT_ID;
  process.env.EMULATOR_URL = `http://127.0.0.1:${GRAPH_PORT}`;
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  reachedGraph = [];
  vi.restoreAllMocks();
});

describe("server actions and the access token", () => {
  it("finds the server actions to check", async () => {
    const names = (await serverActions()).map(([name]) => name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.some((name) => name.endsWith(".autopilotReset"))).toBe(true);
  });

  it.each(MALFORMED_TOKENS)("refuse %s as unauthenticated without calling Graph", async (_what, token) => {
    for (const [name, action] of await serverActions()) {
      for (const input of PLAUSIBLE_INPUTS) {
        const result = await action(token, input);
        expect(result, name).toEqual({ error: expect.objectContaining({ kind: "unauthenticated" }) });
      }
    }
    expect(reachedGraph).toEqual([]);
  });

  it("go through runAction and nothing else: every export of a \"use server\" module is `return runAction(...)`", () => {
    for (const file of serverActionModules()) {
      const source = readFileSync(file, "utf8");
      const exports = [...source.matchAll(/^export\s+(?!type\b|interface\b)(.*)$/gm)].map((m) => m[1]!);
      for (const declaration of exports) expect(declaration, path.basename(file)).toMatch(/^async function \w+\(accessToken: string, input\??: unknown\)/);
      const bodies = [...source.matchAll(/^export async function (\w+)\([^)]*\)[^{]*\{\n\s*(.*)$/gm)];
      expect(bodies.length, path.basename(file)).toBe(exports.length);
      for (const [, name, firstLine] of bodies) expect(firstLine, `${path.basename(file)}.${name}`).toBe("return runAction(");
    }
  });

  it("judge the token before reading the input at all", async () => {
    for (const [name, action] of await serverActions()) {
      const { input, touched } = watchedInput();
      expect(await action("not-a-token", input), name).toEqual({ error: expect.objectContaining({ kind: "unauthenticated" }) });
      expect(touched, name).toEqual([]);
    }
  });

  it("refuse a malformed input as invalid before any Graph call (the input-less actions, named above, excepted)", async () => {
    const actions = await serverActions();
    for (const name of INPUTLESS) expect(actions.map(([n]) => n), "INPUTLESS names an action that exists").toContain(name);
    for (const [name, action] of actions) {
      if (INPUTLESS.has(name)) continue;
      for (const input of [42, "x", null, [], true]) {
        reachedGraph = [];
        expect(await action(WELL_SHAPED_TOKEN, input), `${name}(${JSON.stringify(input)})`).toEqual({ error: expect.objectContaining({ kind: "invalid" }) });
        expect(reachedGraph, name).toEqual([]);
      }
    }
  });

  it("do send a well-shaped token on to Graph (the stand-in above does count), and never log it", async () => {
    const logged: unknown[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(...args));
    }
    const results: unknown[] = [];
    for (const [, action] of await serverActions()) results.push(await action(WELL_SHAPED_TOKEN, { deviceId: DEVICE_ID }));

    expect(reachedGraph.length).toBeGreaterThan(0);
    expect(results.some((result) => JSON.stringify(result).includes('"unauthenticated"'))).toBe(true); // Graph's 401
    const everythingLogged = logged.map((entry) => (typeof entry === "string" ? entry : safeStringify(entry))).join("\n");
    expect(everythingLogged).not.toContain(WELL_SHAPED_TOKEN.split(".")[1]);
    expect(JSON.stringify(results)).not.toContain(WELL_SHAPED_TOKEN.split(".")[1]);
  });
});

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, nested) => (nested instanceof Error ? { ...nested, message: nested.message, stack: nested.stack } : nested));
  } catch {
    return String(value);
  }
}
