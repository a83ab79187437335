import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRun, markSent, type BulkRun, type DeviceRun } from "./run";
import { MAX_DEVICES_PER_RUN } from "./planner";
import { createRunStore, describeSaveFailure, parseStoredRun, RunNotSavedError, runStorageKey, serializeRun } from "./persistence";

/** Chromium's localStorage allowance per origin, in UTF-16 characters (keys and values). */
const CHROMIUM_QUOTA = 5_242_880;

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

/** The stored form of `run` with one cell of its first device replaced. */
function withCell(index: number, value: unknown): string {
  const stored = JSON.parse(serializeRun(run)) as { d: unknown[][] };
  const cells = stored.d[0]!;
  while (cells.length <= index) cells.push(0);
  cells[index] = value;
  return JSON.stringify(stored);
}

describe("run persistence", () => {
  /** The largest run: typical devices (a GUID, a 16-character name, serial, UPN), one in 20 offline, from a list. */
  function largestRun(): BulkRun {
    const start = 1_796_000_000_000;
    const toSend = Array.from({ length: MAX_DEVICES_PER_RUN }, (_, i) => ({
      id: `0f4b1a3e-1111-4222-8333-${String(i).padStart(12, "0")}`,
      name: `CONTOSO-LT-${String(i).padStart(5, "0")}`,
      serialNumber: `PF${String(i).padStart(8, "0")}`,
      primaryUser: `first.last${String(i).padStart(5, "0")}@contoso.com`,
      sourceLine: { number: i + 1, text: `CONTOSO-LT-${String(i).padStart(5, "0")}` },
      // Each warning names its own date: no two are alike.
      ...(i % 20 === 0 ? { warning: `This device last checked in 2 weeks ago (${i % 28} Nov 2026, 09:${String(i % 60).padStart(2, "0")}) and looks offline: it will reset when it next checks in, which only it can bring about.` } : {}),
    }));
    return createRun({ id: "0d9f4b1a-1111-4222-8333-000000000000", action: "reset", now: start, toSend, skipped: [] });
  }

  it("keeps the largest run within 40% of Chromium's 5,242,880 characters, settled or mid-run (figures printed)", () => {
    const run = largestRun();
    const at = run.createdAt;
    const states: [string, (d: DeviceRun, i: number) => Partial<DeviceRun>][] = [
      ["every device initiated", (_d, i) => ({ status: "initiated", sends: 1, reached: true, firstSentAt: at + 1_000 + i * 7, sentAfterGraph: at - 63_000 + i * 7, settledAt: at + 9_000 + i * 7, reason: "accepted", message: "Reset initiated: it starts at the device's next check-in." })],
      [
        "mid-run: a third checking with tickets, a third skipped by name, a third queued",
        (_d, i) =>
          i % 3 === 0
            ? { status: "unclear", sends: 1, reached: true, firstSentAt: at + i, sentAfterGraph: at + i, issuedAt: at + i, notBefore: at + 30_000 + i, finalReadAt: at + 100_000 + (i % 110) * 1000, reason: "unclear", message: "Checking: a request to this device may still reach Intune; it is read again once none can." }
            : i % 3 === 1
              ? { status: "skipped", sends: 1, firstSentAt: at + i, sentAfterGraph: at + i, settledAt: at + 20_000 + i, reason: "reset-pending", message: `Skipped: a reset was already sent by Isaiah Langer at ${1 + (i % 28)} Dec 2026, 0${i % 10}:${String(i % 60).padStart(2, "0")}, and it is still pending; this run sent none.` }
              : {},
      ],
    ];
    for (const [label, state] of states) {
      const text = serializeRun({ ...run, devices: run.devices.map((d, i) => ({ ...d, ...state(d, i) })) });
      const perDevice = text.length / MAX_DEVICES_PER_RUN;
      console.log(`${label}: ${text.length.toLocaleString("en")} characters, ${perDevice.toFixed(1)} per device`);
      expect(text.length, label).toBeLessThan(CHROMIUM_QUOTA * 0.4);
    }
  });

  const device = fc.record(
    {
      // Intune's lower-case GUIDs are packed; anything else, "~"-led text included, is written as it is.
      id: fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ maxLength: 29 }).map((t) => `~${t}`)),
      name: fc.string({ maxLength: 40 }),
      status: fc.constantFrom("queued", "sent", "unclear", "initiated", "skipped", "failed", "not-sent", "waiting", "awaiting-approval"),
      warning: fc.string({ maxLength: 60 }),
      sourceLine: fc.record({ number: fc.integer({ min: 1, max: 1_000_000 }), text: fc.string({ maxLength: 40 }) }),
      serialNumber: fc.string({ maxLength: 20 }),
      primaryUser: fc.string({ maxLength: 40 }),
      sends: fc.nat(10),
      firstSentAt: fc.integer({ min: -1e12, max: 1e12 }),
      sentAfterGraph: fc.integer({ min: -1e12, max: 1e12 }),
      issuedAt: fc.integer({ min: -1e12, max: 1e12 }),
      reached: fc.constant(true as const),
      checks: fc.nat(10),
      notBefore: fc.integer({ min: -1e12, max: 1e12 }),
      reason: fc.constantFrom("accepted", "confirmed", "reset-pending", "hybrid-joined", "store-unavailable", "0", "1"),
      message: fc.string({ maxLength: 80 }),
      settledAt: fc.integer({ min: -1e12, max: 1e12 }),
      approvalRequestId: fc.string({ maxLength: 40 }),
    },
    { requiredKeys: ["id", "name", "status", "sends", "checks"] },
  );

  it("stores and reads back any run exactly (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(device, { selector: (d) => d.id, maxLength: 30 }), fc.integer({ min: 0, max: 2e12 }), (devices, createdAt) => {
        const stored: BulkRun = { version: 3, id: "r", action: "reset", createdAt, status: "running", devices: devices as DeviceRun[] };
        expect(parseStoredRun(serializeRun(stored))).toEqual(stored);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a run stored by version 2 (a run under way across an upgrade is not lost), and saves it as version 3", () => {
    const storage = memoryStorage();
    const legacy = { ...run, version: 2, devices: run.devices.map(({ reached: _r, ...d }) => d) };
    storage.setItem("autopilot-console:bulk-run:v2:acct", JSON.stringify(legacy));
    const store = createRunStore(storage, runStorageKey("acct"));
    const loaded = store.load()!;
    expect(loaded.version).toBe(3);
    // The device it had sent to counts as reached, as version 2 judged it.
    expect(loaded.devices[0]).toMatchObject({ id: "a", status: "sent", reached: true, issuedAt: 1_900 });
    store.save(loaded);
    expect(storage.map.has("autopilot-console:bulk-run:v2:acct")).toBe(false);
    expect(store.load()).toEqual(loaded);
  });

  it("says why a run cannot be saved, and what takes the room: another account's run on this PC", () => {
    const storage = memoryStorage();
    storage.setItem("autopilot-console:bulk-run:v3:someone-else", "x".repeat(4_900_000));
    const full = new RunNotSavedError(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
    const view = { length: storage.map.size, key: (i: number) => [...storage.map.keys()][i] ?? null, getItem: storage.getItem };
    const atStart = describeSaveFailure(full, view, runStorageKey("acct"), "start");
    expect(atStart).toMatch(/^This browser's storage for the console is full \(4\.9 million characters are in use/);
    expect(atStart).toContain("so nothing was sent.");
    expect(atStart).toContain("Other bulk runs saved on this PC (another account's, or one not closed) take 4.9 million characters");
    expect(describeSaveFailure(full, view, runStorageKey("acct"), "during")).toContain("so it stopped: nothing more is sent.");
    expect(describeSaveFailure(new Error("The operation is insecure."), view, runStorageKey("acct"), "start")).toBe(
      "This browser would not save the bulk run (The operation is insecure). A run that cannot be saved could not be resumed safely after a reload, so nothing was sent.",
    );
  });

  it("round-trips a run, including the about-to-send marker", () => {
    const store = createRunStore(memoryStorage(), runStorageKey("acct"));
    store.save(run);
    expect(store.load()).toEqual(run);
    store.clear();
    expect(store.load()).toBeNull();
  });

  it("keeps the run's ticket reference", () => {
    const store = createRunStore(memoryStorage(), runStorageKey("acct"));
    store.save({ ...run, ticketReference: "INC0012345" });
    expect(store.load()?.ticketReference).toBe("INC0012345");
  });

  it("never writes fields outside the schema (a token on the object stays out)", () => {
    const leaky = { ...run, token: "eyJ.secret" } as typeof run;
    expect(serializeRun(leaky)).not.toContain("eyJ.secret");
  });

  it.each([
    ["not JSON", "{oops"],
    ["another version", serializeRun(run).replace('"v":3', '"v":1')],
    ["an unknown status", serializeRun(run).replace('"PC-A",1,', '"PC-A",17,')],
    ["negative sends", serializeRun(run).replace('"PC-A",1,1,', '"PC-A",1,-1,')],
    ["a string where a time goes", withCell(9, "1000")],
    ["a table entry that is not there", withCell(5, 99)],
    ["a list line that is neither text nor a known code", withCell(13, 7)],
    ["a device twice", serializeRun({ ...run, devices: [run.devices[0]!, run.devices[0]!] })],
    ["the previous version's form under this version's key", JSON.stringify(run)],
    ["nothing", null],
  ])("refuses %s", (_label, text) => {
    expect(parseStoredRun(text)).toBeNull();
  });
});
