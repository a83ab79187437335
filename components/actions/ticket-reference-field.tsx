"use client";

import { forwardRef, useCallback, useId, useState } from "react";
import { checkTicketReference, MAX_TICKET_REFERENCE_CHARS, TICKET_REFERENCE_HINT, type TicketCheck } from "@/lib/devices/ticket-reference";

/** The browser session's last ticket reference (docs/product.md, "Ticket reference"): pre-filled in the next dialog. */
const STORAGE_KEY = "arc:ticket-reference";

/** The reference remembered at the last Yes ("" for none): a Yes resumed after a consent sign-in carries it. */
export function rememberedTicketReference(): string {
  return recall();
}

function recall(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

/**
 * The ticket reference a confirmation asks for: pre-filled with the one given last in this browser session, checked
 * on Yes with the server's own check (lib/devices/ticket-reference.ts), and remembered once it passed.
 */
export function useTicketReference(open = true) {
  const [value, setValue] = useState(recall);
  const [problem, setProblem] = useState<string | null>(null);
  // A dialog that stays mounted between openings starts each one from the session's reference, as a new one would.
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setValue(recall());
      setProblem(null);
    }
  }
  /** On Yes: the checked reference (undefined: none), or null with the sentence shown. */
  const take = useCallback((): string | undefined | null => {
    const check: TicketCheck = checkTicketReference(value);
    if (!check.ok) {
      setProblem(check.message);
      return null;
    }
    setProblem(null);
    try {
      if (check.ticket) sessionStorage.setItem(STORAGE_KEY, check.ticket);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Not remembered (storage refused): the person types it again next time.
    }
    return check.ticket;
  }, [value]);
  const change = useCallback((next: string) => {
    setValue(next);
    setProblem(null);
  }, []);
  return { value, change, problem, take };
}

/** One line: the label, the input, and the check's sentence when it refused what was typed. */
export const TicketReferenceField = forwardRef<
  HTMLInputElement,
  { value: string; onChange: (value: string) => void; problem: string | null; disabled?: boolean; testId?: string }
>(function TicketReferenceField({ value, onChange, problem, disabled, testId = "ticket-reference" }, ref) {
  const id = useId();
  return (
    <div className="mb-3 flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <label htmlFor={`${id}-input`} className="text-sm font-semibold">
          Ticket reference <span className="font-normal text-muted">(optional)</span>
        </label>
        <input
          ref={ref}
          id={`${id}-input`}
          data-testid={testId}
          value={value}
          disabled={disabled}
          maxLength={MAX_TICKET_REFERENCE_CHARS * 4}
          autoComplete="off"
          spellCheck={false}
          placeholder="INC0012345"
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ""}`}
          className="w-48 min-w-0 flex-1 rounded border border-line-strong bg-surface px-2 py-1 text-sm sm:flex-none aria-[invalid=true]:border-danger"
        />
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted">
        {TICKET_REFERENCE_HINT}
      </p>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="text-sm font-semibold text-danger" data-testid={`${testId}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
});
