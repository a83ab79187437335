"use client";

import { useState, type ReactNode } from "react";
import { EventType, PublicClientApplication, type AuthenticationResult } from "@azure/msal-browser";
import { MsalProvider } from "@azure/msal-react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Toaster } from "sonner";
import type { PublicConfig } from "@/lib/config";
import { buildMsalConfiguration } from "@/lib/auth/msal-config";
import { clearGrantedScopes, setGrantedScopes } from "@/lib/auth/granted-scopes";
import { retryDelay, shouldRetryQuery } from "@/lib/queries/action-failure";
import { useDarkTheme } from "@/components/shell/theme-toggle";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";

function createMsal(config: PublicConfig): PublicClientApplication {
  const origin = typeof window === "undefined" ? "http://localhost" : window.location.origin;
  const msal = new PublicClientApplication(buildMsalConfiguration(config, origin));
  msal.addEventCallback((event) => {
    if (
      (event.eventType === EventType.LOGIN_SUCCESS || event.eventType === EventType.ACQUIRE_TOKEN_SUCCESS) &&
      event.payload
    ) {
      const result = event.payload as AuthenticationResult;
      if (result.account) msal.setActiveAccount(result.account);
      if (result.scopes?.length) setGrantedScopes(result.scopes);
    }
    if (event.eventType === EventType.LOGOUT_SUCCESS) clearGrantedScopes();
  });
  return msal;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetryQuery, retryDelay, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export function Providers({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [msal] = useState(() => createMsal(config));
  const [queryClient] = useState(createQueryClient);
  const dark = useDarkTheme();
  return (
    <MsalProvider instance={msal}>
      <QueryClientProvider client={queryClient}>
        <NuqsAdapter>
          <SignOutEverywhere>{children}</SignOutEverywhere>
          <Toaster
            position="bottom-right"
            theme={dark ? "dark" : "light"}
            richColors
            closeButton
            // Several resets can end in one refresh: show each notice rather than a stack with one readable.
            expand
            visibleToasts={6}
            toastOptions={{ duration: 8000, style: { fontFamily: "inherit" } }}
          />
        </NuqsAdapter>
      </QueryClientProvider>
    </MsalProvider>
  );
}
