"use server";
/**
 * WinRE on the device page (docs/graph.md, "Remediations on demand (WinRE)"): what the console's remediation package
 * last reported, and running it on demand. The server finds the package and re-reads the device and its run state on
 * every call; it never creates or edits a package. A run is not a reset: it goes nowhere near the send protocol.
 */
import { z } from "zod";
import type { Client } from "@microsoft/microsoft-graph-client";
import { getConfig } from "@/lib/config";
import { isDeviceId } from "@/lib/devices/ids";
import {
  choosePackage, winreBlock, winreEvidence, winreOffline, type WinreBlock, type WinreEvidence,
} from "@/lib/devices/winre";
import { getManagedDevice } from "@/lib/graph/device-record";
import type { GraphClock } from "@/lib/graph/client";
import { mapGraphError, NO_SUCH_DEVICE, WINRE_ERRORS } from "@/lib/graph/errors";
import { mayRunRemediation } from "@/lib/graph/permissions";
import { listHealthScripts, readScriptState, startOnDemandRemediation } from "@/lib/graph/remediations";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { serverNow } from "@/lib/server/clock";
import { runAction } from "./define-action";

export interface WinreStatus {
  /** The package the console runs, when it found exactly one. */
  packageId: string | null;
  evidence: WinreEvidence;
  /** Why the console cannot run the package for this device and admin (the manual fix stays). */
  blocked: WinreBlock | null;
}

export interface WinreRunResult {
  /** Graph's clock when Intune accepted the run (its Date header); the server's if Graph sent none. */
  requestedAt: string;
}

const deviceInput = z.object({ deviceId: z.string().max(1_000) });

type Found = { kind: "found"; id: string } | { kind: "blocked"; block: WinreBlock };

/** The package, or why there is none to run: the scope refusal and an unreadable list are told apart. */
async function findPackage(graph: Client, graphBaseUrl: string): Promise<Found> {
  let scripts;
  try {
    scripts = await listHealthScripts(graph, graphBaseUrl);
  } catch (error) {
    const mapped = mapGraphError(error, WINRE_ERRORS.packages);
    if (mapped.kind === "forbidden-consent") return { kind: "blocked", block: winreBlock("scope") };
    if (mapped.kind === "forbidden-role") return { kind: "blocked", block: winreBlock("role") };
    if (mapped.kind === "unauthenticated") throw error;
    return { kind: "blocked", block: winreBlock("unreadable", { text: mapped.message }) };
  }
  const configuredId = getConfig().winreRemediationId;
  const choice = choosePackage(scripts, configuredId);
  if (choice.kind === "found") return { kind: "found", id: choice.id };
  if (choice.kind === "duplicate") return { kind: "blocked", block: winreBlock("package-duplicate", { count: choice.count }) };
  return { kind: "blocked", block: winreBlock("package-missing", choice.configuredId ? { configuredId: choice.configuredId } : undefined) };
}

/**
 * The device, the package, the role and the run state, read again on every call. Blocked, in this order: not Windows,
 * no package (or its scope), the role, the device probably offline (its last check-in on Graph's clock, or the
 * server's when Graph sent no Date).
 */
async function readStatus(graph: Client, graphBaseUrl: string, graphClock: GraphClock, deviceId: string): Promise<WinreStatus> {
  const device = await getManagedDevice(graph, deviceId);
  if ((device.operatingSystem ?? "").toLowerCase() !== "windows") {
    return { packageId: null, evidence: { kind: "not-checked" }, blocked: winreBlock("not-windows") };
  }
  // A failed permissions read is not a refusal: Graph itself refuses the run if the role lacks it.
  const [found, mayRun] = await Promise.all([findPackage(graph, graphBaseUrl), mayRunRemediation(graph).catch(() => true)]);
  if (found.kind === "blocked") return { packageId: null, evidence: { kind: "not-checked" }, blocked: found.block };
  const state = await readScriptState(graph, deviceId, found.id);
  const offline = winreOffline(device.lastSyncDateTime, new Date(graphClock.latest() ?? serverNow()));
  return { packageId: found.id, evidence: winreEvidence(state), blocked: mayRun ? (offline ?? null) : winreBlock("role") };
}

export async function getWinreStatus(accessToken: string, input: unknown): Promise<ActionResult<WinreStatus>> {
  return runAction(
    {
      name: "getWinreStatus",
      input: deviceInput,
      errors: WINRE_ERRORS.read,
      handler: async ({ deviceId }, { graph, graphBaseUrl, graphClock }) => {
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        return readStatus(graph, graphBaseUrl, graphClock, deviceId);
      },
    },
    accessToken,
    input,
  );
}

/**
 * Runs the WinRE package on the device: its detection reads WinRE, and when WinRE is off its remediation runs
 * reagentc /enable. Refused while a run is on its way (Intune: one at a time per device, later ones may overwrite).
 */
export async function runWinreRemediation(accessToken: string, input: unknown): Promise<ActionResult<WinreRunResult>> {
  return runAction(
    {
      name: "runWinreRemediation",
      input: deviceInput,
      errors: WINRE_ERRORS.run,
      handler: async ({ deviceId }, { graph, graphBaseUrl, graphClock }) => {
        if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
        const status = await readStatus(graph, graphBaseUrl, graphClock, deviceId);
        if (status.blocked || !status.packageId) {
          const block = status.blocked ?? winreBlock("package-missing");
          throw new ActionFailure({ kind: block.reason === "role" ? "forbidden-role" : block.reason === "scope" ? "forbidden-consent" : "invalid", message: block.message });
        }
        if (status.evidence.kind === "running") {
          throw new ActionFailure({ kind: "invalid", message: "A WinRE check is already on its way to this device: wait for its answer before running another." });
        }
        try {
          await startOnDemandRemediation(graph, deviceId, status.packageId);
        } catch (error) {
          const mapped = mapGraphError(error, WINRE_ERRORS.run);
          // The role allowed it (readStatus checked), so a role-shaped refusal is the licence (docs/graph.md, "Remediations on demand (WinRE)").
          if (mapped.kind === "forbidden-role") throw new ActionFailure({ kind: "forbidden-role", message: winreBlock("licence").message });
          throw error;
        }
        return { requestedAt: new Date(graphClock.latest() ?? serverNow()).toISOString() };
      },
    },
    accessToken,
    input,
  );
}
