import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after";

describe("parseRetryAfter", () => {
  it.each([
    ["2", 2],
    ["0.5", 0.5],
    [" 3 ", 3],
    ["0", 0],
    ["", undefined],
    ["   ", undefined],
    ["-3", undefined],
    ["soon", undefined],
    ["Infinity", undefined],
    [undefined, undefined],
    [null, undefined],
  ])("%j -> %j", (value, expected) => {
    expect(parseRetryAfter(value)).toBe(expected);
  });
  it("reads an HTTP date relative to now, and a date already past as 0", () => {
    const now = Date.parse("2026-11-21T10:00:00Z");
    expect(parseRetryAfter("Sat, 21 Nov 2026 10:00:10 GMT", now)).toBe(10);
    expect(parseRetryAfter("Sat, 21 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });
});
