import { AuthError, BrowserAuthError, BrowserAuthErrorCodes, InteractionRequiredAuthError } from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import { needsInteractiveSignIn } from "./needs-interaction";

describe("needsInteractiveSignIn", () => {
  it("re-prompts on MSAL's interaction-required errors", () => {
    expect(needsInteractiveSignIn(new InteractionRequiredAuthError("interaction_required", "correlation"))).toBe(true);
    expect(needsInteractiveSignIn(new InteractionRequiredAuthError("no_tokens_found", "correlation"))).toBe(true);
    expect(needsInteractiveSignIn(new InteractionRequiredAuthError("refresh_token_expired", "correlation"))).toBe(true);
  });

  it("re-prompts when the hidden-iframe renewal times out (no redirect bridge answers it)", () => {
    expect(needsInteractiveSignIn(new BrowserAuthError(BrowserAuthErrorCodes.timedOut, "correlation"))).toBe(true);
    // What MSAL 5's iframe monitor actually rejects with: a plain AuthError, code timed_out, subError monitor_window_timeout.
    expect(needsInteractiveSignIn(new AuthError("timed_out", "correlation", undefined, "monitor_window_timeout"))).toBe(true);
    expect(needsInteractiveSignIn(new AuthError("unexpected", "correlation", undefined, "monitor_window_timeout"))).toBe(true);
    expect(needsInteractiveSignIn({ errorCode: "monitor_window_timeout" })).toBe(true);
  });

  it("leaves other failures to the caller", () => {
    expect(needsInteractiveSignIn(new BrowserAuthError(BrowserAuthErrorCodes.noNetworkConnectivity, "correlation"))).toBe(false);
    expect(needsInteractiveSignIn(new BrowserAuthError(BrowserAuthErrorCodes.interactionInProgress, "correlation"))).toBe(false);
    expect(needsInteractiveSignIn(new AuthError("endpoints_resolution_error", "correlation"))).toBe(false);
    expect(needsInteractiveSignIn(new Error("timed_out"))).toBe(false);
    expect(needsInteractiveSignIn(new TypeError("Failed to fetch"))).toBe(false);
    expect(needsInteractiveSignIn(null)).toBe(false);
    expect(needsInteractiveSignIn(undefined)).toBe(false);
    expect(needsInteractiveSignIn("timed_out")).toBe(false);
  });
});
