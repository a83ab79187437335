"use client";

import { useMsal } from "@azure/msal-react";
import type { ActionError } from "@/lib/result";
import { LOGIN_SCOPES } from "@/lib/auth/scopes";
import { Button } from "./button";
import { Notice } from "./notice";

/** An action error as a sentence plus the way forward: retry, wait, or sign in again. */
export function ErrorMessage({ error, onRetry }: { error: ActionError; onRetry?: () => void }) {
  const { instance } = useMsal();
  const wait = error.kind === "throttled" && error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} seconds.` : "";
  return (
    <Notice tone="error" role="alert">
      <p>
        {error.message}
        {wait}
      </p>
      {error.requestId && <p className="mt-1 text-xs text-muted">Request id for support: {error.requestId}</p>}
      <div className="mt-2 flex gap-2">
        {error.kind === "unauthenticated" ? (
          <Button variant="primary" onClick={() => void instance.loginRedirect({ scopes: LOGIN_SCOPES })}>
            Sign in again
          </Button>
        ) : (
          onRetry &&
          (error.kind === "throttled" || error.kind === "unavailable" || error.kind === "unclear") && (
            <Button onClick={onRetry}>Try again</Button>
          )
        )}
      </div>
    </Notice>
  );
}
