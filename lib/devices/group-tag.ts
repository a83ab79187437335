/**
 * Changing a device's Autopilot group tag before a reset (docs/graph.md, "Changing the group tag"): which tags the
 * console sends, and where the deployment profile stands while it catches up with a new tag. The tag becomes the Entra
 * device's OrderID that dynamic groups read, so the profile follows only once group membership and the assignment
 * have; a reset before that may bring the device back with the old profile.
 */
import { z } from "zod";
import type { AutopilotRecord } from "./autopilot";

/**
 * The console's own rule, stricter than Intune's (which is UNVERIFIED, docs/graph.md, "Changing the group tag"): letters,
 * digits, spaces, "-", "_" and ".", at most 64 characters; empty removes the tag.
 */
export const GROUP_TAG_MAX = 64;
const GROUP_TAG_PATTERN = /^[A-Za-z0-9 ._-]*$/;

export const groupTagSchema = z
  .string()
  .max(GROUP_TAG_MAX, { message: `A group tag can be at most ${GROUP_TAG_MAX} characters.` })
  .regex(GROUP_TAG_PATTERN, { message: "A group tag can use only letters, digits, spaces, hyphens (-), underscores (_) and periods (.)." })
  .refine((tag) => tag === tag.trim(), { message: "A group tag cannot start or end with a space." });

/** The sentence that refuses a tag, or undefined when the console would send it. */
export function groupTagProblem(tag: string): string | undefined {
  const parsed = groupTagSchema.safeParse(tag);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

export type ProfileCatchUp =
  | { kind: "in-sync"; text: string }
  | { kind: "catching-up"; text: string }
  | { kind: "failed"; text: string }
  | { kind: "not-assigned"; text: string }
  | { kind: "unknown"; text: string };

/** Statuses in which the assignment has not caught up with the record's group tag (yet). */
const CATCHING_UP = new Set<AutopilotRecord["profileStatus"]>(["pending", "assignedOutOfSync", "assignedUnkownSyncState"]);

/**
 * Where the deployment profile stands, in the console's words. `changedAt` is when this console changed the tag (the
 * record does not say): "catching up since 10:42".
 */
export function profileCatchUp(record: Pick<AutopilotRecord, "profileStatus" | "profileName" | "groupTag">, changedAt?: string, formatTime?: (iso: string) => string): ProfileCatchUp {
  const status = record.profileStatus;
  if (status === "assignedInSync") {
    return { kind: "in-sync", text: `Profile: assigned, in sync${record.profileName ? ` (${record.profileName})` : ""}` };
  }
  if (CATCHING_UP.has(status)) {
    const since = changedAt && formatTime ? ` since ${formatTime(changedAt)}` : "";
    return { kind: "catching-up", text: `Profile: catching up with the group tag${since}` };
  }
  if (status === "failed") return { kind: "failed", text: "Profile: assignment failed" };
  if (status === "notAssigned") {
    return { kind: "not-assigned", text: record.groupTag ? "Profile: none assigned to this group tag" : "Profile: none assigned (the device has no group tag)" };
  }
  return { kind: "unknown", text: "Profile: Intune did not say" };
}

/** The reset dialog's warning when the profile has not caught up with the group tag, else undefined. */
export function oldProfileWarning(record: Pick<AutopilotRecord, "profileStatus" | "groupTag">): string | undefined {
  if (!CATCHING_UP.has(record.profileStatus)) return undefined;
  const tag = record.groupTag ? `“${record.groupTag}”` : "(none)";
  return `The deployment profile has not caught up with the group tag ${tag} yet: reset now and the device may come back with the old profile. Wait until the device page shows “Profile: assigned, in sync”.`;
}

export interface GroupTagChangeSummary {
  from: string;
  to: string;
  lines: string[];
}

/** What the tag change confirmation lists: what changes, and what does not. */
export function groupTagChangeSummary(from: string, to: string, userPrincipalName?: string): GroupTagChangeSummary {
  const name = (tag: string) => (tag ? `“${tag}”` : "none");
  const lines = [
    `The Autopilot group tag changes from ${name(from)} to ${name(to)}.`,
    "Dynamic groups that read the tag (OrderID) re-evaluate, then the deployment profile follows: this takes a while, and the page shows it catching up.",
    "Nothing is sent to the device: this is not a reset.",
  ];
  if (userPrincipalName) lines.splice(1, 0, `The Autopilot record's user becomes ${userPrincipalName}.`);
  return { from, to, lines };
}
