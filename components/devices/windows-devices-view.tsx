"use client";

import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryStates } from "nuqs";
import Link from "next/link";
import { ListChecks, Search, X } from "lucide-react";
import { CLAUSE_LABELS, type ClauseKey } from "@/lib/devices/search";
import {
  AUTOPILOT_FILTER_VALUES,
  COMPLIANCE_FILTER_VALUES,
  JOIN_TYPE_FILTER_VALUES,
  OWNERSHIP_FILTER_VALUES,
  type DeviceFilters,
  type DeviceSortField,
} from "@/lib/devices/types";
import { normalizeSearch } from "@/lib/devices/search";
import { toActionError } from "@/lib/queries/action-failure";
import { useWindowsDevices } from "@/lib/queries/devices";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { SlowReadNotice } from "@/components/ui/slow-read-notice";
import { DeviceGrid } from "./device-grid";
import { COMPLIANCE_LABELS, JOIN_TYPE_LABELS, OWNERSHIP_LABELS } from "@/lib/devices/format";
import { formatSort, gridUrlParsers, nextSort, parseSort, toFilters } from "./grid-url-state";
import { EMPTY_SELECTION, isEmptySelection, selectedCount, toggleDevice, togglePage, type DeviceSelection } from "@/lib/devices/selection";

const SEARCH_DEBOUNCE_MS = 350;

export interface BulkBarSlotProps {
  selection: DeviceSelection;
  clearSelection: () => void;
}

function FilterSelect<V extends string>({
  id,
  label,
  value,
  values,
  labels,
  onChange,
}: {
  id: string;
  label: string;
  value: V | null;
  values: readonly V[];
  labels: Record<V, string>;
  onChange: (value: V | null) => void;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-semibold text-muted">
        {label}
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => onChange((event.target.value || null) as V | null)}
        className="rounded border border-line-strong bg-surface px-2 py-1.5 text-sm"
      >
        <option value="">All</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

const AUTOPILOT_LABELS: Record<(typeof AUTOPILOT_FILTER_VALUES)[number], string> = {
  registered: "Registered",
  notRegistered: "Not registered",
};

export function WindowsDevicesView({ bulkBar }: { bulkBar?: (props: BulkBarSlotProps) => ReactNode }) {
  const [url, setUrl] = useQueryStates(gridUrlParsers, { history: "replace" });
  const [draft, setDraft] = useState(url.q);
  const [selection, setSelection] = useState<DeviceSelection>(EMPTY_SELECTION);
  const now = useNow(60_000);

  // The back button or a pasted link can change the URL: follow it, unless the box already says the same thing.
  const [syncedQ, setSyncedQ] = useState(url.q);
  if (url.q !== syncedQ) {
    setSyncedQ(url.q);
    const current = normalizeSearch(draft);
    if (!(current.ok && (current.search ?? "") === url.q)) setDraft(url.q);
  }

  // The server checks the search again (lib/devices/search.ts); checking here too answers before a round trip.
  const check = normalizeSearch(draft);
  const checkedSearch = check.ok ? (check.search ?? "") : null;
  useEffect(() => {
    if (checkedSearch === null || checkedSearch === url.q) return;
    const timer = setTimeout(() => void setUrl({ q: checkedSearch || null }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [checkedSearch, url.q, setUrl]);

  const filters: DeviceFilters = useMemo(
    () => toFilters({ compliance: url.compliance, ownership: url.ownership, join: url.join, autopilot: url.autopilot }),
    [url.compliance, url.ownership, url.join, url.autopilot],
  );
  const sort = parseSort(url.sort);
  const params = useMemo(() => ({ search: url.q, filters, sort }), [url.q, filters, sort?.field, sort?.direction]); // eslint-disable-line react-hooks/exhaustive-deps

  // A new search or filter is a new set of rows: a selection made on the old one would mislead.
  const [selectionParams, setSelectionParams] = useState(params);
  if (selectionParams !== params) {
    setSelectionParams(params);
    setSelection(EMPTY_SELECTION);
  }

  const accountId = useAccountId();
  const query = useWindowsDevices(params);
  const { devices, ignoredByGraph, sortedByGraph, fetchNextPage, hasNextPage, isFetchingNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const onSortChange = useCallback(
    (field: DeviceSortField) => void setUrl({ sort: formatSort(nextSort(parseSort(url.sort), field)) }),
    [url.sort, setUrl],
  );
  const loadedIds = useMemo(() => devices.map((device) => device.id), [devices]);
  const onToggleDevice = useCallback((id: string) => setSelection((s) => toggleDevice(s, id, loadedIds)), [loadedIds]);
  const onTogglePage = useCallback(() => setSelection((s) => togglePage(s, loadedIds)), [loadedIds]);
  const clearSelection = useCallback(() => setSelection(EMPTY_SELECTION), []);

  const filtered = Object.keys(filters).length > 0 || url.q !== "";
  const count = selectedCount(selection);
  const everyLoadedTicked = selection.kind === "ids" && loadedIds.length > 0 && loadedIds.every((id) => selection.ids.has(id));

  return (
    <section aria-labelledby="devices-heading" className="space-y-3">
      <h2 id="devices-heading" className="sr-only">
        Windows devices
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-72 flex-1 flex-col gap-1">
          <label htmlFor="device-search" className="text-xs font-semibold text-muted">
            Search by device name, user or serial number
          </label>
          <div className="relative">
            <Search aria-hidden="true" className="absolute left-2 top-2 size-4 text-muted" />
            <input
              id="device-search"
              type="search"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              aria-invalid={!check.ok}
              aria-describedby={!check.ok ? "device-search-error" : undefined}
              placeholder="Search"
              autoComplete="off"
              spellCheck={false}
              className="w-full rounded border border-line-strong bg-surface py-1.5 pl-8 pr-8 text-sm aria-[invalid=true]:border-danger"
            />
            {draft && (
              <button
                type="button"
                aria-label="Clear search"
                onClick={() => {
                  setDraft("");
                  void setUrl({ q: null });
                }}
                className="absolute right-1 top-1 rounded p-1 hover:bg-surface-hover"
              >
                <X aria-hidden="true" className="size-4" />
              </button>
            )}
          </div>
        </div>
        <FilterSelect id="filter-compliance" label="Compliance" value={url.compliance} values={COMPLIANCE_FILTER_VALUES} labels={COMPLIANCE_LABELS} onChange={(v) => void setUrl({ compliance: v })} />
        <FilterSelect id="filter-ownership" label="Ownership" value={url.ownership} values={OWNERSHIP_FILTER_VALUES} labels={OWNERSHIP_LABELS} onChange={(v) => void setUrl({ ownership: v })} />
        <FilterSelect id="filter-join" label="Join type" value={url.join} values={JOIN_TYPE_FILTER_VALUES} labels={JOIN_TYPE_LABELS} onChange={(v) => void setUrl({ join: v })} />
        <FilterSelect id="filter-autopilot" label="Autopilot" value={url.autopilot} values={AUTOPILOT_FILTER_VALUES} labels={AUTOPILOT_LABELS} onChange={(v) => void setUrl({ autopilot: v })} />
        <Link
          href="/devices/windows/from-list"
          className="inline-flex items-center gap-2 rounded px-3 py-1.5 text-sm text-fg hover:bg-surface-hover"
          data-testid="reset-from-list-link"
        >
          <ListChecks aria-hidden="true" className="size-4 text-brand-text" /> Reset from a list…
        </Link>
        {filtered && (
          <Button
            variant="toolbar"
            onClick={() => {
              setDraft("");
              void setUrl({ q: null, compliance: null, ownership: null, join: null, autopilot: null });
            }}
          >
            Clear all
          </Button>
        )}
      </div>

      {!check.ok && (
        <p id="device-search-error" role="alert" className="text-sm text-danger">
          {check.message}
        </p>
      )}

      {ignoredByGraph.length > 0 && (
        <Notice tone="warning" role="status">
          Microsoft Graph could not filter by {ignoredByGraph.map((clause) => CLAUSE_LABELS[clause as ClauseKey] ?? clause).join(" and ")} itself, so the
          console checks each device as it loads: the list may fill more slowly.
        </Notice>
      )}
      {!sortedByGraph && sort && (
        <Notice tone="info" role="status">
          Graph does not sort by this column: the loaded rows are sorted in the browser, so rows loaded later may fall
          between them.
        </Notice>
      )}

      {(!isEmptySelection(selection) || everyLoadedTicked) && (
        <Notice tone="info" role="status" testId="selection-banner">
          {selection.kind === "all-matching" ? (
            <span>
              All devices matching {url.q ? `“${url.q}”` : "this view"} are selected.{" "}
              <button type="button" className="text-brand-text underline" onClick={clearSelection}>
                Clear selection
              </button>
            </span>
          ) : (
            <span>
              {count} {count === 1 ? "device" : "devices"} selected.{" "}
              {everyLoadedTicked && hasNextPage && (
                <button
                  type="button"
                  className="text-brand-text underline"
                  onClick={() => setSelection({ kind: "all-matching", search: url.q, filters })}
                >
                  Select all devices matching this search
                </button>
              )}
            </span>
          )}
        </Notice>
      )}
      {bulkBar?.({ selection, clearSelection })}

      <SlowReadNotice
        isFetching={query.isFetching}
        queryKey={queryKeys.deviceList(accountId, params)}
        // A stuck next page is asked for again on its own; otherwise the whole list is read again.
        refetch={isFetchingNextPage ? fetchNextPage : query.refetch}
      />

      {query.error ? (
        <ErrorMessage error={toActionError(query.error)} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status" className="text-muted">
          Loading devices…
        </p>
      ) : devices.length === 0 ? (
        <Notice tone="info" role="status">
          {filtered
            ? `No Windows devices match ${url.q ? `“${url.q.length > 60 ? `${url.q.slice(0, 60)}…` : url.q}”` : "these filters"}. Check the spelling, or search by another name, user or serial number.`
            : "This tenant has no Windows devices enrolled in Intune."}
        </Notice>
      ) : (
        <>
          <DeviceGrid
            devices={devices}
            now={now}
            sort={sort}
            onSortChange={onSortChange}
            selection={selection}
            onToggleDevice={onToggleDevice}
            onTogglePage={onTogglePage}
            hasMore={Boolean(hasNextPage)}
            loadingMore={isFetchingNextPage}
            onLoadMore={loadMore}
          />
          <div className="flex items-center gap-3 text-sm text-muted">
            <span role="status">
              {devices.length.toLocaleString("en")} {devices.length === 1 ? "device" : "devices"} loaded
              {hasNextPage ? ", more available" : ""}
              {query.isFetching && !isFetchingNextPage ? " (refreshing…)" : ""}
            </span>
            {hasNextPage && (
              <Button onClick={loadMore} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
