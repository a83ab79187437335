import { describe, expect, it } from "vitest";
import type { DevicePage } from "@/lib/graph/devices";
import { fakeDevice } from "@/lib/bulk/fake-tenant.test-helper";
import { tooManyForOneRunSentence } from "@/lib/bulk/planner";
import { loadSelection, SelectionLoadError, type SelectionLoaders } from "./load-selection";

/** "All matching" over a tenant of `size` devices, `pageSize` a page, counting the pages asked for. */
function tenant(size: number, pageSize: number, counted: boolean) {
  const asked = { pages: 0 };
  const loaders: SelectionLoaders = {
    getAccessToken: async () => "token",
    readActionStates: async () => ({ data: { reads: [] } }),
    resolveSelection: async (_token, { cursor }) => {
      asked.pages++;
      const start = cursor ? Number(cursor) : 0;
      const end = Math.min(size, start + pageSize);
      const page: DevicePage = {
        devices: Array.from({ length: end - start }, (_, i) => fakeDevice(`d-${start + i}`)),
        nextCursor: end < size ? String(end) : null,
        ignoredByGraph: [],
        sortedByGraph: true,
        ...(counted && start === 0 ? { total: { kind: "exact" as const, count: size } } : {}),
      };
      return { data: page };
    },
  };
  return { loaders, asked };
}

const ALL = { kind: "all-matching", search: "", filters: {} } as const;
const limit = { devices: 15_000, tooMany: tooManyForOneRunSentence };

describe("loadSelection with a run's limit", () => {
  it("refuses at once, from Graph's count on the first page, before reading the tenant", async () => {
    const { loaders, asked } = tenant(97_090, 500, true);
    const error = await loadSelection(ALL, loaders, undefined, undefined, limit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectionLoadError);
    expect((error as SelectionLoadError).error.message).toBe(
      "97,090 devices are selected; one bulk run takes at most 15,000. Narrow the search or filters and run it in parts.",
    );
    expect(asked.pages).toBe(1);
  });

  it("without a count, stops at the first page past the limit", async () => {
    const { loaders, asked } = tenant(97_090, 500, false);
    const error = await loadSelection(ALL, loaders, undefined, undefined, limit).catch((e: unknown) => e);
    expect((error as SelectionLoadError).error.message).toMatch(/^More than 15,000 devices are selected/);
    expect(asked.pages).toBe(31);
  });

  it("reads a selection within the limit whole", async () => {
    const { loaders } = tenant(1_200, 500, true);
    expect((await loadSelection(ALL, loaders, undefined, undefined, limit)).devices).toHaveLength(1_200);
  });
});
