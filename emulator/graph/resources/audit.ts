/** remoteActionAudit (beta): one row per property, in the order Graph writes them. */
import type { AuditRecord } from "../../fleet/fleet";
import type { PropertyTable } from "./table";

const ACTION_STATES = ["none", "pending", "canceled", "active", "done", "failed", "notSupported"];

export const AUDIT_TABLE: PropertyTable<AuditRecord> = {
  id: { type: "string", filterable: true, value: (a) => a.id },
  deviceDisplayName: { type: "string", filterable: true, sortable: true, value: (a) => a.deviceDisplayName },
  userName: { type: "string", value: (a) => a.initiatedByUserPrincipalName },
  initiatedByUserPrincipalName: { type: "string", filterable: true, sortable: true, value: (a) => a.initiatedByUserPrincipalName },
  action: { type: "enum", filterable: true, value: (a) => a.action },
  requestDateTime: { type: "datetime", filterable: true, sortable: true, value: (a) => a.requestMs },
  deviceOwnerUserPrincipalName: { type: "string", filterable: true, value: (a) => a.deviceOwnerUserPrincipalName },
  deviceIMEI: { type: "string", value: () => "" },
  actionState: { type: "enum", enumValues: ACTION_STATES, filterable: true, value: (a) => a.tracked.actionState },
  managedDeviceId: { type: "string", filterable: true, value: (a) => a.device.id },
  deviceActionCategory: { type: "enum", filterable: true, value: (a) => a.category },
  // A single (not bulk) action has none: the wire shows "", $filter sees null.
  bulkDeviceActionId: { type: "string", filterable: true, value: (a) => a.bulkDeviceActionId ?? "", key: (a) => a.bulkDeviceActionId },
};
