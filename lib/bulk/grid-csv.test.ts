import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { makeDevice } from "@/lib/devices/device-fixture";
import { gridCsvFileName, gridToCsv } from "./grid-csv";

describe("gridToCsv", () => {
  it("writes every grid column in the grid's words, one row per device, formulas defused", () => {
    const csv = gridToCsv(
      [makeDevice(), makeDevice({ id: "1", deviceName: "=HYPERLINK(\"x\")", joinType: "hybridAzureADJoined", ownerType: "personal" })],
      (device) => (device.id === "1" ? "Reset pending" : "None"),
    );
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([
      "Device ID", "Device name", "Primary user UPN", "Ownership", "Compliance", "OS version", "Join type", "Autopilot",
      "Last check-in", "Reset status", "Serial number", "Model", "Manufacturer", "Enrolled", "Entra device ID", "Management name",
    ]);
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[1]).toMatchObject({
      "Device name": "'=HYPERLINK(\"x\")",
      "Join type": "Microsoft Entra hybrid joined",
      Ownership: "Personal",
      "Reset status": "Reset pending",
      "Serial number": "PF3XK9QZ",
    });
  });

  it("names the file by the moment of export", () => {
    expect(gridCsvFileName(new Date("2026-12-02T15:04:05Z"))).toBe("windows-devices-2026-12-02-15-04-05.csv");
  });
});
