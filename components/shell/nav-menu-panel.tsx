"use client";

import type { RefObject } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { NavList } from "./left-nav";

/**
 * The phone's navigation panel: the left navigation's list in a panel from the left. Radix's dialog gives it the
 * keyboard: focus moves into the panel and stays there, Escape or a link closes it, and focus goes back to the button.
 */
export function NavMenuPanel({ open, onOpenChange, returnFocusTo }: { open: boolean; onOpenChange: (open: boolean) => void; returnFocusTo: RefObject<HTMLButtonElement | null> }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40 md:hidden" />
        <Dialog.Content
          aria-describedby={undefined}
          onCloseAutoFocus={(event) => {
            // The button is not a Radix trigger (it renders before this code loads), so focus is given back by hand.
            event.preventDefault();
            returnFocusTo.current?.focus();
          }}
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
            <NavList onNavigate={() => onOpenChange(false)} />
          </nav>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
