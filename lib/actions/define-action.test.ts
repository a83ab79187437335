import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { ACCESS_TOKEN_MAX_LENGTH, isPlausibleAccessToken, runAction } from "./define-action";
import { ActionFailure } from "@/lib/result";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJ4In0.c2lnbmF0dXJl";

describe("isPlausibleAccessToken", () => {
  it("accepts a three-part JWT and nothing else", () => {
    expect(isPlausibleAccessToken(TOKEN)).toBe(true);
    for (const token of [undefined, null, 42, "", "abc", "a.b", "a.b.c.d", "a.b.", "a b.c.d", `a.${"b".repeat(ACCESS_TOKEN_MAX_LENGTH)}.c`]) {
      expect(isPlausibleAccessToken(token)).toBe(false);
    }
  });
});

describe("runAction", () => {
  const spec = (handler: () => Promise<unknown>) => ({
    name: "test",
    input: z.object({ deviceId: z.string().max(5, { message: "Too long." }) }),
    errors: { operation: "do the thing", notFoundMessage: "No such thing." },
    handler,
  });

  it("refuses a missing or malformed token before calling the handler", async () => {
    const handler = vi.fn(async () => "never");
    for (const token of [undefined, "", "not-a-jwt", "a.b.c.d"]) {
      const result = await runAction(spec(handler), token, { deviceId: "x" });
      expect(result.error?.kind).toBe("unauthenticated");
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers invalid input with a sentence, without calling the handler", async () => {
    const handler = vi.fn(async () => "never");
    const result = await runAction(spec(handler), TOKEN, { deviceId: "toolong" });
    expect(result.error).toMatchObject({ kind: "invalid" });
    expect(result.error?.message).toContain("Too long.");
    expect((await runAction(spec(handler), TOKEN, "nonsense")).error?.kind).toBe("invalid");
    expect(handler).not.toHaveBeenCalled();
  });

  it("returns the handler's data", async () => {
    expect(await runAction(spec(async () => ({ ok: 1 })), TOKEN, { deviceId: "x" })).toEqual({ data: { ok: 1 } });
  });

  it("maps Graph errors with the action's context and passes ActionFailure through", async () => {
    const notFound = new GraphError(404, "gone");
    notFound.code = "ResourceNotFound";
    const mapped = await runAction(spec(async () => Promise.reject(notFound)), TOKEN, { deviceId: "x" });
    expect(mapped.error).toEqual({ kind: "not-found", message: "No such thing." });
    const failure = new ActionFailure({ kind: "invalid", message: "Hybrid devices can't." });
    expect((await runAction(spec(async () => Promise.reject(failure)), TOKEN, { deviceId: "x" })).error?.message).toBe("Hybrid devices can't.");
  });

  it("never logs the token", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const outage = new GraphError(503, `upstream saw ${TOKEN}`);
    await runAction(spec(async () => Promise.reject(outage)), TOKEN, { deviceId: "x" });
    const logged = JSON.stringify(warn.mock.calls);
    expect(warn).toHaveBeenCalled();
    expect(logged).not.toContain(TOKEN);
    warn.mockRestore();
  });
});
