/**
 * Beta executeAction's bulkManagedDeviceActionResult: lib/graph/client's readBulkActionResult takes it at the JSON root
 * (the schema, Kiota, the emulator's default) or wrapped in "value" (the docs' example), here as a unit and through the
 * real SDK against both of the emulator's shapes (fidelity switch bulkResultShape).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createGraphClient, readBulkActionResult } from "@/lib/graph/client";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 40, seed: 5 });
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

afterEach(async () => {
  await emulator.control("PUT", "/_emulator/fidelity", { bulkResultShape: "root" });
});

describe("readBulkActionResult", () => {
  const lists = { successfulDeviceIds: ["a"], failedDeviceIds: [], notFoundDeviceIds: ["b"], notSupportedDeviceIds: [] };

  it("reads the result at the root and wrapped in value alike", () => {
    expect(readBulkActionResult({ "@odata.context": "x", ...lists })).toEqual(lists);
    expect(readBulkActionResult({ "@odata.context": "x", value: lists })).toEqual(lists);
  });

  it("reads missing or malformed lists as empty, and refuses an answer in neither shape", () => {
    expect(readBulkActionResult({ successfulDeviceIds: ["a", 7, null] })).toEqual({ successfulDeviceIds: ["a"], failedDeviceIds: [], notFoundDeviceIds: [], notSupportedDeviceIds: [] });
    for (const answer of [null, [], "ok", {}, { value: "x" }, { value: {} }]) expect(() => readBulkActionResult(answer), JSON.stringify(answer)).toThrow(TypeError);
  });
});

describe("executeAction through the SDK", () => {
  it("gives the same result whether the emulator answers at the root or in value", async () => {
    const devices = await emulator.findDevices("eligible", 2);
    const graph = createGraphClient(await emulator.token("helpdesk"), { version: "beta", graphBaseUrl: emulator.url });
    const body = { actionName: "syncDevice", deviceIds: [...devices.map((d) => d.id), UNKNOWN] };
    const root = await graph.api("/deviceManagement/managedDevices/executeAction").post(body);
    expect(root).toHaveProperty("successfulDeviceIds");
    await emulator.control("PUT", "/_emulator/fidelity", { bulkResultShape: "value" });
    const wrapped = await graph.api("/deviceManagement/managedDevices/executeAction").post(body);
    expect(wrapped).toHaveProperty("value.successfulDeviceIds");
    const expected = { successfulDeviceIds: devices.map((d) => d.id), failedDeviceIds: [], notFoundDeviceIds: [UNKNOWN], notSupportedDeviceIds: [] };
    expect(readBulkActionResult(root)).toEqual(expected);
    expect(readBulkActionResult(wrapped)).toEqual(expected);
  });
});
