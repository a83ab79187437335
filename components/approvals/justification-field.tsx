"use client";

import { forwardRef, useId } from "react";
import { justificationLength } from "@/lib/devices/approval";

/**
 * A justification as Intune takes it: one line of text up to `max` characters. The count is shown as the user types;
 * the check (lib/devices/approval.ts, checkJustification) runs when they confirm, and its sentence is `problem`.
 */
export const JustificationField = forwardRef<
  HTMLTextAreaElement,
  { label: string; hint: string; value: string; onChange: (value: string) => void; max: number; problem: string | null; disabled?: boolean }
>(function JustificationField({ label, hint, value, onChange, max, problem, disabled }, ref) {
  const id = useId();
  const length = justificationLength(value.trim());
  const over = length > max;
  return (
    <div className="space-y-1">
      <label htmlFor={`${id}-input`} className="block font-semibold">
        {label} <span className="font-normal text-muted">(required)</span>
      </label>
      <p id={`${id}-hint`} className="text-muted">
        {hint}
      </p>
      <textarea
        ref={ref}
        id={`${id}-input`}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        rows={3}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint ${id}-count${problem ? ` ${id}-problem` : ""}`}
        className="block w-full resize-y rounded border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg focus:outline-2 focus:outline-brand aria-[invalid=true]:border-danger"
      />
      <p id={`${id}-count`} className={`text-xs ${over ? "font-semibold text-danger" : "text-muted"}`} aria-live="polite">
        {length.toLocaleString("en-US")} of {max.toLocaleString("en-US")} characters
      </p>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="text-sm font-semibold text-danger" data-testid="justification-problem">
          {problem}
        </p>
      )}
    </div>
  );
});
