/**
 * Delegated Graph scopes the console asks for, as resource URIs (GRAPH.md §2).
 * Read scopes are needed by every page; PrivilegedOperations is needed for Autopilot Reset (wipe) and Sync.
 */
export const GRAPH_RESOURCE = "https://graph.microsoft.com/";

export const SCOPE_NAMES = {
  readDevices: "DeviceManagementManagedDevices.Read.All",
  privilegedOperations: "DeviceManagementManagedDevices.PrivilegedOperations.All",
  readServiceConfig: "DeviceManagementServiceConfig.Read.All",
  readRbac: "DeviceManagementRBAC.Read.All",
} as const;

export type ScopeName = (typeof SCOPE_NAMES)[keyof typeof SCOPE_NAMES];

export function graphScope(name: ScopeName): string {
  return `${GRAPH_RESOURCE}${name}`;
}

/** Asked for at sign-in, so a real tenant's consent prompt lists every scope at once. */
export const LOGIN_SCOPES: string[] = Object.values(SCOPE_NAMES).map(graphScope);

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
