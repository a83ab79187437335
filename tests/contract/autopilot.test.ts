/**
 * A device's Windows Autopilot record through lib/graph/autopilot.ts and the real @microsoft/microsoft-graph-client
 * against the emulator: found by contains(serialNumber), the assignment status from the list, the profile by $expand
 * (docs/graph.md, "Autopilot registration"), and a device Graph has no record for.
 */
import { describe, expect, it } from "vitest";
import { getAutopilotRecord } from "@/lib/graph/autopilot";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 300, seed: 41 });

interface Listed {
  value: { id: string; serialNumber: string; traits: string[] }[];
}

describe("getAutopilotRecord", () => {
  it("reads a registered device's record: its group tag, its profile by name and the list's assignment status", async () => {
    const graph = await emulator.client("readonly", "beta");
    const { value } = await emulator.control<Listed>("GET", "/_emulator/devices?trait=eligible&limit=40");
    const found = await Promise.all(value.map((device) => getAutopilotRecord(graph, device)));
    const records = found.map((lookup) => (lookup.kind === "found" ? lookup.record : null));
    expect(records.every(Boolean)).toBe(true);
    const tagged = records.find((r) => r!.groupTag)!;
    expect(tagged).toMatchObject({ profileStatus: "assignedInSync", profileName: expect.stringMatching(/^Contoso /), enrollmentState: "enrolled", remediationState: "noRemediationRequired" });
    expect(tagged.lastContactedAt).toMatch(/^\d{4}-/);
    const untagged = records.find((r) => !r!.groupTag);
    if (untagged) expect(untagged).toMatchObject({ profileStatus: "notAssigned", profileName: null, profileAssignedAt: null });
  });

  it("answers none for a device not registered with Autopilot, and for a serial that matches another device's only in part", async () => {
    const graph = await emulator.client("readonly", "beta");
    const [unregistered] = (await emulator.control<Listed>("GET", "/_emulator/devices?trait=notAutopilot&limit=1")).value;
    expect(await getAutopilotRecord(graph, unregistered!)).toEqual({ kind: "none" });
    const [eligible] = (await emulator.control<Listed>("GET", "/_emulator/devices?trait=eligible&limit=1")).value;
    // contains() finds the other device's record, which is not this device's.
    expect(await getAutopilotRecord(graph, { id: unregistered!.id, serialNumber: eligible!.serialNumber.slice(1) })).toEqual({ kind: "none" });
  });

  it("doubles a quote in the serial rather than breaking the filter", async () => {
    const graph = await emulator.client("readonly", "beta");
    const [device] = (await emulator.control<Listed>("GET", "/_emulator/devices?trait=eligible&limit=1")).value;
    expect(await getAutopilotRecord(graph, { id: device!.id, serialNumber: "x' or 1 eq 1 or '" })).toEqual({ kind: "none" });
  });
});
