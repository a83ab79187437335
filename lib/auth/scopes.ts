/**
 * Delegated Graph scopes the console asks for, as resource URIs (docs/graph.md, "Scopes and Intune roles").
 * Read scopes are needed by every page; PrivilegedOperations is needed for Autopilot Reset (wipe) and Sync.
 */
const GRAPH_RESOURCE = "https://graph.microsoft.com/";

export const SCOPE_NAMES = {
  readDevices: "DeviceManagementManagedDevices.Read.All",
  /** Also lets a caller read devices; the console never asks for it, but a token may carry it. */
  readWriteDevices: "DeviceManagementManagedDevices.ReadWrite.All",
  privilegedOperations: "DeviceManagementManagedDevices.PrivilegedOperations.All",
  readServiceConfig: "DeviceManagementServiceConfig.Read.All",
  /** Changing an Autopilot device's group tag (updateDeviceProperties, docs/graph.md, "Changing the group tag"); asked for on use. */
  writeServiceConfig: "DeviceManagementServiceConfig.ReadWrite.All",
  readRbac: "DeviceManagementRBAC.Read.All",
  /**
   * The tenant's device preparation policies (settings catalog), which tell Autopilot device preparation from classic
   * Autopilot (docs/graph.md, "Autopilot device preparation"); admin-consented once, never asked for interactively.
   */
  readConfiguration: "DeviceManagementConfiguration.Read.All",
  /**
   * The WinRE remediation package: find it among the tenant's remediation packages (deviceHealthScripts, which need
   * this scope since September 2025: docs/graph.md, "Remediations on demand (WinRE)"); admin-consented once, never
   * asked for interactively, like readConfiguration.
   */
  readScripts: "DeviceManagementScripts.Read.All",
  /** A person's devices: find the user (the narrowest scope that lists users; basic profile only). */
  readUsersBasic: "User.ReadBasic.All",
  /** An Entra group's devices: read the group and its (transitive) members. */
  readGroupMembers: "GroupMember.Read.All",
  /**
   * An Entra group's devices: without it Graph answers device members with their object id only ("limited
   * information"), and only a device's deviceId (Intune's azureADDeviceId) leads to its managed device.
   */
  readDirectoryDevices: "Device.Read.All",
  /** A device's BitLocker recovery keys without the key (docs/graph.md, "BitLocker recovery keys"); asked for on use. */
  readBitlockerBasic: "BitlockerKey.ReadBasic.All",
  /** The recovery key itself, an audited read; asked for on use, with readBitlockerBasic. */
  readBitlockerKeys: "BitlockerKey.Read.All",
} as const;

export type ScopeName = (typeof SCOPE_NAMES)[keyof typeof SCOPE_NAMES];

function graphScope(name: ScopeName): string {
  return `${GRAPH_RESOURCE}${name}`;
}

/** Reads the profile of the signed-in user; needs no admin consent. */
const USER_READ_SCOPE = `${GRAPH_RESOURCE}User.Read`;

/**
 * Asked for at sign-in: only what reading needs. PrivilegedOperations (wipe, sync) is asked for incrementally, the
 * first time the user resets or syncs (PRIVILEGED_SCOPES), so a user who only looks is never asked for it.
 */
export const LOGIN_SCOPES: string[] = [
  graphScope(SCOPE_NAMES.readDevices),
  graphScope(SCOPE_NAMES.readServiceConfig),
  graphScope(SCOPE_NAMES.readRbac),
  USER_READ_SCOPE,
];

/** Asked for when the user resets or syncs a device. */
export const PRIVILEGED_SCOPES: string[] = [graphScope(SCOPE_NAMES.privilegedOperations)];

/**
 * Asked for incrementally, only when the user opens "A person's devices" (docs/product.md, "Journey 7: start from what
 * the ticket names"); the sign-in never asks for it.
 */
export const PERSON_SOURCE_SCOPES: string[] = [graphScope(SCOPE_NAMES.readUsersBasic)];

/** Asked for incrementally, only when the user opens "An Entra group's devices". */
export const GROUP_SOURCE_SCOPES: string[] = [graphScope(SCOPE_NAMES.readGroupMembers), graphScope(SCOPE_NAMES.readDirectoryDevices)];

/**
 * Asked for incrementally, only when the user opens a device's "BitLocker recovery keys" section; the sign-in never
 * asks for them. Both need admin consent.
 */
export const BITLOCKER_SCOPES: string[] = [graphScope(SCOPE_NAMES.readBitlockerBasic), graphScope(SCOPE_NAMES.readBitlockerKeys)];

/** Asked for incrementally, only when the user changes a device's Autopilot group tag; the sign-in never asks for it. */
export const GROUP_TAG_SCOPES: string[] = [graphScope(SCOPE_NAMES.writeServiceConfig)];

/**
 * Asked for silently. Entra (and the emulator) put every consented scope of the resource in the token, so asking for
 * the read scope alone returns a token that also carries PrivilegedOperations when the tenant granted it, and MSAL's
 * cache answers later calls without a network round trip.
 */
export const TOKEN_SCOPES: string[] = [graphScope(SCOPE_NAMES.readDevices)];

/**
 * Whether a set of granted scopes (as MSAL reports them: bare names or resource URIs, any case) contains `name`.
 */
export function hasScope(granted: readonly string[], name: ScopeName): boolean {
  const wanted = name.toLowerCase();
  return granted.some((scope) => {
    const bare = scope.toLowerCase().replace(/^https:\/\/graph\.microsoft\.com\//, "");
    return bare === wanted;
  });
}
