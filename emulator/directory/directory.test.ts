/** The directory built from a fleet: seeded groups, nesting, owners vs primary users, determinism. */
import { describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet";
import { APPROVER_GROUP } from "../tenant";
import { Directory } from "./model";
import { GROUP_NAMES } from "./groups";

const NOW = Date.UTC(2026, 5, 1);
const byName = (dir: Directory, name: string) => dir.groups.find((g) => g.displayName === name)!;

describe("directory", () => {
  it("seeds the lab groups nested in the site group, listed once transitively", () => {
    const dir = new Directory(new Fleet(5, 2500, NOW));
    const room101 = byName(dir, GROUP_NAMES.room101);
    const site = byName(dir, GROUP_NAMES.site);
    expect(room101.members).toHaveLength(40);
    expect(room101.members.every((m) => m.kind === "device")).toBe(true);
    expect(site.members.filter((m) => m.kind === "group")).toHaveLength(2);
    const transitive = dir.transitiveMembers(site);
    expect(new Set(transitive.map((m) => m.id)).size).toBe(transitive.length);
    expect(transitive).toHaveLength(2 + 40 + 25 + 5);
    expect(byName(dir, GROUP_NAMES.autopilot).members.length).toBeGreaterThan(2000);
    expect(byName(dir, GROUP_NAMES.empty).members).toHaveLength(0);
    expect(dir.group(APPROVER_GROUP.id)!.members.map((m) => m.kind)).toEqual(["user", "user"]);
  });

  it("is a function of the seed", () => {
    const a = new Directory(new Fleet(5, 300, NOW));
    const b = new Directory(new Fleet(5, 300, NOW));
    expect(a.groups.map((g) => [g.id, g.members.map((m) => m.id)])).toEqual(b.groups.map((g) => [g.id, g.members.map((m) => m.id)]));
    expect(a.devices[0]!.id).not.toBe(a.devices[0]!.deviceId);
  });

  it("keeps the Entra owner after a reset removes Intune's primary user", () => {
    const fleet = new Fleet(5, 300, NOW);
    const dir = new Directory(fleet);
    const user = dir.users.find((u) => dir.managedDevices(u).length > 0)!;
    const device = dir.managedDevices(user)[0]!;
    device.userIndex = -1;
    expect(dir.managedDevices(user)).not.toContain(device);
    expect(dir.ownedDevices(user).map((d) => d.record)).toContain(device);
    expect(dir.user(user.userPrincipalName.toUpperCase())).toBe(user);
  });
});
