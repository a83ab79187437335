import { describe, expect, it } from "vitest";
import { CAN_BE_RESET, formatSort, isCanBeReset, nextSort, parseSort, toFilters } from "./grid-url-state";

describe("grid URL state", () => {
  it("'Can be reset' is exactly Entra joined, registered with Autopilot and provisioned by it", () => {
    expect(isCanBeReset(CAN_BE_RESET)).toBe(true);
    expect(isCanBeReset({ ...CAN_BE_RESET, join: "hybridAzureADJoined" })).toBe(false);
    expect(isCanBeReset({ ...CAN_BE_RESET, provisioned: null })).toBe(false);
    expect(isCanBeReset({ join: null, autopilot: null, provisioned: null })).toBe(false);
    expect(toFilters({ compliance: null, ownership: null, ...CAN_BE_RESET })).toEqual({ joinType: "azureADJoined", autopilot: "registered", provisionedBy: "autopilot" });
  });

  it("round-trips a sort and refuses unknown fields or directions", () => {
    expect(parseSort(formatSort({ field: "lastSyncDateTime", direction: "desc" }))).toEqual({
      field: "lastSyncDateTime",
      direction: "desc",
    });
    expect(parseSort("serialNumber.asc")).toBeNull();
    expect(parseSort("deviceName.sideways")).toBeNull();
  });

  it("cycles a header through ascending, descending and unsorted", () => {
    const asc = nextSort(null, "deviceName");
    expect(asc).toEqual({ field: "deviceName", direction: "asc" });
    const desc = nextSort(asc, "deviceName");
    expect(desc).toEqual({ field: "deviceName", direction: "desc" });
    expect(nextSort(desc, "deviceName")).toBeNull();
    expect(nextSort(desc, "osVersion")).toEqual({ field: "osVersion", direction: "asc" });
  });

  it("keeps only the filters that are set", () => {
    expect(toFilters({ compliance: "compliant", ownership: null, join: null, autopilot: "registered" })).toEqual({
      compliance: "compliant",
      autopilot: "registered",
    });
  });

  it("takes last check-in, OS version and model from the URL, text trimmed and bounded", () => {
    expect(toFilters({ compliance: null, ownership: null, join: null, autopilot: null, checkin: "30d", os: " 10.0.22631 ", model: "" })).toEqual({
      checkIn: "30d",
      osVersion: "10.0.22631",
    });
    expect(toFilters({ compliance: null, ownership: null, join: null, autopilot: null, model: `Lat\nitude${"x".repeat(100)}` }).model).toHaveLength(64);
  });

  it("takes Provisioned by from the URL", () => {
    expect(toFilters({ compliance: null, ownership: null, join: null, autopilot: null, provisioned: "device-preparation" })).toEqual({ provisionedBy: "device-preparation" });
  });
});
