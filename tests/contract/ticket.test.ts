/**
 * resolveTicketLines against the emulator (docs/product.md, "Journey 7: start from what the ticket names"): names,
 * serial numbers, Intune ids and Entra device ids, mixed, each found with the device page's eligibility; unknown
 * values not found; refused values answered without a Graph request; and the requests one call makes.
 */
import { describe, expect, it } from "vitest";
import { resolveTicketLines, type TicketAnswer } from "@/lib/actions/ticket";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 400, seed: 11 });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

describe("resolveTicketLines", () => {
  it("finds each kind of value, says not found, not Windows and ineligible, and refuses injection without a request", async () => {
    const token = await emulator.token("helpdesk");
    const [eligible, byName, byId, byEntra] = await emulator.findDevices("eligible", 4);
    const [hybrid] = await emulator.findDevices("hybrid", 1);
    const [other] = await emulator.findDevices("nonWindows", 1);
    const graph = await emulator.client("helpdesk", "beta");
    const entraId = ((await graph.api(`/deviceManagement/managedDevices/${byEntra!.id}`).select("azureADDeviceId").get()) as { azureADDeviceId: string }).azureADDeviceId;
    expect(entraId).toMatch(/^[0-9a-f-]{36}$/);

    const values = [eligible!.serialNumber, byName!.deviceName.toLowerCase(), byId!.id.toUpperCase(), entraId, "NOSUCHSERIAL99", hybrid!.serialNumber, other!.serialNumber];
    const before = await emulator.counters();
    const answer = data(await resolveTicketLines(token, { values }));
    const kinds = answer.answers.map((a) => a.kind);
    expect(kinds).toEqual(["found", "found", "found", "found", "not-found", "found", "not-windows"]);
    const found = (a: TicketAnswer) => (a.kind === "found" || a.kind === "not-windows" ? a.match : undefined);
    expect(found(answer.answers[0]!)?.device.id).toBe(eligible!.id);
    expect(answer.answers[0]).toMatchObject({ by: "serial" });
    expect(found(answer.answers[1]!)?.device.id).toBe(byName!.id);
    expect(answer.answers[2]).toMatchObject({ by: "intune-id" });
    expect(answer.answers[3]).toMatchObject({ by: "entra-id" });
    expect(found(answer.answers[3]!)?.device.id).toBe(byEntra!.id);
    expect(answer.answers[4]).toMatchObject({ tried: ["serial", "name"] });
    expect(found(answer.answers[5]!)?.reset).toMatchObject({ allowed: false, reason: "hybrid-joined" });
    expect(found(answer.answers[5]!)?.sync).toMatchObject({ allowed: true });
    // Serial first; a name lookup only for the one that was not found; the GUIDs: id, then Entra for the one missing.
    expect(answer.graphRequests).toBe(values.length + 2);
    const after = await emulator.counters();
    expect(after.requests - before.requests).toBeLessThanOrEqual(answer.graphRequests + 2);
    expect(Object.keys(after.wipes).length).toBe(Object.keys(before.wipes).length);

    const refused = data(await resolveTicketLines(token, { values: ["x' or 1 eq 1", "=HYPERLINK(\"http://x\")", "PF\u0000"] }));
    expect(refused.answers.map((a) => a.kind)).toEqual(["refused", "refused", "refused"]);
    expect(refused.graphRequests).toBe(0);
    expect((await emulator.counters()).requests).toBe(after.requests);
  });

  it("refuses more than 500 values in one call, before anything is read", async () => {
    const token = await emulator.token("helpdesk");
    const before = await emulator.counters();
    const result = await resolveTicketLines(token, { values: Array.from({ length: 501 }, (_, i) => `PC${i}`) });
    expect(result.error?.kind).toBe("invalid");
    expect((await emulator.counters()).requests).toBe(before.requests);
  });

  it("resolves 500 values in one call, as $batches side by side", async () => {
    const token = await emulator.token("helpdesk");
    const fleet = await emulator.findDevices("eligible", 300);
    const values = [...fleet.map((d) => d.serialNumber), ...Array.from({ length: 500 - fleet.length }, (_, i) => `UNKNOWN${i}X`)];
    const started = performance.now();
    const answer = data(await resolveTicketLines(token, { values }));
    expect(answer.answers.filter((a) => a.kind === "found")).toHaveLength(fleet.length);
    // One lookup per value found at its first try, two for the rest.
    expect(answer.graphRequests).toBeGreaterThanOrEqual(values.length + (500 - fleet.length));
    expect(answer.graphRequests).toBeLessThan(values.length + (500 - fleet.length) + 40);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
