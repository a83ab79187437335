"use client";
/**
 * Where the devices of a ticket come from: one tab per source. Each source renders its own input and preflight and
 * reports the devices it resolved, with the line (or entry) that named each, through `onChosen`. To add a source, add
 * an entry to TICKET_SOURCES with its component in this folder. The active tab is in the URL (`?source=person`, the
 * list when absent); switching drops the other sources' parameters (`lines`, `user`, `group`), never holding devices.
 */
import { useId, type KeyboardEvent, type ReactNode } from "react";
import { parseAsString, useQueryStates } from "nuqs";
import type { SourceLine } from "@/lib/bulk/types";
import { GroupSource } from "./group-source";
import { ListSource } from "./list-source";
import { PersonSource } from "./person-source";

export interface TicketSourceProps {
  onChosen: (devices: ReadonlyMap<string, SourceLine>) => void;
}

interface TicketSource {
  id: string;
  label: string;
  render: (props: TicketSourceProps) => ReactNode;
}

export const TICKET_SOURCES: readonly TicketSource[] = [
  { id: "list", label: "Paste or upload a list", render: (props) => <ListSource {...props} /> },
  { id: "person", label: "A person's devices", render: (props) => <PersonSource {...props} /> },
  { id: "group", label: "An Entra group", render: (props) => <GroupSource {...props} /> },
];

const SOURCE_PARAMS = { source: parseAsString, lines: parseAsString, user: parseAsString, group: parseAsString };

export function TicketSourceSwitcher({ onChosen }: TicketSourceProps) {
  const [params, setParams] = useQueryStates(SOURCE_PARAMS, { history: "push" });
  const named = params.source ?? (params.user !== null ? "person" : params.group !== null ? "group" : null);
  const active = TICKET_SOURCES.some((s) => s.id === named) ? named! : TICKET_SOURCES[0]!.id;
  const setActive = (id: string) => void setParams({ source: id === TICKET_SOURCES[0]!.id ? null : id, lines: null, user: null, group: null });
  const base = useId();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TICKET_SOURCES.findIndex((s) => s.id === active);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TICKET_SOURCES[(index + step + TICKET_SOURCES.length) % TICKET_SOURCES.length]!;
    setActive(next.id);
    onChosen(new Map());
    document.getElementById(`${base}-tab-${next.id}`)?.focus();
  };
  const source = TICKET_SOURCES.find((s) => s.id === active)!;
  return (
    <div className="flex flex-col gap-3">
      <div role="tablist" aria-label="Where the devices come from" className="flex gap-1 overflow-x-auto whitespace-nowrap border-b border-line" onKeyDown={onKeyDown}>
        {TICKET_SOURCES.map((s) => (
          <button
            key={s.id}
            id={`${base}-tab-${s.id}`}
            type="button"
            role="tab"
            aria-selected={s.id === active}
            aria-controls={`${base}-panel`}
            tabIndex={s.id === active ? 0 : -1}
            onClick={() => {
              if (s.id === active) return;
              onChosen(new Map());
              setActive(s.id);
            }}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${s.id === active ? "border-brand font-semibold" : "border-transparent text-muted hover:text-fg"}`}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${source.id}`}>
        {source.render({ onChosen })}
      </div>
    </div>
  );
}
