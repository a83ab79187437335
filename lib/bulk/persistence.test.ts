import { describe, expect, it } from "vitest";
import { createRun, markSent } from "./run";
import { MAX_DEVICES_PER_RUN } from "./planner";
import { createRunStore, parseStoredRun, runStorageKey, serializeRun } from "./persistence";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

const run = markSent(
  createRun({
    id: "r1",
    action: "reset",
    now: 1000,
    toSend: [{ id: "a", name: "PC-A" }, { id: "b", name: "PC-B", warning: "Offline for 12 days" }],
    skipped: [{ id: "c", name: "PC-C", reason: "hybrid", message: "Hybrid joined" }],
  }),
  ["a"],
  2000,
  { issuedAt: 1_900 },
);

describe("run persistence", () => {
  it("keeps the largest run of typical devices (serial, UPN, one in 20 offline) within Chromium's 5,242,880 characters", () => {
    const toSend = Array.from({ length: MAX_DEVICES_PER_RUN }, (_, i) => ({
      id: `0f4b1a3e-1111-4222-8333-${String(i).padStart(12, "0")}`,
      name: `CONTOSO-LT-${String(i).padStart(5, "0")}`,
      serialNumber: `PF${String(i).padStart(8, "0")}`,
      primaryUser: `user${String(i).padStart(5, "0")}@contoso.com`,
      ...(i % 20 === 0 ? { warning: "This device last checked in 2 weeks ago (18 Nov 2026, 09:14) and looks offline: it will reset when it next checks in, which only it can bring about." } : {}),
    }));
    const run = createRun({ id: "r", action: "reset", now: 0, toSend, skipped: [] });
    for (const d of run.devices) Object.assign(d, { status: "initiated", sends: 1, firstSentAt: 1_796_000_000_000, sentAfterGraph: 1_796_000_000_000, settledAt: 1_796_000_000_000, reason: "confirmed" });
    expect(serializeRun(run).length).toBeLessThan(5_242_880);
  });

  it("round-trips a run, including the about-to-send marker", () => {
    const store = createRunStore(memoryStorage(), runStorageKey("acct"));
    store.save(run);
    expect(store.load()).toEqual(run);
    store.clear();
    expect(store.load()).toBeNull();
  });

  it("never writes fields outside the schema (a token on the object stays out)", () => {
    const leaky = { ...run, token: "eyJ.secret" } as typeof run;
    expect(serializeRun(leaky)).not.toContain("eyJ.secret");
  });

  it.each([
    ["not JSON", "{oops"],
    ["another version", JSON.stringify({ ...run, version: 1 })],
    ["an unknown status", JSON.stringify({ ...run, devices: [{ ...run.devices[0], status: "exploded" }] })],
    ["negative sends", JSON.stringify({ ...run, devices: [{ ...run.devices[0], sends: -1 }] })],
    ["a device twice", JSON.stringify({ ...run, devices: [run.devices[0], run.devices[0]] })],
    ["nothing", null],
  ])("refuses %s", (_label, text) => {
    expect(parseStoredRun(text)).toBeNull();
  });
});
