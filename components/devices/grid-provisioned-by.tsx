"use client";
/**
 * The grid's "Provisioned by" cell (lib/devices/provisioning.ts). Loaded when the column is first shown, with the
 * read of the tenant's profile and policy names it needs: one read per visit, shared by every row and the device page.
 */
import { PROVISIONED_BY_LABELS, provisioningOf } from "@/lib/devices/provisioning";
import type { Device } from "@/lib/devices/types";
import { useProvisioningNames } from "@/lib/queries/device-records";

export function GridProvisionedBy({ device }: { device: Device }) {
  const names = useProvisioningNames();
  if (names.error) return <span className="text-muted" title="The tenant's Autopilot profiles and device preparation policies could not be read.">Not read</span>;
  if (!names.data) return <span className="text-muted">Checking…</span>;
  const provisioning = provisioningOf(device.enrollmentProfileName, names.data);
  return (
    <span title={provisioning.message} data-provisioned-by={provisioning.by}>
      {PROVISIONED_BY_LABELS[provisioning.by]}
    </span>
  );
}
