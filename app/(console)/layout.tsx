import type { ReactNode } from "react";
import { AuthGate } from "@/components/auth/auth-gate";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return <AuthGate>{children}</AuthGate>;
}
