import type { ReactNode } from "react";
import { AuthGate } from "@/components/auth/auth-gate";
import { ResetWatcher } from "@/components/monitor/reset-watcher";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <AuthGate>
      {children}
      <ResetWatcher />
    </AuthGate>
  );
}
