"use client";
/**
 * The search box of a directory source: the start of a name (or UPN), debounced, and the matches as buttons. The
 * server refuses control characters and over-long text with a sentence; the same check runs here first, so a tab
 * pasted from a ticket is answered without a request.
 */
import { useEffect, useId, useState, type ReactNode } from "react";
import { Search } from "lucide-react";
import { ErrorMessage } from "@/components/ui/error-message";
import { toActionError } from "@/lib/queries/action-failure";

const DEBOUNCE_MS = 300;
const MAX_LENGTH = 120;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface SearchMatch {
  id: string;
  title: string;
  detail: string | null;
}

export function useDebouncedSearch(): { raw: string; setRaw: (value: string) => void; search: string; problem: string | null } {
  const [raw, setRaw] = useState("");
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setSearch(raw.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [raw]);
  const problem = CONTROL.test(raw)
    ? "The search can't contain control characters such as tabs or line breaks."
    : raw.trim().length > MAX_LENGTH
      ? `The search is too long (${raw.trim().length} characters); use at most ${MAX_LENGTH}.`
      : null;
  return { raw, setRaw, search: problem ? "" : search, problem };
}

export function PersonGroupSearch(props: {
  label: string;
  placeholder: string;
  raw: string;
  onChange: (value: string) => void;
  problem: string | null;
  searching: boolean;
  searched: boolean;
  error: unknown;
  matches: SearchMatch[] | undefined;
  noneFound: string;
  onPick: (id: string) => void;
  icon?: ReactNode;
}) {
  const inputId = useId();
  const listId = useId();
  const { matches } = props;
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={inputId} className="text-sm font-semibold">
        {props.label}
      </label>
      <div className="relative max-w-xl">
        <Search aria-hidden="true" className="pointer-events-none absolute left-2 top-2.5 size-4 text-muted" />
        <input
          id={inputId}
          type="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={1_000}
          value={props.raw}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder={props.placeholder}
          aria-describedby={props.problem ? `${inputId}-problem` : undefined}
          aria-controls={listId}
          className="w-full rounded border border-line-strong bg-surface py-2 pl-8 pr-2 text-sm"
        />
      </div>
      {props.problem && (
        <p id={`${inputId}-problem`} role="alert" className="text-sm text-danger">
          {props.problem}
        </p>
      )}
      {props.error ? <ErrorMessage error={toActionError(props.error)} /> : null}
      <div id={listId} aria-live="polite" aria-busy={props.searching}>
        {props.searching && <p className="text-sm text-muted">Searching…</p>}
        {!props.searching && props.searched && matches && matches.length === 0 && <p className="text-sm">{props.noneFound}</p>}
        {matches && matches.length > 0 && (
          <ul className="flex max-w-xl flex-col divide-y divide-line rounded border border-line bg-surface" aria-label="Matches">
            {matches.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  onClick={() => props.onPick(m.id)}
                  className="flex w-full flex-col items-start px-3 py-2 text-left text-sm hover:bg-surface-hover focus-visible:bg-surface-hover"
                >
                  <span className="font-medium break-all">{m.title}</span>
                  {m.detail && <span className="text-xs text-muted break-all">{m.detail}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
