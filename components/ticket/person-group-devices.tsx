"use client";
/**
 * What a chosen person or group names, shared by the two directory sources (person-source.tsx, group-source.tsx):
 * the Windows devices in Intune, ticked for the bulk flow (reported through `onChosen` to the list page, whose
 * preflight, typed confirmation, run, results and CSV every source shares: components/ticket/ticket-page.tsx), each with what stands in the way of an Autopilot Reset, and the devices left
 * out and why (not Windows, not in Intune, not described by Graph). The selection lives here, never in the URL.
 */
import { Upn } from "@/components/ui/upn";
import { useEffect, useMemo, useState } from "react";
import type { SourceLine } from "@/lib/bulk/types";
import { Checkbox } from "@/components/ui/checkbox";
import { Notice } from "@/components/ui/notice";
import { resetEligibility } from "@/lib/devices/eligibility";
import type { Device } from "@/lib/devices/types";
import type { LeftOutDevice, LeftOutReason, SourceDevices } from "@/lib/graph/directory";

const LEFT_OUT_LABELS: Record<LeftOutReason, string> = {
  "not-windows": "Not a Windows device",
  "not-in-intune": "Not in Intune",
  "not-described": "Graph gave no device id",
};

const JOIN_LABELS: Record<string, string> = {
  azureADJoined: "Microsoft Entra joined",
  hybridAzureADJoined: "Hybrid Entra joined",
  azureADRegistered: "Microsoft Entra registered",
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function leftOutSummary(leftOut: readonly LeftOutDevice[]): string {
  const counts = new Map<LeftOutReason, number>();
  for (const d of leftOut) counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n.toLocaleString()} ${LEFT_OUT_LABELS[reason].charAt(0).toLowerCase()}${LEFT_OUT_LABELS[reason].slice(1)}`).join(", ");
}

export interface PersonGroupDevicesProps {
  source: SourceDevices;
  ownerLabel: string;
  /** What the results CSV's "Source text" says named each device, e.g. "Person: adelev@contoso.com". */
  sourceText: string;
  /** The ticked devices, each with its row and who named it; empty again when this list goes away. */
  onChosen: (devices: ReadonlyMap<string, SourceLine>) => void;
}

export function PersonGroupDevices({ source, ownerLabel, sourceText, onChosen }: PersonGroupDevicesProps) {
  const now = useMemo(() => new Date(), []);
  // Devices an Autopilot Reset cannot take (hybrid joined, not registered, ...) start unticked: the count above the
  // preflight is then the devices that will be reset. A person may still tick one, and the preflight says why it skips.
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(
    () => new Set(source.devices.filter((d) => !resetEligibility(d, now).allowed).map((d) => d.id)),
  );
  const ids = useMemo(() => new Set(source.devices.map((d) => d.id).filter((id) => !unticked.has(id))), [source.devices, unticked]);
  useEffect(() => {
    const chosen = new Map<string, SourceLine>();
    source.devices.forEach((d, i) => {
      if (ids.has(d.id)) chosen.set(d.id, { number: i + 1, text: sourceText });
    });
    onChosen(chosen);
    return () => onChosen(new Map());
  }, [ids, source.devices, sourceText, onChosen]);
  const toggle = (device: Device) =>
    setUnticked((prev) => {
      const next = new Set(prev);
      if (next.has(device.id)) next.delete(device.id);
      else next.add(device.id);
      return next;
    });
  const allTicked = unticked.size === 0;
  const others = source.otherMembers;

  return (
    <div className="flex flex-col gap-3">
      <p role="status" className="text-sm" data-testid="source-summary">
        <span className="font-semibold">{plural(source.devices.length, "Windows device")} in Intune</span> for {ownerLabel}.
        {source.leftOut.length > 0 && <> Left out: {leftOutSummary(source.leftOut)}.</>}
        {others && others.groups > 0 && <> Includes the devices of {plural(others.groups, "nested group")}{others.complete ? "" : " (at least)"}.</>}
        {others && (others.users > 0 || others.other > 0) && (
          <>
            {" "}
            Not devices, so not reset: {plural(others.users, "user")}
            {others.other > 0 && <>, {plural(others.other, "other member")}</>}
            {others.complete ? "" : " (at least)"}.
          </>
        )}
      </p>
      {source.notes.map((note) => (
        <Notice key={note} tone="warning">
          {note}
        </Notice>
      ))}
      {source.leftOut.length > 0 && (
        <details className="rounded border border-line bg-surface px-3 py-2 text-sm">
          <summary className="cursor-pointer font-semibold">Left out ({source.leftOut.length.toLocaleString()})</summary>
          <ul className="mt-2 space-y-1" aria-label="Devices left out">
            {source.leftOut.map((d, i) => (
              <li key={`${d.name}-${i}`} className="break-words">
                <span className="font-medium">{d.name}</span>: {LEFT_OUT_LABELS[d.reason]} ({d.detail})
              </li>
            ))}
          </ul>
        </details>
      )}
      {source.devices.length > 0 && (
        <>
          <div className="max-h-[60vh] overflow-auto rounded border border-line">
            <table className="w-full min-w-[640px] text-left text-sm" aria-label={`Windows devices for ${ownerLabel}`}>
              <thead className="sticky top-0 z-10 bg-surface-alt text-xs uppercase text-muted">
                <tr>
                  <th scope="col" className="w-10 px-3 py-2">
                    <Checkbox
                      label="Select every device"
                      checked={allTicked ? true : ids.size === 0 ? false : "indeterminate"}
                      onCheckedChange={() => setUnticked(allTicked ? new Set(source.devices.map((d) => d.id)) : new Set())}
                    />
                  </th>
                  <th scope="col" className="px-3 py-2">Device name</th>
                  <th scope="col" className="px-3 py-2">Primary user</th>
                  <th scope="col" className="px-3 py-2">Join type</th>
                  <th scope="col" className="px-3 py-2">Autopilot Reset</th>
                </tr>
              </thead>
              <tbody>
                {source.devices.map((device) => {
                  const eligibility = resetEligibility(device, now);
                  return (
                    <tr key={device.id} className="border-t border-line">
                      <td className="px-3 py-2">
                        <Checkbox label={`Select ${device.deviceName}`} checked={ids.has(device.id)} onCheckedChange={() => toggle(device)} />
                      </td>
                      <td className="px-3 py-2 font-medium whitespace-nowrap">{device.deviceName}</td>
                      <td className="px-3 py-2">{device.userPrincipalName ? <Upn upn={device.userPrincipalName} /> : "None"}</td>
                      <td className="px-3 py-2 whitespace-nowrap">{JOIN_LABELS[device.joinType] ?? device.joinType}</td>
                      <td className="px-3 py-2">{eligibility.allowed && !eligibility.warning ? "Eligible" : eligibility.message}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
