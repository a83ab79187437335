"use client";

import Link from "next/link";
import { useAccount, useMsal } from "@azure/msal-react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { CircleUser, LogOut } from "lucide-react";
import { ThemeToggle } from "./theme-toggle";

function AccountMenu() {
  const { instance, accounts, inProgress } = useMsal();
  const account = useAccount(instance.getActiveAccount() ?? accounts[0] ?? {});
  if (!account) {
    return (
      <span className="px-2 text-sm">{inProgress === "none" ? "Not signed in" : "Signing in…"}</span>
    );
  }
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-white/15 focus-visible:outline-white"
        aria-label={`Account: ${account.name ?? account.username}`}
      >
        <CircleUser aria-hidden="true" className="size-5" />
        <span className="text-left leading-tight max-sm:hidden">
          <span className="block font-semibold">{account.name ?? account.username}</span>
          <span className="block text-xs">{account.username}</span>
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-56 rounded border border-line bg-surface p-1 text-fg shadow-lg"
        >
          <DropdownMenu.Label className="px-3 py-2 text-xs text-muted">Signed in as {account.username}</DropdownMenu.Label>
          <DropdownMenu.Item
            onSelect={() => void instance.logoutRedirect({ account })}
            className="flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-surface-hover"
          >
            <LogOut aria-hidden="true" className="size-4" /> Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function TopBar({ mode }: { mode: "emulator" | "entra" }) {
  return (
    <header className="flex h-12 items-center gap-3 bg-topbar px-4 text-topbar-fg">
      <Link href="/" className="font-semibold focus-visible:outline-white">
        Autopilot Reset Console
      </Link>
      {mode === "emulator" && (
        <span className="rounded border border-white/80 px-2 py-0.5 text-xs" title="Signed in against the local Intune emulator, not a real tenant">
          Emulator tenant
        </span>
      )}
      <div className="ml-auto flex items-center gap-1">
        <ThemeToggle />
        <AccountMenu />
      </div>
    </header>
  );
}
