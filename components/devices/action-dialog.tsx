"use client";

import type { ReactNode } from "react";
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

/** A Yes/No confirmation like the admin center's warning dialogs. Yes stays disabled while the request is on its way. */
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
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (!sending ? onOpenChange(next) : undefined)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded border border-line bg-surface p-6 text-fg shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-3 space-y-3 text-sm">{children}</div>
          </Dialog.Description>
          {error && <div className="mt-3">{error}</div>}
          <p className="mt-4 font-semibold">{question}</p>
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="primary" onClick={onConfirm} disabled={sending} aria-busy={sending}>
              {sending ? "Sending…" : "Yes"}
            </Button>
            <Dialog.Close asChild>
              <Button disabled={sending}>No</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
