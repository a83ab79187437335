/**
 * The server's verdict on one device before a send (docs/safety.md, "The server decides"): from what the server itself
 * read of Graph a moment ago, never from what the browser says. Pure: lib/server/send/protocol.ts gathers the inputs,
 * and the contract tests feed it every kind of device.
 */
import { resetEligibility, resetNextStep, syncEligibility } from "@/lib/devices/eligibility";
import { provisioningOf, type ProvisioningNames } from "@/lib/devices/provisioning";
import { recordsAgree, type AutopilotLink } from "@/lib/devices/records";
import { findPendingReset } from "@/lib/devices/reset-evidence";
import type { Device, DeviceAction } from "@/lib/devices/types";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import type { ActionError } from "@/lib/result";
import { SEND_TICKET_LIFETIME_MS } from "@/lib/bulk/send-window";
import { landingLeftMs, type SendMarker } from "../device-guard";

export const NO_SUCH_DEVICE_NOW = "This device no longer exists in Intune (deleted since it was selected).";

export interface JudgeInput {
  action: DeviceAction;
  read: DeviceRead;
  /** The device's latest send record (any state). */
  marker: SendMarker | null;
  /** Graph's clock as of the server's own read. */
  graphNow: number;
  /** The bulk ticket (Graph's time), when the call carried one. */
  issuedAt?: number;
  /** How long the store's empty restart still forbids sends (lib/server/device-guard.ts storeQuietMs). */
  quietMs: number;
  /** Resets: the tenant's profile and policy names, and this device's Autopilot identities (or why not read). */
  names?: ProvisioningNames;
  links?: AutopilotLink[] | ActionError;
}

export type Verdict = { send: true; device: Device } | { send: false; outcome: SendOutcome };

const notSent = (deviceId: string, reason: Extract<SendOutcome, { kind: "not-sent" }>["reason"], message: string, retryAfterSeconds?: number): Verdict => ({
  send: false,
  outcome: { deviceId, kind: "not-sent", reason, message, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
});

export function judgeDevice(input: JudgeInput): Verdict {
  const { read, action, graphNow } = input;
  const deviceId = read.deviceId;
  if (read.kind === "error") {
    return notSent(deviceId, "read-failed", `The device could not be checked before sending (${read.error.message.replace(/\.$/, "")}); nothing was sent.`, read.error.retryAfterSeconds);
  }
  if (read.kind === "not-found") {
    return { send: false, outcome: { deviceId, kind: "rejected", status: 404, error: { kind: "not-found", message: NO_SUCH_DEVICE_NOW } } };
  }
  const device = read.device;
  const recent = input.marker?.confirmed ? input.marker : null;
  // A reset Graph already shows is the truest answer, ahead of any wait: nothing is sent either way.
  const pending = action === "reset" ? findPendingReset({ device, audits: read.audits ?? [], recent }) : null;
  if (pending) return { send: false, outcome: { deviceId, kind: "already-pending", by: pending.by, since: pending.since } };
  if (input.quietMs > 0) {
    return notSent(
      deviceId,
      "store-restarted",
      "The console's coordination store came back empty, so a request sent before it may still reach Intune. Nothing was sent; it can be sent once that can no longer happen.",
      Math.ceil(input.quietMs / 1000),
    );
  }
  const landing = landingLeftMs(input.marker, graphNow);
  if (landing > 0) {
    const who = input.marker?.by ? `${input.marker.by}'s` : "An earlier";
    return {
      send: false,
      outcome: { deviceId, kind: "busy", busyForMs: landing, message: `${who} request to this device may still reach Intune, so nothing was sent; it is checked again once it cannot.` },
    };
  }
  if (input.issuedAt !== undefined && (graphNow > input.issuedAt + SEND_TICKET_LIFETIME_MS || input.issuedAt > graphNow + SEND_TICKET_LIFETIME_MS)) {
    return notSent(deviceId, "ticket-expired", "The request reached the server too late to be sent safely; nothing was sent.");
  }
  const now = new Date(graphNow);
  if (action === "sync") {
    const eligibility = syncEligibility(device, now);
    if (!eligibility.allowed) return { send: false, outcome: { deviceId, kind: "refused", reason: "not-windows", message: eligibility.message } };
    // A colleague's sync of a moment ago counts as this one.
    if (recent) return { send: false, outcome: { deviceId, kind: "accepted", status: 204 } };
    return { send: true, device };
  }
  if (!input.names || (input.names.kind === "unreadable" && !input.names.lasting)) {
    return notSent(deviceId, "read-failed", `Whether this device was provisioned by Windows Autopilot could not be checked (${input.names?.kind === "unreadable" ? input.names.why.replace(/\.$/, "") : "not read"}); nothing was sent.`);
  }
  const links = input.links;
  if (links !== undefined && !Array.isArray(links)) {
    return notSent(deviceId, "read-failed", `The device's Windows Autopilot record could not be read (${links.message.replace(/\.$/, "")}); nothing was sent.`, links.retryAfterSeconds);
  }
  const provisioning = provisioningOf(device.enrollmentProfileName, input.names);
  const records = device.autopilotEnrolled ? recordsAgree(device, links ?? []) : undefined;
  const eligibility = resetEligibility(device, now, { audits: read.audits ?? [], recent }, { provisioning, ...(records ? { records } : {}) });
  if (!eligibility.allowed && eligibility.reason && eligibility.reason !== "reset-pending") {
    const next = resetNextStep(eligibility.reason);
    return {
      send: false,
      outcome: {
        deviceId,
        kind: "refused",
        reason: eligibility.reason,
        message: eligibility.message,
        ...(next ? { nextStep: next.text } : {}),
        ...(eligibility.currentDeviceId ? { currentDeviceId: eligibility.currentDeviceId } : {}),
      },
    };
  }
  if (!eligibility.allowed) return { send: false, outcome: { deviceId, kind: "already-pending", by: null, since: null } };
  return { send: true, device };
}
