/** Beta remoteActionAudits: the list (one device's history is a $filter on managedDeviceId), and one record by id. */
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { context, parseId, type GraphCall } from "../call";
import { badRequest, intuneNotFound } from "../errors";
import { parseSelect } from "../odata";
import { listReply } from "./list";

export function listAudits(state: EmulatorState, call: GraphCall): Reply {
  const audits = state.fleet.audits;
  return listReply(state, call, {
    entitySet: "deviceManagement/remoteActionAudits",
    schema: state.resources.auditSchema,
    source: { length: audits.length, at: (i) => audits[i] },
    // Audit states move with the clock, so audit queries are never served from cache across versions.
    cacheKey: (filterText) => `audits|${filterText}|${state.fleet.version}|${audits.length}`,
    serialize: (a, select) => state.resources.serializeAudit(a, select),
  });
}

/** GET beta remoteActionAudits/{id} (graph-docs beta intune-devices-remoteactionaudit-get.md): one record, $select applies. */
export function getAudit(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const raw = params[0]!;
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the remoteActionAudits segment: a GUID is expected.`, call.ctx);
  const audit = state.fleet.audits.find((a) => a.id === id);
  if (!audit) return intuneNotFound(`remoteActionAudit '${id}'`, call.ctx, call.path);
  const select = parseSelect(call.query.get("$select"), state.resources.auditSchema);
  return json(200, {
    "@odata.context": context(call, `deviceManagement/remoteActionAudits${select ? `(${select.join(",")})` : ""}/$entity`),
    ...state.resources.serializeAudit(audit, select),
  });
}
