import { BrowserCacheLocation, LogLevel, type Configuration } from "@azure/msal-browser";
import type { PublicConfig } from "@/lib/config";

/** The path MSAL returns to after sign-in; registered in the emulator (and in the Entra app registration). */
export const REDIRECT_PATH = "/auth/redirect";

/**
 * MSAL configuration for one origin. sessionStorage keeps tokens per tab and gone when the tab closes (MSAL's
 * default and the safer choice for an admin console); the e2e suite signs in per test through the real redirect.
 */
export function buildMsalConfiguration(config: PublicConfig, origin: string): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      ...(config.authorityMetadata ? { authorityMetadata: config.authorityMetadata } : {}),
      redirectUri: `${origin}${REDIRECT_PATH}`,
      postLogoutRedirectUri: `${origin}/`,
    },
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
    system: {
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message, containsPii) => {
          // Server rendering builds an inert instance (MsalProvider needs one); MSAL complains there about `window`.
          if (containsPii || typeof window === "undefined") return;
          if (level === LogLevel.Error) console.error(`[msal] ${message}`);
          else if (level === LogLevel.Warning) console.warn(`[msal] ${message}`);
        },
      },
    },
  };
}
