import { describe, expect, it } from "vitest";
import type { DevicePage } from "@/lib/graph/devices";
import { fakeDevice } from "@/lib/bulk/fake-tenant.test-helper";
import { loadSelection, SelectionLoadError } from "@/lib/queries/load-selection";
import { serverActionTransport, type BulkServerActions } from "./bulk-transport";

const ids = ["a", "b"];

const ticket = { issuedAt: 1_700_000_000_000 };

function actions(send: BulkServerActions["sendBulkChunk"], read?: BulkServerActions["readActionStates"]): BulkServerActions {
  return {
    sendBulkChunk: send,
    readActionStates: read ?? (async () => ({ data: { reads: [], serverTime: 1 } })),
    readServerClock: async () => ({ data: { serverTime: 1 } }),
  };
}

describe("serverActionTransport", () => {
  it("passes the server's per-device outcomes through, with a fresh token each call", async () => {
    const tokens: string[] = [];
    let n = 0;
    const tickets: number[] = [];
    const transport = serverActionTransport(
      async () => `t${++n}`,
      "reset",
      actions(async (token, input) => {
        tokens.push(token);
        tickets.push(input.issuedAt);
        return { data: { outcomes: input.deviceIds.map((deviceId) => ({ deviceId, kind: "accepted" as const, status: 204 })), serverTime: 2 } };
      }),
    );
    await transport.send("reset", ids, ticket);
    const answer = await transport.send("reset", ids, ticket);
    expect(tokens).toEqual(["t1", "t2"]);
    expect(tickets).toEqual([ticket.issuedAt, ticket.issuedAt]);
    expect(answer.serverTime).toBe(2);
  });

  it("no token: nothing left the browser, so every device is refused as unauthenticated (the run pauses)", async () => {
    let called = false;
    const transport = serverActionTransport(
      async () => {
        throw new Error("interaction required");
      },
      "reset",
      actions(async () => {
        called = true;
        return { data: { outcomes: [], serverTime: 1 } };
      }),
    );
    const { outcomes } = await transport.send("reset", ids, ticket);
    expect(called).toBe(false);
    expect(outcomes.map((o) => (o.kind === "rejected" ? o.error.kind : o.kind))).toEqual(["unauthenticated", "unauthenticated"]);
  });

  it("a refusal before Graph is a rejection; anything else leaves the outcome unclear (thrown)", async () => {
    const refused = serverActionTransport(async () => "t", "reset", actions(async () => ({ error: { kind: "forbidden-role", message: "No." } })));
    expect((await refused.send("reset", ids, ticket)).outcomes[0]).toMatchObject({ kind: "rejected", error: { kind: "forbidden-role" } });
    const unclear = serverActionTransport(async () => "t", "reset", actions(async () => ({ error: { kind: "unclear", message: "?" } })));
    await expect(unclear.send("reset", ids, ticket)).rejects.toThrow();
    const network = serverActionTransport(async () => "t", "reset", actions(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(network.send("reset", ids, ticket)).rejects.toThrow(/fetch/);
  });

  it("the coordination store out of reach: nothing was sent, so every device is not sent for that reason (never unclear)", async () => {
    const message = "The console could not reach its coordination store (Redis, or its data folder), so nothing was sent. Try again in a minute; if it goes on, tell your administrator.";
    const transport = serverActionTransport(async () => "t", "reset", actions(async () => ({ error: { kind: "unavailable", message } })));
    const { outcomes } = await transport.send("reset", ids, ticket);
    expect(outcomes).toEqual(ids.map((deviceId) => ({ deviceId, kind: "not-sent", reason: "store-unavailable", message })));
    // Any other unavailable answer may hide a write that went: it stays unclear.
    const other = serverActionTransport(async () => "t", "reset", actions(async () => ({ error: { kind: "unavailable", message: "Microsoft Graph is unavailable." } })));
    await expect(other.send("reset", ids, ticket)).rejects.toThrow(/unavailable/);
  });

  it("a failed read is an error per device", async () => {
    const transport = serverActionTransport(
      async () => "t",
      "reset",
      actions(async () => ({ data: { outcomes: [], serverTime: 1 } }), async () => ({ error: { kind: "unavailable", message: "503" } })),
    );
    const answer = await transport.read(ids);
    expect(answer.reads).toEqual(ids.map((deviceId) => ({ deviceId, kind: "error", error: { kind: "unavailable", message: "503" } })));
    // An error carries no server clock: nothing may be decided from it.
    expect(Number.isNaN(answer.serverTime)).toBe(true);
  });
});

describe("loadSelection", () => {
  const base = { getAccessToken: async () => "t", resolveSelection: async () => ({ error: { kind: "invalid" as const, message: "unused" } }) };

  it("reads explicit ids 200 per call, one call at a time, in selection order, and reports the ones gone", async () => {
    const selected = Array.from({ length: 450 }, (_, i) => `id-${i}`);
    let inFlight = 0;
    const chunks: number[] = [];
    const loaded = await loadSelection({ kind: "ids", ids: new Set(selected) }, {
      ...base,
      readActionStates: async (_t, { deviceIds }) => {
        chunks.push(deviceIds.length);
        expect(++inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return { data: { reads: deviceIds.map((id) => (id === "id-7" ? { deviceId: id, kind: "not-found" as const } : { deviceId: id, kind: "found" as const, device: fakeDevice(id) })) } };
      },
    });
    expect(chunks).toEqual([200, 200, 50]);
    expect(loaded.missingIds).toEqual(["id-7"]);
    expect(loaded.devices.map((d) => d.id)).toEqual(selected.filter((id) => id !== "id-7"));
  });

  it("a refused read stops the preflight with its sentence", async () => {
    await expect(
      loadSelection({ kind: "ids", ids: new Set(["x"]) }, { ...base, readActionStates: async () => ({ error: { kind: "forbidden-consent", message: "Consent." } }) }),
    ).rejects.toBeInstanceOf(SelectionLoadError);
  });

  it("resolves 'all matching' page by page until there is no next cursor, without duplicates", async () => {
    const pages: DevicePage[] = [
      { devices: [fakeDevice("1"), fakeDevice("2")], nextCursor: "c1", ignoredByGraph: [], sortedByGraph: true },
      { devices: [fakeDevice("2"), fakeDevice("3")], nextCursor: null, ignoredByGraph: [], sortedByGraph: true },
    ];
    const cursors: (string | null)[] = [];
    const loaded = await loadSelection({ kind: "all-matching", search: "lab", filters: {} }, {
      ...base,
      readActionStates: async () => ({ data: { reads: [] } }),
      resolveSelection: async (_t, input) => {
        cursors.push(input.cursor);
        return { data: pages[cursors.length - 1]! };
      },
    });
    expect(cursors).toEqual([null, "c1"]);
    expect(loaded.devices.map((d) => d.id)).toEqual(["1", "2", "3"]);
  });
});
