"use client";

import type { ReactNode } from "react";
import { InteractionType } from "@azure/msal-browser";
import { MsalAuthenticationTemplate, type MsalAuthenticationResult } from "@azure/msal-react";
import { LOGIN_SCOPES } from "@/lib/auth/scopes";

function SigningIn() {
  return (
    <p role="status" className="text-muted">
      Signing you in…
    </p>
  );
}

function SignInFailed({ error, login }: MsalAuthenticationResult) {
  return (
    <div role="alert" className="max-w-xl space-y-3 rounded border border-line bg-surface p-4">
      <h1 className="text-lg font-semibold">Sign-in did not complete</h1>
      <p>{error?.errorMessage ? `The sign-in service answered: ${error.errorMessage}` : "The sign-in was cancelled or failed."}</p>
      <button
        type="button"
        onClick={() => void login(InteractionType.Redirect, { scopes: LOGIN_SCOPES })}
        className="rounded bg-brand-fill px-4 py-2 text-white hover:bg-brand-fill-hover"
      >
        Sign in again
      </button>
    </div>
  );
}

/** Everything inside needs a signed-in admin: without one, MSAL sends the browser to the sign-in page. */
export function AuthGate({ children }: { children: ReactNode }) {
  return (
    <MsalAuthenticationTemplate
      interactionType={InteractionType.Redirect}
      authenticationRequest={{ scopes: LOGIN_SCOPES }}
      loadingComponent={SigningIn}
      errorComponent={SignInFailed}
    >
      {children}
    </MsalAuthenticationTemplate>
  );
}
