"use client";

import { useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { Menu, X } from "lucide-react";
import { NavList } from "./left-nav";

/**
 * Below 768 px the left navigation is hidden; this button in the top bar opens the same list in a panel from the left.
 * Radix's dialog gives it the keyboard: focus moves into the panel and stays there, Escape or a link closes it, and
 * focus goes back to the button.
 */
export function NavMenu() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" aria-label="Open navigation menu" className="rounded p-2 hover:bg-white/15 focus-visible:outline-white md:hidden">
          <Menu aria-hidden="true" className="size-5" />
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40 md:hidden" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r border-line bg-nav text-fg shadow-lg focus:outline-none md:hidden"
        >
          <div className="flex h-12 items-center justify-between border-b border-line px-4">
            <Dialog.Title className="font-semibold">Navigation</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" aria-label="Close navigation menu" className="rounded p-2 hover:bg-surface-hover">
                <X aria-hidden="true" className="size-5" />
              </button>
            </Dialog.Close>
          </div>
          <nav aria-label="Main" className="overflow-y-auto py-2">
            <NavList onNavigate={() => setOpen(false)} />
          </nav>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
