/**
 * What one person sends the other under Multi Admin Approval, where Intune tells nobody (docs/graph.md, "Multi Admin
 * Approval"): the requester asks an approver, with links to the request; the approver tells the requester it is
 * approved, with the link to the device where Complete reset is. Plain text, to paste into a chat or a ticket.
 */
import { adminCenterApprovalsUrl } from "./admin-center";
import { formatDateTime } from "./format";

export interface MessageParts {
  /** The console's origin, e.g. https://reset.contoso.com. */
  origin: string;
  deviceName: string;
  deviceId: string | null;
  /** What the requester wrote (the console's prefix left out). */
  justification: string | null;
  expiresAt: string | null;
}

/** The console's approvals page, where an approver finds the request. */
export function consoleApprovalsUrl(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/devices/approvals`;
}

/** The device's page in the console, where the requester completes an approved reset. */
export function consoleDeviceUrl(origin: string, deviceId: string): string {
  return `${origin.replace(/\/+$/, "")}/devices/windows/${encodeURIComponent(deviceId)}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** The requester's message to an approver. */
export function askApproverMessage(parts: MessageParts): string {
  const lines = [
    `Please approve my Autopilot Reset of ${oneLine(parts.deviceName)} (Intune Multi Admin Approval). Nothing happens to the device until it is approved and I complete it.`,
  ];
  if (parts.justification) lines.push(`Why: ${oneLine(parts.justification)}`);
  if (parts.expiresAt) lines.push(`The request expires ${formatDateTime(parts.expiresAt)}.`);
  lines.push(`Approve it in the Autopilot Reset Console: ${consoleApprovalsUrl(parts.origin)}`);
  lines.push(`or in the Intune admin center (Tenant administration > Multi Admin Approval > Received requests): ${adminCenterApprovalsUrl()}`);
  return lines.join("\n");
}

/** The approver's message to the requester, once approved. */
export function tellRequesterMessage(parts: MessageParts): string {
  const lines = [`I approved your Autopilot Reset of ${oneLine(parts.deviceName)}. Nothing is sent until you complete it.`];
  lines.push(
    parts.deviceId
      ? `Complete it here (select Complete reset): ${consoleDeviceUrl(parts.origin, parts.deviceId)}`
      : `Complete it from the device's page in the Autopilot Reset Console (select Complete reset): ${consoleApprovalsUrl(parts.origin)}`,
  );
  if (parts.expiresAt) lines.push(`The approval expires ${formatDateTime(parts.expiresAt)}.`);
  return lines.join("\n");
}
