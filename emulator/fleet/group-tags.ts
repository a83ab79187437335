/**
 * Autopilot identities' properties changed with updateDeviceProperties (docs/graph.md, "Changing the group tag"), and
 * the deployment profile catching up with a new group tag. In Intune the tag becomes the Entra device's OrderID, dynamic
 * groups re-evaluate, and only then is the new group's profile assigned; how long that takes is UNVERIFIED. The
 * emulator picks PROFILE_CATCH_UP_MS of its own clock: until then the identity reads "pending" and keeps the profile of
 * the tag it had before the change (emulator/README.md, "Group tags").
 */
import type { DeviceRecord } from "./device";

export const PROFILE_CATCH_UP_MS = 5 * 60_000;

interface TagChange {
  /** The tag whose profile is still assigned while the change catches up. */
  previousTag: string;
  changedMs: number;
}

export class GroupTagChanges {
  private readonly changes = new Map<string, TagChange>();
  private readonly userPrincipalNames = new Map<string, string>();

  /** A new tag from `now`; a second change before the first caught up keeps the profile of the tag before both. */
  setTag(d: DeviceRecord, tag: string, now: number): void {
    const open = this.changes.get(d.id);
    const previousTag = open && this.catchingUp(d, now) ? open.previousTag : d.groupTag;
    d.groupTag = tag;
    this.changes.set(d.id, { previousTag, changedMs: now });
  }

  setUserPrincipalName(d: DeviceRecord, upn: string): void {
    this.userPrincipalNames.set(d.id, upn);
  }

  userPrincipalName(d: DeviceRecord): string {
    return this.userPrincipalNames.get(d.id) ?? "";
  }

  catchingUp(d: DeviceRecord, now: number): boolean {
    const change = this.changes.get(d.id);
    return change !== undefined && now < change.changedMs + PROFILE_CATCH_UP_MS;
  }

  /** The tag whose profile the identity has now: the previous one while the change catches up. */
  assignedTag(d: DeviceRecord, now: number): string {
    const change = this.changes.get(d.id);
    return change && this.catchingUp(d, now) ? change.previousTag : d.groupTag;
  }

  /** When the new tag's profile was assigned, once it has been; undefined for a device whose tag never changed. */
  assignedMs(d: DeviceRecord, now: number): number | undefined {
    const change = this.changes.get(d.id);
    if (!change || this.catchingUp(d, now)) return undefined;
    return change.changedMs + PROFILE_CATCH_UP_MS;
  }
}
