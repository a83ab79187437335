/**
 * Fidelity switches set by PUT /_emulator/fidelity: places where real tenants answer differently from what the
 * documentation promises, so the console can be tested against both.
 */

/** Which devices' wipes Graph leaves out of deviceActionResults (they still show in managementState and the audits). */
export type SilentWipes = "none" | "some" | "all";
export const SILENT_WIPES: readonly SilentWipes[] = ["none", "some", "all"];
export const DEFAULT_SILENT_WIPES: SilentWipes = "some";

export class Fidelity {
  constructor(public silentWipes: SilentWipes = DEFAULT_SILENT_WIPES) {}

  describe() {
    return { silentWipes: this.silentWipes };
  }
}

export function isSilentWipes(value: unknown): value is SilentWipes {
  return SILENT_WIPES.includes(value as SilentWipes);
}

/** Validates a PUT /_emulator/fidelity body; returns an error sentence or the settings. */
export function parseFidelityConfig(body: unknown): { silentWipes: SilentWipes } | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "Body must be a JSON object.";
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (key !== "silentWipes") return `Unknown fidelity switch '${key}'.`;
  if (!isSilentWipes(b.silentWipes)) return `silentWipes must be one of ${SILENT_WIPES.join(", ")}.`;
  return { silentWipes: b.silentWipes };
}
