"use client";

import { WindowsDevicesView } from "@/components/devices/windows-devices-view";
import { BulkActions } from "./bulk-actions";

/** The Windows devices grid with bulk actions wired into its bulkBar slot (a client boundary for the page). */
export function WindowsDevicesWithBulk() {
  return <WindowsDevicesView bulkBar={(props) => <BulkActions {...props} />} />;
}
