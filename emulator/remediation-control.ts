/**
 * Control API for Remediations (emulator/README.md, "Remediations on demand"): the tenant's packages and licence,
 * and a device's remediation outcome.
 */
import { json, type Reply } from "./http";
import type { EmulatorState } from "./state";
import { PACKAGE_PRESETS, type PackagePreset } from "./remediations";
import type { RemediationOutcome } from "./fleet/remediation-runs";

const OUTCOMES: readonly RemediationOutcome[] = ["normal", "remediationFailed", "scriptError"];

function fail(message: string): Reply {
  return json(400, { error: { code: "BadRequest", message } });
}

export function handleRemediationControl(state: EmulatorState, method: string, path: string, body: unknown): Reply | undefined {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (path === "/remediations") {
    if (method === "GET") return json(200, state.healthScripts.describe());
    if (method === "PUT") {
      if (b.preset !== undefined && !PACKAGE_PRESETS.includes(b.preset as PackagePreset)) return fail(`preset must be one of ${PACKAGE_PRESETS.join(", ")}.`);
      if (b.licensed !== undefined && typeof b.licensed !== "boolean") return fail("licensed must be true or false.");
      if (b.preset !== undefined) state.healthScripts.preset = b.preset as PackagePreset;
      if (typeof b.licensed === "boolean") state.healthScripts.licensed = b.licensed;
      state.cache.clear();
      return json(200, state.healthScripts.describe());
    }
  }
  const match = /^\/devices\/([^/]+)\/remediation-outcome$/.exec(path);
  if (match && method === "POST") {
    const d = state.fleet.get(decodeURIComponent(match[1]!));
    if (!d) return json(404, { error: { code: "NotFound", message: `No device with id '${match[1]}'.` } });
    if (!OUTCOMES.includes(b.outcome as RemediationOutcome)) return fail(`outcome must be one of ${OUTCOMES.join(", ")}.`);
    state.fleet.remediations.setOutcome(d, b.outcome as RemediationOutcome);
    return json(200, { id: d.id, outcome: b.outcome });
  }
  return undefined;
}
