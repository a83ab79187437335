"use server";
/**
 * What the signed-in admin may do: their Intune role (getEffectivePermissions) and, when the token shows it, whether
 * the tenant granted the app the scopes those actions need. canWipe/canSync are true only when both allow it;
 * missingScopes says when consent, not the role, is what is missing.
 */
import { z } from "zod";
import type { MyPermissions } from "@/lib/auth/permissions";
import { hasScope, SCOPE_NAMES, type ScopeName } from "@/lib/auth/scopes";
import { getEffectivePermissions, scopesInToken } from "@/lib/graph/permissions";
import type { ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

const READ_ANY: ScopeName[] = [SCOPE_NAMES.readDevices, SCOPE_NAMES.readWriteDevices];

export async function getMyPermissions(accessToken: string, input?: unknown): Promise<ActionResult<MyPermissions>> {
  return runAction(
    {
      name: "getMyPermissions",
      input: z.unknown(),
      errors: { operation: "read your Intune permissions", requiredScope: SCOPE_NAMES.readRbac, rolePermission: "Roles / Read" },
      handler: async (_parsed, { graph, accessToken: token }): Promise<MyPermissions> => {
        const role = await getEffectivePermissions(graph);
        const scopes = scopesInToken(token);
        const has = (scope: ScopeName) => scopes === undefined || hasScope(scopes, scope);
        const canReadScope = READ_ANY.some(has);
        const canWriteScope = has(SCOPE_NAMES.privilegedOperations);
        const missingScopes: string[] = [];
        if (!canReadScope) missingScopes.push(SCOPE_NAMES.readDevices);
        if (!canWriteScope && (role.canWipe || role.canSync)) missingScopes.push(SCOPE_NAMES.privilegedOperations);
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
