import type { DeviceActionRecord } from "@/lib/graph/audits";

/** An Autopilot Reset audit record for tests. */
export function audit(overrides: Partial<DeviceActionRecord> & { id: string }): DeviceActionRecord {
  return {
    kind: "reset",
    action: "factoryResetKeepEnrollmentData",
    deviceId: `device-${overrides.id}`,
    deviceName: `PC-${overrides.id}`,
    initiatedBy: "helpdesk@contoso.test",
    deviceOwner: null,
    requestedAt: "2026-11-21T10:00:00Z",
    state: "pending",
    category: "single",
    bulkActionId: null,
    ...overrides,
  };
}
