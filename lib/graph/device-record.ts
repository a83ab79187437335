/**
 * A managed device as Graph writes it and as the console reads it: the path, the fields read, the mapping, one
 * device's GET, and the shape of a grid page. Apart from lib/graph/devices.ts so the list paths and the batch reads
 * can share it without importing each other.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import type { Device, DeviceActionResult, DeviceFilters, DeviceSort } from "@/lib/devices/types";
import type { ClauseKey } from "@/lib/devices/search";
import type { ListTotal } from "@/lib/devices/list-count";

export const MANAGED_DEVICES_PATH = "/deviceManagement/managedDevices";

/**
 * The grid's fields; deviceActionResults is left out because a LIST carries it empty anyway (docs/graph.md,
 * "Action history (deviceActionResults)").
 */
export const DEVICE_LIST_SELECT = [
  "id",
  "deviceName",
  "managedDeviceName",
  "userPrincipalName",
  "userDisplayName",
  "operatingSystem",
  "osVersion",
  "complianceState",
  "managedDeviceOwnerType",
  "joinType",
  "autopilotEnrolled",
  "managementState",
  "lastSyncDateTime",
  "enrolledDateTime",
  "serialNumber",
  "manufacturer",
  "model",
  "azureADDeviceId",
  "enrollmentProfileName",
] as const;

export const DEVICE_DETAIL_SELECT = [...DEVICE_LIST_SELECT, "deviceActionResults"] as const;

/** Intune answers "0001-01-01T00:00:00Z" for a date it never had. */
function dateOrNull(value: string | null | undefined): string | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  return value;
}

function textOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" ? null : value;
}

function mapActionResult(raw: NonNullable<ManagedDevice["deviceActionResults"]>[number]): DeviceActionResult {
  return {
    actionName: raw.actionName ?? "",
    actionState: raw.actionState ?? "none",
    startDateTime: dateOrNull(raw.startDateTime),
    lastUpdatedDateTime: dateOrNull(raw.lastUpdatedDateTime),
  };
}

export function mapManagedDevice(raw: ManagedDevice): Device {
  return {
    id: raw.id ?? "",
    deviceName: raw.deviceName ?? "",
    managedDeviceName: textOrNull(raw.managedDeviceName),
    userPrincipalName: textOrNull(raw.userPrincipalName),
    userDisplayName: textOrNull(raw.userDisplayName),
    operatingSystem: raw.operatingSystem ?? "",
    osVersion: textOrNull(raw.osVersion),
    complianceState: raw.complianceState ?? "unknown",
    ownerType: raw.managedDeviceOwnerType ?? "unknown",
    joinType: raw.joinType ?? "unknown",
    autopilotEnrolled: raw.autopilotEnrolled ?? false,
    managementState: raw.managementState ?? null,
    lastSyncDateTime: dateOrNull(raw.lastSyncDateTime),
    enrolledDateTime: dateOrNull(raw.enrolledDateTime),
    serialNumber: textOrNull(raw.serialNumber),
    manufacturer: textOrNull(raw.manufacturer),
    model: textOrNull(raw.model),
    azureADDeviceId: textOrNull(raw.azureADDeviceId),
    enrollmentProfileName: textOrNull(raw.enrollmentProfileName),
    deviceActionResults: (raw.deviceActionResults ?? []).map(mapActionResult),
  };
}

export interface DevicePageQuery {
  search: string | null;
  filters: DeviceFilters;
  sort: DeviceSort | null;
  cursor: string | null;
  pageSize: number;
}

export interface DevicePage {
  devices: Device[];
  nextCursor: string | null;
  /** How many devices match, from Graph's @odata.count on a first page (lib/devices/list-count.ts); absent on later pages. */
  total?: ListTotal;
  /** Clauses a returned row broke: Graph ignored them (the rows were filtered here instead). */
  ignoredByGraph: ClauseKey[];
  /** False when a sort was asked for and the rows did not come back in that order (they are sorted per page here). */
  sortedByGraph: boolean;
}

/** One device with its action history (only a single GET carries deviceActionResults). */
export async function getManagedDevice(client: Client, deviceId: string): Promise<Device> {
  const raw: ManagedDevice = await client
    .api(`${MANAGED_DEVICES_PATH}/${encodeURIComponent(deviceId)}`)
    .version("beta")
    .select([...DEVICE_DETAIL_SELECT])
    .get();
  return mapManagedDevice(raw);
}

