"use client";

import type { ReactNode } from "react";
import type { Device } from "@/lib/devices/types";
import type { ResetEligibility } from "@/lib/devices/eligibility";
import { Notice } from "@/components/ui/notice";
import { ActionDialog } from "./action-dialog";
import { formatDateTime, formatRelative } from "./format";

/** What an Autopilot Reset removes and keeps, in the console's words (from Microsoft's Autopilot Reset documentation). */
export const RESET_REMOVES = [
  "The primary user: the next person who signs in becomes the primary user.",
  "Personal files, apps and settings.",
  "Region, language and keyboard settings, which go back to their original values.",
];
export const RESET_KEEPS = [
  "Wi-Fi connection details.",
  "Provisioning packages applied to the device.",
  "Its Microsoft Entra ID membership and Intune enrollment.",
  "SCEP certificates.",
];

export function ResetDialog({
  device,
  eligibility,
  now,
  open,
  onOpenChange,
  onConfirm,
  sending,
  error,
}: {
  device: Device;
  eligibility: ResetEligibility;
  now: Date;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  sending: boolean;
  error?: ReactNode;
}) {
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Autopilot Reset"
      question={`Reset ${device.deviceName}?`}
      onConfirm={onConfirm}
      sending={sending}
      error={error}
    >
      <Notice tone="warning">
        Autopilot Reset takes <strong>{device.deviceName}</strong> back to a business-ready state. Whoever is using it
        loses their work on it.
      </Notice>
      <div>
        <h3 className="font-semibold">It removes</h3>
        <ul className="ml-5 list-disc">
          {RESET_REMOVES.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="font-semibold">It keeps</h3>
        <ul className="ml-5 list-disc">
          {RESET_KEEPS.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </div>
      <p>
        The reset starts when the device next checks in with Intune. It last checked in{" "}
        <strong>{formatRelative(device.lastSyncDateTime, now)}</strong> ({formatDateTime(device.lastSyncDateTime)}). Sync
        makes it check in sooner.
      </p>
      {eligibility.warning === "offline" && <Notice tone="warning">{eligibility.message}</Notice>}
    </ActionDialog>
  );
}
