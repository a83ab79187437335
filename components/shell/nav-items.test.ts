import { describe, expect, it } from "vitest";
import { isActivePath } from "./nav-items";

describe("isActivePath", () => {
  it("matches a section and its pages, and Home only at the root", () => {
    expect(isActivePath("/devices/windows/abc", "/devices/windows")).toBe(true);
    expect(isActivePath("/devices/windowsx", "/devices/windows")).toBe(false);
    expect(isActivePath("/devices", "/")).toBe(false);
    expect(isActivePath("/", "/")).toBe(true);
  });
});
