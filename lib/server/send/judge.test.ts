import { describe, expect, it } from "vitest";
import { SEND_TICKET_LIFETIME_MS } from "@/lib/bulk/send-window";
import { FIXTURE_NOW, makeDevice } from "@/lib/devices/device-fixture";
import type { ProvisioningNames } from "@/lib/devices/provisioning";
import type { DeviceRead } from "@/lib/graph/batch-types";
import { landsByFrom, type SendMarker } from "../device-guard";
import { judgeDevice, type JudgeInput } from "./judge";

const NOW = FIXTURE_NOW.getTime();
const NAMES: ProvisioningNames = { kind: "read", devicePreparationPolicies: ["Prep - user-driven", "Shared name"], autopilotProfiles: ["Contoso user-driven", "Shared name"] };
const device = makeDevice({ enrollmentProfileName: "Contoso user-driven" });
const LINK = { serialNumber: device.serialNumber!, managedDeviceId: device.id, azureActiveDirectoryDeviceId: device.azureADDeviceId! };
const found = (over: Parameters<typeof makeDevice>[0] = {}): DeviceRead => ({ deviceId: device.id, kind: "found", device: makeDevice({ enrollmentProfileName: "Contoso user-driven", ...over }), audits: [] });
const input = (over: Partial<JudgeInput> = {}): JudgeInput => ({ action: "reset", read: found(), marker: null, graphNow: NOW, quietMs: 0, names: NAMES, links: [LINK], ...over });
const marker = (over: Partial<SendMarker>): SendMarker => ({ by: "Megan Bowen", at: FIXTURE_NOW.toISOString(), action: "reset", confirmed: false, until: NOW + 600_000, ...over });

describe("judgeDevice", () => {
  it("sends to a classic Autopilot device whose records agree", () => {
    expect(judgeDevice(input())).toMatchObject({ send: true });
  });

  it("refuses device preparation, even with an Autopilot record, and says what to do instead", () => {
    const verdict = judgeDevice(input({ read: found({ enrollmentProfileName: "Prep - user-driven" }) }));
    expect(verdict).toMatchObject({ send: false, outcome: { kind: "refused", reason: "device-preparation" } });
    expect(!verdict.send && verdict.outcome.kind === "refused" && verdict.outcome.nextStep).toMatch(/Wipe/);
  });

  it("a name that is both a policy and a profile is not known, and not refused for it", () => {
    expect(judgeDevice(input({ read: found({ enrollmentProfileName: "Shared name" }) }))).toMatchObject({ send: true });
  });

  it("refuses a stale record (naming the current one) and records that name different Entra devices", () => {
    const current = "11111111-2222-4333-8444-555555555555";
    expect(judgeDevice(input({ links: [{ ...LINK, managedDeviceId: current }] }))).toMatchObject({
      send: false,
      outcome: { kind: "refused", reason: "not-current-record", currentDeviceId: current },
    });
    expect(judgeDevice(input({ links: [{ ...LINK, azureActiveDirectoryDeviceId: current }] }))).toMatchObject({ outcome: { reason: "records-disagree" } });
    expect(judgeDevice(input({ links: [] }))).toMatchObject({ outcome: { reason: "records-disagree" } });
    expect(judgeDevice(input({ links: [LINK, { ...LINK, managedDeviceId: current }] }))).toMatchObject({ outcome: { reason: "records-disagree" } });
  });

  it("sends nothing while the lists could not be read for a passing reason; a lasting refusal leaves the setup not known", () => {
    expect(judgeDevice(input({ names: { kind: "unreadable", lasting: false, why: "Graph is busy." } }))).toMatchObject({ send: false, outcome: { kind: "not-sent", reason: "read-failed" } });
    expect(judgeDevice(input({ names: { kind: "unreadable", lasting: true, why: "the scope is missing." } }))).toMatchObject({ send: true });
    expect(judgeDevice(input({ links: { kind: "throttled", message: "Slow down.", retryAfterSeconds: 4 } }))).toMatchObject({
      send: false,
      outcome: { kind: "not-sent", reason: "read-failed", retryAfterSeconds: 4 },
    });
  });

  it("an earlier send that may still land makes the device busy until Graph's clock passes landsBy, whoever's it was", () => {
    const unclear = marker({ landsBy: landsByFrom(NOW - 60_000) });
    expect(judgeDevice(input({ marker: unclear }))).toMatchObject({ send: false, outcome: { kind: "busy", busyForMs: landsByFrom(NOW - 60_000) - NOW } });
    expect(judgeDevice(input({ marker: unclear, graphNow: landsByFrom(NOW) }))).toMatchObject({ send: true });
  });

  it("a reset Graph already shows wins over a send that may still land: already requested, not 'may still reach Intune'", () => {
    const unclear = marker({ landsBy: landsByFrom(NOW - 60_000) });
    const landed = found({ managementState: "wipePending" });
    expect(judgeDevice(input({ read: landed, marker: unclear }))).toMatchObject({ send: false, outcome: { kind: "already-pending" } });
    expect(judgeDevice(input({ read: landed, quietMs: 60_000 }))).toMatchObject({ send: false, outcome: { kind: "already-pending" } });
    expect(judgeDevice(input({ action: "sync", read: landed, marker: { ...unclear, action: "sync" } }))).toMatchObject({ send: false, outcome: { kind: "busy" } });
  });

  it("a confirmed send of a moment ago is a reset already pending, named", () => {
    expect(judgeDevice(input({ marker: marker({ confirmed: true }) }))).toMatchObject({ send: false, outcome: { kind: "already-pending", by: "Megan Bowen" } });
  });

  it("a store that came back empty sends nothing until the quiet period ends, and says when", () => {
    expect(judgeDevice(input({ quietMs: 90_500 }))).toMatchObject({ send: false, outcome: { kind: "not-sent", reason: "store-restarted", retryAfterSeconds: 91 } });
  });

  it("a ticket older than its lifetime on Graph's clock sends nothing, and so does one from the future", () => {
    expect(judgeDevice(input({ issuedAt: NOW - SEND_TICKET_LIFETIME_MS - 1 }))).toMatchObject({ outcome: { reason: "ticket-expired" } });
    expect(judgeDevice(input({ issuedAt: NOW + SEND_TICKET_LIFETIME_MS + 1 }))).toMatchObject({ outcome: { reason: "ticket-expired" } });
    expect(judgeDevice(input({ issuedAt: NOW - 5_000 }))).toMatchObject({ send: true });
  });

  it("a device that could not be read, or is gone, is not sent to", () => {
    expect(judgeDevice(input({ read: { deviceId: device.id, kind: "error", error: { kind: "unavailable", message: "Graph failed." } } }))).toMatchObject({ outcome: { kind: "not-sent", reason: "read-failed" } });
    expect(judgeDevice(input({ read: { deviceId: device.id, kind: "not-found" } }))).toMatchObject({ outcome: { kind: "rejected", status: 404 } });
  });

  it("a sync: refused for a non-Windows device; a colleague's sync of a moment ago counts", () => {
    expect(judgeDevice(input({ action: "sync", read: found({ operatingSystem: "macOS" }) }))).toMatchObject({ outcome: { kind: "refused", reason: "not-windows" } });
    expect(judgeDevice(input({ action: "sync", marker: marker({ action: "sync", confirmed: true }) }))).toMatchObject({ outcome: { kind: "accepted" } });
    expect(judgeDevice(input({ action: "sync", read: found({ joinType: "hybridAzureADJoined" }) }))).toMatchObject({ send: true });
  });
});
