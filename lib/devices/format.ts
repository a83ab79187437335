import type { ComplianceState, JoinType, ManagedDeviceOwnerType } from "@/lib/devices/types";

export const COMPLIANCE_LABELS: Record<ComplianceState, string> = {
  unknown: "Unknown",
  compliant: "Compliant",
  noncompliant: "Not compliant",
  conflict: "Conflict",
  error: "Error",
  inGracePeriod: "In grace period",
  configManager: "See ConfigMgr",
};

export const OWNERSHIP_LABELS: Record<ManagedDeviceOwnerType, string> = {
  unknown: "Unknown",
  company: "Corporate",
  personal: "Personal",
  unknownFutureValue: "Unknown",
};

export const JOIN_TYPE_LABELS: Record<JoinType, string> = {
  unknown: "Unknown",
  azureADJoined: "Microsoft Entra joined",
  azureADRegistered: "Microsoft Entra registered",
  hybridAzureADJoined: "Microsoft Entra hybrid joined",
};

/** The grid's narrower words for the same values (the device page and tooltips use the full ones). */
export const JOIN_TYPE_SHORT_LABELS: Record<JoinType, string> = {
  unknown: "Unknown",
  azureADJoined: "Entra joined",
  azureADRegistered: "Entra registered",
  hybridAzureADJoined: "Entra hybrid joined",
};

export function label<K extends string>(labels: Record<K, string>, value: K | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return labels[value] ?? value;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** "3 hours ago", "yesterday", "just now"; "Never" for no date. */
export function formatRelative(iso: string | null | undefined, now: Date): string {
  if (!iso) return "Never";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "Unknown";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  // A check-in "in the future" is clock skew between the browser and the service: read it as now.
  if (seconds > 0) return "just now";
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/**
 * "21 Nov 2026, 19:40" in the browser's time zone; "Never" for no date. Also takes milliseconds since the epoch (a time
 * on Graph's clock, shown and never compared with the browser's).
 */
export function formatDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === "") return "Never";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "Unknown" : absolute.format(date);
}

const timeOfDay = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium" });

/** "14:02:10" in the browser's time zone, for a moment later today (the next try of a bulk run). */
export function formatTimeOfDay(ms: number): string {
  return timeOfDay.format(new Date(ms));
}

/** "3 hours ago (2 Dec 2026, 01:04)": the console's way of writing a past moment in a sentence; "Never" for none. */
export function formatWhen(iso: string | null | undefined, now: Date): string {
  if (!iso) return "Never";
  return `${formatRelative(iso, now)} (${formatDateTime(iso)})`;
}
