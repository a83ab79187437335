"use server";
/**
 * What the signed-in admin may do: their Intune role (getEffectivePermissions) and, when the token shows it, whether
 * the tenant granted the app the scopes those actions need. canWipe/canSync are true only when both allow it;
 * missingScopes says when consent, not the role, is what is missing.
 */
import { z } from "zod";
import { PRIVILEGED_OPERATIONS_SCOPE, READ_DEVICES_SCOPE, READ_RBAC_SCOPE } from "@/lib/graph/device-actions";
import { getEffectivePermissions, scopesInToken } from "@/lib/graph/permissions";
import type { ActionResult } from "./result";
import { runAction } from "./define-action";

export interface MyPermissions {
  canRead: boolean;
  canWipe: boolean;
  canSync: boolean;
  /** What the Intune role alone allows (before consent is considered). */
  role: { canRead: boolean; canWipe: boolean; canSync: boolean };
  /** Scopes the app needs that the token does not carry (admin consent missing); empty when all are there or unknown. */
  missingScopes: string[];
}

const READ_ANY = [READ_DEVICES_SCOPE, "DeviceManagementManagedDevices.ReadWrite.All"];

export async function getMyPermissions(accessToken: string, input?: unknown): Promise<ActionResult<MyPermissions>> {
  return runAction(
    {
      name: "getMyPermissions",
      input: z.unknown(),
      errors: { operation: "read your Intune permissions", requiredScope: READ_RBAC_SCOPE, rolePermission: "Roles / Read" },
      handler: async (_parsed, { graph, accessToken: token }): Promise<MyPermissions> => {
        const role = await getEffectivePermissions(graph);
        const scopes = scopesInToken(token);
        const has = (scope: string) => scopes === undefined || scopes.some((granted) => granted.toLowerCase() === scope.toLowerCase());
        const canReadScope = READ_ANY.some(has);
        const canWriteScope = has(PRIVILEGED_OPERATIONS_SCOPE);
        const missingScopes: string[] = [];
        if (!canReadScope) missingScopes.push(READ_DEVICES_SCOPE);
        if (!canWriteScope && (role.canWipe || role.canSync)) missingScopes.push(PRIVILEGED_OPERATIONS_SCOPE);
        return {
          canRead: role.canRead && canReadScope,
          canWipe: role.canWipe && canWriteScope,
          canSync: role.canSync && canWriteScope,
          role,
          missingScopes,
        };
      },
    },
    accessToken,
    input,
  );
}
