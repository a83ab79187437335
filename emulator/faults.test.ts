/**
 * The "hold" and "landsLater" fault rules: a write that is held open until released, and a write answered 504 that
 * lands later. Tests release or move the emulator clock; nothing here waits for real time to pass.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { testClient } from "./test-client";
import { DEFAULT_LANDS_LATER_MS } from "./graph/faults";

const KEEP = { keepEnrollmentData: true, keepUserData: false };
const beta = "/beta/deviceManagement/managedDevices";
let emu: RunningEmulator;
// A client per emulator: each test starts its own, whose signing keys differ (tokens are not reused across them).
let client: ReturnType<typeof testClient>;
const control = <T>(method: string, path: string, body?: unknown) => client.control<T>(method, path, body);
const graph: ReturnType<typeof testClient>["graph"] = (...args) => client.graph(...args);
const devices = (trait: string, limit: number) => client.devices(trait, limit);

interface Faults {
  rules: { fault: string; matched: number; fired: number }[];
  held: { method: string; path: string; arrivedDateTime: string }[];
  landsLater: { method: string; path: string; arrivedDateTime: string; dueDateTime: string }[];
}
interface Released {
  released: { method: string; path: string; status: number }[];
}

const wipes = async (id: string) => (await control<{ wipes: Record<string, number> }>("GET", "/counters")).wipes[id] ?? 0;
const syncs = async (id: string) => (await control<{ syncs: Record<string, number> }>("GET", "/counters")).syncs[id] ?? 0;
const state = async (id: string) => (await graph("readonly", "GET", `${beta}/${id}?$select=managementState`)).json.managementState;
const faults = () => control<Faults>("GET", "/faults");

/** Until the emulator has registered `n` held writes (it does so as soon as the request is read: a few ms). */
async function heldCount(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await faults()).held.length >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`expected ${n} held writes`);
}

beforeEach(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 60, seed: 21, silentWipes: "none" });
  client = testClient(() => emu);
});
afterEach(async () => {
  await emu.close();
});

describe("hold", () => {
  it("holds a wipe with no answer until released; then it is applied once and answered 204", async () => {
    const [id, other] = await devices("eligible", 2);
    await control("POST", "/faults/rules", { rules: [{ fault: "hold", pathContains: id }] });
    let answered = false;
    const wipe = graph("helpdesk", "POST", `${beta}/${id}/wipe`, KEEP).then((answer) => ((answered = true), answer));
    await heldCount(1);
    // Reads of the same device are not held, and do not see the write; other devices' writes are not held.
    expect(await state(id!)).toBe("managed");
    expect((await graph("helpdesk", "POST", `${beta}/${other}/syncDevice`)).status).toBe(204);
    await control("POST", "/clock/advance", { seconds: 3600 });
    expect(await wipes(id!)).toBe(0);
    expect(answered).toBe(false);
    expect((await faults()).held).toEqual([{ method: "POST", path: `${beta}/${id}/wipe`, arrivedDateTime: expect.any(String) }]);

    const released = await control<Released>("POST", "/faults/release", { pathContains: id });
    expect(released.released).toEqual([{ method: "POST", path: `${beta}/${id}/wipe`, status: 204 }]);
    expect(await wipes(id!)).toBe(1);
    expect((await wipe).status).toBe(204);
    expect(await state(id!)).toBe("wipePending");
    expect((await faults()).held).toEqual([]);
    expect((await control<Released>("POST", "/faults/release", {})).released).toEqual([]);
  });

  it("applies the held write at release even when the caller gave up", async () => {
    const [id] = await devices("eligible", 1);
    await control("POST", "/faults/rules", { rules: [{ fault: "hold", pathContains: id }] });
    const abort = new AbortController();
    const gone = graph("helpdesk", "POST", `${beta}/${id}/wipe`, KEEP, {}, abort.signal).catch((err: Error) => err);
    await heldCount(1);
    abort.abort();
    expect(await gone).toBeInstanceOf(Error);
    expect(await wipes(id!)).toBe(0);
    await control("POST", "/faults/rules/remove", { pathContains: [id] });
    // Removing the rule releases nothing: the write is still held.
    expect((await faults()).held).toHaveLength(1);
    expect((await control<Released>("POST", "/faults/release", { pathContains: id })).released[0]!.status).toBe(204);
    expect(await wipes(id!)).toBe(1);
    expect(await state(id!)).toBe("wipePending");
  });

  it("in a $batch: the other sub-requests run at once, the held one at release, and the batch answers after it", async () => {
    const [held, free] = await devices("eligible", 2);
    await control("POST", "/faults/rules", { rules: [{ fault: "hold", pathContains: held }] });
    let answered = false;
    const batch = graph("helpdesk", "POST", "/beta/$batch", {
      requests: [
        { id: "1", method: "POST", url: `/deviceManagement/managedDevices/${held}/wipe`, body: KEEP, headers: { "Content-Type": "application/json" } },
        { id: "2", method: "POST", url: `/deviceManagement/managedDevices/${free}/syncDevice` },
        { id: "3", method: "POST", url: `/deviceManagement/managedDevices/${free}/wipe`, body: KEEP, headers: { "Content-Type": "application/json" }, dependsOn: ["1"] },
      ],
    }).then((answer) => ((answered = true), answer));
    await heldCount(1);
    expect(await syncs(free!)).toBe(1);
    expect(await wipes(held!)).toBe(0);
    expect(await wipes(free!)).toBe(0);
    expect(answered).toBe(false);

    await control("POST", "/faults/release", { pathContains: held });
    expect(await wipes(held!)).toBe(1);
    const answer = await batch;
    expect(answer.status).toBe(200);
    expect(answer.json.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([["1", 204], ["2", 204], ["3", 204]]);
    expect(await wipes(free!)).toBe(1);
  });

  it("counts matches and fires on writes only, and honours times", async () => {
    const [id] = await devices("eligible", 1);
    await control("POST", "/faults/rules", { rules: [{ fault: "hold", pathContains: id, times: 1 }] });
    const first = graph("helpdesk", "POST", `${beta}/${id}/syncDevice`);
    await heldCount(1);
    expect((await graph("helpdesk", "POST", `${beta}/${id}/syncDevice`)).status).toBe(204);
    expect((await graph("readonly", "GET", `${beta}/${id}`)).status).toBe(200);
    expect((await faults()).rules[0]).toMatchObject({ fault: "hold", matched: 2, fired: 1 });
    await control("POST", "/faults/release", {});
    expect((await first).status).toBe(204);
    expect(await syncs(id!)).toBe(2);
  });
});

describe("landsLater", () => {
  it("answers 504 at once and applies the write once the clock is afterMs past its arrival", async () => {
    const [id] = await devices("eligible", 1);
    await control("POST", "/faults/rules", { rules: [{ fault: "landsLater", pathContains: id }] });
    const wipe = await graph("helpdesk", "POST", `${beta}/${id}/wipe`, KEEP);
    expect(wipe.status).toBe(504);
    expect(wipe.json.error.code).toBe("GatewayTimeout");
    const [pending] = (await faults()).landsLater;
    expect(Date.parse(pending!.dueDateTime) - Date.parse(pending!.arrivedDateTime)).toBe(DEFAULT_LANDS_LATER_MS);
    expect(await wipes(id!)).toBe(0);
    expect(await state(id!)).toBe("managed");
    // A read of the device is not a write: it is not answered 504.
    expect((await graph("readonly", "GET", `${beta}/${id}`)).status).toBe(200);

    await control("POST", "/clock/advance", { seconds: 30 });
    expect(await wipes(id!)).toBe(0);
    await control("POST", "/clock/advance", { seconds: 15 });
    expect(await wipes(id!)).toBe(1);
    const read = await graph("readonly", "GET", `${beta}/${id}?$select=deviceActionResults,managementState`);
    expect(read.json.managementState).toBe("wipePending");
    // It landed when it was due, not when the clock was next read.
    const started = Date.parse(read.json.deviceActionResults.find((a: { actionName: string }) => a.actionName === "wipe").startDateTime);
    expect(Math.abs(started - Date.parse(pending!.dueDateTime))).toBeLessThan(1000);
    expect((await faults()).landsLater).toEqual([]);
    // The rule still fires for the next write.
    expect((await graph("helpdesk", "POST", `${beta}/${id}/syncDevice`)).status).toBe(504);
  });

  it("is applied on the next Graph request too, and at release before it is due", async () => {
    const [a, b] = await devices("eligible", 2);
    await control("POST", "/faults/rules", { rules: [{ fault: "landsLater", pathContains: a, afterMs: 0 }, { fault: "landsLater", pathContains: b, afterMs: 3_600_000 }] });
    expect((await graph("helpdesk", "POST", `${beta}/${a}/wipe`, KEEP)).status).toBe(504);
    expect((await graph("helpdesk", "POST", `${beta}/${b}/wipe`, KEEP)).status).toBe(504);
    // Due at once (afterMs 0): the next Graph request (the second wipe) applied it before it was handled.
    expect(await state(a!)).toBe("wipePending");
    expect(await wipes(b!)).toBe(0);
    const released = await control<Released>("POST", "/faults/release", { pathContains: b });
    expect(released.released).toEqual([{ method: "POST", path: `${beta}/${b}/wipe`, status: 204 }]);
    expect(await wipes(b!)).toBe(1);
    expect(await wipes(a!)).toBe(1);
  });

  it("inside a $batch: the sub-request answers 504 and lands later; the others run", async () => {
    const [late, now] = await devices("eligible", 2);
    await control("POST", "/faults/rules", { rules: [{ fault: "landsLater", pathContains: late }] });
    const answer = await graph("helpdesk", "POST", "/beta/$batch", {
      requests: [
        { id: "1", method: "POST", url: `/deviceManagement/managedDevices/${late}/wipe`, body: KEEP, headers: { "Content-Type": "application/json" } },
        { id: "2", method: "POST", url: `/deviceManagement/managedDevices/${now}/wipe`, body: KEEP, headers: { "Content-Type": "application/json" } },
      ],
    });
    expect(answer.json.responses.map((r: { status: number }) => r.status)).toEqual([504, 204]);
    expect(await wipes(late!)).toBe(0);
    expect(await wipes(now!)).toBe(1);
    await control("POST", "/clock/advance", { seconds: 41 });
    expect(await wipes(late!)).toBe(1);
  });

  it("a write that would have been refused does not land", async () => {
    const [id] = await devices("eligible", 1);
    await control("POST", "/faults/rules", { rules: [{ fault: "landsLater", pathContains: id }] });
    // Diego (Endpoint Security Manager) may not wipe: the 504 hid a 403, and nothing lands.
    expect((await graph("endpointsecurity", "POST", `${beta}/${id}/wipe`, KEEP)).status).toBe(504);
    const released = await control<Released>("POST", "/faults/release", { pathContains: id });
    expect(released.released[0]!.status).toBe(403);
    expect(await wipes(id!)).toBe(0);
  });

  it("validates afterMs", async () => {
    await expect(control("POST", "/faults/rules", { rules: [{ fault: "hold", afterMs: 5 }] })).rejects.toThrow(/afterMs is only for a landsLater rule/);
    await expect(control("POST", "/faults/rules", { rules: [{ fault: "landsLater", afterMs: -1 }] })).rejects.toThrow(/afterMs must be/);
    await expect(control("POST", "/faults/release", { pathContains: 3 })).rejects.toThrow(/pathContains/);
  });
});
