"use client";

import { useEffect, useState, type ReactNode } from "react";
import { useMsal } from "@azure/msal-react";
import { useQueryClient } from "@tanstack/react-query";
import { LOGIN_SCOPES } from "@/lib/auth/scopes";
import { whenSignedOutElsewhere } from "@/lib/auth/sign-out-everywhere";
import { Button } from "@/components/ui/button";

/**
 * A sign-out in any tab ends the session in this one (lib/auth/sign-out-everywhere.ts): its tokens and what it read
 * are dropped, and the page (with any run it drives) is replaced by a sentence and a way back in.
 */
export function SignOutEverywhere({ children }: { children: ReactNode }) {
  const { instance } = useMsal();
  const queryClient = useQueryClient();
  const [signedOut, setSignedOut] = useState(false);

  useEffect(
    () =>
      whenSignedOutElsewhere(() => {
        setSignedOut(true);
        queryClient.clear();
        void instance.clearCache();
      }),
    [instance, queryClient],
  );

  if (!signedOut) return children;
  return (
    <main id="main" className="mx-auto max-w-xl p-6">
      <div role="alert" className="space-y-3 rounded border border-line bg-surface p-4">
        <h1 className="text-lg font-semibold">You signed out in another tab</h1>
        <p>
          This tab stopped with it: nothing more is sent from here. A bulk run this tab was driving is kept, and can be
          resumed once you sign in again.
        </p>
        <Button variant="primary" onClick={() => void instance.loginRedirect({ scopes: LOGIN_SCOPES })}>
          Sign in again
        </Button>
      </div>
    </main>
  );
}
