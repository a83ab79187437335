/**
 * The console's own view of an Intune managed device: the Graph fields it uses (docs/graph.md, "The device record"),
 * nothing else.
 * lib/graph maps Graph's managedDevice (beta, which adds joinType, autopilotEnrolled, managementState) into this.
 */
import type {
  ActionState,
  ComplianceState,
  JoinType,
  ManagedDeviceOwnerType,
  ManagementState,
} from "@microsoft/microsoft-graph-types-beta";

export type { ActionState, ComplianceState, JoinType, ManagedDeviceOwnerType, ManagementState };

/** The two remote actions the console sends (docs/graph.md, "The two actions"): the one name for them everywhere. */
export const DEVICE_ACTIONS = ["reset", "sync"] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export interface DeviceActionResult {
  actionName: string;
  actionState: ActionState;
  startDateTime: string | null;
  lastUpdatedDateTime: string | null;
}

export interface Device {
  id: string;
  deviceName: string;
  /** The admin center's "Management name". */
  managedDeviceName: string | null;
  userPrincipalName: string | null;
  userDisplayName: string | null;
  operatingSystem: string;
  osVersion: string | null;
  complianceState: ComplianceState;
  ownerType: ManagedDeviceOwnerType;
  joinType: JoinType;
  /** Registered with Windows Autopilot (beta autopilotEnrolled). */
  autopilotEnrolled: boolean;
  managementState: ManagementState | null;
  lastSyncDateTime: string | null;
  enrolledDateTime: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  model: string | null;
  azureADDeviceId: string | null;
  /**
   * The Autopilot profile or device preparation policy the device enrolled with (docs/graph.md, "Autopilot device
   * preparation"); null when Intune names none.
   */
  enrollmentProfileName: string | null;
  /** Filled only by a single-device GET (docs/graph.md, "Action history (deviceActionResults)": empty in lists). */
  deviceActionResults: DeviceActionResult[];
}

/**
 * The values each grid filter takes, in the order its menu offers them: the server's schema (lib/actions/schemas.ts)
 * accepts exactly these and the URL state (components/devices/grid-url-state.ts) parses exactly these.
 */
export const COMPLIANCE_FILTER_VALUES = ["compliant", "noncompliant", "inGracePeriod", "conflict", "error", "unknown"] as const satisfies readonly ComplianceState[];
export const OWNERSHIP_FILTER_VALUES = ["company", "personal", "unknown"] as const satisfies readonly ManagedDeviceOwnerType[];
export const JOIN_TYPE_FILTER_VALUES = ["azureADJoined", "hybridAzureADJoined", "azureADRegistered", "unknown"] as const satisfies readonly JoinType[];
export const AUTOPILOT_FILTER_VALUES = ["registered", "notRegistered"] as const;
/** "Last check-in older than": 1, 7 or 30 days before the server's clock when the page is read. */
export const CHECK_IN_FILTER_VALUES = ["1d", "7d", "30d"] as const;
export const CHECK_IN_FILTER_DAYS: Record<(typeof CHECK_IN_FILTER_VALUES)[number], number> = { "1d": 1, "7d": 7, "30d": 30 };
/** Reset status, as the tenant's audit log of Autopilot Resets says (lib/devices/reset-status-filter.ts). */
export const RESET_STATUS_FILTER_VALUES = ["pending", "failed", "done"] as const;
/**
 * How the device was provisioned (lib/devices/provisioning.ts), judged from its enrollmentProfileName and the tenant's
 * names: no OData clause can say it, so the returned rows are checked (docs/graph.md, "Querying the device list").
 */
export const PROVISIONED_BY_FILTER_VALUES = ["autopilot", "device-preparation", "unknown"] as const;
/** OS version and model are matched as text (contains, case-insensitive), like the search; at most this long. */
export const TEXT_FILTER_MAX_LENGTH = 64;

/** The grid's filters; each maps to an OData clause or, where Graph has none, to a check on the returned rows. */
export interface DeviceFilters {
  compliance?: (typeof COMPLIANCE_FILTER_VALUES)[number];
  ownership?: (typeof OWNERSHIP_FILTER_VALUES)[number];
  joinType?: (typeof JOIN_TYPE_FILTER_VALUES)[number];
  autopilot?: (typeof AUTOPILOT_FILTER_VALUES)[number];
  checkIn?: (typeof CHECK_IN_FILTER_VALUES)[number];
  resetStatus?: (typeof RESET_STATUS_FILTER_VALUES)[number];
  provisionedBy?: (typeof PROVISIONED_BY_FILTER_VALUES)[number];
  osVersion?: string;
  model?: string;
}

/** The columns the grid sorts by (server-side, $orderby). */
export const SORT_FIELDS = ["deviceName", "userPrincipalName", "lastSyncDateTime", "osVersion", "complianceState"] as const;
export type DeviceSortField = (typeof SORT_FIELDS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export interface DeviceSort {
  field: DeviceSortField;
  direction: (typeof SORT_DIRECTIONS)[number];
}

/** One remoteActionAudit of a reset on a device (beta remoteActionAudits), as the reset checks need it. */
export interface ResetAudit {
  id: string;
  /** factoryResetKeepEnrollmentData, automaticRedeployment or factoryReset. */
  action: string;
  state: ActionState;
  requestedAt: string | null;
  initiatedBy: string | null;
}

/** A reset this console sent a moment ago (the server's short-lived record; Graph may not show it yet). */
export interface RecentReset {
  by: string;
  at: string;
}
