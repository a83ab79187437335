"use client";

import Link from "next/link";
import { useMsal } from "@azure/msal-react";

export function RedirectLanding() {
  const { inProgress, accounts } = useMsal();
  const done = inProgress === "none";
  return (
    <div role="status" className="space-y-2">
      <h1 className="text-xl font-semibold">{done ? "Signed in" : "Signing you in…"}</h1>
      {done && (
        <p>
          {accounts.length > 0 ? "You are signed in." : "The sign-in did not complete."}{" "}
          <Link href="/" className="text-brand-text underline">
            Go to the console home
          </Link>
        </p>
      )}
    </div>
  );
}
