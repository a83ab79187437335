/**
 * WinRE evidence from the console's remediation package (docs/remediations/winre/): which package to run, what its
 * detection output says, and how the device page words it. Pure; lib/graph/remediations.ts reads Graph.
 * Facts: docs/graph.md, "Remediations on demand (WinRE)".
 */
import { SCOPE_NAMES } from "@/lib/auth/scopes";
import { formatRelative } from "./format";

/** The package's name in Intune (docs/remediations/winre/README.md); WINRE_REMEDIATION_ID overrides it by id. */
export const WINRE_PACKAGE_NAME = "Autopilot Reset Console - WinRE";
/** Intune keeps at most 2,048 characters of a script's output (memdocs remediations.md, "Script requirements"). */
export const SCRIPT_OUTPUT_LIMIT = 2048;
/** The sentence kept whenever the console cannot fix WinRE itself. */
export const MANUAL_WINRE_FIX = "Run reagentc.exe /enable on the device, then reset it again.";

export interface HealthScriptSummary {
  id: string;
  displayName: string;
}

export type PackageChoice =
  | { kind: "found"; id: string; displayName: string }
  | { kind: "missing"; configuredId?: string }
  | { kind: "duplicate"; count: number };

/** The package to run: by configured id when one is set, else the one package with the expected name. */
export function choosePackage(scripts: readonly HealthScriptSummary[], configuredId?: string): PackageChoice {
  if (configuredId) {
    const byId = scripts.find((s) => s.id.toLowerCase() === configuredId.toLowerCase());
    return byId ? { kind: "found", id: byId.id, displayName: byId.displayName } : { kind: "missing", configuredId };
  }
  const named = scripts.filter((s) => s.displayName.trim().toLowerCase() === WINRE_PACKAGE_NAME.toLowerCase());
  if (named.length === 1) return { kind: "found", id: named[0]!.id, displayName: named[0]!.displayName };
  if (named.length > 1) return { kind: "duplicate", count: named.length };
  return { kind: "missing" };
}

export type WinreValue = "enabled" | "disabled" | "unknown";

export interface WinreOutput {
  status: WinreValue;
  location: string | null;
  error: string | null;
}

/** The detection (or remediation) script's one line of JSON; undefined when the text is not the package's output. */
export function parseWinreOutput(text: string | null | undefined): WinreOutput | undefined {
  if (!text) return undefined;
  const line = text.trim().split(/\r?\n/).find((l) => l.trim().startsWith("{"));
  if (!line) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.trim());
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const record = parsed as Record<string, unknown>;
  if (record.tool !== "arc-winre") return undefined;
  const raw = typeof record["Windows RE status"] === "string" ? (record["Windows RE status"] as string).toLowerCase() : "";
  const status: WinreValue = raw === "enabled" ? "enabled" : raw === "disabled" ? "disabled" : "unknown";
  const text_ = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
  return { status, location: text_(record["Windows RE location"]), error: text_(record.error) };
}

/** A deviceHealthScriptPolicyState (beta) of the package on one device, as Graph answers it. */
export interface HealthScriptRunState {
  detectionState?: string | null;
  remediationState?: string | null;
  lastStateUpdateDateTime?: string | null;
  preRemediationDetectionScriptOutput?: string | null;
  postRemediationDetectionScriptOutput?: string | null;
  preRemediationDetectionScriptError?: string | null;
  remediationScriptError?: string | null;
}

export type WinreEvidence =
  | { kind: "not-checked" }
  | { kind: "running"; since: string | null }
  | { kind: "checked"; winre: WinreValue; at: string | null; location: string | null; remediated: boolean; problem: string | null };

/** Graph's "no date" (docs/graph.md, "The Autopilot record before and after"). */
function realDate(value: string | null | undefined): string | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  return value;
}

/**
 * What the latest run says. After a remediation the post-remediation detection output is the truth; before, the
 * detection output. A script error, or output that is not the package's, is "unknown" with the reason.
 */
export function winreEvidence(state: HealthScriptRunState | undefined): WinreEvidence {
  if (!state) return { kind: "not-checked" };
  const detection = (state.detectionState ?? "unknown").toLowerCase();
  const at = realDate(state.lastStateUpdateDateTime);
  if (detection === "pending") return { kind: "running", since: at };
  const remediation = (state.remediationState ?? "unknown").toLowerCase();
  const remediated = remediation === "success" || remediation === "remediationfailed" || remediation === "scripterror";
  const post = parseWinreOutput(state.postRemediationDetectionScriptOutput);
  const pre = parseWinreOutput(state.preRemediationDetectionScriptOutput);
  const output = (remediated ? post : undefined) ?? pre;
  let problem: string | null = null;
  if (detection === "scripterror") problem = `The detection script failed on the device${errorSuffix(state.preRemediationDetectionScriptError)}.`;
  else if (remediation === "scripterror" || remediation === "remediationfailed") {
    problem = `reagentc /enable did not enable WinRE on the device${errorSuffix(state.remediationScriptError ?? post?.error)}.`;
  } else if (!output) problem = "The device's answer is not this package's output: check the package in Intune.";
  if (!output) return { kind: "checked", winre: "unknown", at, location: null, remediated, problem };
  return { kind: "checked", winre: output.status, at, location: output.location, remediated, problem: problem ?? output.error };
}

function errorSuffix(error: string | null | undefined): string {
  const text = error?.trim();
  return text ? `: ${text.slice(0, 200)}` : "";
}

/** "WinRE: enabled (checked 3 minutes ago)", "WinRE: disabled (...)", "WinRE: not checked", "WinRE: checking…". */
export function winreLabel(evidence: WinreEvidence, now: Date): string {
  if (evidence.kind === "not-checked") return "WinRE: not checked";
  if (evidence.kind === "running") return "WinRE: checking on the device…";
  const when = evidence.at ? ` (checked ${formatRelative(evidence.at, now)})` : "";
  const word = evidence.winre === "unknown" ? "not known" : evidence.winre;
  return `WinRE: ${word}${when}`;
}

/** Why the console cannot check or enable WinRE itself; each comes with the manual fix (MANUAL_WINRE_FIX). */
export type WinreBlockReason = "package-missing" | "package-duplicate" | "scope" | "role" | "licence" | "not-windows" | "offline" | "unreadable";

export interface WinreBlock {
  reason: WinreBlockReason;
  message: string;
}

/** The sentence for each reason; `detail` adds what Graph said (unreadable) or when the device last checked in (offline). */
export function winreBlock(reason: WinreBlockReason, detail?: { configuredId?: string; count?: number; text?: string; lastCheckIn?: string }): WinreBlock {
  const messages: Record<WinreBlockReason, string> = {
    "package-missing": detail?.configuredId
      ? `The WinRE remediation package with id ${detail.configuredId} (WINRE_REMEDIATION_ID) is not in this tenant: check the id, or unset it to find the package by its name.`
      : `The WinRE remediation package "${WINRE_PACKAGE_NAME}" is not in this tenant (or has another name): an Intune administrator adds it once (docs/remediations/winre/README.md).`,
    "package-duplicate": `${detail?.count ?? 2} remediation packages are named "${WINRE_PACKAGE_NAME}", so the console does not pick one: an Intune administrator deletes or renames the extra ones, or sets WINRE_REMEDIATION_ID.`,
    scope: `This app hasn't been granted ${SCOPE_NAMES.readScripts} in your tenant, so it cannot find the WinRE remediation package: an admin must consent.`,
    role: "Your Intune role doesn't allow running remediations (needs Remote tasks: Run remediation; Help Desk Operator has it).",
    licence:
      "Intune refused to run the remediation although your role allows it: Remediations need Windows Enterprise E3/E5, Education A3/A5 or VDA licences, confirmed once in the tenant by an Intune Administrator.",
    "not-windows": "Remediations run on Windows devices only.",
    offline: `The device last checked in ${detail?.lastCheckIn ?? "long ago"}: it is probably offline, and a remediation reaches a device only while it is online, so the console runs none now. Check WinRE again once the device has checked in.`,
    unreadable: `The console could not read the tenant's remediation packages${detail?.text ? ` (${detail.text.replace(/\.$/, "")})` : ""}.`,
  };
  return { reason, message: messages[reason] };
}

/** Devices check in with Intune about every 8 hours: a device quiet for longer is probably off or offline. */
const LIKELY_OFFLINE_MS = 9 * 60 * 60 * 1000;

/**
 * Whether a run would probably not reach the device now (it must be online), judged on the server from the device's
 * last check-in and Graph's clock (`now`), never the browser's.
 */
export function winreOffline(lastSyncDateTime: string | null | undefined, now: Date): WinreBlock | undefined {
  const last = lastSyncDateTime ? Date.parse(lastSyncDateTime) : Number.NaN;
  if (Number.isNaN(last) || now.getTime() - last < LIKELY_OFFLINE_MS) return undefined;
  return winreBlock("offline", { lastCheckIn: formatRelative(lastSyncDateTime, now) });
}

export interface WinreView {
  /** The one button the section offers, or none while a run is on its way or the console cannot run the package. */
  button: "Check WinRE" | "Enable WinRE" | null;
  /** A run is on its way to the device: the page follows it until the device reports. */
  waiting: boolean;
}

/**
 * What the device page's WinRE section offers. A run this page asked for at `requestedAt` (Graph's clock) is waiting
 * until the device reports a run at or after it, whatever Graph shows meanwhile (docs/graph.md: the state while a run
 * is on its way is UNVERIFIED). Check and Enable run the same package: its detection's exit 1 starts the remediation.
 */
export function winreView(evidence: WinreEvidence, blocked: boolean, requestedAt: string | null): WinreView {
  const reported = evidence.kind === "checked" && evidence.at !== null && (!requestedAt || Date.parse(evidence.at) >= Date.parse(requestedAt));
  const waiting = evidence.kind === "running" || (requestedAt !== null && !reported);
  if (blocked || waiting) return { button: null, waiting };
  return { button: evidence.kind === "checked" && evidence.winre === "disabled" ? "Enable WinRE" : "Check WinRE", waiting };
}
