/**
 * `npm run emulator`: the local Intune + Entra tenant on 127.0.0.1.
 * Env: EMULATOR_PORT (3001), EMULATOR_FLEET_SIZE (2500), EMULATOR_SEED, EMULATOR_APP_ORIGINS (comma-separated,
 * default http://localhost:3000), EMULATOR_SILENT_WIPES (none|some|all, default some), EMULATOR_APPROVAL_POLICY
 * (none|wipe|deviceAction, default none), EMULATOR_DAILY_WIPE_LIMIT (0-1000000 or none, default 500),
 * EMULATOR_SCENARIO_DEVICES (on|off, default on: the scenario set after the generated fleet). Refuses to start
 * when the app is configured for a real Entra tenant.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { startEmulator } from "./server";
import { DEFAULT_SILENT_WIPES, SILENT_WIPES, isSilentWipes } from "./fidelity";
import { POLICY_PRESETS, isPolicyPreset } from "./approval";
import { DEFAULT_DAILY_WIPE_LIMIT, parseDailyWipeLimit } from "./wipe-limit";

// Read .env/.env.local exactly as the Next.js app does, so an Entra configuration kept there stops the emulator too.
nextEnv.loadEnvConfig(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."), false, { info: () => {}, error: console.error });

function fatal(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(1);
}

if (process.env.ENTRA_CLIENT_ID?.trim() || process.env.ENTRA_TENANT_ID?.trim()) {
  fatal("ENTRA_CLIENT_ID/ENTRA_TENANT_ID are set, so the app is configured for a real Entra tenant; the emulator refuses to start. Unset them to use the emulator.");
}

const port = Number(process.env.EMULATOR_PORT ?? "3001");
if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`EMULATOR_PORT must be a port number; got "${process.env.EMULATOR_PORT}".`);
const fleetSize = Number(process.env.EMULATOR_FLEET_SIZE ?? "2500");
if (!Number.isInteger(fleetSize) || fleetSize < 0 || fleetSize > 500_000) fatal(`EMULATOR_FLEET_SIZE must be an integer from 0 to 500000; got "${process.env.EMULATOR_FLEET_SIZE}".`);
const appOrigins = (process.env.EMULATOR_APP_ORIGINS ?? "http://localhost:3000")
  .split(",")
  .map((o) => o.trim().replace(/\/+$/, ""))
  .filter(Boolean);
for (const origin of appOrigins) {
  try {
    if (new URL(origin).origin !== origin) throw new Error();
  } catch {
    fatal(`EMULATOR_APP_ORIGINS must be comma-separated origins such as http://localhost:3000; got "${origin}".`);
  }
}
const silentWipes = process.env.EMULATOR_SILENT_WIPES?.trim() || DEFAULT_SILENT_WIPES;
if (!isSilentWipes(silentWipes)) fatal(`EMULATOR_SILENT_WIPES must be one of ${SILENT_WIPES.join(", ")}; got "${silentWipes}".`);
const approvalPolicy = process.env.EMULATOR_APPROVAL_POLICY?.trim() || "none";
if (!isPolicyPreset(approvalPolicy)) fatal(`EMULATOR_APPROVAL_POLICY must be one of ${POLICY_PRESETS.join(", ")}; got "${approvalPolicy}".`);
const dailyWipeLimit = parseDailyWipeLimit(process.env.EMULATOR_DAILY_WIPE_LIMIT?.trim() || String(DEFAULT_DAILY_WIPE_LIMIT));
if (typeof dailyWipeLimit === "string") fatal(`EMULATOR_DAILY_WIPE_LIMIT: ${dailyWipeLimit}; got "${process.env.EMULATOR_DAILY_WIPE_LIMIT}".`);
const scenarioSetting = process.env.EMULATOR_SCENARIO_DEVICES?.trim() || "on";
if (scenarioSetting !== "on" && scenarioSetting !== "off") fatal(`EMULATOR_SCENARIO_DEVICES must be on or off; got "${scenarioSetting}".`);
const scenarioDevices = scenarioSetting === "on";

try {
  const emulator = await startEmulator({
    port, host: "127.0.0.1", fleetSize, seed: process.env.EMULATOR_SEED || "contoso", appOrigins, silentWipes, approvalPolicy, dailyWipeLimit,
    scenarioDevices,
  });
  console.log(
    `emulator: Intune emulator on ${emulator.url} (${fleetSize} devices, app origins ${appOrigins.join(", ")}, silent wipes: ${silentWipes}, ` +
      `approval policy: ${approvalPolicy}, daily wipe limit: ${dailyWipeLimit ?? "none"}, scenario devices: ${scenarioSetting})`,
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  fatal(code === "EADDRINUSE" ? `port ${port} is already in use (set EMULATOR_PORT).` : `could not start: ${(err as Error).message}`);
}
