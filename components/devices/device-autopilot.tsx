"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import {
  ENROLLMENT_STATE_LABELS,
  PROFILE_STATUS_LABELS,
  REMEDIATION_STATE_LABELS,
  type AutopilotLookup,
} from "@/lib/devices/autopilot";
import type { Device } from "@/lib/devices/types";
import { toActionError } from "@/lib/queries/action-failure";
import { ErrorMessage } from "@/components/ui/error-message";
import { When } from "@/components/actions/when";
import { Field } from "./device-essentials";

function Body({ device, query, now }: { device: Device; query: UseQueryResult<AutopilotLookup>; now: Date }) {
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
    <div className="grid gap-x-8 md:grid-cols-2">
      <dl>
        <Field name="Group tag">{r.groupTag || "None"}</Field>
        <Field name="Deployment profile">{r.profileName ?? "None"}</Field>
        <Field name="Profile status">
          {PROFILE_STATUS_LABELS[r.profileStatus]}
          {r.profileAssignedAt && (
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
  );
}

/**
 * The device's Windows Autopilot record: what an Autopilot Reset brings it back with (its group tag, hence its groups'
 * apps and policies) and where Autopilot stands with it (docs/graph.md, "The Autopilot record before and after").
 */
export function DeviceAutopilot({ device, query, now }: { device: Device; query: UseQueryResult<AutopilotLookup>; now: Date }) {
  return (
    <section aria-labelledby="autopilot-heading" data-testid="autopilot-section" className="rounded border border-line bg-surface p-4">
      <h2 id="autopilot-heading" className="mb-2 text-base font-semibold">
        Windows Autopilot
      </h2>
      <Body device={device} query={query} now={now} />
    </section>
  );
}
