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

/** How long a consent round trip for a directory source counts as just asked: no second redirect within it. */
const CONSENT_ASKED_FOR_MS = 5 * 60_000;
const CONSENT_ASKED_KEY = "autopilot-console.consent-asked";

function consentAskedRecently(scopes: readonly string[]): boolean {
  try {
    const at = Number(window.sessionStorage.getItem(`${CONSENT_ASKED_KEY}:${scopes.join(" ")}`));
    return Number.isFinite(at) && at > 0 && Date.now() - at < CONSENT_ASKED_FOR_MS;
  } catch {
    return false;
  }
}

function rememberConsentAsked(scopes: readonly string[]): void {
  try {
    window.sessionStorage.setItem(`${CONSENT_ASKED_KEY}:${scopes.join(" ")}`, String(Date.now()));
  } catch {
    // Storage unavailable: the worst case is one more consent prompt.
  }
}

/**
 * Returns a function that yields a token carrying a ticket source's directory scopes (PERSON_SOURCE_SCOPES,
 * GROUP_SOURCE_SCOPES), asked for incrementally, only once the user opens that source: silently when the tenant has
 * granted them (Entra puts every consented scope of Graph in the token, the Intune reads included), else through one
 * consent round trip that comes back to the same page (its URL keeps the chosen user or group). When that round trip
 * came back without the scopes (an admin must grant them), it is not asked again for a while: the ordinary token goes
 * to the server action, which answers with the consent sentence (lib/graph/errors.ts) before calling Graph.
 */
export function useDirectoryAccessToken(scopes: readonly string[]): () => Promise<string> {
  const { instance } = useMsal();
  const key = scopes.join(" ");
  return useCallback(async () => {
    const wanted = key.split(" ");
    const account = instance.getActiveAccount() ?? instance.getAllAccounts()[0] ?? null;
    if (!account) {
      await instance.loginRedirect({ scopes: LOGIN_SCOPES });
      throw new SignInRequiredError();
    }
    try {
      const result = await instance.acquireTokenSilent({ scopes: wanted, account });
      setGrantedScopes(result.scopes);
      return result.accessToken;
    } catch (error) {
      if (!needsInteractiveSignIn(error)) throw error;
      if (consentAskedRecently(wanted)) {
        const fallback = await instance.acquireTokenSilent({ scopes: TOKEN_SCOPES, account });
        setGrantedScopes(fallback.scopes);
        return fallback.accessToken;
      }
      rememberConsentAsked(wanted);
      await instance.acquireTokenRedirect({ scopes: wanted, account });
      throw new SignInRequiredError();
    }
  }, [instance, key]);
}

/** The scopes of the last token MSAL handed out, or null before the first one. */
export function useGrantedScopes(): readonly string[] | null {
  return useSyncExternalStore(subscribeGrantedScopes, getGrantedScopes, () => null);
}
