/**
 * Compact in-memory device records. Anything derivable (Graph enums, secondary GUIDs, model strings) is computed on
 * read instead of stored, so 100,000 devices stay small. Every record is built by one factory, in one property order,
 * so V8 keeps a single hidden class for all of them.
 */
import type { Platform } from "./catalog";
import { ALL_MODELS } from "./catalog";

/** The kinds the generator draws the fleet from. */
export type GeneratedKind = "eligible" | "hybrid" | "notAutopilot" | "winreDisabled" | "offline" | "nonWindows";
export const DEVICE_KINDS: readonly GeneratedKind[] = ["eligible", "hybrid", "notAutopilot", "winreDisabled", "offline", "nonWindows"];

/**
 * The kinds of the scenario set appended after the generated fleet (scenario.ts): devices whose records a console must
 * read together before it resets anything (docs/graph.md, "Autopilot device preparation" and "Records that must agree").
 */
export type ScenarioKind =
  | "devicePreparation" | "devicePreparationRegistered" | "profileNameCollision" | "reenrolled" | "staleDuplicate" | "entraMismatch";
export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  "devicePreparation", "devicePreparationRegistered", "profileNameCollision", "reenrolled", "staleDuplicate", "entraMismatch",
];

/** The device's fixed nature, chosen at generation: what tests ask for by trait. Exclusive by design. */
export type DeviceKind = GeneratedKind | ScenarioKind;

export type ActionStateName = "none" | "pending" | "canceled" | "active" | "done" | "failed" | "notSupported";

export interface ActionRecord {
  actionName: "wipe" | "syncDevice";
  actionState: ActionStateName;
  startMs: number;
  updatedMs: number;
  /** When the device picked the action up (wipe only). */
  activeMs: number;
  keepEnrollmentData: boolean;
  keepUserData: boolean;
}

export interface User {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
}

export interface DeviceRecord {
  readonly index: number;
  readonly id: string;
  deviceName: string;
  serialNumber: string;
  /** Index into the fleet's users, -1 once an Autopilot Reset removed the primary user. */
  userIndex: number;
  /** The user who enrolled the device: its Entra registered owner and user, which a reset does not change. */
  readonly ownerIndex: number;
  modelIndex: number;
  osVersion: string;
  complianceState: "compliant" | "noncompliant" | "inGracePeriod" | "unknown";
  ownerType: "company" | "personal";
  kind: DeviceKind;
  /** Hybrid joined devices: some are registered with Autopilot (hybrid Autopilot), some are not. */
  hybridAutopilot: boolean;
  groupTag: string;
  enrolledMs: number;
  online: boolean;
  /** Offset of this device's 8-hour check-in schedule (ms, 0..period). */
  phaseMs: number;
  /** When an offline device came back (0: online from the start); scheduled check-ins before it never happened. */
  onlineSinceMs: number;
  /** Latest check-in outside the schedule (forced, sync, offline's last contact); 0 when none. */
  lastCheckinMs: number;
  /** A check-in that will happen at this emulator time (sync, push after wipe); 0 when none. */
  pendingCheckinMs: number;
  managementState: "managed" | "wipePending" | "wipeFailed";
  deleted: boolean;
  /** deviceActionResults, latest per actionName; null until the first action. */
  actions: ActionRecord[] | null;
}

export function createDeviceRecord(fields: Omit<DeviceRecord, "deleted" | "actions" | "pendingCheckinMs" | "managementState" | "onlineSinceMs" | "ownerIndex">): DeviceRecord {
  return {
    index: fields.index,
    id: fields.id,
    deviceName: fields.deviceName,
    serialNumber: fields.serialNumber,
    userIndex: fields.userIndex,
    ownerIndex: fields.userIndex,
    modelIndex: fields.modelIndex,
    osVersion: fields.osVersion,
    complianceState: fields.complianceState,
    ownerType: fields.ownerType,
    kind: fields.kind,
    hybridAutopilot: fields.hybridAutopilot,
    groupTag: fields.groupTag,
    enrolledMs: fields.enrolledMs,
    online: fields.online,
    phaseMs: fields.phaseMs,
    onlineSinceMs: 0,
    lastCheckinMs: fields.lastCheckinMs,
    pendingCheckinMs: 0,
    managementState: "managed",
    deleted: false,
    actions: null,
  };
}

export function modelOf(d: DeviceRecord) {
  return ALL_MODELS[d.modelIndex]!;
}

export function platformOf(d: DeviceRecord): Platform {
  return modelOf(d).platform;
}

export function joinTypeOf(d: DeviceRecord): "azureADJoined" | "hybridAzureADJoined" | "azureADRegistered" {
  if (d.kind === "hybrid") return "hybridAzureADJoined";
  if (d.kind === "nonWindows") return "azureADRegistered";
  return "azureADJoined";
}

export function autopilotEnrolledOf(d: DeviceRecord): boolean {
  if (d.kind === "notAutopilot" || d.kind === "nonWindows" || d.kind === "devicePreparation") return false;
  if (d.kind === "hybrid") return d.hybridAutopilot;
  return true;
}

/**
 * Enrolled through an Autopilot device preparation policy, which has no Autopilot Reset. For a profileNameCollision
 * device Graph cannot tell; the emulator's truth is device preparation (emulator/README.md, "Choices where the facts
 * are silent").
 */
export function enrolledByDevicePreparation(d: DeviceRecord): boolean {
  return d.kind === "devicePreparation" || d.kind === "devicePreparationRegistered" || d.kind === "profileNameCollision";
}

export function actionOf(d: DeviceRecord, name: ActionRecord["actionName"]): ActionRecord | undefined {
  return d.actions?.find((a) => a.actionName === name);
}

export function isInFlight(a: ActionRecord | undefined): boolean {
  return a !== undefined && (a.actionState === "pending" || a.actionState === "active");
}
