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
 * that opened it cannot land on Yes; on close it goes back to that button, or to the page's main region when that
 * button can no longer take focus. The dialogs are controlled, without
 * Dialog.Trigger, so Radix does not know the opener: it is remembered when `open` turns true.
 */
export function useSafeDialogFocus(open: boolean, movedFocus?: () => boolean) {
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
      // The caller has put focus where the answer shows (a bulk run's panel after Yes).
      if (movedFocus?.()) {
        event.preventDefault();
        return;
      }
      if (!opener || !opener.isConnected || opener === document.body) return; // Radix's default
      event.preventDefault();
      opener.focus();
      // The answer may have disabled the opener (Reset, once a reset is pending): a keyboard user then stays in the
      // page's main region, never on <body>.
      setTimeout(() => {
        if (document.activeElement === document.body || document.activeElement === null) document.getElementById("main")?.focus();
      }, 0);
    },
  };
}

/**
 * The frame of every dialog that can destroy (docs/product.md, journey 2): the title and the warning stay at the top
 * and the answer at the bottom, and only what is between them scrolls, so on a 1024x768 laptop or a phone the dialog
 * opens with its warning in view and focus on No. The middle is focusable, so a keyboard can scroll it.
 */
export function dialogFrameClasses(width: string) {
  return {
    content: `fixed left-1/2 top-1/2 z-50 flex max-h-[calc(100dvh-1rem)] ${width} -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded border border-line bg-surface text-fg shadow-xl sm:max-h-[90vh]`,
    header: "shrink-0 px-4 pt-4 sm:px-6 sm:pt-6",
    body: "min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-3 text-sm focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-brand sm:px-6",
    footer: "shrink-0 border-t border-line px-4 pb-4 pt-3 sm:px-6 sm:pb-6",
  };
}

/**
 * A Yes/No confirmation like the admin center's warning dialogs. Yes stays disabled while the request is on its way;
 * No (then "Close") and Esc always close: the request goes on, and the page shows its result. `warning` (what is
 * lost) stays in view above the details.
 */
export function ActionDialog({
  open,
  onOpenChange,
  title,
  warning,
  children,
  question,
  onConfirm,
  sending,
  error,
  beforeQuestion,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  warning?: ReactNode;
  children: ReactNode;
  /** At the top of the answer (the ticket reference): in view with Yes, whatever the middle holds. */
  beforeQuestion?: ReactNode;
  question: string;
  onConfirm: () => void;
  sending: boolean;
  error?: ReactNode;
}) {
  const { noRef, onOpenAutoFocus, onCloseAutoFocus } = useSafeDialogFocus(open);
  const frame = dialogFrameClasses("w-[min(36rem,calc(100vw-1rem))]");
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content onOpenAutoFocus={onOpenAutoFocus} onCloseAutoFocus={onCloseAutoFocus} className={frame.content}>
          <div className={frame.header}>
            <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
            {warning && (
              <Dialog.Description asChild>
                <div className="mt-3 text-sm">{warning}</div>
              </Dialog.Description>
            )}
          </div>
          {warning ? (
            <div className={frame.body} tabIndex={0} role="group" aria-label={`${title}: details`}>
              {children}
            </div>
          ) : (
            <Dialog.Description asChild>
              <div className={frame.body} tabIndex={0} role="group" aria-label={`${title}: details`}>
                {children}
              </div>
            </Dialog.Description>
          )}
          <div className={frame.footer}>
            {error && <div className="mb-3">{error}</div>}
            {beforeQuestion}
            <p className="font-semibold">{question}</p>
            {sending && (
              <p role="status" className="mt-2 text-sm text-muted">
                You can close this window: the request keeps going and its result appears on the page.
              </p>
            )}
            <div className="mt-3 flex justify-end gap-2">
              <Button variant="primary" onClick={onConfirm} disabled={sending} aria-busy={sending}>
                {sending ? "Sending…" : "Yes"}
              </Button>
              <Dialog.Close asChild>
                <Button ref={noRef}>{sending ? "Close" : "No"}</Button>
              </Dialog.Close>
            </div>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
