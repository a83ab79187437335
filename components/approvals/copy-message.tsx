"use client";
/**
 * A message for the other person under Multi Admin Approval, to copy (Intune tells nobody): the text in a read-only
 * box, a Copy message button and a Copy link button, each saying "Copied" once it has. Where the browser refuses the
 * clipboard, the text is selected so Ctrl+C copies it.
 */
import { useId, useRef, useState } from "react";
import { Check, Copy, Link as LinkIcon } from "lucide-react";
import { Button } from "@/components/ui/button";

type Copied = "message" | "link" | "select" | null;

export function CopyMessage({ title, message, link, linkLabel, testId }: { title: string; message: string; link: string; linkLabel: string; testId: string }) {
  const [copied, setCopied] = useState<Copied>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  const copy = async (what: "message" | "link") => {
    try {
      await navigator.clipboard.writeText(what === "message" ? message : link);
      setCopied(what);
    } catch {
      box.current?.focus();
      box.current?.select();
      setCopied("select");
    }
  };

  return (
    <div className="space-y-2 rounded border border-line bg-surface p-3" data-testid={testId}>
      <label htmlFor={id} className="block text-sm font-semibold">
        {title}
      </label>
      <textarea
        id={id}
        ref={box}
        readOnly
        value={message}
        rows={Math.min(6, message.split("\n").length + 1)}
        className="w-full resize-y rounded border border-line-strong bg-surface-alt px-2 py-1.5 text-sm"
        data-testid={`${testId}-text`}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => void copy("message")}>
          {copied === "message" ? <Check aria-hidden="true" className="size-4 text-success" /> : <Copy aria-hidden="true" className="size-4" />}
          {copied === "message" ? "Copied" : "Copy message"}
        </Button>
        <Button onClick={() => void copy("link")}>
          {copied === "link" ? <Check aria-hidden="true" className="size-4 text-success" /> : <LinkIcon aria-hidden="true" className="size-4" />}
          {copied === "link" ? "Copied" : linkLabel}
        </Button>
        <span role="status" className="text-sm text-muted" data-testid={`${testId}-status`}>
          {copied === "message"
            ? "The message is on the clipboard: paste it into a chat or the ticket."
            : copied === "link"
              ? "The link is on the clipboard."
              : copied === "select"
                ? "This browser did not let the console copy: the message is selected, press Ctrl+C."
                : ""}
        </span>
      </div>
    </div>
  );
}
