import type { ReactNode } from "react";
import { LeftNav } from "./left-nav";
import { TopBar } from "./top-bar";

export function AppShell({ mode, children }: { mode: "emulator" | "entra"; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only-focusable absolute left-2 top-2 z-50 rounded bg-surface px-3 py-2 text-fg shadow"
      >
        Skip to main content
      </a>
      <TopBar mode={mode} />
      <div className="flex flex-1">
        <LeftNav />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-6 focus:outline-none max-sm:p-3">
          {children}
        </main>
      </div>
    </div>
  );
}
