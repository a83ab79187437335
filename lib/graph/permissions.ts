/**
 * What the signed-in admin's Intune role lets them do, from beta getEffectivePermissions (docs/graph.md, "Scopes and
 * Intune roles"; graph-docs intune-shared-devicemanagement-geteffectivepermissions): a rolePermission collection whose
 * resourceActions carry allowedResourceActions / notAllowedResourceActions such as Microsoft.Intune_RemoteTasks_Wipe.
 * Older answers carry a flat "actions" list; both are read. Wildcards ("*", "Microsoft.Intune_RemoteTasks_*") are
 * honoured.
 */
import type { Client } from "@microsoft/microsoft-graph-client";

export const PERMISSION_READ_DEVICES = "Microsoft.Intune_ManagedDevices_Read";
export const PERMISSION_WIPE = "Microsoft.Intune_RemoteTasks_Wipe";
export const PERMISSION_SYNC = "Microsoft.Intune_RemoteTasks_SyncDevice";
/** Remote tasks: Run remediation; the string getEffectivePermissions uses for it is UNVERIFIED (docs/graph.md, "Remediations on demand (WinRE)"). */
export const PERMISSION_RUN_REMEDIATION = "Microsoft.Intune_RemoteTasks_RunRemediation";

export interface RolePermissions {
  canRead: boolean;
  canWipe: boolean;
  canSync: boolean;
}

interface RawRolePermission {
  actions?: string[] | null;
  resourceActions?: { allowedResourceActions?: string[] | null; notAllowedResourceActions?: string[] | null }[] | null;
}

/** Intune writes these both as Microsoft.Intune_RemoteTasks_Wipe and Microsoft.Intune/RemoteTasks/Wipe. */
function canonical(action: string): string {
  return action.trim().toLowerCase().replace(/[/_]/g, "_");
}

function grants(pattern: string, permission: string): boolean {
  const wanted = canonical(permission);
  const given = canonical(pattern);
  if (given === "*") return true;
  if (given.endsWith("*")) return wanted.startsWith(given.slice(0, -1));
  return given === wanted;
}

/** Whether the role's answer grants one permission (allowed, and not denied, wildcards honoured). */
export function roleGrants(value: readonly RawRolePermission[], permission: string): boolean {
  return mayFrom(value)(permission);
}

export function rolePermissionsFrom(value: readonly RawRolePermission[]): RolePermissions {
  const may = mayFrom(value);
  return { canRead: may(PERMISSION_READ_DEVICES), canWipe: may(PERMISSION_WIPE), canSync: may(PERMISSION_SYNC) };
}

function mayFrom(value: readonly RawRolePermission[]): (permission: string) => boolean {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const permission of value) {
    allowed.push(...(permission.actions ?? []));
    for (const resourceAction of permission.resourceActions ?? []) {
      allowed.push(...(resourceAction.allowedResourceActions ?? []));
      denied.push(...(resourceAction.notAllowedResourceActions ?? []));
    }
  }
  return (permission: string) =>
    allowed.some((pattern) => grants(pattern, permission)) && !denied.some((pattern) => grants(pattern, permission));
}

/**
 * The scope parameter is undocumented ("Not yet documented"); scope='*' (the whole tenant) is what the Intune portal
 * is reported to send. UNVERIFIED against a real tenant.
 */
export async function getEffectivePermissions(client: Client): Promise<RolePermissions> {
  return rolePermissionsFrom(await readEffectivePermissions(client));
}

/** Whether the signed-in admin's Intune role includes Remote tasks: Run remediation. */
export async function mayRunRemediation(client: Client): Promise<boolean> {
  return roleGrants(await readEffectivePermissions(client), PERMISSION_RUN_REMEDIATION);
}

async function readEffectivePermissions(client: Client): Promise<RawRolePermission[]> {
  const response: { value?: RawRolePermission[] } = await client
    .api("/deviceManagement/getEffectivePermissions(scope='*')")
    .version("beta")
    .get();
  return response.value ?? [];
}

/**
 * The delegated scopes the token says it carries (its scp claim), read without verifying it: only a hint for the UI
 * ("the app lacks consent for X") before the user clicks; Graph enforces the real thing. Undefined when the token
 * cannot be read (Microsoft may encrypt Graph tokens some day; then only Graph's 403 tells).
 */
export function scopesInToken(accessToken: string): string[] | undefined {
  const payload = accessToken.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const scp = claims && typeof claims === "object" ? (claims as { scp?: unknown }).scp : undefined;
    return typeof scp === "string" ? scp.split(" ").filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}
