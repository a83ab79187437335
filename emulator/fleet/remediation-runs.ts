/**
 * On-demand remediation runs on the fleet's devices (initiateOnDemandProactiveRemediation) and what each device's
 * Intune Management Extension reports back (deviceHealthScriptStates). Choices where the facts are silent
 * (emulator/README.md, "Remediations on demand"):
 * - A run is pushed to an online device, which runs it 1-4 minutes later (or at any earlier check-in); an offline
 *   device misses the push and never reports that run (memdocs remediations.md: the device must be online).
 * - While a run is on its way the device's state for the package reads detectionState "pending", keeping the previous
 *   run's outputs and time.
 * - The WinRE package (docs/remediations/winre) sees the device's WinRE: a winreDisabled device detects "Disabled",
 *   exits 1, the remediation enables WinRE, and every later reset of it succeeds. Per device, a control switch makes
 *   the remediation fail ("remediationFailed") or the detection script error ("scriptError").
 * - Any other package detects "success" with empty output.
 */
import type { DeviceRecord } from "./device";

export const REMEDIATION_PUSH_MIN_MS = 60_000;
export const REMEDIATION_PUSH_MAX_MS = 4 * 60_000;

export type RemediationOutcome = "normal" | "remediationFailed" | "scriptError";

export interface RunState {
  policyId: string;
  /** The package checks WinRE (the console's package); other packages report success with no output. */
  winre: boolean;
  /** When the latest run was requested, and whether the push reached the device. */
  requestedMs: number;
  delivered: boolean;
  running: boolean;
  /** The last finished run (0: none yet). */
  lastStateMs: number;
  detectionState: "unknown" | "success" | "fail" | "scriptError" | "pending";
  remediationState: "unknown" | "skipped" | "success" | "remediationFailed" | "scriptError";
  preOutput: string;
  preError: string;
  remediationError: string;
  postOutput: string;
}

const LOCATION = "\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE";

function winreOutput(status: "Enabled" | "Disabled", error = ""): string {
  return JSON.stringify({ tool: "arc-winre", v: 1, "Windows RE status": status, "Windows RE location": status === "Enabled" ? LOCATION : "", error });
}

export class RemediationRuns {
  private readonly runs = new Map<DeviceRecord, Map<string, RunState>>();
  /** WinRE-disabled devices whose WinRE a remediation enabled. */
  private readonly enabled = new Set<DeviceRecord>();
  private readonly outcomes = new Map<DeviceRecord, RemediationOutcome>();

  winreDisabled(d: DeviceRecord): boolean {
    return d.kind === "winreDisabled" && !this.enabled.has(d);
  }

  setOutcome(d: DeviceRecord, outcome: RemediationOutcome): void {
    if (outcome === "normal") this.outcomes.delete(d);
    else this.outcomes.set(d, outcome);
  }

  states(d: DeviceRecord): RunState[] {
    return [...(this.runs.get(d)?.values() ?? [])];
  }

  /** A run requested at `now`; the caller asks the device to check in when it was delivered. */
  start(d: DeviceRecord, policyId: string, winre: boolean, now: number): RunState {
    const perDevice = this.runs.get(d) ?? new Map<string, RunState>();
    this.runs.set(d, perDevice);
    const previous = perDevice.get(policyId);
    const run: RunState = previous ?? {
      policyId, winre, requestedMs: now, delivered: false, running: true, lastStateMs: 0, detectionState: "pending",
      remediationState: "unknown", preOutput: "", preError: "", remediationError: "", postOutput: "",
    };
    // A second run while one is on its way replaces it (memdocs: runs in a short time "may overwrite each other").
    run.requestedMs = now;
    run.delivered = d.online;
    run.running = true;
    perDevice.set(policyId, run);
    return run;
  }

  /** Whether the device has a delivered run waiting for its next check-in. */
  hasWork(d: DeviceRecord): boolean {
    return this.states(d).some((r) => r.running && r.delivered);
  }

  /** The device runs every delivered run requested at or before t. */
  checkIn(d: DeviceRecord, t: number): boolean {
    let changed = false;
    for (const run of this.states(d)) {
      if (!run.running || !run.delivered || run.requestedMs > t) continue;
      this.finish(d, run, t);
      changed = true;
    }
    return changed;
  }

  private finish(d: DeviceRecord, run: RunState, t: number): void {
    run.running = false;
    run.lastStateMs = t;
    run.preError = "";
    run.remediationError = "";
    run.postOutput = "";
    if (!run.winre) {
      Object.assign(run, { detectionState: "success", remediationState: "skipped", preOutput: "" });
      return;
    }
    const outcome = this.outcomes.get(d) ?? "normal";
    if (outcome === "scriptError") {
      Object.assign(run, {
        detectionState: "scriptError", remediationState: "skipped", preOutput: "",
        preError: "reagentc.exe : The term 'reagentc.exe' is not recognized as the name of a cmdlet, function, script file, or operable program.",
      });
      return;
    }
    if (!this.winreDisabled(d)) {
      Object.assign(run, { detectionState: "success", remediationState: "skipped", preOutput: winreOutput("Enabled") });
      return;
    }
    run.detectionState = "fail";
    run.preOutput = winreOutput("Disabled");
    if (outcome === "remediationFailed") {
      run.remediationState = "remediationFailed";
      run.remediationError = "REAGENTC.EXE: Operation failed: 3";
      run.postOutput = winreOutput("Disabled", "reagentc /enable did not enable WinRE: REAGENTC.EXE: Operation failed: 3");
      return;
    }
    this.enabled.add(d);
    run.remediationState = "success";
    run.postOutput = winreOutput("Enabled");
  }
}
