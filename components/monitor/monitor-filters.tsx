"use client";

import { useId } from "react";
import {
  ACTION_FILTER_VALUES,
  MAX_SEARCH_LENGTH,
  MONITOR_WINDOW,
  STATE_FILTER_VALUES,
  TIME_FILTER_LABELS,
  TIME_FILTER_VALUES,
  type MonitorFilters as Filters,
} from "@/lib/monitor/filters";
import { ACTION_LABELS, STATE_FILTER_LABELS } from "@/lib/monitor/status-wording";

function Select({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-xs font-semibold text-muted">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="min-w-40 max-w-64 rounded border border-line-strong bg-surface px-2 py-1.5 text-sm max-sm:w-full max-sm:min-w-0"
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Part of a device name; the browser's own clear button (type="search") is the only one. */
function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1 max-sm:col-span-2">
      <label htmlFor={id} className="text-xs font-semibold text-muted">
        Device name
      </label>
      <input
        id={id}
        type="search"
        value={value}
        maxLength={MAX_SEARCH_LENGTH}
        placeholder="Search by device name"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
        className="w-48 rounded border border-line-strong bg-surface px-2 py-1.5 text-sm max-sm:w-full"
      />
    </div>
  );
}

export function MonitorFilters({
  filters,
  initiators,
  me,
  onChange,
}: {
  filters: Filters;
  initiators: string[];
  me: string | null;
  onChange: (next: Partial<Filters>) => void;
}) {
  const people = me && !initiators.some((upn) => upn.toLowerCase() === me.toLowerCase()) ? [me, ...initiators] : initiators;
  return (
    <div role="group" aria-label="Filters" className="flex flex-wrap items-end gap-3 max-sm:grid max-sm:w-full max-sm:grid-cols-2">
      <SearchBox value={filters.search ?? ""} onChange={(search) => onChange({ search: search === "" ? null : search })} />
      <Select
        label="Action"
        value={filters.action ?? ""}
        onChange={(value) => onChange({ action: (ACTION_FILTER_VALUES as readonly string[]).includes(value) ? (value as Filters["action"]) : null })}
        options={[{ value: "", label: "All actions" }, ...ACTION_FILTER_VALUES.map((value) => ({ value, label: ACTION_LABELS[value] }))]}
      />
      <Select
        label="State"
        value={filters.state ?? ""}
        onChange={(value) => onChange({ state: (STATE_FILTER_VALUES as readonly string[]).includes(value) ? (value as Filters["state"]) : null })}
        options={[{ value: "", label: "All states" }, ...STATE_FILTER_VALUES.map((value) => ({ value, label: STATE_FILTER_LABELS[value] }))]}
      />
      <Select
        label="Initiated by"
        value={filters.initiator ?? ""}
        onChange={(value) => onChange({ initiator: value || null })}
        options={[
          { value: "", label: "Anyone" },
          ...people.map((upn) => ({ value: upn, label: me && upn.toLowerCase() === me.toLowerCase() ? `${upn} (you)` : upn })),
        ]}
      />
      <Select
        label="Requested"
        value={filters.time}
        onChange={(value) => onChange({ time: (TIME_FILTER_VALUES as readonly string[]).includes(value) ? (value as Filters["time"]) : MONITOR_WINDOW })}
        options={TIME_FILTER_VALUES.map((value) => ({ value, label: TIME_FILTER_LABELS[value] }))}
      />
    </div>
  );
}
