/**
 * The ticket's directory sources through the server actions against the emulator (docs/product.md, "A person's or a
 * group's devices"): a person's Windows devices, a nested group's transitive devices matched to Intune, hostile
 * searches refused before Graph, and a token without the directory scopes answered with the consent sentence.
 */
import { describe, expect, it } from "vitest";
import { checkDirectoryAccess, findGroups, findUsers, readGroupDevices, readPersonDevices } from "@/lib/actions/directory";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 600, seed: 31 });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

interface ControlUser { id: string; displayName: string; userPrincipalName: string; windowsDeviceIds: string[] }
interface ControlGroup {
  id: string;
  displayName: string;
  nestedGroupIds: string[];
  transitiveMembers: { devices: number; users: number; groups: number };
  transitiveDevices?: { managedDeviceId: string | null; operatingSystem: string; deviceId: string }[];
}

describe("a person's devices", () => {
  it("finds a person by name prefix and returns exactly their Windows devices", async () => {
    const token = await emulator.token("helpdesk");
    const { value } = await emulator.control<{ value: ControlUser[] }>("GET", "/_emulator/users?withDevices=2&limit=1");
    const user = value[0]!;
    const found = data(await findUsers(token, { search: user.displayName.slice(0, 4) }));
    expect(found.users.map((u) => u.id)).toContain(user.id);
    const { user: read, source } = data(await readPersonDevices(token, { userId: user.id }));
    expect(read.displayName).toBe(user.displayName);
    expect(source.devices.map((d) => d.id).sort()).toEqual([...user.windowsDeviceIds].sort());
    expect(source.devices.every((d) => d.operatingSystem === "Windows")).toBe(true);
  });

  it("refuses control characters and over-long searches before Graph, and survives quotes", async () => {
    const token = await emulator.token("helpdesk");
    expect((await findUsers(token, { search: "a\tb" })).error).toMatchObject({ kind: "invalid", message: expect.stringContaining("control characters") });
    expect((await findUsers(token, { search: "a".repeat(121) })).error).toMatchObject({ kind: "invalid" });
    expect(data(await findUsers(token, { search: "O'Brien') or startswith(displayName,'" })).users).toEqual([]);
    expect((await readPersonDevices(token, { userId: "../me" })).error).toMatchObject({ kind: "invalid" });
  });
});

describe("an Entra group's devices", () => {
  it("resolves a nested group's transitive device members to Intune and counts the rest", async () => {
    const token = await emulator.token("helpdesk");
    const { value } = await emulator.control<{ value: ControlGroup[] }>("GET", "/_emulator/groups");
    const nested = value.find((g) => g.nestedGroupIds.length > 0 && g.transitiveMembers.devices > 0)!;
    const detail = await emulator.control<ControlGroup>("GET", `/_emulator/groups/${nested.id}`);
    const expected = detail.transitiveDevices!.filter((d) => d.managedDeviceId && d.operatingSystem === "Windows").map((d) => d.managedDeviceId!);
    const found = data(await findGroups(token, { search: nested.displayName.slice(0, 5) }));
    expect(found.groups.map((g) => g.id)).toContain(nested.id);
    const { group, source } = data(await readGroupDevices(token, { groupId: nested.id }));
    expect(group.displayName).toBe(nested.displayName);
    expect(source.devices.map((d) => d.id).sort()).toEqual([...new Set(expected)].sort());
    expect(source.otherMembers?.users).toBe(nested.transitiveMembers.users);
    expect(source.otherMembers?.groups).toBeGreaterThan(0);
    const notWindows = detail.transitiveDevices!.filter((d) => d.managedDeviceId && d.operatingSystem !== "Windows").length;
    expect(source.leftOut.filter((d) => d.reason === "not-windows")).toHaveLength(notWindows);
  });
});

describe("without the directory consent", () => {
  it("answers with the consent sentence, naming the scope, before Graph", async () => {
    const token = await emulator.token("noconsent");
    for (const result of [await checkDirectoryAccess(token, { source: "group" }), await findGroups(token, { search: "a" })]) {
      expect(result.error).toMatchObject({ kind: "forbidden-consent", message: expect.stringContaining("GroupMember.Read.All") });
      expect(result.error?.message).toContain("An administrator must grant admin consent");
    }
    expect((await checkDirectoryAccess(token, { source: "person" })).error).toMatchObject({ kind: "forbidden-consent", missingScope: "User.ReadBasic.All" });
  });
});
