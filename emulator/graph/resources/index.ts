/**
 * Graph resource shapes the emulator serves: managedDevice (v1.0 and beta), windowsAutopilotDeviceIdentity,
 * remoteActionAudit, and (enrollment.ts) deployment profiles and settings catalog policies. Each is one property table (device.ts, autopilot.ts, audit.ts) from which both its serializer and
 * its $filter/$orderby/$select schema are derived (table.ts); v1.0 answers carry no beta-only property.
 */
import type { Fleet, AuditRecord } from "../../fleet/fleet";
import type { DeviceRecord } from "../../fleet/device";
import type { Schema } from "../odata";
import { AUDIT_TABLE } from "./audit";
import { autopilotId, autopilotTable, type AutopilotRow } from "./autopilot";
import { DEVICE_NAVIGATION, deviceTable } from "./device";
import { EnrollmentResources } from "./enrollment";
import { Writer, schemaOf, type ApiVersion, type Value } from "./table";

export { DEVICE_NAVIGATION } from "./device";
export type { AutopilotRow } from "./autopilot";
export type { ApiVersion } from "./table";

export interface SerializeOptions {
  version: ApiVersion;
  select?: string[];
  /** A single-device GET whose $select names the property. */
  singleWithSelect: boolean;
  now: number;
}

const DEVICE_TYPE = "microsoft.graph.managedDevice";
const AUTOPILOT_TYPE = "microsoft.graph.windowsAutopilotDeviceIdentity";

export class Resources {
  readonly deviceSchemas: Record<ApiVersion, Schema<DeviceRecord>>;
  readonly autopilotSchema: Schema<AutopilotRow>;
  readonly auditSchema: Schema<AuditRecord>;
  /** Deployment profiles and settings catalog policies (device preparation policies among them). */
  readonly enrollment: EnrollmentResources;
  private readonly devices: Writer<DeviceRecord>;
  private readonly autopilot: Writer<AutopilotRow>;
  private readonly audits = new Writer(AUDIT_TABLE, { idFirst: true });

  constructor(private readonly fleet: Fleet) {
    const devices = deviceTable(fleet);
    const autopilot = autopilotTable(fleet);
    this.deviceSchemas = { "v1.0": schemaOf(DEVICE_TYPE, devices, "v1.0"), beta: schemaOf(DEVICE_TYPE, devices, "beta") };
    this.autopilotSchema = schemaOf(AUTOPILOT_TYPE, autopilot);
    this.auditSchema = schemaOf("microsoft.graph.remoteActionAudit", AUDIT_TABLE);
    this.enrollment = new EnrollmentResources(fleet.seed);
    this.devices = new Writer(devices, { navigation: DEVICE_NAVIGATION });
    this.autopilot = new Writer(autopilot, { odataType: `#${AUTOPILOT_TYPE}`, idFirst: true });
  }

  serializeDevice(d: DeviceRecord, options: SerializeOptions): Record<string, Value> {
    return this.devices.write(d, options);
  }

  autopilotId(r: AutopilotRow): string {
    return autopilotId(this.fleet, r);
  }

  serializeAutopilot(r: AutopilotRow, version: ApiVersion, now: number, select?: string[]): Record<string, Value> {
    return this.autopilot.write(r, { version, now, select });
  }

  serializeAudit(a: AuditRecord, select?: string[]): Record<string, Value> {
    return this.audits.write(a, { version: "beta", now: 0, select });
  }
}
