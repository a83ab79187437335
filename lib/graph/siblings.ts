/**
 * The Intune records that share a serial number (docs/graph.md, "Records that must agree"): after a device is
 * re-enrolled Intune keeps its old record beside the new one, told apart only by their last check-in.
 *
 *   GET /beta/deviceManagement/managedDevices?$filter=serialNumber eq '<serial>'&$select=…&$top=20
 *
 * Microsoft does not list which managedDevice properties take $filter, and Graph drops one it does not support and
 * answers every device (docs/graph.md, "Querying the device list"). So only rows with exactly this serial are kept;
 * if Graph answered other serials (it dropped the filter), the read is asked again with `contains(serialNumber,…)`,
 * which the grid's search relies on, and if that too is dropped the answer says the list may be incomplete.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ManagedDevice } from "@microsoft/microsoft-graph-types-beta";
import { newestFirst, type SiblingRecord } from "@/lib/devices/records";
import { odataString } from "./device-lookup";
import { MANAGED_DEVICES_PATH } from "./device-record";

/** More records than this for one serial would be a tenant problem of its own; the answer says "at least". */
export const SERIAL_RECORDS_TOP = 20;
const SELECT = ["id", "deviceName", "serialNumber", "lastSyncDateTime", "userPrincipalName"];

export interface SerialRecords {
  /** Every Intune record with exactly this serial (case-insensitive), newest check-in first. */
  records: SiblingRecord[];
  /** Graph's answer cannot be the whole list: it ignored the filter, or there were more than SERIAL_RECORDS_TOP. */
  incomplete: "filter-ignored" | "more" | null;
}

interface Page {
  value?: ManagedDevice[];
  "@odata.nextLink"?: string;
}

const fold = (value: string | null | undefined) => (value ?? "").trim().toLowerCase();

function toRecord(raw: ManagedDevice): SiblingRecord {
  const sync = raw.lastSyncDateTime && !raw.lastSyncDateTime.startsWith("0001-01-01") ? raw.lastSyncDateTime : null;
  return { id: raw.id ?? "", deviceName: raw.deviceName ?? "", lastSyncDateTime: sync, userPrincipalName: raw.userPrincipalName || null };
}

/** The relative URL of one read: `eq` first, `contains` when Graph dropped `eq`. */
export function serialRecordsUrl(serialNumber: string, how: "eq" | "contains"): string {
  const literal = odataString(serialNumber.trim());
  const filter = how === "eq" ? `serialNumber eq ${literal}` : `contains(serialNumber,${literal})`;
  return `${MANAGED_DEVICES_PATH}?$filter=${encodeURIComponent(filter)}&$select=${SELECT.join(",")}&$top=${SERIAL_RECORDS_TOP}`;
}

async function readOnce(client: Client, serialNumber: string, how: "eq" | "contains") {
  const serial = fold(serialNumber);
  const page: Page = await client.api(serialRecordsUrl(serialNumber, how)).version("beta").get();
  const rows = page.value ?? [];
  return {
    records: newestFirst(rows.filter((row) => fold(row.serialNumber) === serial).map(toRecord)),
    // `contains` matches longer serials too: only a row without this serial in it shows that the filter was dropped.
    ignored: rows.some((row) => (how === "eq" ? fold(row.serialNumber) !== serial : !fold(row.serialNumber).includes(serial))),
    more: Boolean(page["@odata.nextLink"]),
  };
}

export async function readSerialRecords(client: Client, serialNumber: string): Promise<SerialRecords> {
  if (!fold(serialNumber)) return { records: [], incomplete: null };
  let read = await readOnce(client, serialNumber, "eq");
  if (read.ignored) read = await readOnce(client, serialNumber, "contains");
  return { records: read.records, incomplete: read.ignored ? "filter-ignored" : read.more ? "more" : null };
}
