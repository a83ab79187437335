import { describe, expect, it } from "vitest";
import { EMPTY_SELECTION, isSelected, pageSelectionState, toggleDevice, togglePage, type DeviceSelection } from "./selection";

describe("device selection", () => {
  it("toggles single rows", () => {
    const one = toggleDevice(EMPTY_SELECTION, "a", ["a", "b"]);
    expect(isSelected(one, "a")).toBe(true);
    expect(isSelected(toggleDevice(one, "a", ["a", "b"]), "a")).toBe(false);
  });

  it("selects the page, then clears it, and reports partial selection", () => {
    const page = togglePage(EMPTY_SELECTION, ["a", "b"]);
    expect(pageSelectionState(page, ["a", "b"])).toBe(true);
    expect(pageSelectionState(toggleDevice(page, "a", []), ["a", "b"])).toBe("indeterminate");
    expect(pageSelectionState(togglePage(page, ["a", "b"]), ["a", "b"])).toBe(false);
  });

  it("turns 'all matching' minus one row into the loaded ids minus that row", () => {
    const all: DeviceSelection = { kind: "all-matching", search: "x", filters: {} };
    const next = toggleDevice(all, "b", ["a", "b", "c"]);
    expect(next).toEqual({ kind: "ids", ids: new Set(["a", "c"]) });
  });
});
