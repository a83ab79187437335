"use client";

import Link from "next/link";
import type { Device } from "@/lib/devices/types";
import { formatDateTime, formatRelative } from "@/lib/devices/format";
import { isSelected, pageSelectionState, type DeviceSelection } from "@/lib/devices/selection";
import { Checkbox } from "@/components/ui/checkbox";
import { ResetStatusCell, SharedSerialMarker } from "./device-grid";

/**
 * The grid on a phone: one card per device with what a helpdesk person checks first (name, primary user, last
 * check-in, reset status), and the same selection as the table. The page's "Load more" brings further pages.
 */
export function DeviceCards({
  devices,
  sharedSerials,
  now,
  resetStatusLoading,
  selection,
  onToggleDevice,
  onTogglePage,
}: {
  devices: Device[];
  sharedSerials: ReadonlyMap<string, number>;
  now: Date;
  resetStatusLoading: boolean;
  selection: DeviceSelection;
  onToggleDevice: (id: string) => void;
  onTogglePage: () => void;
}) {
  const allState = pageSelectionState(
    selection,
    devices.map((device) => device.id),
  );
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2 px-1 text-sm">
        <Checkbox checked={allState} onCheckedChange={onTogglePage} label="Select all loaded devices" />
        <span aria-hidden="true">Select all loaded</span>
      </div>
      <ul aria-label="Windows devices" className="space-y-2">
        {devices.map((device) => (
          <li
            key={device.id}
            data-device-card={device.id}
            className={`flex gap-3 rounded border border-line p-3 ${isSelected(selection, device.id) ? "bg-selected" : "bg-surface"}`}
          >
            <div className="pt-0.5">
              <Checkbox checked={isSelected(selection, device.id)} onCheckedChange={() => onToggleDevice(device.id)} label={`Select ${device.deviceName}`} />
            </div>
            <div className="min-w-0 flex-1 space-y-1 text-sm">
              <div className="flex min-w-0 items-baseline">
                <Link href={`/devices/windows/${encodeURIComponent(device.id)}`} className="truncate font-medium text-brand-text hover:underline">
                  {device.deviceName}
                </Link>
                <SharedSerialMarker device={device} shared={sharedSerials} />
              </div>
              <p className="truncate text-muted">{device.userPrincipalName ?? "No primary user"}</p>
              <p>
                Last check-in:{" "}
                {device.lastSyncDateTime ? (
                  <time dateTime={device.lastSyncDateTime} title={formatDateTime(device.lastSyncDateTime)}>
                    {formatRelative(device.lastSyncDateTime, now)}
                  </time>
                ) : (
                  "Never"
                )}
              </p>
              <div className="flex items-center gap-2">
                <span>Reset status:</span>
                <ResetStatusCell device={device} now={now} loading={resetStatusLoading} />
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
