"use client";
/**
 * Bulk Autopilot Reset and Sync for the Windows devices grid: the bar while devices are selected, the preflight
 * (fresh device records classified with the device page's eligibility rules), the confirmation, and the run panel.
 * Takes exactly what the grid's bulkBar slot gives (components/devices/windows-devices-view.tsx: BulkBarSlotProps).
 */
import { useCallback, useMemo, useRef, useState } from "react";
import { actionPermission } from "@/lib/auth/permissions";
import { isEmptySelection, selectedCount, type DeviceSelection } from "@/lib/devices/selection";
import { ErrorMessage } from "@/components/ui/error-message";
import type { ActionError } from "@/lib/result";
import { usePrivilegedAccessToken, useGrantedScopes } from "@/lib/auth/use-access-token";
import { csvFileName, resultsToCsv, selectionToCsv } from "@/lib/bulk/csv";
import { MAX_DEVICES_PER_RUN, planBulkAction, tooManyForOneRunSentence, type BulkPlan, type PlanGuardrails } from "@/lib/bulk/planner";
import type { DeviceAction } from "@/lib/devices/types";
import type { SourceLine } from "@/lib/bulk/types";
import { useMyPermissions } from "@/lib/queries/devices";
import { useRunApprovals } from "@/lib/queries/approvals";
import { withApprovalStates } from "@/lib/bulk/approval-outcome";
import { summarize } from "@/lib/bulk/summary";
import { useAccountId, useSignedInUpn } from "@/lib/queries/use-account-id";
import { BulkActionBar } from "./bulk-action-bar";
import { BulkConfirmDialog } from "./bulk-confirm-dialog";
import { BulkRunPanel } from "./bulk-run-panel";
import { downloadCsv } from "./download";
import { loadSelection, SelectionLoadError, serverSelectionLoaders, type LoadedSelection } from "@/lib/queries/load-selection";
import { useBulkRun } from "./use-bulk-run";
import { useViewsFollowRun } from "@/lib/queries/follow-run";
import { useWipeBudget } from "./use-wipe-budget";
import { fetchBulkGuardrails } from "@/lib/queries/bulk-transport";

export interface BulkActionsProps {
  selection: DeviceSelection;
  clearSelection: () => void;
  /**
   * When the devices come from a pasted or uploaded list (components/ticket): each device's line, carried into the run
   * and its results CSV.
   */
  sourceLines?: ReadonlyMap<string, SourceLine>;
}

function withSourceLines(plan: BulkPlan, sourceLines: ReadonlyMap<string, SourceLine> | undefined): BulkPlan {
  if (!sourceLines) return plan;
  const tag = <D extends { id: string }>(d: D): D => (sourceLines.has(d.id) ? { ...d, sourceLine: sourceLines.get(d.id) } : d);
  return { ...plan, toSend: plan.toSend.map(tag), skipped: plan.skipped.map(tag) };
}

export function BulkActions({ selection, clearSelection, sourceLines }: BulkActionsProps) {
  // Resets and syncs: the token asks for PrivilegedOperations (incremental consent), reads included.
  const getPrivilegedToken = usePrivilegedAccessToken();
  const getAccessToken = useCallback(() => getPrivilegedToken(), [getPrivilegedToken]);
  const accountKey = useAccountId();
  const permissions = useMyPermissions();
  const grantedScopes = useGrantedScopes();
  const startedBy = useSignedInUpn();
  const bulk = useBulkRun({ getAccessToken, accountKey, startedBy });
  // Devices left awaiting approval are shown as their requests stand now (expired after 3 days on Graph's clock).
  const runApprovals = useRunApprovals(bulk.run, bulk.driving);
  const shownRun = useMemo(
    () => (bulk.run && runApprovals.data ? withApprovalStates(bulk.run, runApprovals.data) : bulk.run),
    [bulk.run, runApprovals.data],
  );
  const shownSummary = useMemo(() => (shownRun && shownRun !== bulk.run ? summarize(shownRun) : bulk.summary), [shownRun, bulk.run, bulk.summary]);
  useViewsFollowRun(bulk.summary?.initiated ?? 0, bulk.driving);
  // While devices wait for the daily limit, what is left today is read again (the server counts, on Graph's clock).
  const wipeBudget = useWipeBudget(getAccessToken, bulk.waitingForLimit);
  const [preparing, setPreparing] = useState<string | null>(null);
  // What the preflight was planned from, so that ticking a recently reset device again plans it anew (same dialog).
  const [planned, setPlanned] = useState<{ action: DeviceAction; loaded: LoadedSelection; guardrails: PlanGuardrails; at: Date } | null>(null);
  const [includeAnyway, setIncludeAnyway] = useState<ReadonlySet<string>>(new Set());
  const plan = useMemo(() => {
    if (!planned) return null;
    const { action, loaded, guardrails, at } = planned;
    // Each device's own read when the selection was read device by device; else the tenant's resets of the day.
    const known = loaded.recentResets ?? guardrails.recentResets;
    const recentResets = known ? { ...known, includeAnyway } : undefined;
    return withSourceLines(planBulkAction(action, loaded.devices, at, loaded.missingIds, { ...guardrails, ...(recentResets ? { recentResets } : {}) }), sourceLines);
  }, [planned, includeAnyway, sourceLines]);
  const setPlan = (value: null) => setPlanned(value);
  const [planKey, setPlanKey] = useState(0);
  const [error, setError] = useState<ActionError | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  // A Yes that started a run: once the dialog has closed, focus and the view go to the run's panel, which may sit below
  // a long list (Reset from a list) where its progress and results would otherwise be out of sight.
  const startedRef = useRef(false);
  const showRun = useCallback(() => {
    if (!startedRef.current) return false;
    startedRef.current = false;
    focusRunTitle();
    return true;
  }, []);

  const load = useCallback(
    async (label: string, limit?: number): Promise<LoadedSelection | null> => {
      abortRef.current?.abort();
      const abort = new AbortController();
      abortRef.current = abort;
      setError(null);
      setPreparing(`${label}…`);
      try {
        return await loadSelection(
          selection,
          serverSelectionLoaders(getAccessToken),
          (n) => setPreparing(`${label}: ${n.toLocaleString()} devices read…`),
          abort.signal,
          limit === undefined ? undefined : { devices: limit, tooMany: tooManyForOneRunSentence },
        );
      } catch (e) {
        if (abort.signal.aborted) return null;
        setError(e instanceof SelectionLoadError ? e.error : { kind: "unavailable", message: "The selected devices could not be read. Try again." });
        return null;
      } finally {
        if (abortRef.current === abort) setPreparing(null);
      }
    },
    [selection, getAccessToken],
  );

  const prepare = useCallback(
    async (action: DeviceAction) => {
      // "All matching" stops at Graph's count (or at the first device past the limit) rather than reading the tenant.
      const loaded = await load("Checking the selected devices", MAX_DEVICES_PER_RUN);
      if (loaded && loaded.devices.length + loaded.missingIds.length > MAX_DEVICES_PER_RUN) {
        setError({ kind: "invalid", message: tooManyForOneRunSentence(loaded.devices.length + loaded.missingIds.length, true) });
        return;
      }
      if (loaded) {
        // A reset meets today's guardrails: what is left of the daily wipe limit, and whether resets need approval.
        if (action === "reset") setPreparing("Counting today's wipes…");
        const guardrails = action === "reset" ? await fetchBulkGuardrails(getAccessToken).finally(() => setPreparing(null)) : {};
        setPlanKey((k) => k + 1);
        setIncludeAnyway(new Set());
        setPlanned({ action, loaded, guardrails, at: new Date() });
      }
    },
    [load, getAccessToken],
  );

  const exportSelection = useCallback(async () => {
    const loaded = await load("Reading the selection");
    if (loaded) downloadCsv(csvFileName("selection", undefined, new Date()), selectionToCsv(loaded.devices));
  }, [load]);

  const exportResults = useCallback(() => {
    if (shownRun) downloadCsv(csvFileName("results", shownRun.action, new Date()), resultsToCsv(shownRun));
  }, [shownRun]);

  const toPermission = (action: DeviceAction) => {
    const p = actionPermission(action, permissions.data, grantedScopes);
    return p.allowed ? { allowed: true } : { allowed: false, message: p.message };
  };

  const count = selectedCount(selection);
  const showBar = !isEmptySelection(selection);
  return (
    <div className="flex flex-col gap-3">
      {showBar && (
        <BulkActionBar
          count={count}
          allMatchingLabel={selection.kind === "all-matching" ? `All devices matching ${selection.search ? `“${selection.search}”` : "this view"} selected` : undefined}
          reset={toPermission("reset")}
          sync={toPermission("sync")}
          busy={preparing !== null || bulk.driving}
          busyLabel={preparing ?? (bulk.driving ? "A bulk run is under way." : undefined)}
          onReset={() => void prepare("reset")}
          onSync={() => void prepare("sync")}
          onExportSelection={() => void exportSelection()}
          onClear={clearSelection}
        />
      )}
      {error && <ErrorMessage error={error} onRetry={() => setError(null)} />}
      {plan && (
        <BulkConfirmDialog
          key={planKey}
          open={plan !== null}
          onOpenChange={(open) => !open && setPlan(null)}
          plan={plan}
          onIncludeRecent={(id, include) =>
            setIncludeAnyway((current) => {
              const next = new Set(current);
              if (include) next.add(id);
              else next.delete(id);
              return next;
            })
          }
          onClosedAfterYes={showRun}
          onConfirm={async (confirmed, justification, ticketReference) => {
            // The dialog closes once the run's first save is made; otherwise it stays, saying why nothing was sent.
            const started = await bulk.start(confirmed, justification, ticketReference);
            if (started.ok) {
              startedRef.current = true;
              setPlan(null);
              clearSelection();
            }
            return started;
          }}
        />
      )}
      {shownRun && shownSummary && (
        <BulkRunPanel
          run={shownRun}
          summary={shownSummary}
          approvals={{
            checking: runApprovals.isFetching,
            failed: runApprovals.isError,
            refresh: () => void runApprovals.refetch(),
          }}
          estimate={bulk.estimate}
          driving={bulk.driving}
          resumable={bulk.resumable}
          waitingForLimit={bulk.waitingForLimit}
          wipeBudget={wipeBudget}
          onStartNextWave={bulk.startNextWave}
          drivenElsewhere={bulk.drivenElsewhere}
          problem={bulk.problem}
          onCancel={bulk.cancel}
          onResume={bulk.resume}
          onRetryFailed={bulk.retryFailed}
          onExportResults={exportResults}
          onDismiss={bulk.dismiss}
        />
      )}
    </div>
  );
}

/** Focuses the run panel's heading (rendered by now, or within a few frames) and scrolls it to the top of the view. */
function focusRunTitle(framesLeft = 20) {
  const title = document.getElementById("bulk-run-title");
  if (!title) {
    if (framesLeft > 0) requestAnimationFrame(() => focusRunTitle(framesLeft - 1));
    else document.getElementById("main")?.focus();
    return;
  }
  title.focus({ preventScroll: true });
  title.scrollIntoView({ block: "start" });
}
