import type { Device } from "@/lib/devices/types";
import { COMPLIANCE_LABELS, JOIN_TYPE_LABELS, label, OWNERSHIP_LABELS } from "@/lib/devices/format";
import { When } from "@/components/actions/when";
import { adminCenterDeviceUrl } from "@/lib/devices/admin-center";

/** One name/value pair of a device page section. */
export function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[11rem_1fr] gap-2 py-1">
      <dt className="text-muted">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** The admin center's "Essentials": two columns of name/value pairs. */
export function DeviceEssentials({ device, now }: { device: Device; now: Date }) {
  return (
    <section aria-labelledby="essentials-heading" className="rounded border border-line bg-surface p-4">
      <h2 id="essentials-heading" className="mb-2 text-base font-semibold">
        Essentials
      </h2>
      <div className="grid gap-x-8 md:grid-cols-2">
        <dl>
          <Field name="Device name">{device.deviceName}</Field>
          <Field name="Management name">{device.managedDeviceName ?? "—"}</Field>
          <Field name="Ownership">{label(OWNERSHIP_LABELS, device.ownerType)}</Field>
          <Field name="Serial number">{device.serialNumber ?? "—"}</Field>
          <Field name="Manufacturer">{device.manufacturer ?? "—"}</Field>
          <Field name="Model">{device.model ?? "—"}</Field>
          <Field name="Primary user">
            {device.userDisplayName || device.userPrincipalName ? (
              <>
                {device.userDisplayName ?? device.userPrincipalName}
                {device.userDisplayName && device.userPrincipalName && (
                  <span className="block text-xs text-muted">{device.userPrincipalName}</span>
                )}
              </>
            ) : (
              "None"
            )}
          </Field>
        </dl>
        <dl>
          <Field name="Compliance">{label(COMPLIANCE_LABELS, device.complianceState)}</Field>
          <Field name="Operating system">{device.operatingSystem}</Field>
          <Field name="OS version">{device.osVersion ?? "—"}</Field>
          <Field name="Join type">{label(JOIN_TYPE_LABELS, device.joinType)}</Field>
          <Field name="Autopilot">{device.autopilotEnrolled ? "Registered" : "Not registered"}</Field>
          <Field name="Enrolled">
            <When iso={device.enrolledDateTime} />
          </Field>
          <Field name="Last check-in">
            <When iso={device.lastSyncDateTime} now={now} />
          </Field>
          <Field name="Intune admin center">
            <a href={adminCenterDeviceUrl(device.id)} target="_blank" rel="noopener noreferrer" className="text-brand-text underline" data-testid="admin-center-link">
              Open this device<span className="sr-only"> in the Intune admin center (opens in a new tab)</span>
            </a>
          </Field>
        </dl>
      </div>
    </section>
  );
}
