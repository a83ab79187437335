/**
 * Do a device's records agree? (docs/graph.md, "Records that must agree".) One physical device can have several Intune
 * records after it was re-enrolled, and a serial number can match a stale one; a reset must go to the record the
 * device is using now. The Intune record (id, serial, azureADDeviceId) and the Autopilot identity (serial,
 * managedDeviceId, azureActiveDirectoryDeviceId) must name each other. Pure.
 */
import type { Device } from "./types";

/** The Autopilot identity's fields that tie it to one Intune record and one Entra device. */
export interface AutopilotLink {
  serialNumber: string;
  /** The Intune record the identity points at ("" or the zero GUID: none). */
  managedDeviceId: string;
  /** The Entra device's deviceId as Autopilot knows it ("" or the zero GUID: none). */
  azureActiveDirectoryDeviceId: string;
}

/** Another Intune record with the same serial number. */
export interface SiblingRecord {
  id: string;
  deviceName: string;
  lastSyncDateTime: string | null;
  userPrincipalName: string | null;
}

export type RecordsVerdict =
  | { agree: true }
  | { agree: false; reason: "not-current-record"; message: string; currentDeviceId?: string }
  | { agree: false; reason: "records-disagree"; message: string };

const ZERO_GUID = "00000000-0000-0000-0000-000000000000";
const norm = (value: string | null | undefined) => {
  const v = (value ?? "").trim().toLowerCase();
  return v === ZERO_GUID ? "" : v;
};

/**
 * For a device Intune says is registered with Autopilot: the identities Graph found for its serial (contains() also
 * matches longer serials: only exact ones count).
 */
export function recordsAgree(device: Pick<Device, "id" | "serialNumber" | "azureADDeviceId">, identities: readonly AutopilotLink[]): RecordsVerdict {
  const serial = norm(device.serialNumber);
  if (!serial) {
    return {
      agree: false,
      reason: "records-disagree",
      message: "Intune has no serial number for this device, so its Windows Autopilot record cannot be matched to it.",
    };
  }
  const exact = identities.filter((i) => norm(i.serialNumber) === serial);
  if (exact.length === 0) {
    return {
      agree: false,
      reason: "records-disagree",
      message: "Intune says this device is registered with Windows Autopilot, but no Autopilot record has its serial number.",
    };
  }
  if (exact.length > 1) {
    return {
      agree: false,
      reason: "records-disagree",
      message: `${exact.length} Windows Autopilot records share this device's serial number, so which one is this device is not known. Nothing is sent until only one remains.`,
    };
  }
  const identity = exact[0]!;
  const pointsAt = norm(identity.managedDeviceId);
  if (pointsAt && pointsAt !== norm(device.id)) {
    return {
      agree: false,
      reason: "not-current-record",
      message: "This Intune record is not the one the device uses now: its Windows Autopilot record points to another Intune record with the same serial number. Open the current record to reset the device.",
      currentDeviceId: identity.managedDeviceId.trim(),
    };
  }
  const entra = norm(identity.azureActiveDirectoryDeviceId);
  if (entra && norm(device.azureADDeviceId) && entra !== norm(device.azureADDeviceId)) {
    return {
      agree: false,
      reason: "records-disagree",
      message: "This device's Intune record and its Windows Autopilot record name different Microsoft Entra devices, so it is not certain which device a reset would reach.",
    };
  }
  return { agree: true };
}

/** The other records with the device's serial, newest check-in first ("2 Intune records share this serial"). */
export function newestFirst<T extends SiblingRecord>(records: readonly T[]): T[] {
  const time = (r: SiblingRecord) => (r.lastSyncDateTime ? Date.parse(r.lastSyncDateTime) || 0 : 0);
  return [...records].sort((a, b) => time(b) - time(a));
}
