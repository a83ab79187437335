/**
 * The device page asks resetEligibility with the same facts the server's judge uses (lib/server/send/judge.ts), read
 * through lib/actions/device-records.ts: how the device was provisioned and whether its records agree. The server
 * still decides; this keeps the page from offering a reset the server will refuse, and from refusing one it sends.
 * Pure.
 */
import type { ActionError } from "@/lib/result";
import { resetEligibility, type ResetEligibility } from "./eligibility";
import { provisioningOf, type ProvisioningNames } from "./provisioning";
import type { RecordsVerdict, SiblingRecord } from "./records";
import type { ResetSignals } from "./reset-evidence";
import { formatRelative } from "./format";
import type { Device } from "./types";

/** What the page read of a device registered with Autopilot: its records' verdict, or why it could not be read. */
export type AutopilotRecordsCheck =
  | { kind: "not-registered" }
  | { kind: "judged"; verdict: RecordsVerdict }
  | { kind: "error"; error: ActionError };

export interface PageFactsInput {
  /** The tenant's names (undefined while reading; an ActionError when the read itself failed). */
  names: ProvisioningNames | ActionError | undefined;
  /** undefined while reading. */
  records: AutopilotRecordsCheck | undefined;
}

export type PageResetCheck = ResetEligibility & {
  /** The facts are still being read: the reset waits for them, and nothing is wrong yet. */
  checking?: boolean;
};

const isNames = (value: ProvisioningNames | ActionError): value is ProvisioningNames => value.kind === "read" || value.kind === "unreadable";
const clause = (text: string) => text.replace(/\.$/, "");

/** What no fact can change, said before anything else is read (the judge, too, finds a pending reset first). */
const STANDING = new Set(["not-windows", "hybrid-joined", "reset-pending"]);

export function pageResetEligibility(device: Device, now: Date, signals: ResetSignals | undefined, input: PageFactsInput): PageResetCheck {
  const bare = resetEligibility(device, now, signals);
  if (!bare.allowed && bare.reason && STANDING.has(bare.reason)) return bare;
  const { names, records } = input;
  const needsRecords = device.autopilotEnrolled;
  if (names === undefined || (needsRecords && records === undefined)) {
    return { allowed: false, checking: true, message: "Checking how this device was provisioned and whether its records agree…" };
  }
  if (!isNames(names)) {
    return { allowed: false, message: `Whether this device was provisioned by Windows Autopilot could not be checked (${clause(names.message)}).` };
  }
  // As the server: a passing failure (throttled, an outage) waits; a refusal (a missing scope or role) goes ahead, said.
  if (names.kind === "unreadable" && !names.lasting) {
    return { allowed: false, message: `Whether this device was provisioned by Windows Autopilot could not be checked (${clause(names.why)}); try again in a minute.` };
  }
  if (needsRecords && records?.kind === "error") {
    return { allowed: false, message: `The device's Windows Autopilot record could not be read (${clause(records.error.message)}).` };
  }
  const provisioning = provisioningOf(device.enrollmentProfileName, names);
  const verdict = needsRecords && records?.kind === "judged" ? records.verdict : undefined;
  return resetEligibility(device, now, signals, { provisioning, ...(verdict ? { records: verdict } : {}) });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** "41 days ago" past a day (the admin center counts stale records in days), else "3 hours ago"; "never" for none. */
export function checkedInAgo(iso: string | null, now: Date): string {
  if (!iso) return "never";
  const elapsed = now.getTime() - Date.parse(iso);
  if (Number.isNaN(elapsed)) return "at an unknown time";
  const days = Math.floor(elapsed / DAY_MS);
  return days >= 2 ? `${days} days ago` : formatRelative(iso, now);
}

/**
 * "2 Intune records share this serial; this one last checked in 41 days ago." for the device page, or null when the
 * device has its serial to itself. `records` come newest first.
 */
export function sharedSerialSentence(records: readonly SiblingRecord[], deviceId: string, now: Date): string | null {
  if (records.length < 2) return null;
  const index = records.findIndex((record) => record.id.toLowerCase() === deviceId.toLowerCase());
  const count = `${records.length} Intune records share this serial`;
  if (index < 0) return `${count}.`;
  const self = records[index]!;
  if (index === 0) return `${count}; this one is the newest: it last checked in ${checkedInAgo(self.lastSyncDateTime, now)}.`;
  const newest = records[0]!.lastSyncDateTime;
  return `${count}; this one last checked in ${checkedInAgo(self.lastSyncDateTime, now)}, ${newest ? `the newest ${checkedInAgo(newest, now)}` : "and the newest has never checked in"}.`;
}
