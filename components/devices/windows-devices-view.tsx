// Over 300 lines: the grid view; its split by job (toolbar, filters, banners) is issue 19's.
"use client";

import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import dynamic from "next/dynamic";
import { useQueryStates } from "nuqs";
import { Search, X } from "lucide-react";
import {
  AUTOPILOT_FILTER_VALUES,
  CHECK_IN_FILTER_VALUES,
  COMPLIANCE_FILTER_VALUES,
  JOIN_TYPE_FILTER_VALUES,
  OWNERSHIP_FILTER_VALUES,
  PROVISIONED_BY_FILTER_VALUES,
  RESET_STATUS_FILTER_VALUES,
  type DeviceFilters,
  type DeviceSortField,
} from "@/lib/devices/types";
import { normalizeSearch } from "@/lib/devices/search";
import { toActionError } from "@/lib/queries/action-failure";
import { loadResetWatcherNow } from "@/components/monitor/deferred-reset-watcher";
import { useResetAuditsLoading, useWindowsDevices } from "@/lib/queries/devices";
import { sharedSerials as countSharedSerials } from "@/lib/devices/shared-serials";
import { useDeviceExport } from "@/lib/queries/export-devices";
import { describeShowing } from "@/lib/devices/list-count";
import { downloadCsv } from "@/components/bulk/download";
import { queryKeys } from "@/lib/queries/keys";
import { useAccountId } from "@/lib/queries/use-account-id";
import { useNow } from "@/lib/queries/use-now";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Notice } from "@/components/ui/notice";
import { SlowReadNotice } from "@/components/ui/slow-read-notice";
import { DeviceGrid } from "./device-grid";
import { GridToolbar } from "./grid-toolbar";
import { useGridColumns } from "./use-grid-columns";
import { COMPLIANCE_LABELS, JOIN_TYPE_LABELS, OWNERSHIP_LABELS } from "@/lib/devices/format";
import { CAN_BE_RESET, formatSort, gridUrlParsers, isCanBeReset, nextSort, NO_FILTERS, parseSort, textFilter, toFilters } from "./grid-url-state";
import { EMPTY_SELECTION, isEmptySelection, selectedCount, toggleDevice, togglePage, type DeviceSelection } from "@/lib/devices/selection";

const SEARCH_DEBOUNCE_MS = 350;
/** Server pages (each up to 500 devices checked) read without a click while none of the devices read so far match. */
const AUTO_READ_PAGES = 10;

/** Shown after a tick or an Export only: loaded then (components/devices/grid-notices.tsx). */
const SelectionBanner = dynamic(() => import("./grid-notices").then((module) => module.SelectionBanner), { ssr: false });
/** Only views that filter or sort where Intune cannot show them. */
const ReadNotices = dynamic(() => import("./grid-notices").then((module) => module.ReadNotices), { ssr: false });
const ExportStatus = dynamic(() => import("./grid-notices").then((module) => module.ExportStatus), { ssr: false });

/** Phones only: loaded there, so a desktop's first load does not carry the cards (docs/architecture.md's budget). */
const DeviceCards = dynamic(() => import("./device-cards").then((module) => module.DeviceCards), {
  ssr: false,
  loading: () => (
    <p role="status" className="text-muted">
      Loading devices…
    </p>
  ),
});
const CHECK_IN_LABELS: Record<(typeof CHECK_IN_FILTER_VALUES)[number], string> = {
  "1d": "Older than 1 day",
  "7d": "Older than 7 days",
  "30d": "Older than 30 days",
};

const RESET_STATUS_LABELS: Record<(typeof RESET_STATUS_FILTER_VALUES)[number], string> = {
  pending: "Pending",
  failed: "Failed",
  done: "Done",
};

/** Phones get cards instead of the table (Tailwind's sm breakpoint). */
const PHONE_QUERY = "(max-width: 639px)";
function subscribePhone(onChange: () => void) {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
function useIsPhone(): boolean {
  return useSyncExternalStore(subscribePhone, () => window.matchMedia(PHONE_QUERY).matches, () => false);
}

/** A text filter (OS version, model) that follows typing after a pause, like the search, and the URL when it changes. */
function TextFilter({ id, label, placeholder, value, onCommit }: { id: string; label: string; placeholder: string; value: string; onCommit: (value: string | null) => void }) {
  const [draft, setDraft] = useState(value);
  const [synced, setSynced] = useState(value);
  if (value !== synced) {
    setSynced(value);
    if ((textFilter(draft) ?? "") !== value) setDraft(value);
  }
  const checked = textFilter(draft) ?? "";
  useEffect(() => {
    if (checked === value) return;
    const timer = setTimeout(() => onCommit(checked || null), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [checked, value, onCommit]);
  return (
    <div className="flex w-36 flex-col gap-1">
      <label htmlFor={id} className="text-xs font-semibold text-muted">
        {label}
      </label>
      <input
        id={id}
        type="text"
        value={draft}
        maxLength={64}
        onChange={(event) => setDraft(event.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        className="rounded border border-line-strong bg-surface px-2 py-1.5 text-sm"
      />
    </div>
  );
}

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

/** lib/devices/provisioning.ts's words, repeated here so the grid's first load does not carry that module. */
const PROVISIONED_BY_FILTER_LABELS: Record<(typeof PROVISIONED_BY_FILTER_VALUES)[number], string> = {
  autopilot: "Autopilot",
  "device-preparation": "Device preparation",
  unknown: "Unknown",
};

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
    () =>
      toFilters({
        compliance: url.compliance,
        ownership: url.ownership,
        join: url.join,
        autopilot: url.autopilot,
        checkin: url.checkin,
        reset: url.reset,
        provisioned: url.provisioned,
        os: url.os,
        model: url.model,
      }),
    [url.compliance, url.ownership, url.join, url.autopilot, url.checkin, url.reset, url.provisioned, url.os, url.model],
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
  const { devices, ignoredByGraph, sortedByGraph, total, fetchNextPage, hasNextPage, isFetchingNextPage, refresh } = query;
  const resetStatusLoading = useResetAuditsLoading();
  // The list has answered: the audits its Reset status column waits for are read now, not seconds later.
  const listAnswered = query.data !== undefined;
  useEffect(() => {
    if (listAnswered && resetStatusLoading) loadResetWatcherNow();
  }, [listAnswered, resetStatusLoading]);
  const { columns, toggle: toggleColumn, reset: resetColumns } = useGridColumns();
  const shownColumns = useMemo(() => new Set(columns.map((column) => column.id)), [columns]);
  const isPhone = useIsPhone();
  const saveExport = useCallback((csv: string, fileName: string) => downloadCsv(fileName, csv), []);
  const exporter = useDeviceExport(saveExport);
  const commitOs = useCallback((value: string | null) => void setUrl({ os: value }), [setUrl]);
  const commitModel = useCallback((value: string | null) => void setUrl({ model: value }), [setUrl]);
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  // A filter checked here (one Graph ignores, or Provisioned by) can leave the first pages empty while devices remain:
  // read on by itself for a while, then on request, rather than say "no devices match" before the end.
  const pagesRead = query.data?.pages.length ?? 0;
  const emptySoFar = devices.length === 0 && Boolean(hasNextPage) && !query.error;
  const readOnByItself = emptySoFar && pagesRead < AUTO_READ_PAGES && !query.isFetching;
  useEffect(() => {
    if (readOnByItself) void fetchNextPage();
  }, [readOnByItself, fetchNextPage]);
  const onSortChange = useCallback(
    (field: DeviceSortField) => void setUrl({ sort: formatSort(nextSort(parseSort(url.sort), field)) }),
    [url.sort, setUrl],
  );
  const loadedIds = useMemo(() => devices.map((device) => device.id), [devices]);
  const sharedSerials = useMemo(() => countSharedSerials(devices), [devices]);
  const onToggleDevice = useCallback((id: string) => setSelection((s) => toggleDevice(s, id, loadedIds)), [loadedIds]);
  const onTogglePage = useCallback(() => setSelection((s) => togglePage(s, loadedIds)), [loadedIds]);
  const clearSelection = useCallback(() => setSelection(EMPTY_SELECTION), []);

  const activeFilters = Object.keys(filters).length;
  const filtered = activeFilters > 0 || url.q !== "";
  const canBeReset = isCanBeReset(url);
  const filterControls = (
    <>
      <Button
        aria-pressed={canBeReset}
        className="self-end aria-pressed:border-brand aria-pressed:bg-selected aria-pressed:font-semibold"
        title="Microsoft Entra joined, registered with Autopilot and provisioned by it; the preflight checks the rest"
        onClick={() => void setUrl(canBeReset ? { join: null, autopilot: null, provisioned: null } : CAN_BE_RESET)}
      >
        Can be reset
      </Button>
      <FilterSelect id="filter-compliance" label="Compliance" value={url.compliance} values={COMPLIANCE_FILTER_VALUES} labels={COMPLIANCE_LABELS} onChange={(v) => void setUrl({ compliance: v })} />
      <FilterSelect id="filter-ownership" label="Ownership" value={url.ownership} values={OWNERSHIP_FILTER_VALUES} labels={OWNERSHIP_LABELS} onChange={(v) => void setUrl({ ownership: v })} />
      <FilterSelect id="filter-join" label="Join type" value={url.join} values={JOIN_TYPE_FILTER_VALUES} labels={JOIN_TYPE_LABELS} onChange={(v) => void setUrl({ join: v })} />
      <FilterSelect id="filter-autopilot" label="Autopilot" value={url.autopilot} values={AUTOPILOT_FILTER_VALUES} labels={AUTOPILOT_LABELS} onChange={(v) => void setUrl({ autopilot: v })} />
      <FilterSelect id="filter-checkin" label="Last check-in" value={url.checkin} values={CHECK_IN_FILTER_VALUES} labels={CHECK_IN_LABELS} onChange={(v) => void setUrl({ checkin: v })} />
      <FilterSelect id="filter-reset" label="Reset status" value={url.reset} values={RESET_STATUS_FILTER_VALUES} labels={RESET_STATUS_LABELS} onChange={(v) => void setUrl({ reset: v })} />
      <FilterSelect id="filter-provisioned" label="Provisioned by" value={url.provisioned} values={PROVISIONED_BY_FILTER_VALUES} labels={PROVISIONED_BY_FILTER_LABELS} onChange={(v) => void setUrl({ provisioned: v })} />
      <TextFilter id="filter-os" label="OS version" placeholder="e.g. 10.0.22631" value={url.os} onCommit={commitOs} />
      <TextFilter id="filter-model" label="Model" placeholder="e.g. Latitude" value={url.model} onCommit={commitModel} />
    </>
  );
  const count = selectedCount(selection);
  const everyLoadedTicked = selection.kind === "ids" && loadedIds.length > 0 && loadedIds.every((id) => selection.ids.has(id));

  return (
    <section aria-labelledby="devices-heading" className="space-y-3">
      <h2 id="devices-heading" className="sr-only">
        Windows devices
      </h2>
      <GridToolbar
        refreshing={query.isFetching && !isFetchingNextPage}
        onRefresh={refresh}
        shownColumns={shownColumns}
        onToggleColumn={toggleColumn}
        onResetColumns={resetColumns}
        exporting={exporter.state.kind === "running"}
        onExport={() => void exporter.start(params)}
        showColumns={!isPhone}
      />
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-0 basis-full flex-col gap-1 sm:min-w-72 sm:basis-auto sm:flex-1">
          <label htmlFor="device-search" className="text-xs font-semibold text-muted">
            Search by device name, user or serial number
          </label>
          <div className="relative">
            <Search aria-hidden="true" className="absolute left-2 top-2 size-4 text-muted" />
            <input
              id="device-search"
              // A text box in the searchbox role: type="search" would add the browser's own clear button beside ours.
              type="text"
              role="searchbox"
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
        {isPhone ? (
          // On a phone the filters would push the devices below the fold: they open on demand.
          <details className="w-full">
            <summary className="cursor-pointer text-sm font-semibold">Filters{activeFilters > 0 ? ` (${activeFilters} set)` : ""}</summary>
            <div className="mt-2 flex flex-wrap items-end gap-3">{filterControls}</div>
          </details>
        ) : (
          filterControls
        )}
        {filtered && (
          <Button
            variant="toolbar"
            onClick={() => {
              setDraft("");
              void setUrl(NO_FILTERS);
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

      {(ignoredByGraph.length > 0 || url.reset || (!sortedByGraph && sort)) && (
        <ReadNotices ignoredByGraph={ignoredByGraph} resetStatus={Boolean(url.reset)} unsorted={!sortedByGraph && Boolean(sort)} />
      )}

      {/* The bulk bar says what is selected; the banner adds only what the bar cannot (the offer of the whole view). */}
      {(bulkBar ? everyLoadedTicked && Boolean(hasNextPage) && selection.kind === "ids" : !isEmptySelection(selection) || everyLoadedTicked) && (
        <SelectionBanner
          selection={selection}
          saysCount={!bulkBar}
          count={count}
          search={url.q}
          offerAllMatching={everyLoadedTicked && Boolean(hasNextPage)}
          onClear={clearSelection}
          onSelectAllMatching={() => setSelection({ kind: "all-matching", search: url.q, filters })}
        />
      )}
      {(exporter.state.kind === "running" || exporter.state.kind === "done") && (
        <ExportStatus state={exporter.state} onCancel={exporter.cancel} onDismiss={exporter.dismiss} />
      )}
      {exporter.state.kind === "failed" && <ErrorMessage error={exporter.state.error} onRetry={() => void exporter.start(params)} />}
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
      ) : emptySoFar ? (
        <Notice tone="info" role="status" testId="grid-reading-on">
          <span>
            None of the devices checked so far match; more remain.{" "}
            {isFetchingNextPage || readOnByItself ? (
              "Checking more…"
            ) : (
              <button type="button" className="text-brand-text underline" onClick={loadMore}>
                Check more devices
              </button>
            )}
          </span>
        </Notice>
      ) : devices.length === 0 ? (
        <Notice tone="info" role="status">
          {filtered
            ? `No Windows devices match ${url.q ? `“${url.q.length > 60 ? `${url.q.slice(0, 60)}…` : url.q}”` : "these filters"}. Check the spelling, or search by another name, user or serial number.`
            : "This tenant has no Windows devices enrolled in Intune."}
        </Notice>
      ) : (
        <>
          <p role="status" className="text-sm text-muted" data-testid="grid-count">
            {describeShowing(devices.length, total, !hasNextPage)}
            {query.isFetching && !isFetchingNextPage ? " (refreshing…)" : ""}
          </p>
          {isPhone ? (
            <DeviceCards
              devices={devices}
              sharedSerials={sharedSerials}
              now={now}
              resetStatusLoading={resetStatusLoading}
              selection={selection}
              onToggleDevice={onToggleDevice}
              onTogglePage={onTogglePage}
            />
          ) : (
          <DeviceGrid
            devices={devices}
            sharedSerials={sharedSerials}
            columns={columns}
            resetStatusLoading={resetStatusLoading}
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
          )}
          {hasNextPage && (
            <Button onClick={loadMore} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
