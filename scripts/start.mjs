#!/usr/bin/env node
/**
 * `npm start`: builds the console when needed, then serves it with the Intune emulator beside it.
 *
 * - Builds with `next build` when .next/BUILD_ID is missing or older than any source file (and says so in one line).
 * - Starts the emulator (emulator/main.ts) unless ENTRA_CLIENT_ID/ENTRA_TENANT_ID are set (real Entra ID and Graph).
 * - Starts `next start -p $PORT -H localhost` (PORT defaults to 3000).
 * - Forwards SIGINT/SIGTERM to both, and exits when either of them exits.
 *
 * Environment: PORT, EMULATOR_URL (default http://127.0.0.1:3001; its port is the emulator's), EMULATOR_FLEET_SIZE,
 * EMULATOR_SEED, EMULATOR_APP_ORIGINS (defaults to this console's origin), ENTRA_CLIENT_ID, ENTRA_TENANT_ID.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";
import nextEnv from "@next/env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Read .env/.env.local exactly as `next start` will, so the mode decided here (emulator or Entra) is the app's mode.
nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error });
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

const { readConfig } = await tsImport("../lib/config.ts", import.meta.url);
const configResult = readConfig(process.env);
if (!configResult.ok) fail(configResult.error);
const config = configResult.config;

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number; got "${process.env.PORT}".`);
const appOrigin = `http://localhost:${port}`;

// ---- build when needed -------------------------------------------------------------------------------------------
const SOURCE_ENTRIES = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function newestSourceMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(full)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, newestSourceMtime(path.join(entry, child)));
  }
  return newest;
}

function buildReason() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build found";
  const built = statSync(buildId).mtimeMs;
  const newest = Math.max(...SOURCE_ENTRIES.map(newestSourceMtime));
  return newest > built ? "sources changed since the last build" : null;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * One build at a time in this checkout: the e2e suite, the bench and `npm start` may all ask at once. The lock is a
 * directory holding the builder's pid; a lock whose builder is gone (killed mid-build) is taken over.
 */
async function withBuildLock(run) {
  const lock = path.join(root, ".next-build.lock");
  const owner = path.join(lock, "pid");
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(owner, "utf8"));
      } catch {
        // being created or removed right now
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 10 * 60_000) fail(`another build has held ${lock} for 10 minutes; remove it if no build is running.`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

await withBuildLock(() => {
  const reason = buildReason();
  if (!reason) return;
  console.log(`npm start: building the console (${reason})…`);
  const build = spawnSync(bin("next"), ["build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: process.env });
  if (build.status !== 0) fail("next build failed (see above).");
});

// ---- run ---------------------------------------------------------------------------------------------------------
const children = [];
let exiting = false;

function stopAll(code) {
  if (exiting) return;
  exiting = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((r) => child.once("exit", r))))).then(
    () => process.exit(code),
  );
}

function run(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
  child.once("exit", (code, signal) => {
    if (!exiting) console.error(`npm start: the ${name} stopped (${signal ?? `exit code ${code}`}); stopping.`);
    stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stopAll(0));

let emulatorOrigin = null;
if (config.mode === "emulator") {
  const emulatorUrl = new URL(config.emulatorUrl);
  emulatorOrigin = emulatorUrl.origin;
  run("emulator", bin("tsx"), ["emulator/main.ts"], {
    EMULATOR_PORT: process.env.EMULATOR_PORT ?? (emulatorUrl.port || "80"),
    EMULATOR_APP_ORIGINS: process.env.EMULATOR_APP_ORIGINS ?? appOrigin,
  });
}
run("console", bin("next"), ["start", "-p", String(port), "-H", "localhost"], { PORT: String(port) });

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exiting) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const ready = await Promise.all([
  waitFor(`${appOrigin}/auth/redirect`, 120_000),
  emulatorOrigin ? waitFor(`${emulatorOrigin}/_emulator/info`, 120_000) : true,
]);
if (!exiting) {
  if (ready.every(Boolean)) {
    console.log(`Console: ${appOrigin}${emulatorOrigin ? ` (emulator at ${emulatorOrigin})` : " (signing in with Entra ID)"}`);
  } else {
    console.error("npm start: the console or the emulator did not answer within two minutes; stopping.");
    stopAll(1);
  }
}
