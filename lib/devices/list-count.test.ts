import { describe, expect, it } from "vitest";
import { combineStreamCounts, describeShowing } from "./list-count";

const open = { loaded: 100, complete: false };

describe("combineStreamCounts", () => {
  it("takes one query's count as the total", () => {
    expect(combineStreamCounts([{ count: 2438, trusted: true }], open)).toEqual({ kind: "exact", count: 2438 });
  });

  it("adds a search's counts exactly when only one field matched, as an upper bound otherwise", () => {
    const oneField = [
      { count: 0, trusted: true },
      { count: 140, trusted: true },
      { count: 0, trusted: true },
    ];
    expect(combineStreamCounts(oneField, open)).toEqual({ kind: "exact", count: 140 });
    const twoFields = [
      { count: 120, trusted: true },
      { count: 30, trusted: true },
      { count: 0, trusted: true },
    ];
    expect(combineStreamCounts(twoFields, open)).toEqual({ kind: "at-most", count: 150 });
  });

  it("gives no total when Graph gave no count or ignored part of a filter", () => {
    expect(combineStreamCounts([{ count: undefined, trusted: true }], open)).toBeNull();
    expect(combineStreamCounts([{ count: 2438, trusted: false }], open)).toBeNull();
    expect(combineStreamCounts([], open)).toBeNull();
  });

  it("counts the rows themselves once the last page is in", () => {
    expect(combineStreamCounts([{ count: 2438, trusted: false }], { loaded: 17, complete: true })).toEqual({ kind: "exact", count: 17 });
  });
});

describe("describeShowing", () => {
  it("says how many are shown and of how many", () => {
    expect(describeShowing(100, { kind: "exact", count: 2438 }, false)).toBe("Showing 1–100 of 2,438");
    expect(describeShowing(14, { kind: "at-most", count: 20 }, false)).toBe("Showing 1–14 of at most 20");
    expect(describeShowing(300, null, false)).toBe("Showing 1–300; more to load (Intune can't count this view in advance)");
    expect(describeShowing(2438, { kind: "exact", count: 2438 }, true)).toBe("Showing 1–2,438 of 2,438");
    expect(describeShowing(0, null, true)).toBe("No devices");
  });

  it("never says fewer than are loaded (devices enrolled since the count)", () => {
    expect(describeShowing(200, { kind: "exact", count: 150 }, false)).toBe("Showing 1–200 of 200");
  });
});
