import type { ReactNode } from "react";
import { AuthGate } from "@/components/auth/auth-gate";
import { DeferredResetWatcher } from "@/components/monitor/deferred-reset-watcher";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <AuthGate>
      {children}
      <DeferredResetWatcher />
    </AuthGate>
  );
}
