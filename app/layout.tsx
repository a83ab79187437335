import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import "./globals.css";
import { getConfig, readConfig, toPublicConfig } from "@/lib/config";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { THEME_BOOT_SCRIPT } from "@/components/shell/theme-toggle";

// Configuration is read per request, so one build serves the emulator or a real tenant.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Autopilot Reset Console", template: "%s - Autopilot Reset Console" },
  description: "Autopilot Reset and Sync for Windows devices managed by Intune.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const result = readConfig();
  // proxy.ts puts a fresh CSP nonce on each request; the inline theme script needs it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        {result.ok ? (
          <Providers config={toPublicConfig(getConfig())}>
            <AppShell mode={result.config.mode}>{children}</AppShell>
          </Providers>
        ) : (
          <main className="p-8">
            <h1 className="text-xl font-semibold">The console is not configured correctly</h1>
            <p className="mt-2">{result.error}</p>
          </main>
        )}
      </body>
    </html>
  );
}
