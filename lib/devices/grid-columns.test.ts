import { describe, expect, it } from "vitest";
import { makeDevice } from "./device-fixture";
import { PROVISIONED_BY_LABELS, provisioningOf } from "./provisioning";
import { DEFAULT_COLUMNS, exportCellText, GRID_COLUMN_IDS, gridColumn, parseColumnChoice, serializeColumnChoice, toggleColumn, visibleColumns } from "./grid-columns";

describe("column choice", () => {
  it("shows today's columns until the user chooses, with the less needed ones folding on narrow screens", () => {
    const columns = visibleColumns(null);
    expect(columns.map((column) => column.id)).toEqual(DEFAULT_COLUMNS);
    expect(columns.find((column) => column.id === "deviceName")?.foldBelow).toBeUndefined();
    expect(columns.find((column) => column.id === "ownership")?.foldBelow).toBe("wide");
    // Why a device would be skipped stays in view at 1024 px.
    expect(columns.find((column) => column.id === "joinType")?.foldBelow).toBeUndefined();
    expect(columns.find((column) => column.id === "autopilot")?.foldBelow).toBeUndefined();
  });

  it("adds a ticked column in the grid's order, and a column the user ticked never folds", () => {
    const choice = toggleColumn(toggleColumn(null, "serialNumber"), "joinType");
    expect(choice.shown).not.toContain("joinType");
    const again = toggleColumn(choice, "joinType");
    expect(again.shown.indexOf("joinType")).toBeLessThan(again.shown.indexOf("serialNumber"));
    expect(visibleColumns(again).find((column) => column.id === "joinType")?.foldBelow).toBeUndefined();
    expect(visibleColumns(again).find((column) => column.id === "osVersion")?.foldBelow).toBe("wide");
  });

  it("folds the default columns the user did not tick at a wider window as columns are added", () => {
    const fold = (choice: ReturnType<typeof toggleColumn>, id: string) => visibleColumns(choice).find((column) => column.id === id)?.foldBelow;
    const two = toggleColumn(toggleColumn(null, "serialNumber"), "model");
    expect(fold(two, "osVersion")).toBe("wide");
    expect(fold(two, "ownership")).toBe("2xl");
    // Join type and Autopilot stay with the defaults (1024 px), and make room once columns are added.
    expect(fold(two, "joinType")).toBe("wide");
    expect(fold(two, "autopilot")).toBe("wide");
    const four = toggleColumn(toggleColumn(two, "manufacturer"), "azureADDeviceId");
    expect(fold(four, "osVersion")).toBe("2xl");
    expect(fold(four, "ownership")).toBe("huge");
    expect(fold(four, "joinType")).toBe("2xl");
    expect(fold(four, "lastSyncDateTime")).toBeUndefined();
  });

  it("offers Provisioned by in the picker, not among the defaults, and shows it where the user ticks it", () => {
    expect(DEFAULT_COLUMNS).not.toContain("provisionedBy");
    expect(gridColumn("provisionedBy").header).toBe("Provisioned by");
    expect(GRID_COLUMN_IDS).toContain("provisionedBy");
    const choice = toggleColumn(null, "provisionedBy");
    expect(choice.shown.indexOf("provisionedBy")).toBe(choice.shown.indexOf("autopilot") + 1);
    expect(visibleColumns(choice).find((column) => column.id === "provisionedBy")?.foldBelow).toBeUndefined();
  });

  it("never hides the device name", () => {
    expect(toggleColumn(null, "deviceName").shown).toContain("deviceName");
    expect(parseColumnChoice(JSON.stringify({ shown: ["model"] }))?.shown).toEqual(["deviceName", "model"]);
  });

  it("round-trips, and reads a damaged or foreign value as no choice or without the unknown ids", () => {
    const choice = toggleColumn(null, "model");
    expect(parseColumnChoice(serializeColumnChoice(choice))).toEqual(choice);
    expect(parseColumnChoice("not json")).toBeNull();
    expect(parseColumnChoice("[1,2]")).toBeNull();
    expect(parseColumnChoice(null)).toBeNull();
    expect(parseColumnChoice(JSON.stringify({ shown: ["deviceName", "bogus", 3], chosen: ["bogus", "model"] }))).toEqual({ shown: ["deviceName"], chosen: [] });
  });
});

describe("exportCellText", () => {
  it("writes the grid's words, not Graph's enums, and ISO times", () => {
    const device = makeDevice({ joinType: "hybridAzureADJoined", complianceState: "noncompliant", ownerType: "personal" });
    expect(exportCellText(device, "joinType")).toBe("Microsoft Entra hybrid joined");
    expect(exportCellText(device, "complianceState")).toBe("Not compliant");
    expect(exportCellText(device, "ownership")).toBe("Personal");
    expect(exportCellText(device, "autopilot")).toBe("Yes");
    expect(exportCellText(device, "lastSyncDateTime")).toBe("2026-11-21T11:30:00.000Z");
    expect(exportCellText(makeDevice({ lastSyncDateTime: null, serialNumber: null }), "lastSyncDateTime")).toBe("Never");
    expect(exportCellText(makeDevice({ serialNumber: null }), "serialNumber")).toBe("");
  });

  it("words Provisioned by as the caller says (it needs the tenant's names), else leaves it empty", () => {
    const names = { kind: "read" as const, devicePreparationPolicies: ["DP"], autopilotProfiles: ["AP"] };
    const words = (d: ReturnType<typeof makeDevice>) => PROVISIONED_BY_LABELS[provisioningOf(d.enrollmentProfileName, names).by];
    expect(exportCellText(makeDevice({ enrollmentProfileName: "DP" }), "provisionedBy", words)).toBe("Device preparation");
    expect(exportCellText(makeDevice({ enrollmentProfileName: "AP" }), "provisionedBy", words)).toBe("Autopilot");
    expect(exportCellText(makeDevice({ enrollmentProfileName: "AP" }), "provisionedBy")).toBe("");
  });
});
