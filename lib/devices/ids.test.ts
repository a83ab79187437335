import { describe, expect, it } from "vitest";
import { isDeviceId } from "./ids";

describe("isDeviceId", () => {
  it("accepts a GUID and refuses what could not be one", () => {
    expect(isDeviceId("0b6a7f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")).toBe(true);
    for (const bad of ["", "abc", "' or 1 eq 1", "0b6a7f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/../x", "%27"]) {
      expect(isDeviceId(bad)).toBe(false);
    }
  });
});
