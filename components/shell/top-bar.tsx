"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { useAccount, useMsal } from "@azure/msal-react";
import { CircleUser, LogOut } from "lucide-react";
import { NavMenu } from "./nav-menu";
import { ThemeToggle } from "./theme-toggle";
import { announceSignOut } from "@/lib/auth/sign-out-everywhere";

/**
 * The account button and its small panel (a disclosure, not a menu: one action does not need a menu's machinery, and
 * the grid page's first-load JavaScript stays smaller without a positioning library).
 */
function AccountMenu() {
  const { instance, accounts, inProgress } = useMsal();
  const account = useAccount(instance.getActiveAccount() ?? accounts[0] ?? {});
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        trigger.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (!account) {
    return <span className="px-2 text-sm">{inProgress === "none" ? "Not signed in" : "Signing in…"}</span>;
  }
  return (
    <div ref={container} className="relative">
      <button
        ref={trigger}
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-expanded={open}
        aria-controls="account-panel"
        aria-label={`Account: ${account.name ?? account.username}`}
        className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-white/15 focus-visible:outline-white"
      >
        <CircleUser aria-hidden="true" className="size-5" />
        <span className="text-left leading-tight max-sm:hidden">
          <span className="block font-semibold">{account.name ?? account.username}</span>
          <span className="block text-xs">{account.username}</span>
        </span>
      </button>
      {open && (
        <div
          id="account-panel"
          className="absolute right-0 top-full z-50 mt-1 min-w-64 rounded border border-line bg-surface p-1 text-fg shadow-lg"
        >
          <p className="px-3 py-2 text-xs text-muted">Signed in as {account.username}</p>
          <button
            type="button"
            autoFocus
            onClick={() => {
              announceSignOut();
              void instance.logoutRedirect({ account });
            }}
            className="flex w-full items-center gap-2 rounded px-3 py-2 text-left text-sm hover:bg-surface-hover"
          >
            <LogOut aria-hidden="true" className="size-4" /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}

export function TopBar({ mode }: { mode: "emulator" | "entra" }) {
  return (
    <header className="flex h-12 min-w-0 items-center gap-3 bg-topbar px-4 text-topbar-fg max-sm:gap-2 max-sm:px-2">
      <NavMenu />
      <Link href="/" className="truncate font-semibold focus-visible:outline-white">
        Autopilot Reset Console
      </Link>
      {mode === "emulator" && (
        <span className="shrink-0 rounded border border-white/80 px-2 py-0.5 text-xs" title="Signed in against the local Intune emulator, not a real tenant">
          Emulator<span className="max-sm:hidden"> tenant</span>
        </span>
      )}
      <div className="ml-auto flex shrink-0 items-center gap-1">
        <ThemeToggle />
        <AccountMenu />
      </div>
    </header>
  );
}
