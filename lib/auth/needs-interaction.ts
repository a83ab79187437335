/**
 * Whether a failed silent token request can only be fixed by sending the user through sign-in (acquireTokenRedirect).
 *
 * - InteractionRequiredAuthError: the refresh token is gone, expired or revoked, or consent/MFA is needed.
 * - timed_out / monitor_window_timeout: MSAL v5 falls back to a hidden iframe when it has no usable refresh token.
 *   The console's redirect page has no redirect bridge, so that iframe never reports back and MSAL gives up after
 *   its timeout; the only way forward is the same as for interaction_required (a full-page sign-in).
 *
 * Reads the error's shape (name, errorCode, subError) rather than its class, so errors from another copy of MSAL
 * or from its iframe monitor (a plain AuthError carrying subError "monitor_window_timeout") are recognised too.
 */
const INTERACTION_REQUIRED_CODES = new Set([
  "interaction_required",
  "consent_required",
  "login_required",
  "no_tokens_found",
  "refresh_token_expired",
  "bad_token",
  "native_account_unavailable",
]);

const SILENT_RENEWAL_TIMEOUT_CODES = new Set(["timed_out", "monitor_window_timeout"]);

export function needsInteractiveSignIn(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, errorCode, subError } = error as { name?: unknown; errorCode?: unknown; subError?: unknown };
  if (name === "InteractionRequiredAuthError") return true;
  if (typeof errorCode === "string" && (INTERACTION_REQUIRED_CODES.has(errorCode) || SILENT_RENEWAL_TIMEOUT_CODES.has(errorCode))) {
    return true;
  }
  return typeof subError === "string" && SILENT_RENEWAL_TIMEOUT_CODES.has(subError);
}
