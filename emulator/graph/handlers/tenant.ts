/** The signed-in user: /me and getEffectivePermissions (read from the role table in emulator/tenant.ts). */
import { INTUNE_ACTIONS, allowedActions } from "../../tenant";
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { context, type GraphCall } from "../call";
import { entityReply } from "../../directory/list";
import { directoryOf } from "../../directory/model";
import { USER_SHAPE, write } from "../../directory/shapes";

export function effectivePermissions(_state: EmulatorState, call: GraphCall): Reply {
  const allowed = [...allowedActions(call.auth.persona)];
  const notAllowed = Object.values(INTUNE_ACTIONS).filter((a) => !allowed.includes(a));
  const permission: Record<string, unknown> = { "@odata.type": "#microsoft.graph.rolePermission" };
  if (call.version === "beta") permission.actions = allowed;
  permission.resourceActions = [
    { "@odata.type": "#microsoft.graph.resourceAction", allowedResourceActions: allowed, notAllowedResourceActions: notAllowed },
  ];
  return json(200, { "@odata.context": context(call, "Collection(microsoft.graph.rolePermission)"), value: [permission] });
}

/** /me is /users/{the caller} (graph-docs user-get.md): the same object, $select and @odata.context. */
export function me(state: EmulatorState, call: GraphCall): Reply {
  const user = directoryOf(state.fleet).user(call.auth.persona.oid);
  if (user) return entityReply(call, "users", USER_SHAPE, (select) => write(USER_SHAPE, user, select, state.clock.now()));
  const p = call.auth.persona;
  const [givenName, surname] = p.displayName.split(" ");
  return json(200, {
    "@odata.context": context(call, "users/$entity"),
    id: p.oid, displayName: p.displayName, userPrincipalName: p.userPrincipalName, mail: p.userPrincipalName,
    givenName: givenName ?? null, surname: surname ?? null, jobTitle: p.role, businessPhones: [], mobilePhone: null,
    officeLocation: null, preferredLanguage: "en-US",
  });
}
