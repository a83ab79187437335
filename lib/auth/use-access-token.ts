"use client";

import { useCallback, useSyncExternalStore } from "react";
import { useMsal } from "@azure/msal-react";
import { needsInteractiveSignIn } from "./needs-interaction";
import { getGrantedScopes, setGrantedScopes, subscribeGrantedScopes } from "./granted-scopes";
import { LOGIN_SCOPES, TOKEN_SCOPES } from "./scopes";

/** Thrown when no token can be had without the user: the page is on its way to the sign-in page. */
export class SignInRequiredError extends Error {
  constructor() {
    super("Your session has ended. Sign in again to continue.");
    this.name = "SignInRequiredError";
  }
}

/**
 * Returns a function that yields a Graph access token for the signed-in account: from MSAL's cache, refreshed
 * silently when needed, and through a full-page sign-in when the session cannot be renewed silently.
 * The token goes straight into a server action's arguments; it is never stored by the console.
 */
export function useAccessToken(): () => Promise<string> {
  const { instance } = useMsal();
  return useCallback(async () => {
    const account = instance.getActiveAccount() ?? instance.getAllAccounts()[0] ?? null;
    if (!account) {
      await instance.loginRedirect({ scopes: LOGIN_SCOPES });
      throw new SignInRequiredError();
    }
    try {
      const result = await instance.acquireTokenSilent({ scopes: TOKEN_SCOPES, account });
      setGrantedScopes(result.scopes);
      return result.accessToken;
    } catch (error) {
      // Interaction required, or the hidden-iframe fallback timed out: only a full-page sign-in renews the session.
      if (needsInteractiveSignIn(error)) {
        await instance.acquireTokenRedirect({ scopes: LOGIN_SCOPES, account });
        throw new SignInRequiredError();
      }
      throw error;
    }
  }, [instance]);
}

/** The scopes of the last token MSAL handed out, or null before the first one. */
export function useGrantedScopes(): readonly string[] | null {
  return useSyncExternalStore(subscribeGrantedScopes, getGrantedScopes, () => null);
}
