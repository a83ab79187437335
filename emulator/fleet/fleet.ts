// Over 300 lines: the fleet's lifecycle on the emulator clock, one class so every state change sees the same records.
/**
 * The tenant's fleet and its lifecycle on the emulator clock.
 *
 * Lifecycle choices (docs/graph.md leaves the timing open; these are the emulator's):
 * - Online devices check in every 8 hours at a per-device phase. Nothing runs per device: the latest scheduled check-in
 *   is computed from the clock when read, and only devices with something in flight (a pending check-in or action) are
 *   "settled" at the start of each request.
 * - syncDevice on an online device: it checks in 5-15 s (emulator time) later. On an offline device the sync is
 *   accepted and queued; nothing happens until the device comes online (POST /_emulator/devices/{id}/online), when it
 *   checks in at once.
 * - wipe: deviceActionResults gets {actionName:"wipe", actionState:"pending"}, beta managementState "wipePending", the
 *   Autopilot identity's enrollmentState "pendingReset", and a remoteActionAudit. Intune also pushes a notification, so
 *   an online device checks in by itself 3-12 minutes later ("propagates in less than 15 minutes", memdocs) unless a
 *   Sync or a scheduled check-in comes first. At that check-in the action turns "active"; 30 s later it ends:
 *   "done" (primary user removed, lastSyncDateTime = that moment, managementState "managed"),
 *   "failed" (WinRE disabled: the device reports 0x80070032; managementState "wipeFailed"), or
 *   "notSupported" (hybrid joined, not registered with Autopilot, or a non-Windows device asked to keep enrollment
 *   data; managementState back to "managed"). A synced online device therefore finishes within about 45 s.
 * - A second wipe while one is pending or active is accepted (204, as Intune does), counted, and audited again; the
 *   in-flight action is not restarted (its start time stays).
 * - Silent wipes (fidelity switch): on some devices Graph leaves the wipe out of deviceActionResults. The lifecycle is
 *   the same; only that view of it is missing, so the records here always hold the wipe.
 * - The scenario set (scenario.ts) follows the generated devices. An Autopilot Reset of a device enrolled through
 *   device preparation is accepted and ends "notSupported"; a stale duplicate record accepts everything and never
 *   checks in again.
 */
import { CHECKIN_PERIOD_MS, autopilotIdOf, azureADDeviceIdOf, generateFleet } from "./generate";
import {
  actionOf, autopilotEnrolledOf, enrolledByDevicePreparation, isInFlight, platformOf,
  type ActionRecord, type DeviceKind, type DeviceRecord, type User,
} from "./device";
import { generateScenario, type ScenarioRecord } from "./scenario";
import { classicProfileForTag } from "./enrollment";
import { GroupTagChanges } from "./group-tags";
import { randomUUID } from "node:crypto";
import { derivedGuid, mix, mulberry32, guid } from "./random";
import { Fidelity } from "../fidelity";
import { REMEDIATION_PUSH_MAX_MS, REMEDIATION_PUSH_MIN_MS, RemediationRuns, type RunState } from "./remediation-runs";

const SYNC_CHECKIN_MIN_MS = 5_000;
export const SYNC_CHECKIN_MAX_MS = 15_000;
const WIPE_PUSH_MIN_MS = 3 * 60_000;
export const WIPE_PUSH_MAX_MS = 12 * 60_000;
export const RESET_DURATION_MS = 30_000;
const KIND_CYCLE = 12;
const SILENT_SALT = 0x5113;

export type RemoteAction = "factoryResetKeepEnrollmentData" | "factoryReset";

export interface AuditRecord {
  id: string;
  device: DeviceRecord;
  deviceDisplayName: string;
  deviceOwnerUserPrincipalName: string;
  initiatedByUserPrincipalName: string;
  action: RemoteAction;
  requestMs: number;
  category: "single" | "bulk";
  bulkDeviceActionId: string | null;
  /** The device action this audit follows: its state is the audit's state. */
  tracked: ActionRecord;
}

export type DeviceTrait = DeviceKind | "pendingReset" | "silentWipe";

export class Fleet {
  /** The generated devices (indexes 0..size-1), then the scenario set. */
  readonly devices: DeviceRecord[];
  readonly users: User[];
  /** What the scenario set's records say (ids they store instead of deriving). */
  private readonly scenario: Map<DeviceRecord, ScenarioRecord>;
  readonly audits: AuditRecord[] = [];
  private readonly byId = new Map<string, DeviceRecord>();
  private readonly inFlight = new Set<DeviceRecord>();
  /** The last `settle`: its time and the version it left (see settle). */
  private settled = { at: Number.NaN, version: -1 };
  /** Bumped on every change a cached query result could depend on (time-dependent queries add a time bucket). */
  version = 0;
  liveCount: number;
  private syncCounter = 0;
  /** On-demand remediation runs and the WinRE they change (remediation-runs.ts). */
  readonly remediations = new RemediationRuns();
  /** Group tags and users set with updateDeviceProperties, and the profile catching up (group-tags.ts). */
  readonly groupTags = new GroupTagChanges();

  /** `withScenario`: append the scenario set (scenario.ts) after the `size` generated devices. */
  constructor(readonly seed: number, readonly size: number, createdMs: number, readonly fidelity: Fidelity = new Fidelity(), withScenario = true) {
    const { users, devices } = generateFleet(seed, size, createdMs);
    const scenario = withScenario ? generateScenario(seed, size, users, createdMs) : { users: [], devices: [], records: new Map() };
    this.users = [...users, ...scenario.users];
    this.devices = [...devices, ...scenario.devices];
    this.scenario = scenario.records;
    for (const d of this.devices) this.byId.set(d.id, d);
    this.liveCount = this.devices.length;
    this.seedHistory(createdMs);
  }

  /** A handful of old, finished resets so the audit log and a few devices have history. */
  private seedHistory(createdMs: number): void {
    const rng = mulberry32(mix(this.seed, 0xa0d17));
    const count = Math.min(5, Math.floor(this.size / 20));
    for (let i = 0; i < count; i++) {
      const d = this.devices[12 + Math.floor(rng() * (this.size - 12))];
      if (!d || d.kind !== "eligible" || d.actions) continue;
      const start = createdMs - (2 + Math.floor(rng() * 40)) * 86_400_000;
      const action: ActionRecord = {
        actionName: "wipe", actionState: "done", startMs: start, updatedMs: start + 3_600_000, activeMs: start + 3_570_000,
        keepEnrollmentData: true, keepUserData: false,
      };
      d.actions = [action];
      this.audits.push({
        id: guid(rng), device: d, deviceDisplayName: d.deviceName,
        deviceOwnerUserPrincipalName: this.userOf(d)?.userPrincipalName ?? "",
        initiatedByUserPrincipalName: "IsaiahL@contoso.onmicrosoft.com", action: "factoryResetKeepEnrollmentData",
        requestMs: start, category: "single", bulkDeviceActionId: null, tracked: action,
      });
    }
    this.audits.sort((a, b) => a.requestMs - b.requestMs);
  }

  get(id: string): DeviceRecord | undefined {
    return this.byId.get(id.toLowerCase());
  }

  userOf(d: DeviceRecord): User | undefined {
    return d.userIndex >= 0 ? this.users[d.userIndex] : undefined;
  }

  /** managedDevice.azureADDeviceId. */
  azureADDeviceId(d: DeviceRecord): string {
    return this.scenario.get(d)?.azureADDeviceId ?? azureADDeviceIdOf(this.seed, d);
  }

  /** The hardware's Autopilot (ZTD) id: the identity's id, and the Entra device's `[ZTDId]` physical id. */
  autopilotId(d: DeviceRecord): string {
    return this.scenario.get(d)?.ztdId ?? autopilotIdOf(this.seed, d);
  }

  /** Whether the Autopilot identity list has a row for this managed device. */
  hasAutopilotIdentity(d: DeviceRecord): boolean {
    const s = this.scenario.get(d);
    return s ? s.identity !== null : autopilotEnrolledOf(d);
  }

  /** The identity's azureActiveDirectoryDeviceId (for a device that has one). */
  autopilotAzureADDeviceId(d: DeviceRecord): string {
    return this.scenario.get(d)?.identity?.azureActiveDirectoryDeviceId ?? this.azureADDeviceId(d);
  }

  /** The deviceId of the Entra device object the directory holds for this record. */
  entraDeviceId(d: DeviceRecord): string {
    return this.scenario.get(d)?.entraDeviceId ?? this.azureADDeviceId(d);
  }

  /**
   * managedDevice.enrollmentProfileName: the device preparation policy's name or the classic profile's displayName
   * (docs/graph.md, "Autopilot device preparation"); null for a device no profile enrolled.
   */
  enrollmentProfileName(d: DeviceRecord): string | null {
    const s = this.scenario.get(d);
    if (s) return s.enrollmentProfileName;
    return autopilotEnrolledOf(d) ? classicProfileForTag(d.groupTag)?.displayName ?? null : null;
  }

  /** The other Intune record of a re-enrolled device (scenario pairs), or null. */
  pairedDevice(d: DeviceRecord): DeviceRecord | null {
    return this.scenario.get(d)?.paired ?? null;
  }

  isScenario(d: DeviceRecord): boolean {
    return this.scenario.has(d);
  }

  /** The latest check-in at or before `now`. */
  lastSyncMs(d: DeviceRecord, now: number): number {
    if (!d.online) return d.lastCheckinMs;
    const scheduled = now - mod(now - d.phaseMs, CHECKIN_PERIOD_MS);
    return Math.max(scheduled, d.lastCheckinMs);
  }

  /** The first scheduled check-in strictly after `t`. */
  nextScheduledAfter(d: DeviceRecord, t: number): number {
    return t + (CHECKIN_PERIOD_MS - mod(t - d.phaseMs, CHECKIN_PERIOD_MS));
  }

  /** Runs due events of every device with something in flight. Returns true when anything changed. */
  settle(now: number): boolean {
    // Graph answers a $batch's sub-requests, and a page's many reads, within the same millisecond: once every event
    // due by `now` is applied and nothing has changed since, settling again at `now` finds nothing to do.
    if (now === this.settled.at && this.version === this.settled.version) return false;
    let changed = false;
    for (const d of this.inFlight) {
      if (this.settleDevice(d, now)) changed = true;
      if (!this.hasWork(d)) this.inFlight.delete(d);
    }
    if (changed) this.version++;
    this.settled = { at: now, version: this.version };
    return changed;
  }

  private hasWork(d: DeviceRecord): boolean {
    if (d.deleted) return false;
    return d.pendingCheckinMs !== 0 || (d.actions?.some(isInFlight) ?? false) || this.remediations.hasWork(d);
  }

  private settleDevice(d: DeviceRecord, now: number): boolean {
    if (!d.online || d.deleted) return false;
    let changed = false;
    // Each pass applies the earliest due event; a device has at most a few (check-in, activation, completion).
    for (let guard = 0; guard < 8; guard++) {
      let next = Infinity;
      let finishing: ActionRecord | undefined;
      if (d.pendingCheckinMs) next = d.pendingCheckinMs;
      for (const a of d.actions ?? []) {
        if (a.actionState === "pending") next = Math.min(next, this.nextScheduledAfter(d, Math.max(a.startMs, d.onlineSinceMs)));
        if (a.actionState === "active" && a.activeMs + RESET_DURATION_MS < next) {
          next = a.activeMs + RESET_DURATION_MS;
          finishing = a;
        }
      }
      if (next > now) break;
      if (finishing) this.finishWipe(d, finishing, next);
      else this.checkIn(d, next);
      changed = true;
    }
    return changed;
  }

  /** The device contacts Intune at time t: it picks up pending actions. */
  private checkIn(d: DeviceRecord, t: number): void {
    d.lastCheckinMs = Math.max(d.lastCheckinMs, t);
    if (d.pendingCheckinMs && d.pendingCheckinMs <= t) d.pendingCheckinMs = 0;
    this.remediations.checkIn(d, t);
    for (const a of d.actions ?? []) {
      if (a.actionState !== "pending" || a.startMs > t) continue;
      if (a.actionName === "syncDevice") {
        a.actionState = "done";
        a.updatedMs = t;
      } else {
        a.actionState = "active";
        a.activeMs = t;
        a.updatedMs = t;
      }
    }
  }

  private finishWipe(d: DeviceRecord, a: ActionRecord, t: number): void {
    a.updatedMs = t;
    const windows = platformOf(d) === "Windows";
    if (a.keepEnrollmentData && (!windows || d.kind === "hybrid" || !autopilotEnrolledOf(d) || enrolledByDevicePreparation(d))) {
      a.actionState = "notSupported";
      d.managementState = "managed";
    } else if (windows && this.remediations.winreDisabled(d)) {
      a.actionState = "failed";
      d.managementState = "wipeFailed";
    } else {
      a.actionState = "done";
      d.managementState = "managed";
      d.userIndex = -1;
      d.lastCheckinMs = t;
    }
  }

  private record(d: DeviceRecord, action: ActionRecord): void {
    const list = d.actions ?? (d.actions = []);
    const i = list.findIndex((a) => a.actionName === action.actionName);
    if (i >= 0) list[i] = action;
    else list.push(action);
  }

  /** Accepts a wipe command. Returns the action it tracks (a duplicate tracks the one already in flight). */
  wipe(
    d: DeviceRecord,
    options: { keepEnrollmentData: boolean; keepUserData: boolean },
    now: number,
    initiatedBy: string,
    category: "single" | "bulk",
    bulkDeviceActionId: string | null,
  ): ActionRecord {
    let action = actionOf(d, "wipe");
    if (!isInFlight(action)) {
      action = {
        actionName: "wipe", actionState: "pending", startMs: now, updatedMs: now, activeMs: 0,
        keepEnrollmentData: options.keepEnrollmentData, keepUserData: options.keepUserData,
      };
      this.record(d, action);
      d.managementState = "wipePending";
      if (d.online) this.requestCheckin(d, now + this.jitter(d, WIPE_PUSH_MIN_MS, WIPE_PUSH_MAX_MS));
    }
    this.audits.push({
      id: randomUUID(),
      device: d,
      deviceDisplayName: d.deviceName,
      deviceOwnerUserPrincipalName: this.userOf(d)?.userPrincipalName ?? "",
      initiatedByUserPrincipalName: initiatedBy,
      action: options.keepEnrollmentData ? "factoryResetKeepEnrollmentData" : "factoryReset",
      requestMs: now,
      category,
      bulkDeviceActionId,
      tracked: action!,
    });
    this.inFlight.add(d);
    this.version++;
    return action!;
  }

  sync(d: DeviceRecord, now: number): void {
    const existing = actionOf(d, "syncDevice");
    if (!isInFlight(existing)) {
      this.record(d, {
        actionName: "syncDevice", actionState: "pending", startMs: now, updatedMs: now, activeMs: 0,
        keepEnrollmentData: false, keepUserData: false,
      });
    }
    if (d.online) this.requestCheckin(d, now + this.jitter(d, SYNC_CHECKIN_MIN_MS, SYNC_CHECKIN_MAX_MS));
    this.inFlight.add(d);
    this.version++;
  }

  /** initiateOnDemandProactiveRemediation: pushed to an online device, which runs it a few minutes later. */
  runRemediation(d: DeviceRecord, policyId: string, winre: boolean, now: number): RunState {
    const run = this.remediations.start(d, policyId, winre, now);
    if (run.delivered) this.requestCheckin(d, now + this.jitter(d, REMEDIATION_PUSH_MIN_MS, REMEDIATION_PUSH_MAX_MS));
    this.inFlight.add(d);
    this.version++;
    return run;
  }

  /** Control: the device checks in now (even if it has nothing due). */
  checkInNow(d: DeviceRecord, now: number): void {
    if (!d.online || d.kind === "staleDuplicate") return;
    this.settleDevice(d, now);
    this.checkIn(d, now);
    this.inFlight.add(d);
    this.version++;
  }

  /** Control: an offline device comes back; it checks in at once and then on its schedule. */
  bringOnline(d: DeviceRecord, now: number): void {
    // A stale duplicate's hardware checks in under its new record: this one never comes back.
    if (d.kind === "staleDuplicate") return;
    if (!d.online) {
      d.online = true;
      d.phaseMs = mod(now, CHECKIN_PERIOD_MS);
      d.onlineSinceMs = now;
      d.pendingCheckinMs = 0;
    }
    this.checkInNow(d, now);
  }

  delete(d: DeviceRecord): void {
    if (d.deleted) return;
    d.deleted = true;
    this.byId.delete(d.id);
    this.inFlight.delete(d);
    this.liveCount--;
    this.version++;
  }

  /** The device's kind from generation, except that "eligible" only while it is (and an offline device brought online becomes so). */
  traits(d: DeviceRecord): DeviceTrait[] {
    const traits: DeviceTrait[] = [];
    if (d.kind !== "eligible") traits.push(d.kind);
    if (this.isEligibleNow(d)) traits.push("eligible");
    if (isInFlight(actionOf(d, "wipe"))) traits.push("pendingReset");
    if (this.silentWipe(d)) traits.push("silentWipe");
    return traits;
  }

  hasTrait(d: DeviceRecord, trait: DeviceTrait): boolean {
    if (trait === "eligible") return this.isEligibleNow(d);
    if (trait === "pendingReset") return isInFlight(actionOf(d, "wipe"));
    if (trait === "silentWipe") return this.silentWipe(d);
    return d.kind === trait;
  }

  /** Graph leaves this device's wipes out of deviceActionResults (fidelity switch silentWipes). */
  silentWipe(d: DeviceRecord): boolean {
    const mode = this.fidelity.silentWipes;
    return mode === "all" || (mode === "some" && this.inSilentSubset(d));
  }

  /**
   * About 1 in 4 devices, fixed per seed. In the kind cycle (the first 12) it is devices 2, 6 and 10, so even a tiny
   * fleet has a silent eligible device (6) while the first device of each kind keeps the documented behaviour. The
   * scenario set is never in it.
   */
  private inSilentSubset(d: DeviceRecord): boolean {
    if (this.scenario.has(d)) return false;
    if (d.index < KIND_CYCLE) return d.index % 4 === 2;
    return mix(mix(this.seed, d.index), SILENT_SALT) % 4 === 0;
  }

  /**
   * Eligible now: an online, Entra joined, Autopilot registered Windows device with WinRE and no reset in flight, whose
   * records agree (the current record of a re-enrolled device is; its stale twin is not).
   */
  isEligibleNow(d: DeviceRecord): boolean {
    const kind = d.kind === "eligible" || d.kind === "reenrolled" || (d.kind === "offline" && d.online);
    return kind && d.online && !isInFlight(actionOf(d, "wipe"));
  }

  /** Autopilot identity enrollmentState, following the device's reset. */
  autopilotEnrollmentState(d: DeviceRecord): "enrolled" | "pendingReset" {
    return isInFlight(actionOf(d, "wipe")) ? "pendingReset" : "enrolled";
  }

  private requestCheckin(d: DeviceRecord, at: number): void {
    d.pendingCheckinMs = d.pendingCheckinMs ? Math.min(d.pendingCheckinMs, at) : at;
  }

  private jitter(d: DeviceRecord, min: number, max: number): number {
    const rng = mulberry32(mix(mix(this.seed, d.index), ++this.syncCounter));
    return min + Math.floor(rng() * (max - min));
  }

  /** Autopilot identities registered but never enrolled (no managed device): 1 per 50 devices. */
  orphanAutopilotCount(): number {
    return Math.floor(this.size / 50);
  }

  orphanAutopilotId(n: number): string {
    return derivedGuid(this.seed, n, 3);
  }
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
