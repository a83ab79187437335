// Over 300 lines: the driving tab's whole life (Web Locks, resume, save failures) in one hook, so its ordering stays visible.
"use client";
/**
 * Drives a bulk run in the browser: the lib/bulk engine, paced to Intune's write limit, calling the bulk server actions
 * once per chunk with a fresh token (lib/queries/bulk-transport.ts). The run lives in localStorage (before each send and after
 * each answer), so a reload offers Resume, and resuming reads every device whose answer was never recorded before
 * sending anything again.
 *
 * A run is driven only while the page that shows it is there: when the component goes away (the user leaves the page,
 * or an error boundary replaces it), the engine stops starting requests, records the answers under way, and the run
 * waits for Resume. A run that cannot be saved sends nothing: the first save is made before start() answers, and a
 * later failed save stops the run and says why here, with the run as it really stands (in memory, unsaved).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { BulkRunEngine, realSleep } from "@/lib/bulk/engine";
import type { RunEstimate } from "@/lib/bulk/estimate";
import { createRunStore, describeSaveFailure, RunNotSavedError, runStorageKey, type RunStore } from "@/lib/bulk/persistence";
import type { BulkPlan } from "@/lib/bulk/planner";
import {
  createRun,
  isRunOver,
  prepareResume,
  retryFailed as retryFailedRun,
  startNextWave as startNextWaveRun,
  withJustification,
  type BulkRun,
} from "@/lib/bulk/run";
import { summarize, type RunSummary } from "@/lib/bulk/summary";
import { serverActionTransport, type BulkServerActions } from "@/lib/queries/bulk-transport";

export interface UseBulkRun {
  /** The current or last run (also one restored from storage), or null. */
  run: BulkRun | null;
  summary: RunSummary | null;
  /** The one estimate of the run driven here (lib/bulk/estimate.ts), recomputed every second; null when not driving. */
  estimate: RunEstimate | null;
  /** The engine is working on the run in this tab. */
  driving: boolean;
  /** A run restored after a reload (or paused) that still has work: offer Resume. */
  resumable: boolean;
  /** The wave is done and devices wait for the daily wipe limit: offer the next wave. */
  waitingForLimit: boolean;
  /** Another tab is driving the stored run (shown here read-only). */
  drivenElsewhere: boolean;
  /** Why the run stopped, when it stopped on its own (storage refused, session ended). */
  problem: string | null;
  /**
   * Starts a run: answers once its first save was made (ok: the engine is sending) or could not be (with the sentence
   * why; nothing was sent), so the confirmation can stay open with the user's choices and say so.
   */
  start: (plan: BulkPlan, justification?: string, ticketReference?: string) => Promise<StartResult>;
  cancel: () => void;
  /** With a justification when Graph asked for one mid-run. */
  resume: (justification?: string) => void;
  /** The user starts the next wave: up to `room` waiting devices (what the server counted as left today). */
  startNextWave: (room: number) => void;
  retryFailed: () => void;
  /** Forgets a run that is over (or one the user chooses to abandon). */
  dismiss: () => void;
}

export type StartResult = { ok: true } | { ok: false; message: string };

/** What a driver call does with the stored run: a run to drive, a sentence why not, or nothing to do. */
type Prepared = BulkRun | { refused: string } | null;

function newRunId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `run-${Date.now()}-${Math.random()}`;
}

/**
 * One tab drives a run, decided by the browser itself: the Web Locks API grants a named lock to one tab of the origin
 * at a time and releases it when that tab closes, reloads or crashes. A stored tab id would be copied into a
 * duplicated tab, and a lease with a timeout keeps a closed tab's claim alive; neither happens here.
 */
function locks(): LockManager | undefined {
  return typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : undefined;
}

async function heldByAnyTab(name: string): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const snapshot = await manager.query();
  return (snapshot.held ?? []).some((lock) => lock.name === name);
}

/** What a page showing the run does with the engine's news: the page that drives it now (it may have come back). */
interface Owner {
  setRun: (run: BulkRun) => void;
  setProblem: (problem: string | null) => void;
  setDriving: (driving: boolean) => void;
  engineRef: { current: BulkRunEngine | null };
  unsavedRef: { current: BulkRun | null };
}

/**
 * The engine this tab drives, by lock name, while it holds the run's Web Lock. A page that shows the run again in the
 * same tab (the user left the grid mid-run and came back) takes it over instead of seeing its own lock as another
 * tab's: the engine goes on if it had not wound down yet (issue 23, item 6).
 */
const tabDrivers = new Map<string, { engine: BulkRunEngine; owner: Owner }>();

export function useBulkRun({
  getAccessToken,
  accountKey,
  startedBy = "",
  actions,
  storage,
}: {
  /** From the auth hook (lib/auth/use-access-token): called before every chunk, so every chunk has a fresh token. */
  getAccessToken: () => Promise<string>;
  /** Keeps one stored run per signed-in account (e.g. MSAL homeAccountId). */
  accountKey: string;
  /** The signed-in person's user principal name, recorded on a run they start (its CSV's "Initiated by"). */
  startedBy?: string;
  /** Injected in tests; the bulk server actions by default. */
  actions?: BulkServerActions;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}): UseBulkRun {
  const [run, setRun] = useState<BulkRun | null>(null);
  const [driving, setDriving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [estimate, setEstimate] = useState<RunEstimate | null>(null);
  const engineRef = useRef<BulkRunEngine | null>(null);
  /** The run as it really stands after a save failed: storage holds an older state, so this one is shown and resumed. */
  const unsavedRef = useRef<BulkRun | null>(null);
  const owner = useMemo<Owner>(() => ({ setRun, setProblem, setDriving, engineRef, unsavedRef }), []);
  const tokenRef = useRef(getAccessToken);
  useEffect(() => {
    tokenRef.current = getAccessToken;
  }, [getAccessToken]);

  const [elsewhere, setElsewhere] = useState(false);
  const target = useMemo(() => storage ?? (typeof window !== "undefined" ? window.localStorage : undefined), [storage]);
  const runKey = accountKey ? runStorageKey(accountKey) : null;
  const lockName = runKey ? `${runKey}:driver` : null;
  const store: RunStore | null = useMemo(() => (target && runKey ? createRunStore(target, runKey) : null), [target, runKey]);

  // After a reload: whatever was stored comes back, to resume or to read the results. Another tab driving the run (it
  // holds the run's Web Lock) shows its progress here, read-only, through storage events; Resume appears the moment
  // that tab closes and the browser frees the lock.
  useEffect(() => {
    if (!store || !runKey || !lockName) return;
    let alive = true;
    // This tab still drives the run (the page went away and came back while its engine wound down): this page takes
    // the engine over and it goes on, shown as running here.
    const mine = tabDrivers.get(lockName);
    if (mine && !engineRef.current && mine.engine.carryOn()) {
      mine.owner = owner;
      engineRef.current = mine.engine;
      setElsewhere(false);
      setRun(mine.engine.state);
      setDriving(true);
    }
    const refresh = () => {
      if (engineRef.current || unsavedRef.current) return;
      setRun(store.load());
      void heldByAnyTab(lockName).then((held) => {
        // The lock this very tab holds (an engine winding down) is not another tab's.
        if (alive && !engineRef.current) setElsewhere(held && !tabDrivers.has(lockName));
      });
    };
    refresh();
    const onStorage = (event: StorageEvent) => {
      if (event.key === runKey) refresh();
    };
    window.addEventListener("storage", onStorage);
    const timer = setInterval(refresh, 1_000);
    return () => {
      alive = false;
      window.removeEventListener("storage", onStorage);
      clearInterval(timer);
    };
  }, [store, runKey, lockName, owner]);

  // While driving: the one estimate, every second and whenever the run moves (the engine's pacer and latest answers).
  useEffect(() => {
    if (!driving) return;
    const tick = () => setEstimate(engineRef.current?.estimate() ?? null);
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, [driving, run]);

  // The page is going away (navigation, or an error boundary in its place): nothing more is started for this run.
  useEffect(() => () => engineRef.current?.stop(), []);

  /**
   * Drives a run while holding its Web Lock. `prepare` turns the run as stored when the lock is granted (another tab
   * may have moved it on since this tab last looked; after a failed save, the run as it stands here) into the run to
   * drive, a sentence why not, or null to drive nothing. Answers once the run's first save was made or refused.
   */
  const drive = useCallback(
    (prepare: (stored: BulkRun | null) => Prepared, when: "start" | "resume"): Promise<StartResult> =>
      new Promise<StartResult>((resolve) => {
        if (!store || !lockName || !runKey || engineRef.current) {
          resolve({ ok: false, message: "A bulk run is already under way on this page." });
          return;
        }
        setProblem(null);
        const manager = locks();
        if (!manager) {
          const message = "This browser cannot coordinate its tabs (no Web Locks), so the console will not run a bulk action here. Use a current Edge, Chrome, Firefox or Safari over https.";
          setProblem(message);
          resolve({ ok: false, message });
          return;
        }
        void manager
          .request(lockName, { ifAvailable: true }, async (lock) => {
            if (!lock) {
              const message = "This run is being worked on in another tab or window. Follow it there; this tab shows its progress.";
              setElsewhere(true);
              setProblem(message);
              resolve({ ok: false, message });
              return;
            }
            const prepared = prepare(unsavedRef.current ?? store.load());
            if (!prepared || "refused" in prepared) {
              resolve({ ok: false, message: prepared?.refused ?? "There is nothing to send." });
              return;
            }
            // The first save, before anything can be sent: a run that cannot be saved does not start.
            try {
              store.save(prepared);
            } catch (error: unknown) {
              resolve({ ok: false, message: describeSaveFailure(error, target, runKey, when) });
              return;
            }
            unsavedRef.current = null;
            const transport = serverActionTransport(() => tokenRef.current(), prepared.action, actions, prepared.justification, prepared.ticketReference);
            // The page that shows the run now: this one, or the one that took the engine over (tabDrivers).
            const driver = { owner } as { engine: BulkRunEngine; owner: Owner };
            const engine = new BulkRunEngine(prepared, transport, {
              now: () => Date.now(),
              sleep: realSleep,
              random: Math.random,
              persist: (r) => store.save(r),
              onChange: (r) => driver.owner.setRun(r),
            });
            driver.engine = engine;
            tabDrivers.set(lockName, driver);
            engineRef.current = engine;
            setElsewhere(false);
            setDriving(true);
            setRun(prepared);
            resolve({ ok: true });
            try {
              const final = await engine.start();
              driver.owner.setRun(final);
              if (final.status === "paused") driver.owner.setProblem(final.pausedReason ?? "The run is paused.");
            } catch (error: unknown) {
              driver.owner.setRun(engine.state);
              if (error instanceof RunNotSavedError) {
                // Storage holds an older state than this: keep showing (and resume from) the run as it stands.
                driver.owner.unsavedRef.current = engine.state;
                driver.owner.setProblem(describeSaveFailure(error, target, runKey, "during"));
              } else {
                driver.owner.setProblem(
                  `The run stopped: ${error instanceof Error ? error.message : "unknown error"}. Nothing more was sent; Resume checks every device whose answer is missing before sending again.`,
                );
              }
            } finally {
              if (tabDrivers.get(lockName) === driver) tabDrivers.delete(lockName);
              driver.owner.engineRef.current = null;
              driver.owner.setDriving(false);
            }
          })
          .catch((error: unknown) => resolve({ ok: false, message: `The run could not start: ${error instanceof Error ? error.message : "unknown error"}.` }));
      }),
    [store, lockName, runKey, target, actions, owner],
  );

  /** A driver call from a button: its refusal is said in the panel. */
  const driveFromPanel = useCallback(
    (prepare: (stored: BulkRun | null) => Prepared) => {
      void drive(prepare, "resume").then((result) => {
        if (!result.ok) setProblem(result.message);
      });
    },
    [drive],
  );

  const start = useCallback(
    (plan: BulkPlan, justification?: string, ticketReference?: string): Promise<StartResult> => {
      if (engineRef.current) return Promise.resolve({ ok: false, message: "A bulk run is already under way on this page." });
      return drive((stored) => {
        if (stored && !isRunOver(stored)) {
          setRun(stored);
          return { refused: "Another bulk run is not finished yet: resume or dismiss it first." };
        }
        return createRun({
          id: newRunId(),
          action: plan.action,
          now: Date.now(),
          toSend: plan.toSend,
          skipped: plan.skipped,
          firstWave: plan.firstWave,
          waves: plan.waves?.map((w) => ({ count: w.count, startsAt: w.startsAt })),
          justification: justification?.trim() || undefined,
          startedBy: startedBy || undefined,
          ticketReference: ticketReference || undefined,
        });
      }, "start");
    },
    [drive, startedBy],
  );

  const cancel = useCallback(() => {
    if (engineRef.current) {
      engineRef.current.cancel();
      return;
    }
    // A restored, not-driven run: cancelling settles the queue, and unclear devices are still read.
    driveFromPanel((stored) => (stored && !isRunOver(stored) ? { ...prepareResume(stored, Date.now()), status: "cancelled" } : null));
  }, [driveFromPanel]);

  const resume = useCallback(
    (justification?: string) => {
      if (engineRef.current) return;
      driveFromPanel((stored) => {
        if (!stored || isRunOver(stored) || stored.status === "waiting") return null;
        const text = justification?.trim();
        return prepareResume(text ? withJustification(stored, text) : stored, Date.now());
      });
    },
    [driveFromPanel],
  );

  const startNextWave = useCallback(
    (room: number) => {
      if (engineRef.current) return;
      driveFromPanel((stored) => (stored && stored.status === "waiting" && room > 0 ? startNextWaveRun(stored, room) : null));
    },
    [driveFromPanel],
  );

  const retryFailed = useCallback(() => {
    if (engineRef.current) return;
    // Awaiting-approval and waiting devices are not failed: they stay as they are.
    driveFromPanel((stored) => (stored && (isRunOver(stored) || stored.status === "waiting") ? retryFailedRun(stored, Date.now()) : null));
  }, [driveFromPanel]);

  const dismiss = useCallback(() => {
    if (engineRef.current || elsewhere) return;
    unsavedRef.current = null;
    store?.clear();
    setRun(null);
    setProblem(null);
  }, [store, elsewhere]);

  const summary = useMemo(() => (run ? summarize(run) : null), [run]);
  const resumable = !!run && !driving && !elsewhere && !isRunOver(run) && run.status !== "waiting";
  const waitingForLimit = !!run && !driving && !elsewhere && run.status === "waiting";
  const drivenElsewhere = !!run && !driving && elsewhere && !isRunOver(run);
  return {
    run,
    summary,
    estimate: driving ? estimate : null,
    driving,
    resumable,
    waitingForLimit,
    drivenElsewhere,
    problem,
    start,
    cancel,
    resume,
    startNextWave,
    retryFailed,
    dismiss,
  };
}
