/** Beta remoteActionAudits: the list (one device's history is a $filter on managedDeviceId). */
import type { Reply } from "../../http";
import type { EmulatorState } from "../../state";
import type { GraphCall } from "../call";
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
