"use client";

import { useId, useState } from "react";
import type { AutopilotRecord } from "@/lib/devices/autopilot";
import { groupTagChangeSummary, groupTagProblem, profileCatchUp } from "@/lib/devices/group-tag";
import type { Device } from "@/lib/devices/types";
import { toActionError } from "@/lib/queries/action-failure";
import { useChangeGroupTag } from "@/lib/queries/group-tag";
import { ActionDialog } from "@/components/actions/action-dialog";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";

const shortTime = new Intl.DateTimeFormat("en-GB", { timeStyle: "short" });
const TONES = { "in-sync": "success", "catching-up": "info", failed: "error", "not-assigned": "warning", unknown: "warning" } as const;

/**
 * The device's Autopilot group tag, and changing it before a reset (docs/graph.md, "Changing the group tag"): its own
 * confirmation saying what changes, then the deployment profile catching up, followed live (useDeviceAutopilot polls
 * while it does). The server decides (lib/actions/group-tag.ts); this only shows what it said.
 */
export function DeviceGroupTag({ device, record }: { device: Pick<Device, "id" | "deviceName">; record: AutopilotRecord }) {
  const [editing, setEditing] = useState(false);
  const [tag, setTag] = useState(record.groupTag);
  const [user, setUser] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [changedAt, setChangedAt] = useState<string | undefined>();
  const change = useChangeGroupTag(device.id);
  const tagId = useId();
  const userId = useId();
  const catchUp = profileCatchUp(record, changedAt, (iso) => shortTime.format(new Date(iso)));
  const summary = groupTagChangeSummary(record.groupTag, tag, user.trim() || undefined);

  const review = () => {
    const refusal = groupTagProblem(tag) ?? (tag === record.groupTag && !user.trim() ? `The group tag is already “${tag || "none"}”.` : undefined);
    setProblem(refusal);
    if (!refusal) {
      change.reset();
      setConfirming(true);
    }
  };
  const confirm = async () => {
    const done = await change.changeOnce({ groupTag: tag, ...(user.trim() ? { userPrincipalName: user.trim() } : {}) });
    if (!done) return;
    setChangedAt(new Date().toISOString());
    setConfirming(false);
    setEditing(false);
    setUser("");
  };

  return (
    <div className="mt-3 border-t border-line pt-3" data-testid="group-tag">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 className="text-sm font-semibold">Autopilot group tag and profile</h3>
        {!editing && (
          <Button
            onClick={() => {
              setTag(record.groupTag);
              setProblem(undefined);
              setEditing(true);
            }}
          >
            Change group tag
          </Button>
        )}
      </div>
      <Notice tone={TONES[catchUp.kind]} role="status" className="mt-2" testId="profile-catch-up">
        {catchUp.text}
        {catchUp.kind === "catching-up" && (
          <span className="block text-xs">
            The new group&apos;s profile follows once Entra ID has moved the device into the tag&apos;s groups. Wait for
            “assigned, in sync” before a reset, or the device may come back with the old profile.
          </span>
        )}
      </Notice>
      {editing && (
        <form
          className="mt-3 grid gap-3 sm:grid-cols-2"
          onSubmit={(event) => {
            event.preventDefault();
            review();
          }}
        >
          <label htmlFor={tagId} className="text-sm">
            <span className="block font-medium">New group tag</span>
            <input
              id={tagId}
              value={tag}
              onChange={(event) => setTag(event.target.value)}
              maxLength={1_000}
              autoComplete="off"
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${tagId}-problem` : undefined}
              className="mt-1 w-full rounded border border-line bg-surface px-2 py-1"
            />
          </label>
          <label htmlFor={userId} className="text-sm">
            <span className="block font-medium">Autopilot record&apos;s user (optional)</span>
            <input
              id={userId}
              value={user}
              onChange={(event) => setUser(event.target.value)}
              placeholder="name@contoso.com"
              autoComplete="off"
              className="mt-1 w-full rounded border border-line bg-surface px-2 py-1"
            />
          </label>
          {problem && (
            <p id={`${tagId}-problem`} role="alert" className="text-sm text-danger sm:col-span-2" data-testid="group-tag-problem">
              {problem}
            </p>
          )}
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" variant="primary">
              Review change
            </Button>
            <Button onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      )}
      <ActionDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Change the Autopilot group tag"
        question={`Change ${device.deviceName}'s group tag?`}
        onConfirm={() => void confirm()}
        sending={change.isPending}
        error={change.error ? <ErrorMessage error={toActionError(change.error)} /> : undefined}
      >
        <ul className="list-disc space-y-1 pl-5" data-testid="group-tag-summary">
          {summary.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </ActionDialog>
    </div>
  );
}
