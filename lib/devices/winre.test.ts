import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { choosePackage, parseWinreOutput, SCRIPT_OUTPUT_LIMIT, WINRE_PACKAGE_NAME, winreBlock, winreEvidence, winreLabel, winreOffline, winreView } from "./winre";

const out = (status: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ tool: "arc-winre", v: 1, "Windows RE status": status, "Windows RE location": "\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE", error: "", ...extra });

describe("choosePackage", () => {
  const pkg = { id: "a1", displayName: WINRE_PACKAGE_NAME };
  it("finds the one package with the name, whatever its case and spaces", () => {
    expect(choosePackage([{ id: "x", displayName: "Other" }, { ...pkg, displayName: ` ${WINRE_PACKAGE_NAME.toUpperCase()} ` }])).toMatchObject({ kind: "found", id: "a1" });
  });
  it("refuses two packages with the name, and says none when it is renamed", () => {
    expect(choosePackage([pkg, { ...pkg, id: "a2" }])).toEqual({ kind: "duplicate", count: 2 });
    expect(choosePackage([{ id: "a1", displayName: "WinRE v2" }])).toEqual({ kind: "missing" });
  });
  it("takes a configured id over the name", () => {
    expect(choosePackage([pkg, { id: "B2", displayName: "WinRE v2" }], "b2")).toMatchObject({ kind: "found", id: "B2" });
    expect(choosePackage([pkg], "zz")).toEqual({ kind: "missing", configuredId: "zz" });
  });
});

describe("parseWinreOutput", () => {
  it("reads the package's JSON line", () => {
    expect(parseWinreOutput(out("Enabled"))).toMatchObject({ status: "enabled", error: null });
    expect(parseWinreOutput(`noise\n${out("Disabled")}\n`)).toMatchObject({ status: "disabled" });
    expect(parseWinreOutput(out("Unknown", { error: "boom" }))).toMatchObject({ status: "unknown", error: "boom" });
  });
  it("ignores anything else", () => {
    for (const text of [null, "", "Windows RE status: Enabled", "{not json", JSON.stringify({ "Windows RE status": "Enabled" })]) {
      expect(parseWinreOutput(text)).toBeUndefined();
    }
  });
});

describe("winreEvidence", () => {
  const at = "2026-12-07T10:00:00Z";
  it("is not checked without a run, and running while pending", () => {
    expect(winreEvidence(undefined)).toEqual({ kind: "not-checked" });
    expect(winreEvidence({ detectionState: "pending", lastStateUpdateDateTime: "0001-01-01T00:00:00Z" })).toEqual({ kind: "running", since: null });
  });
  it("reads the detection output, and the post-remediation output after a remediation", () => {
    expect(winreEvidence({ detectionState: "success", remediationState: "skipped", lastStateUpdateDateTime: at, preRemediationDetectionScriptOutput: out("Enabled") }))
      .toMatchObject({ kind: "checked", winre: "enabled", at, remediated: false, problem: null });
    expect(winreEvidence({ detectionState: "fail", remediationState: "unknown", lastStateUpdateDateTime: at, preRemediationDetectionScriptOutput: out("Disabled") }))
      .toMatchObject({ winre: "disabled", remediated: false });
    expect(winreEvidence({
      detectionState: "fail", remediationState: "success", lastStateUpdateDateTime: at,
      preRemediationDetectionScriptOutput: out("Disabled"), postRemediationDetectionScriptOutput: out("Enabled"),
    })).toMatchObject({ winre: "enabled", remediated: true, problem: null });
  });
  it("says what failed", () => {
    const failed = winreEvidence({
      detectionState: "fail", remediationState: "scriptError", lastStateUpdateDateTime: at,
      preRemediationDetectionScriptOutput: out("Disabled"), remediationScriptError: "REAGENTC.EXE: Operation failed: 2",
    });
    expect(failed).toMatchObject({ winre: "disabled", remediated: true });
    expect(failed.kind === "checked" && failed.problem).toContain("Operation failed: 2");
    expect(winreEvidence({ detectionState: "success", lastStateUpdateDateTime: at, preRemediationDetectionScriptOutput: "hello" }))
      .toMatchObject({ winre: "unknown", problem: expect.stringContaining("not this package's output") });
  });
});

describe("winreLabel", () => {
  const now = new Date("2026-12-07T10:03:00Z");
  it("words each state", () => {
    expect(winreLabel({ kind: "checked", winre: "enabled", at: "2026-12-07T10:00:00Z", location: null, remediated: false, problem: null }, now))
      .toBe("WinRE: enabled (checked 3 minutes ago)");
    expect(winreLabel({ kind: "checked", winre: "disabled", at: null, location: null, remediated: false, problem: null }, now)).toBe("WinRE: disabled");
    expect(winreLabel({ kind: "not-checked" }, now)).toBe("WinRE: not checked");
  });
});

describe("the package's scripts (docs/remediations/winre)", () => {
  const dir = path.join(process.cwd(), "docs/remediations/winre");
  const detect = readFileSync(path.join(dir, "Detect-WinRE.ps1"), "utf8");
  const remediate = readFileSync(path.join(dir, "Remediate-WinRE.ps1"), "utf8");
  it("detects with reagentc /info, exits 1 when disabled, and changes nothing", () => {
    expect(detect).toContain("/info");
    expect(detect).not.toMatch(/reagentc[^\n]*\/(enable|disable)/i);
    expect(detect).toMatch(/'Disabled'[\s\S]*?exit 1/);
    expect(detect).toMatch(/'Enabled'[\s\S]*?exit 0/);
  });
  it("remediates with reagentc /enable and checks again", () => {
    expect(remediate).toMatch(/\$reagentc \/enable/);
    expect(remediate.indexOf("/info")).toBeGreaterThan(remediate.indexOf("/enable"));
  });
  it("both print the keys the console parses, capped under Intune's output limit", () => {
    for (const script of [detect, remediate]) {
      for (const key of ["tool", "'Windows RE status'", "'Windows RE location'", "error"]) expect(script).toContain(key);
      expect(script).toContain("'arc-winre'");
      expect(script).toContain("ConvertTo-Json -Compress");
      const cap = Number(/Length -gt (\d+)/.exec(script)?.[1]);
      expect(cap).toBeLessThan(SCRIPT_OUTPUT_LIMIT);
      expect(script).not.toMatch(/Restart-Computer|shutdown/i);
    }
  });
});

describe("winreBlock and winreOffline", () => {
  it("names what is missing", () => {
    expect(winreBlock("scope").message).toContain("DeviceManagementScripts.Read.All");
    expect(winreBlock("package-missing").message).toContain(WINRE_PACKAGE_NAME);
    expect(winreBlock("package-missing", { configuredId: "abc" }).message).toContain("WINRE_REMEDIATION_ID");
    expect(winreBlock("package-duplicate", { count: 3 }).message).toMatch(/^3 remediation packages/);
    expect(winreBlock("role").message).toContain("Run remediation");
    expect(winreBlock("licence").message).toContain("E3/E5");
  });
  it("blocks only a device quiet for longer than its check-in period, and says when it was last seen", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(winreOffline("2026-12-07T04:00:00Z", now)).toBeUndefined();
    const block = winreOffline("2026-12-05T10:00:00Z", now);
    expect(block?.reason).toBe("offline");
    expect(block?.message).toMatch(/last checked in 2 days ago: it is probably offline/);
    expect(winreOffline(null, now)).toBeUndefined();
    expect(winreOffline("not a date", now)).toBeUndefined();
  });
});

describe("winreView", () => {
  const checked = (winre: "enabled" | "disabled" | "unknown", at: string | null) => ({ kind: "checked", winre, at, location: null, remediated: false, problem: null }) as const;
  it("offers Check until the device reported WinRE disabled, then Enable", () => {
    expect(winreView({ kind: "not-checked" }, false, null)).toEqual({ button: "Check WinRE", waiting: false });
    expect(winreView(checked("enabled", "2026-12-07T09:00:00Z"), false, null)).toEqual({ button: "Check WinRE", waiting: false });
    expect(winreView(checked("disabled", "2026-12-07T09:00:00Z"), false, null)).toEqual({ button: "Enable WinRE", waiting: false });
  });
  it("waits while a run is on its way, and for a report at or after the run this page asked for", () => {
    const asked = "2026-12-07T10:00:00Z";
    expect(winreView({ kind: "running", since: null }, false, null)).toEqual({ button: null, waiting: true });
    expect(winreView({ kind: "not-checked" }, false, asked)).toEqual({ button: null, waiting: true });
    expect(winreView(checked("disabled", "2026-12-07T09:59:59Z"), false, asked)).toEqual({ button: null, waiting: true });
    expect(winreView(checked("enabled", "2026-12-07T10:03:00Z"), false, asked)).toEqual({ button: "Check WinRE", waiting: false });
  });
  it("offers nothing when the console cannot run the package", () => {
    expect(winreView(checked("disabled", "2026-12-07T09:00:00Z"), true, null)).toEqual({ button: null, waiting: false });
  });
});
