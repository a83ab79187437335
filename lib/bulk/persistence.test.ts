import { describe, expect, it } from "vitest";
import { createRun, markSent } from "./run";
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
  { issuedAt: 1_900, graphTime: 1_000 },
);

describe("run persistence", () => {
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
