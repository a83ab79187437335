"use client";

import { useCallback, useSyncExternalStore } from "react";
import { useMsal } from "@azure/msal-react";
import { needsInteractiveSignIn } from "./needs-interaction";
import { getGrantedScopes, setGrantedScopes, subscribeGrantedScopes } from "./granted-scopes";
import { savePendingAction } from "./pending-action";
import { LOGIN_SCOPES, PRIVILEGED_SCOPES, TOKEN_SCOPES } from "./scopes";
import type { DeviceAction } from "@/lib/devices/types";

/** Thrown when no token can be had without the user: the page is on its way to the sign-in page. */
class SignInRequiredError extends Error {
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

/**
 * Returns a function that yields a token carrying DeviceManagementManagedDevices.PrivilegedOperations.All for a
 * reset or sync, asked for incrementally: silently when the session already has it (a tenant with admin consent
 * puts it in every Graph token), else through a consent/sign-in redirect. Before that redirect a single-device action
 * is saved (lib/auth/pending-action.ts) so the device page continues it once on return.
 */
export function usePrivilegedAccessToken(): (intent?: { deviceId: string; action: DeviceAction }) => Promise<string> {
  const { instance } = useMsal();
  return useCallback(
    async (intent) => {
      const account = instance.getActiveAccount() ?? instance.getAllAccounts()[0] ?? null;
      if (!account) {
        await instance.loginRedirect({ scopes: LOGIN_SCOPES });
        throw new SignInRequiredError();
      }
      try {
        const result = await instance.acquireTokenSilent({ scopes: PRIVILEGED_SCOPES, account });
        return result.accessToken;
      } catch (error) {
        if (needsInteractiveSignIn(error)) {
          // A bulk run needs no intent: its progress is saved already and it offers Resume on return.
          if (intent) savePendingAction(window.sessionStorage, { ...intent, nonce: crypto.randomUUID(), savedAt: Date.now() });
          await instance.acquireTokenRedirect({ scopes: PRIVILEGED_SCOPES, account });
          throw new SignInRequiredError();
        }
        throw error;
      }
    },
    [instance],
  );
}

/** The scopes of the last token MSAL handed out, or null before the first one. */
export function useGrantedScopes(): readonly string[] | null {
  return useSyncExternalStore(subscribeGrantedScopes, getGrantedScopes, () => null);
}
