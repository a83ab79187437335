import { describe, expect, it } from "vitest";
import { ActionFailure } from "@/lib/result";
import { retryDelay, shouldRetryQuery, toActionError, unwrap } from "./action-failure";

describe("unwrap", () => {
  it("returns data and throws the typed error", () => {
    expect(unwrap({ data: 3 })).toBe(3);
    expect(() => unwrap({ error: { kind: "not-found", message: "No such device." } })).toThrow(ActionFailure);
  });
});

describe("query retries", () => {
  const throttled = new ActionFailure({ kind: "throttled", message: "Slow down.", retryAfterSeconds: 4 });
  it("retries throttling after Retry-After, and never a refusal", () => {
    expect(shouldRetryQuery(0, throttled)).toBe(true);
    expect(shouldRetryQuery(2, throttled)).toBe(false);
    expect(retryDelay(0, throttled)).toBe(4000);
    expect(shouldRetryQuery(0, new ActionFailure({ kind: "forbidden-role", message: "No." }))).toBe(false);
  });
  it("words an unknown failure as the server being unreachable", () => {
    expect(toActionError(new TypeError("fetch failed")).kind).toBe("unavailable");
  });
});
