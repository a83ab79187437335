import { describe, expect, it } from "vitest";
import { FIXTURE_NOW, makeDevice } from "./device-fixture";
import { WINDOWS_10_NOTE } from "./eligibility";
import type { ProvisioningNames } from "./provisioning";
import { recordsAgree } from "./records";
import { checkedInAgo, pageResetEligibility, sharedSerialSentence, type AutopilotRecordsCheck } from "./reset-facts";
import { sharedSerials } from "./shared-serials";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(FIXTURE_NOW.getTime() - days * DAY).toISOString();
const names: ProvisioningNames = { kind: "read", devicePreparationPolicies: ["DP - Kiosks"], autopilotProfiles: ["AP - Standard"] };
const device = makeDevice({ enrollmentProfileName: "AP - Standard" });
const agree: AutopilotRecordsCheck = { kind: "judged", verdict: { agree: true } };

describe("pageResetEligibility", () => {
  it("allows a classic Autopilot device whose records agree, with no notes", () => {
    const check = pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: agree });
    expect(check).toMatchObject({ allowed: true });
    expect(check.notes).toBeUndefined();
    expect(check.checking).toBeUndefined();
  });

  it("waits, without a refusal, while the names or the records are being read", () => {
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names: undefined, records: agree })).toMatchObject({ allowed: false, checking: true });
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: undefined })).toMatchObject({ allowed: false, checking: true });
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: undefined }).reason).toBeUndefined();
  });

  it("needs no records for a device that is not registered with Autopilot", () => {
    const dp = makeDevice({ autopilotEnrolled: false, enrollmentProfileName: "dp - kiosks" });
    expect(pageResetEligibility(dp, FIXTURE_NOW, undefined, { names, records: undefined })).toMatchObject({ allowed: false, reason: "device-preparation" });
  });

  it("says a standing refusal (hybrid joined, not Windows) before anything is read", () => {
    const hybrid = makeDevice({ joinType: "hybridAzureADJoined" });
    expect(pageResetEligibility(hybrid, FIXTURE_NOW, undefined, { names: undefined, records: undefined })).toMatchObject({ reason: "hybrid-joined" });
  });

  it("says a pending reset before the facts are read, as the server finds it first", () => {
    const pending = makeDevice({ managementState: "wipePending" });
    expect(pageResetEligibility(pending, FIXTURE_NOW, undefined, { names: undefined, records: undefined })).toMatchObject({ reason: "reset-pending" });
  });

  it("refuses a device provisioned by device preparation even when it is registered with Autopilot", () => {
    const dp = makeDevice({ enrollmentProfileName: "DP - Kiosks" });
    const check = pageResetEligibility(dp, FIXTURE_NOW, undefined, { names, records: agree });
    expect(check).toMatchObject({ allowed: false, reason: "device-preparation" });
    expect(check.message).toContain("does not support Autopilot Reset");
  });

  it("refuses a stale record and names the current one", () => {
    const verdict = recordsAgree(device, [{ serialNumber: device.serialNumber!, managedDeviceId: "11111111-2222-4333-8444-555555555555", azureActiveDirectoryDeviceId: "" }]);
    const check = pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: { kind: "judged", verdict } });
    expect(check).toMatchObject({ allowed: false, reason: "not-current-record", currentDeviceId: "11111111-2222-4333-8444-555555555555" });
  });

  it("refuses records that name different Entra devices", () => {
    const verdict = recordsAgree(device, [{ serialNumber: device.serialNumber!, managedDeviceId: device.id, azureActiveDirectoryDeviceId: "99999999-2222-4333-8444-555555555555" }]);
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: { kind: "judged", verdict } })).toMatchObject({ reason: "records-disagree" });
  });

  it("allows a device whose provisioning is unknown, and says what is not known", () => {
    const check = pageResetEligibility(makeDevice({ enrollmentProfileName: "Old profile" }), FIXTURE_NOW, undefined, { names, records: agree });
    expect(check.allowed).toBe(true);
    expect(check.notes?.[0]).toContain("neither an Autopilot profile nor a device preparation policy");
  });

  it("carries the Windows 10 note", () => {
    const win10 = makeDevice({ enrollmentProfileName: "AP - Standard", osVersion: "10.0.19045.5011" });
    expect(pageResetEligibility(win10, FIXTURE_NOW, undefined, { names, records: agree }).notes).toEqual([WINDOWS_10_NOTE]);
  });

  it("waits, as the server does, when the names could not be read for a passing reason", () => {
    const passing: ProvisioningNames = { kind: "unreadable", lasting: false, why: "the console could not read them (Graph is busy)." };
    const check = pageResetEligibility(device, FIXTURE_NOW, undefined, { names: passing, records: agree });
    expect(check).toMatchObject({ allowed: false });
    expect(check.message).toContain("could not be checked (the console could not read them (Graph is busy))");
  });

  it("goes ahead, with the reason said, when reading the names was refused", () => {
    const refused: ProvisioningNames = { kind: "unreadable", lasting: true, why: "the app lacks DeviceManagementConfiguration.Read.All." };
    const check = pageResetEligibility(device, FIXTURE_NOW, undefined, { names: refused, records: agree });
    expect(check.allowed).toBe(true);
    expect(check.notes?.join(" ")).toContain("DeviceManagementConfiguration.Read.All");
  });

  it("refuses when the Autopilot record or the names could not be read at all", () => {
    const error = { kind: "throttled" as const, message: "Microsoft Graph asked the console to slow down." };
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names, records: { kind: "error", error } }).message).toBe(
      "The device's Windows Autopilot record could not be read (Microsoft Graph asked the console to slow down).",
    );
    expect(pageResetEligibility(device, FIXTURE_NOW, undefined, { names: error, records: agree })).toMatchObject({ allowed: false });
  });
});

describe("sharedSerialSentence", () => {
  const old = { id: "a", deviceName: "PC-OLD", lastSyncDateTime: daysAgo(41.2), userPrincipalName: "ada@contoso.com" };
  const fresh = { id: "b", deviceName: "PC-NEW", lastSyncDateTime: daysAgo(0.1), userPrincipalName: "ada@contoso.com" };

  it("is silent for a serial on one record", () => {
    expect(sharedSerialSentence([fresh], "b", FIXTURE_NOW)).toBeNull();
  });

  it("counts the records and says how old this one is, naming the newest", () => {
    expect(sharedSerialSentence([fresh, old], "a", FIXTURE_NOW)).toBe(
      "2 Intune records share this serial; this one last checked in 41 days ago, the newest 2 hours ago.",
    );
  });

  it("says when this one is the newest", () => {
    expect(sharedSerialSentence([fresh, old], "B", FIXTURE_NOW)).toBe("2 Intune records share this serial; this one is the newest: it last checked in 2 hours ago.");
  });

  it("words a record that never checked in", () => {
    expect(checkedInAgo(null, FIXTURE_NOW)).toBe("never");
    expect(sharedSerialSentence([{ ...fresh, lastSyncDateTime: null }, { ...old, id: "c" }], "c", FIXTURE_NOW)).toContain("and the newest has never checked in.");
  });
});

describe("sharedSerials", () => {
  it("counts serials on more than one row, ignoring case, blanks and missing serials", () => {
    const rows = [{ serialNumber: "SN-1" }, { serialNumber: "sn-1 " }, { serialNumber: "SN-2" }, { serialNumber: null }, { serialNumber: "" }, { serialNumber: "" }];
    expect([...sharedSerials(rows)]).toEqual([["sn-1", 2]]);
  });
});
