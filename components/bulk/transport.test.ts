import { describe, expect, it } from "vitest";
import type { DevicePage } from "@/lib/graph/devices";
import { fakeDevice } from "@/lib/bulk/fake-tenant.test-helper";
import { loadSelection, SelectionLoadError } from "./load-selection";
import { serverActionTransport, type BulkServerActions } from "./use-bulk-run";

const ids = ["a", "b"];

function actions(send: BulkServerActions["sendBulkChunk"], read?: BulkServerActions["readActionStates"]): BulkServerActions {
  return { sendBulkChunk: send, readActionStates: read ?? (async () => ({ data: { reads: [] } })) };
}

describe("serverActionTransport", () => {
  it("passes the server's per-device outcomes through, with a fresh token each call", async () => {
    const tokens: string[] = [];
    let n = 0;
    const transport = serverActionTransport(
      async () => `t${++n}`,
      actions(async (token, input) => {
        tokens.push(token);
        return { data: { outcomes: input.deviceIds.map((deviceId) => ({ deviceId, kind: "accepted" as const, status: 204 })) } };
      }),
    );
    await transport.send("reset", ids);
    await transport.send("reset", ids);
    expect(tokens).toEqual(["t1", "t2"]);
  });

  it("no token: nothing left the browser, so every device is refused as unauthenticated (the run pauses)", async () => {
    let called = false;
    const transport = serverActionTransport(
      async () => {
        throw new Error("interaction required");
      },
      actions(async () => {
        called = true;
        return { data: { outcomes: [] } };
      }),
    );
    const outcomes = await transport.send("reset", ids);
    expect(called).toBe(false);
    expect(outcomes.map((o) => (o.kind === "rejected" ? o.error.kind : o.kind))).toEqual(["unauthenticated", "unauthenticated"]);
  });

  it("a refusal before Graph is a rejection; anything else leaves the outcome unclear (thrown)", async () => {
    const refused = serverActionTransport(async () => "t", actions(async () => ({ error: { kind: "forbidden-role", message: "No." } })));
    expect((await refused.send("reset", ids))[0]).toMatchObject({ kind: "rejected", error: { kind: "forbidden-role" } });
    const unclear = serverActionTransport(async () => "t", actions(async () => ({ error: { kind: "unclear", message: "?" } })));
    await expect(unclear.send("reset", ids)).rejects.toThrow();
    const network = serverActionTransport(async () => "t", actions(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(network.send("reset", ids)).rejects.toThrow(/fetch/);
  });

  it("a failed read is an error per device", async () => {
    const transport = serverActionTransport(async () => "t", actions(async () => ({ data: { outcomes: [] } }), async () => ({ error: { kind: "unavailable", message: "503" } })));
    expect(await transport.read(ids)).toEqual(ids.map((deviceId) => ({ deviceId, kind: "error", error: { kind: "unavailable", message: "503" } })));
  });
});

describe("loadSelection", () => {
  const base = { getAccessToken: async () => "t", resolveSelection: async () => ({ error: { kind: "invalid" as const, message: "unused" } }) };

  it("reads explicit ids in chunks of 20, in selection order, and reports the ones gone", async () => {
    const selected = Array.from({ length: 45 }, (_, i) => `id-${i}`);
    const chunks: number[] = [];
    const loaded = await loadSelection({ kind: "ids", ids: new Set(selected) }, {
      ...base,
      readActionStates: async (_t, { deviceIds }) => {
        chunks.push(deviceIds.length);
        return { data: { reads: deviceIds.map((id) => (id === "id-7" ? { deviceId: id, kind: "not-found" as const } : { deviceId: id, kind: "found" as const, device: fakeDevice(id) })) } };
      },
    });
    expect(chunks.sort((a, b) => b - a)).toEqual([20, 20, 5]);
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
