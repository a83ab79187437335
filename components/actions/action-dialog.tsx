"use client";

import { useLayoutEffect, useRef, type ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { Button } from "@/components/ui/button";
import type { Device } from "@/lib/devices/types";

/** What the device page hands each action's confirmation dialog (Reset, Sync). */
export interface DeviceActionDialogProps<Eligibility> {
  device: Device;
  eligibility: Eligibility;
  now: Date;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  sending: boolean;
  error?: ReactNode;
}

/**
 * Focus for a confirmation that cannot be undone: it opens on No, so an Enter still held or repeated from the button
 * that opened it cannot land on Yes; on close it goes back to that button. The dialogs are controlled, without
 * Dialog.Trigger, so Radix does not know the opener: it is remembered when `open` turns true.
 */
export function useSafeDialogFocus(open: boolean) {
  const noRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  // A layout effect runs before Radix moves focus into the dialog, while the opener still has it.
  useLayoutEffect(() => {
    if (open) openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [open]);
  return {
    noRef,
    onOpenAutoFocus: (event: Event) => {
      event.preventDefault();
      noRef.current?.focus();
    },
    onCloseAutoFocus: (event: Event) => {
      const opener = openerRef.current;
      openerRef.current = null;
      if (!opener || !opener.isConnected || opener === document.body) return; // Radix's default
      event.preventDefault();
      opener.focus();
    },
  };
}

/**
 * A Yes/No confirmation like the admin center's warning dialogs. Yes stays disabled while the request is on its way;
 * No (then "Close") and Esc always close: the request goes on, and the page shows its result.
 */
export function ActionDialog({
  open,
  onOpenChange,
  title,
  children,
  question,
  onConfirm,
  sending,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  question: string;
  onConfirm: () => void;
  sending: boolean;
  error?: ReactNode;
}) {
  const { noRef, onOpenAutoFocus, onCloseAutoFocus } = useSafeDialogFocus(open);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded border border-line bg-surface p-6 text-fg shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-3 space-y-3 text-sm">{children}</div>
          </Dialog.Description>
          {error && <div className="mt-3">{error}</div>}
          <p className="mt-4 font-semibold">{question}</p>
          {sending && (
            <p role="status" className="mt-2 text-sm text-muted">
              You can close this window: the request keeps going and its result appears on the page.
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="primary" onClick={onConfirm} disabled={sending} aria-busy={sending}>
              {sending ? "Sending…" : "Yes"}
            </Button>
            <Dialog.Close asChild>
              <Button ref={noRef}>{sending ? "Close" : "No"}</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
