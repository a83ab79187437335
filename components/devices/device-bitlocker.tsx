"use client";

import { useEffect, useState } from "react";
import { useAccount, useMsal } from "@azure/msal-react";
import { Copy, Eye, EyeOff, KeyRound } from "lucide-react";
import type { Device } from "@/lib/devices/types";
import { formatDateTime } from "@/lib/devices/format";
import { auditSentence, NO_KEY_SENTENCE, shortKeyId, volumeLabel } from "@/lib/devices/bitlocker";
import { toActionError } from "@/lib/queries/action-failure";
import { useBitlockerKeys, useShowBitlockerKey } from "@/lib/queries/bitlocker";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";

/**
 * The device's BitLocker recovery keys (docs/graph.md, "BitLocker recovery keys"). Nothing is read until the section is
 * opened (the scopes are asked for then). A key is read only after "Show recovery key", the audit sentence and Show;
 * it lives in this component's state alone, and goes on Hide, on showing another key, and when the page is left.
 */
export function DeviceBitlocker({ device }: { device: Pick<Device, "id" | "deviceName"> }) {
  const [opened, setOpened] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [shown, setShown] = useState<{ keyId: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const keys = useBitlockerKeys(device.id, opened);
  const show = useShowBitlockerKey(device.id);
  const { reset } = show;
  const { instance, accounts } = useMsal();
  const account = useAccount(instance.getActiveAccount() ?? accounts[0] ?? {});

  // Leaving the page (or another device) forgets the key and the mutation's copy of it.
  useEffect(() => () => reset(), [reset, device.id]);

  const hide = () => {
    setShown(null);
    setCopied(false);
    reset();
  };
  const ask = (keyId: string) => {
    hide();
    setConfirming(keyId);
  };
  const read = async (keyId: string) => {
    try {
      const answer = await show.mutateAsync(keyId);
      setShown(answer);
      setConfirming(null);
      // The answer now lives in `shown` only.
      reset();
    } catch {
      // show.error says why, under the confirmation.
    }
  };
  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <section aria-labelledby="bitlocker-heading" className="rounded border border-line bg-surface p-4" data-testid="bitlocker">
      <h2 id="bitlocker-heading" className="mb-2 text-base font-semibold">
        BitLocker recovery keys
      </h2>
      <div className="space-y-2 text-sm">
        {!opened ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button onClick={() => setOpened(true)}>
              <KeyRound aria-hidden="true" className="size-4" /> List BitLocker recovery keys
            </Button>
            <span className="text-muted">The keys Microsoft Entra ID holds for this device, for a recovery prompt around a reset.</span>
          </div>
        ) : keys.isPending ? (
          <p role="status" className="text-muted">
            Reading the keys Microsoft Entra ID holds…
          </p>
        ) : keys.error ? (
          <ErrorMessage error={toActionError(keys.error)} onRetry={() => void keys.refetch()} />
        ) : keys.data.keys.length === 0 ? (
          <Notice tone="info" testId="bitlocker-none">
            <p>{NO_KEY_SENTENCE}</p>
          </Notice>
        ) : (
          <ul className="divide-y divide-line" aria-label="BitLocker recovery keys">
            {keys.data.keys.map((k) => (
              <li key={k.id} className="space-y-2 py-2" data-testid="bitlocker-key">
                <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
                  <span>
                    Key ID <span className="font-mono font-semibold">{shortKeyId(k.id)}</span>
                  </span>
                  <span>{volumeLabel(k.volumeType)}</span>
                  <span className="text-muted">backed up {formatDateTime(k.createdDateTime)}</span>
                  {shown?.keyId !== k.id && confirming !== k.id && (
                    <Button onClick={() => ask(k.id)} aria-label={`Show recovery key ${shortKeyId(k.id)}`}>
                      <Eye aria-hidden="true" className="size-4" /> Show recovery key
                    </Button>
                  )}
                </div>
                {confirming === k.id && (
                  <Notice tone="info" testId="bitlocker-confirm">
                    <p>{auditSentence(account?.name ?? account?.username, device.deviceName)}</p>
                    {show.error && (
                      <div className="mt-2">
                        <ErrorMessage error={toActionError(show.error)} />
                      </div>
                    )}
                    <div className="mt-2 flex flex-wrap gap-2">
                      <Button variant="primary" onClick={() => void read(k.id)} disabled={show.isPending} aria-busy={show.isPending}>
                        Show
                      </Button>
                      <Button onClick={() => setConfirming(null)}>Cancel</Button>
                    </div>
                  </Notice>
                )}
                {shown?.keyId === k.id && (
                  <div className="space-y-2" data-testid="bitlocker-shown">
                    <output
                      aria-label={`Recovery key ${shortKeyId(k.id)}`}
                      className="block break-words rounded border border-line bg-surface-alt px-3 py-2 font-mono text-base tracking-wide"
                      data-testid="bitlocker-key-text"
                    >
                      {/* A narrow screen wraps between groups of six digits, never inside one. */}
                      {shown.key.split("-").map((group, i) => (
                        <span key={i}>
                          {i > 0 && "-"}
                          {i > 0 && <wbr />}
                          {group}
                        </span>
                      ))}
                    </output>
                    <div className="flex flex-wrap items-center gap-2">
                      <Button onClick={() => void copy()}>
                        <Copy aria-hidden="true" className="size-4" /> Copy
                      </Button>
                      <Button onClick={hide}>
                        <EyeOff aria-hidden="true" className="size-4" /> Hide
                      </Button>
                      {copied && <span role="status">Copied.</span>}
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
