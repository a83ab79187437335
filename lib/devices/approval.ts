/**
 * Multi Admin Approval for an Autopilot Reset, as pure logic shared by the browser and the server (docs/graph.md,
 * "Multi Admin Approval"; docs/product.md, "Journey 8: work inside the tenant's guardrails"):
 * - which access policies cover a reset;
 * - what a justification may be (the browser and the server action check it the same way);
 * - the device prefix put in front of every request's justification, and reading it back: Graph's
 *   operationApprovalRequest names no device, so the prefix is how every console page finds a device's request.
 */
import { GUID_PATTERN } from "./ids";
import { TICKET_PREFIX_MAX_CHARS, withTicket } from "./ticket-reference";

// ---- Coverage --------------------------------------------------------------------------------------------------------

/** Policy types that put a wipe (an Autopilot Reset is one) behind approval: the wipe itself, or device actions as a whole. */
const WIPE_POLICY_TYPES: readonly string[] = ["deviceWipe", "deviceAction"];
/** Policy platforms that include a Windows 10/11 device; `notApplicable` is "every platform". */
const WINDOWS_POLICY_PLATFORMS: readonly string[] = ["windows10AndLater", "windows81AndLater", "windows10X", "notApplicable"];

export interface ApprovalPolicySummary {
  id: string;
  displayName: string;
  policyType: string;
  policyPlatform: string;
}

/** Whether an access policy puts a Windows device's Autopilot Reset behind approval. */
export function policyCoversAutopilotReset(policy: Pick<ApprovalPolicySummary, "policyType" | "policyPlatform">): boolean {
  return WIPE_POLICY_TYPES.includes(policy.policyType) && WINDOWS_POLICY_PLATFORMS.includes(policy.policyPlatform ?? "notApplicable");
}

/**
 * Whether a reset needs approval before it is sent: `covered` / `not-covered` from the policies, `unknown` when the
 * role may not read them (then the first answer to a reset says so).
 */
export type ApprovalCoverage = "covered" | "not-covered" | "unknown";

export function coverageFrom(policies: readonly Pick<ApprovalPolicySummary, "policyType" | "policyPlatform">[]): Exclude<ApprovalCoverage, "unknown"> {
  return policies.some(policyCoversAutopilotReset) ? "covered" : "not-covered";
}

// ---- Justifications --------------------------------------------------------------------------------------------------

/** Graph's limit on a justification (graph-docs beta intune-rbac-operationapprovalrequest.md), prefix included. */
export const MAX_JUSTIFICATION_CHARS = 1024;
/** At most this much of a device name goes into the prefix, so every prefix fits in PREFIX_MAX_CHARS. */
const PREFIX_DEVICE_NAME_MAX_CHARS = 64;
const PREFIX_START = "Autopilot Reset of ";
/** "Autopilot Reset of " + name (<= 64) + " (" + GUID (36) + "): " + the ticket reference and ": ", when given */
const PREFIX_MAX_CHARS = PREFIX_START.length + PREFIX_DEVICE_NAME_MAX_CHARS + 2 + 36 + 3 + TICKET_PREFIX_MAX_CHARS;
/** What the requester may write for a reset: whatever the device, prefix + text fits in Graph's 1,024. */
export const MAX_RESET_JUSTIFICATION_CHARS = MAX_JUSTIFICATION_CHARS - PREFIX_MAX_CHARS;

/** Control characters (line breaks, tabs, ...): Intune refuses them in the header (emulator/README.md). */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export type JustificationCheck = { ok: true; text: string } | { ok: false; message: string };

/**
 * Counted in UTF-16 code units (JavaScript's length, as .NET counts), which is never fewer than the characters a
 * code-point count gives: text within this limit is within Graph's whichever way it counts.
 */
export function justificationLength(text: string): number {
  return text.length;
}

const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * A justification as the requester or the approver typed it: trimmed, not empty, on one line, at most `max`
 * characters. The sentence says what to change; nothing is sent while it is not ok.
 */
export function checkJustification(raw: string, max: number, purpose: "request" | "decision" = "request"): JustificationCheck {
  const text = raw.trim();
  if (text === "") {
    return {
      ok: false,
      message: purpose === "request" ? "Write a justification: the approver reads it to decide." : "Write a justification: the requester sees it with your decision.",
    };
  }
  if (CONTROL_CHARACTERS.test(text)) {
    return { ok: false, message: "The justification contains a line break, a tab or another control character, which Intune does not accept. Write it on one line." };
  }
  const length = justificationLength(text);
  if (length > max) {
    return {
      ok: false,
      message: `The justification is ${formatCount(length)} characters long; Intune accepts at most ${formatCount(max)} here. Shorten it by ${formatCount(length - max)} characters.`,
    };
  }
  return { ok: true, text };
}

function devicePrefixName(deviceName: string): string {
  const clean = deviceName.replace(new RegExp(CONTROL_CHARACTERS.source, "g"), " ").trim() || "a device";
  const points = [...clean];
  if (points.length <= PREFIX_DEVICE_NAME_MAX_CHARS && clean.length <= PREFIX_DEVICE_NAME_MAX_CHARS) return clean;
  let cut = "";
  for (const point of points) {
    if (cut.length + point.length > PREFIX_DEVICE_NAME_MAX_CHARS - 1) break;
    cut += point;
  }
  return `${cut}…`;
}

/**
 * The justification sent with a reset: `Autopilot Reset of <deviceName> (<managedDeviceId>): [<ticket>: ]<text>`
 * (docs/product.md, "Journey 8"). `text` must have passed checkJustification with MAX_RESET_JUSTIFICATION_CHARS, and
 * `ticket` checkTicketReference.
 */
export function resetJustification(device: { id: string; deviceName: string }, text: string, ticket?: string): string {
  return `${PREFIX_START}${devicePrefixName(device.deviceName)} (${device.id.toLowerCase()}): ${withTicket(text, ticket)}`;
}

export interface ParsedResetJustification {
  deviceId: string;
  deviceName: string;
  /** What the requester wrote. */
  text: string;
}

const GUID_BODY = GUID_PATTERN.source.replace(/^\^/, "").replace(/\$$/, "");
const PREFIX_PATTERN = new RegExp(`^${PREFIX_START}(.*?) \\((${GUID_BODY})\\): ([\\s\\S]*)$`, "i");

/** The device a request's justification names, or null when it was not written by this console's prefix. */
export function parseResetJustification(justification: string | null | undefined): ParsedResetJustification | null {
  if (!justification) return null;
  const match = PREFIX_PATTERN.exec(justification);
  if (!match) return null;
  return { deviceName: match[1]!, deviceId: match[2]!.toLowerCase(), text: match[3]! };
}

/** The header value: Base64 (standard alphabet, padded) of the UTF-8 bytes, as Intune decodes it. */
export function encodeJustificationHeader(justification: string): string {
  const bytes = new TextEncoder().encode(justification);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// ---- Requests --------------------------------------------------------------------------------------------------------

/** operationApprovalRequestStatus (graph-docs beta), with `unknown` for anything newer. */
export const APPROVAL_STATUSES = ["needsApproval", "approved", "rejected", "cancelled", "completed", "expired", "unknown"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** A request still blocks a new one and can still lead to a reset. */
export function isOpenApproval(status: ApprovalStatus): boolean {
  return status === "needsApproval" || status === "approved";
}

/**
 * How long Intune keeps a request open: not processed within 3 days, it becomes expired (docs/graph.md, "Multi Admin
 * Approval"). 30 days is how long a status stays visible afterwards, not how long a request lives.
 */
export const APPROVAL_LIFETIME_MS = 3 * 86_400_000;

/**
 * When an open request expires: Graph's expirationDateTime, else requestDateTime + 3 days; null when neither is known.
 */
export function approvalExpiresAtMs(request: { expiresAt: string | null; requestedAt: string | null }): number | null {
  const expires = request.expiresAt ? Date.parse(request.expiresAt) : NaN;
  if (Number.isFinite(expires)) return expires;
  const requested = request.requestedAt ? Date.parse(request.requestedAt) : NaN;
  return Number.isFinite(requested) ? requested + APPROVAL_LIFETIME_MS : null;
}

/**
 * The status as it stands at `nowMs` (Graph's clock, never the browser's): an open request past its expiry is
 * expired even while Graph's list still says needsApproval or approved, so Complete is never offered on it.
 */
export function settledApproval<T extends Pick<ApprovalRequestView, "status" | "expiresAt" | "requestedAt">>(request: T, nowMs: number): T {
  if (!isOpenApproval(request.status)) return request;
  const expires = approvalExpiresAtMs(request);
  return expires !== null && nowMs >= expires ? { ...request, status: "expired" } : request;
}

export interface ApprovalPerson {
  id: string | null;
  displayName: string | null;
}

/**
 * The device a request would act on, as Graph tells it (docs/graph.md, "Multi Admin Approval"): operationApprovalRequest
 * names no device, so the console asks Graph's retrieveRequestStatus for the device the justification names and
 * believes the justification only when Graph answers with this same request.
 * - confirmed: Graph ties this request to `deviceId`; `deviceName` is Intune's name for it (null when unread);
 * - not-confirmed: Graph does not tie it to the named device (or no device is named); `namedDevice` is what the text says.
 */
export type ApprovalTarget =
  | { kind: "confirmed"; deviceId: string; deviceName: string | null }
  | { kind: "not-confirmed"; namedDevice: string | null; reason: "names-no-device" | "another-request" | "not-checked" };

/** An approval request as the console shows it: Graph's fields, plus the device its justification names. */
export interface ApprovalRequestView {
  id: string;
  status: ApprovalStatus;
  requestedAt: string | null;
  expiresAt: string | null;
  lastModifiedAt: string | null;
  requestor: ApprovalPerson;
  approver: ApprovalPerson | null;
  /** The whole justification Graph holds (prefix included). */
  requestJustification: string;
  /** The device the prefix names, and what the requester wrote; null for a request this console did not make. */
  device: ParsedResetJustification | null;
  approvalJustification: string | null;
  /** The signed-in user made it (only they may complete it; they may not approve it). */
  mine: boolean;
  /** What Graph confirms about the device; absent where the console did not ask (then the device is not known). */
  target?: ApprovalTarget;
}

/**
 * The target from Graph's answer for the device the justification names: `statusRequestId` is the request
 * retrieveRequestStatus gave for that device (null when it gave none, undefined when it was not asked).
 */
export function approvalTargetFrom(request: Pick<ApprovalRequestView, "id" | "device">, statusRequestId: string | null | undefined, deviceName: string | null = null): ApprovalTarget {
  const named = request.device;
  if (!named) return { kind: "not-confirmed", namedDevice: null, reason: "names-no-device" };
  if (statusRequestId === undefined) return { kind: "not-confirmed", namedDevice: named.deviceName, reason: "not-checked" };
  if (statusRequestId?.toLowerCase() === request.id.toLowerCase()) return { kind: "confirmed", deviceId: named.deviceId, deviceName };
  return { kind: "not-confirmed", namedDevice: named.deviceName, reason: "another-request" };
}

/**
 * When a confirmed device's name in Intune differs from the name the justification wrote, the sentence that says so
 * (the approver decides on the device, not on the text); null when they agree or nothing is confirmed.
 */
export function namedDeviceMismatch(request: Pick<ApprovalRequestView, "device" | "target">): string | null {
  const target = request.target;
  if (target?.kind !== "confirmed" || !target.deviceName || !request.device) return null;
  if (request.device.deviceName.trim().toLowerCase() === target.deviceName.trim().toLowerCase()) return null;
  return `The justification names ${request.device.deviceName}, but Intune's name for the device this request would reset is ${target.deviceName}.`;
}

/** What the approver is told when Graph does not confirm the device: plain, and impossible to misread. */
export function unconfirmedTargetSentence(target: Extract<ApprovalTarget, { kind: "not-confirmed" }>): string {
  const lead = "Device not confirmed: Intune does not say which device this request would reset.";
  if (target.reason === "names-no-device") return `${lead} The request was made outside this console and names no device. Approving it may reset any device.`;
  if (target.reason === "another-request") {
    return `${lead} The justification names ${target.namedDevice}, but Intune ties ${target.namedDevice} to another request or none, so approving this one would reset a different device.`;
  }
  return `${lead} The justification names ${target.namedDevice}; that could not be checked with Intune.`;
}

/** For an open request whose device Graph has not confirmed, what the approver must read first; null otherwise. */
export function unconfirmedDeviceWarning(request: Pick<ApprovalRequestView, "status" | "device" | "target">): string | null {
  if (!isOpenApproval(request.status) || request.target?.kind === "confirmed") return null;
  const named = request.device?.deviceName ?? null;
  return unconfirmedTargetSentence(request.target ?? { kind: "not-confirmed", namedDevice: named, reason: request.device ? "not-checked" : "names-no-device" });
}

/** Intune's name for the device Graph confirms (else the name the text gives it, same id), or null when unconfirmed. */
export function confirmedDeviceName(request: Pick<ApprovalRequestView, "device" | "target">): string | null {
  return request.target?.kind === "confirmed" ? (request.target.deviceName ?? request.device?.deviceName ?? null) : null;
}

/**
 * The justification as it is shown: the requester's words after the prefix when Graph confirms the prefix's device,
 * else the whole text, prefix included, so a device it names reads as what someone wrote, not as the device.
 */
export function shownJustification(request: Pick<ApprovalRequestView, "device" | "target" | "requestJustification">): string {
  const target = request.target;
  return target?.kind === "confirmed" && request.device?.deviceId === target.deviceId ? request.device.text : request.requestJustification;
}

const timeOf = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);

/**
 * The device's newest request by requestDateTime (ties: the later in the list), or null. A request Graph ties to
 * another device is never this one's, whatever its justification says; a confirmed target wins over the text.
 */
export function latestRequestForDevice<T extends Pick<ApprovalRequestView, "device" | "requestedAt" | "target">>(requests: readonly T[], deviceId: string): T | null {
  const wanted = deviceId.toLowerCase();
  let latest: T | null = null;
  for (const request of requests) {
    const target = request.target;
    const forDevice = target?.kind === "confirmed" ? target.deviceId === wanted : request.device?.deviceId === wanted && target?.reason !== "another-request";
    if (!forDevice) continue;
    if (!latest || timeOf(request.requestedAt) >= timeOf(latest.requestedAt)) latest = request;
  }
  return latest;
}
