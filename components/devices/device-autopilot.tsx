"use client";

import Link from "next/link";
import type { UseQueryResult } from "@tanstack/react-query";
import type { DeviceRecords } from "@/lib/actions/device-records";
import {
  ENROLLMENT_STATE_LABELS,
  PROFILE_STATUS_LABELS,
  REMEDIATION_STATE_LABELS,
  type AutopilotLookup,
} from "@/lib/devices/autopilot";
import { PROVISIONED_BY_LABELS, provisioningOf, type ProvisioningNames } from "@/lib/devices/provisioning";
import { sharedSerialSentence } from "@/lib/devices/reset-facts";
import type { Device } from "@/lib/devices/types";
import { toActionError } from "@/lib/queries/action-failure";
import { ErrorMessage } from "@/components/ui/error-message";
import { When } from "@/components/actions/when";
import { Field } from "./device-essentials";
import { DeviceGroupTag } from "./device-group-tag";

function Body({ device, query, now, currentDeviceId }: { device: Device; query: UseQueryResult<AutopilotLookup>; now: Date; currentDeviceId?: string }) {
  if (!device.autopilotEnrolled) {
    return <p className="text-muted">Not registered with Windows Autopilot: Intune has no Autopilot record for this device.</p>;
  }
  if (!device.serialNumber?.trim()) {
    return <p className="text-muted">Intune reports no serial number for this device, so its Autopilot record cannot be looked up.</p>;
  }
  if (query.error) return <ErrorMessage error={toActionError(query.error)} onRetry={() => void query.refetch()} />;
  if (!query.data) {
    return (
      <p role="status" className="text-muted">
        Reading the Autopilot record…
      </p>
    );
  }
  if (query.data.kind === "none" && currentDeviceId) {
    return (
      <p>
        The Windows Autopilot record for serial number {device.serialNumber} points to another Intune record with this
        serial, the one the device uses now (listed below), not to this one.
      </p>
    );
  }
  if (query.data.kind === "none") {
    return (
      <p>
        Graph returned no Windows Autopilot record for serial number {device.serialNumber}, although Intune lists the
        device as registered. An Autopilot Reset needs that record: check Devices &gt; Enrollment &gt; Windows Autopilot
        in the Intune admin center.
      </p>
    );
  }
  const r = query.data.record;
  return (
    <>
      <div className="grid gap-x-8 md:grid-cols-2">
        <dl>
          <Field name="Group tag">{r.groupTag || "None"}</Field>
          <Field name="Deployment profile">{r.profileName ?? "None"}</Field>
          <Field name="Profile status">
            {PROFILE_STATUS_LABELS[r.profileStatus]}
            {r.profileAssignedAt && r.profileStatus === "assignedInSync" && (
              <span className="block text-xs text-muted">
                since <When iso={r.profileAssignedAt} />
              </span>
            )}
          </Field>
        </dl>
        <dl>
          <Field name="Enrollment state">{ENROLLMENT_STATE_LABELS[r.enrollmentState]}</Field>
          <Field name="Last contact">
            <When iso={r.lastContactedAt} now={now} />
          </Field>
          <Field name="Remediation">{REMEDIATION_STATE_LABELS[r.remediationState]}</Field>
        </dl>
      </div>
      <DeviceGroupTag device={device} record={r} />
    </>
  );
}

/** How the device was provisioned (docs/graph.md, "Autopilot device preparation"): a word and its sentence. */
function ProvisionedBy({ device, names, failed }: { device: Device; names: ProvisioningNames | undefined; failed: boolean }) {
  if (!names) return <span className="text-muted">{failed ? "Not known: the read failed (below)." : "Checking…"}</span>;
  const provisioning = provisioningOf(device.enrollmentProfileName, names);
  return (
    <>
      <span data-testid="provisioned-by">{PROVISIONED_BY_LABELS[provisioning.by]}</span>
      <span className="block text-xs text-muted" data-testid="provisioned-by-why">
        {provisioning.message}
      </span>
    </>
  );
}

/** The other Intune records with this serial (docs/graph.md, "Records that must agree"), newest first. */
function SerialRecords({ device, records, now, currentDeviceId }: { device: Device; records: UseQueryResult<DeviceRecords>; now: Date; currentDeviceId?: string }) {
  if (records.error) {
    return (
      <div className="mt-3">
        <ErrorMessage error={toActionError(records.error)} onRetry={() => void records.refetch()} />
      </div>
    );
  }
  const siblings = records.data?.siblings;
  if (!siblings) return null;
  if ("error" in siblings) {
    return (
      <div className="mt-3">
        <ErrorMessage error={siblings.error} onRetry={() => void records.refetch()} />
      </div>
    );
  }
  const sentence = sharedSerialSentence(siblings.records, device.id, now);
  if (!sentence && !siblings.incomplete) return null;
  return (
    <div className="mt-3 border-t border-line pt-3" data-testid="serial-records">
      <h3 className="text-sm font-semibold">Intune records with serial number {device.serialNumber}</h3>
      {sentence && <p className="mt-1">{sentence}</p>}
      {siblings.incomplete && (
        <p className="mt-1 text-muted">
          {siblings.incomplete === "more"
            ? "Intune has more records with this serial than the console reads; these are the first it returned."
            : "Microsoft Graph did not filter Intune's records by serial number, so this list may be incomplete."}
        </p>
      )}
      {siblings.records.length > 1 && (
        <ul className="mt-2 divide-y divide-line rounded border border-line">
          {siblings.records.map((record, index) => {
            const self = record.id.toLowerCase() === device.id.toLowerCase();
            const current = currentDeviceId !== undefined && record.id.toLowerCase() === currentDeviceId.toLowerCase();
            const labels = [index === 0 ? "newest" : "", current ? "current: Windows Autopilot points here" : "", self ? "this record" : ""].filter(Boolean);
            return (
              <li key={record.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 px-3 py-2" data-testid="serial-record">
                <span className="min-w-40 font-medium">
                  {self ? (
                    <span aria-current="page">{record.deviceName || record.id}</span>
                  ) : (
                    <Link href={`/devices/windows/${encodeURIComponent(record.id)}`} className="text-brand-text underline">
                      {record.deviceName || record.id}
                    </Link>
                  )}
                  {labels.length > 0 && <span className="ml-2 text-xs font-normal text-muted">{labels.join(", ")}</span>}
                </span>
                <span>
                  <span className="text-muted">Last check-in </span>
                  <When iso={record.lastSyncDateTime} now={now} />
                </span>
                <span className="min-w-0 break-words">
                  <span className="text-muted">Primary user </span>
                  {record.userPrincipalName ?? "None"}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/**
 * The device's Windows Autopilot record: what an Autopilot Reset brings it back with (its group tag, hence its groups'
 * apps and policies) and where Autopilot stands with it (docs/graph.md, "The Autopilot record before and after"); how
 * the device was provisioned; and the other Intune records that share its serial.
 */
export function DeviceAutopilot({
  device,
  query,
  now,
  records,
}: {
  device: Device;
  query: UseQueryResult<AutopilotLookup>;
  now: Date;
  records: UseQueryResult<DeviceRecords>;
}) {
  const judged = records.data?.autopilot.kind === "judged" ? records.data.autopilot.verdict : undefined;
  const currentDeviceId = judged && !judged.agree && judged.reason === "not-current-record" ? judged.currentDeviceId : undefined;
  return (
    <section aria-labelledby="autopilot-heading" data-testid="autopilot-section" className="rounded border border-line bg-surface p-4">
      <h2 id="autopilot-heading" className="mb-2 text-base font-semibold">
        Windows Autopilot
      </h2>
      <dl className="mb-1">
        <Field name="Provisioned by">
          <ProvisionedBy device={device} names={records.data?.names} failed={Boolean(records.error)} />
        </Field>
      </dl>
      <Body device={device} query={query} now={now} currentDeviceId={currentDeviceId} />
      <SerialRecords device={device} records={records} now={now} currentDeviceId={currentDeviceId} />
    </section>
  );
}
