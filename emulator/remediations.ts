/**
 * The tenant's remediation script packages (beta deviceHealthScripts) and whether Remediations are licensed. The
 * console's WinRE package (docs/remediations/winre) is published by default; the control API can remove it, rename it,
 * publish it twice, or turn the licence off (emulator/README.md, "Remediations on demand").
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export const WINRE_PACKAGE_NAME = "Autopilot Reset Console - WinRE";
export const WINRE_PACKAGE_ID = "6b1f3c2a-9d4e-4f70-8a15-2c7e0b9d4a31";
const DUPLICATE_ID = "6b1f3c2a-9d4e-4f70-8a15-2c7e0b9d4a32";
const BUILT_IN_ID = "0f8e2d4c-1b3a-4c5d-9e7f-8a6b4c2d0e13";

export type PackagePreset = "present" | "absent" | "renamed" | "duplicate";
export const PACKAGE_PRESETS: readonly PackagePreset[] = ["present", "absent", "renamed", "duplicate"];

export interface HealthScript {
  id: string;
  displayName: string;
  description: string;
  publisher: string;
  /** The package runs the WinRE scripts (what the device does with it). */
  winre: boolean;
  isGlobalScript: boolean;
  createdMs: number;
}

function scriptBase64(file: string): string {
  try {
    return readFileSync(path.join(process.cwd(), "docs/remediations/winre", file)).toString("base64");
  } catch {
    return "";
  }
}

export class HealthScripts {
  preset: PackagePreset = "present";
  licensed = true;
  private readonly detection = scriptBase64("Detect-WinRE.ps1");
  private readonly remediation = scriptBase64("Remediate-WinRE.ps1");

  constructor(private readonly createdMs: number) {}

  list(): HealthScript[] {
    const builtIn: HealthScript = {
      id: BUILT_IN_ID, displayName: "Update stale Group Policies", description: "Built-in script package.", publisher: "Microsoft",
      winre: false, isGlobalScript: true, createdMs: this.createdMs,
    };
    const winre: HealthScript = {
      id: WINRE_PACKAGE_ID, displayName: WINRE_PACKAGE_NAME, description: "Checks and enables the Windows Recovery Environment.",
      publisher: "Contoso IT", winre: true, isGlobalScript: false, createdMs: this.createdMs,
    };
    switch (this.preset) {
      case "absent": return [builtIn];
      case "renamed": return [builtIn, { ...winre, displayName: "WinRE check (old)" }];
      case "duplicate": return [builtIn, winre, { ...winre, id: DUPLICATE_ID }];
      default: return [builtIn, winre];
    }
  }

  get(id: string): HealthScript | undefined {
    return this.list().find((s) => s.id === id.toLowerCase());
  }

  /** The resource as beta deviceHealthScript (graph-docs intune-devices-devicehealthscript.md). */
  serialize(s: HealthScript): Record<string, unknown> {
    return {
      "@odata.type": "#microsoft.graph.deviceHealthScript",
      id: s.id, publisher: s.publisher, version: "1", displayName: s.displayName, description: s.description,
      detectionScriptContent: s.winre ? this.detection : "", remediationScriptContent: s.winre ? this.remediation : "",
      createdDateTime: new Date(s.createdMs).toISOString(), lastModifiedDateTime: new Date(s.createdMs).toISOString(),
      runAsAccount: "system", enforceSignatureCheck: false, runAs32Bit: false, roleScopeTagIds: ["0"],
      isGlobalScript: s.isGlobalScript, highestAvailableVersion: null, deviceHealthScriptType: "deviceHealthScript",
      detectionScriptParameters: [], remediationScriptParameters: [],
    };
  }

  describe() {
    return { preset: this.preset, licensed: this.licensed, packages: this.list().map((s) => ({ id: s.id, displayName: s.displayName })) };
  }
}
