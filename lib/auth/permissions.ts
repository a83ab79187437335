import { hasScope, SCOPE_NAMES } from "./scopes";
import type { DeviceAction } from "@/lib/devices/types";

/** What the signed-in admin may do (lib/actions/permissions.ts reads it from Graph). */
export interface MyPermissions {
  canRead: boolean;
  canWipe: boolean;
  canSync: boolean;
  /** What the Intune role alone allows (before consent is considered). */
  role: { canRead: boolean; canWipe: boolean; canSync: boolean };
  /** Scopes the app needs that the token does not carry (admin consent missing); empty when all are there or unknown. */
  missingScopes: string[];
}

export type Permission = { allowed: true } | { allowed: false; kind: "consent" | "role"; message: string };

export const CONSENT_MESSAGE = `This app hasn't been granted ${SCOPE_NAMES.privilegedOperations} in your tenant: an admin must consent.`;
/** A reason with its next step: who can change it, and how the ticket still moves today. */
export const RESET_ROLE_MESSAGE =
  "Your Intune role doesn't allow Autopilot Reset (needs Remote tasks: Wipe). Next step: ask your Intune administrator to add it to your role, or pass the ticket to a colleague whose role has it.";
export const SYNC_ROLE_MESSAGE =
  "Your Intune role doesn't allow Sync (needs Remote tasks: Sync devices). Next step: ask your Intune administrator to add it to your role, or pass the ticket to a colleague whose role has it.";

/**
 * May the signed-in admin send this action at all? Consent is checked first: without the scope no Intune role helps,
 * and only an admin of the tenant can fix it. Unknown (still loading) counts as allowed; the server refuses anyway.
 */
export function actionPermission(
  action: DeviceAction,
  permissions: Pick<MyPermissions, "canWipe" | "canSync"> | undefined,
  grantedScopes: readonly string[] | null,
): Permission {
  if (grantedScopes && !hasScope(grantedScopes, SCOPE_NAMES.privilegedOperations)) {
    return { allowed: false, kind: "consent", message: CONSENT_MESSAGE };
  }
  if (permissions) {
    if (action === "reset" && !permissions.canWipe) return { allowed: false, kind: "role", message: RESET_ROLE_MESSAGE };
    if (action === "sync" && !permissions.canSync) return { allowed: false, kind: "role", message: SYNC_ROLE_MESSAGE };
  }
  return { allowed: true };
}
