"use client";
/**
 * Drives a bulk run in the browser: the lib/bulk engine, paced to Intune's write limit, calling the bulk server actions
 * once per chunk with a fresh token from the token getter. The run lives in localStorage (before each send and after
 * each answer), so a reload offers Resume, and resuming reads every device whose answer was never recorded before
 * sending anything again.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { readActionStates as readActionStatesAction, sendBulkChunk as sendBulkChunkAction } from "@/lib/actions/bulk";
import type { ActionResult } from "@/lib/actions/result";
import { BulkRunEngine, estimateSecondsLeft, realSleep, type BulkTransport } from "@/lib/bulk/engine";
import { acquireLease, heldElsewhere, leaseKey, readLease, releaseLease, renewLease } from "@/lib/bulk/lease";
import { createRunStore, runStorageKey, type RunStore } from "@/lib/bulk/persistence";
import type { BulkPlan } from "@/lib/bulk/planner";
import {
  createRun,
  isRunOver,
  prepareResume,
  retryFailed as retryFailedRun,
  summarize,
  type BulkRun,
  type RunSummary,
} from "@/lib/bulk/run";
import type { BulkAction, DeviceRead, SendOutcome } from "@/lib/bulk/types";
import { recordAcceptedSyncs } from "@/lib/monitor/sync-records";

export interface BulkServerActions {
  sendBulkChunk: (token: string, input: { action: BulkAction; deviceIds: string[] }) => Promise<ActionResult<{ outcomes: SendOutcome[] }>>;
  readActionStates: (token: string, input: { deviceIds: string[] }) => Promise<ActionResult<{ reads: DeviceRead[] }>>;
}

const DEFAULT_ACTIONS: BulkServerActions = { sendBulkChunk: sendBulkChunkAction, readActionStates: readActionStatesAction };

/** Turns the server actions into the engine's transport. A token that cannot be had means nothing left the browser. */
export function serverActionTransport(getAccessToken: () => Promise<string>, actions: BulkServerActions = DEFAULT_ACTIONS): BulkTransport {
  const tokenOrNull = async (): Promise<string | null> => {
    try {
      return await getAccessToken();
    } catch {
      return null;
    }
  };
  const signInAgain = { kind: "unauthenticated" as const, message: "Your session has ended. Sign in again, then resume." };
  return {
    async send(action, deviceIds) {
      const token = await tokenOrNull();
      if (token === null) return deviceIds.map((deviceId) => ({ deviceId, kind: "rejected", status: 401, error: signInAgain }));
      // A thrown call (network, server restart) is left to the engine: every device of the chunk becomes unclear.
      const result = await actions.sendBulkChunk(token, { action, deviceIds });
      if (result.data) {
        if (action === "sync") recordAcceptedSyncs(result.data.outcomes);
        return result.data.outcomes;
      }
      const error = result.error;
      if (error.kind === "unauthenticated" || error.kind === "invalid" || error.kind === "forbidden-role" || error.kind === "forbidden-consent") {
        // Refused before Graph was asked to act.
        return deviceIds.map((deviceId) => ({ deviceId, kind: "rejected", status: 0, error }));
      }
      throw new Error(error.message);
    },
    async read(deviceIds) {
      const token = await tokenOrNull();
      if (token === null) return deviceIds.map((deviceId) => ({ deviceId, kind: "error", error: signInAgain }));
      const result = await actions.readActionStates(token, { deviceIds });
      if (result.data) return result.data.reads;
      return deviceIds.map((deviceId) => ({ deviceId, kind: "error", error: result.error }));
    },
  };
}

export interface UseBulkRun {
  /** The current or last run (also one restored from storage), or null. */
  run: BulkRun | null;
  summary: RunSummary | null;
  secondsLeft: number | null;
  /** The engine is working on the run in this tab. */
  driving: boolean;
  /** A run restored after a reload (or paused) that still has work: offer Resume. */
  resumable: boolean;
  /** Another tab is driving the stored run (shown here read-only). */
  drivenElsewhere: boolean;
  /** Why the run stopped, when it stopped on its own (storage refused, session ended). */
  problem: string | null;
  start: (plan: BulkPlan) => void;
  cancel: () => void;
  resume: () => void;
  retryFailed: () => void;
  /** Forgets a run that is over (or one the user chooses to abandon). */
  dismiss: () => void;
}

const TAB_ID_KEY = "autopilot-console:tab-id";

/** Stable across reloads of one tab (sessionStorage), different in every other tab. */
function tabIdOf(): string {
  if (typeof window === "undefined") return "server";
  let id = window.sessionStorage.getItem(TAB_ID_KEY);
  if (!id) {
    id = newRunId();
    window.sessionStorage.setItem(TAB_ID_KEY, id);
  }
  return id;
}

function newRunId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `run-${Date.now()}-${Math.random()}`;
}

export function useBulkRun({
  getAccessToken,
  accountKey,
  actions,
  storage,
}: {
  /** From the auth hook (lib/auth/use-access-token): called before every chunk, so every chunk has a fresh token. */
  getAccessToken: () => Promise<string>;
  /** Keeps one stored run per signed-in account (e.g. MSAL homeAccountId). */
  accountKey: string;
  /** Injected in tests; the bulk server actions by default. */
  actions?: BulkServerActions;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}): UseBulkRun {
  const [run, setRun] = useState<BulkRun | null>(null);
  const [driving, setDriving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const engineRef = useRef<BulkRunEngine | null>(null);
  const tokenRef = useRef(getAccessToken);
  useEffect(() => {
    tokenRef.current = getAccessToken;
  }, [getAccessToken]);

  const [elsewhere, setElsewhere] = useState(false);
  const target = useMemo(() => storage ?? (typeof window !== "undefined" ? window.localStorage : undefined), [storage]);
  const runKey = accountKey ? runStorageKey(accountKey) : null;
  const store: RunStore | null = useMemo(() => (target && runKey ? createRunStore(target, runKey) : null), [target, runKey]);
  const tabId = useMemo(() => tabIdOf(), []);

  // After a reload: whatever was stored comes back, to resume or to read the results. Another tab driving the run
  // shows its progress here, read-only (storage events), and Resume waits until that tab's lease lapses.
  useEffect(() => {
    if (!store || !target || !runKey) return;
    const refresh = () => {
      if (engineRef.current) return;
      setRun(store.load());
      setElsewhere(heldElsewhere(readLease(target, leaseKey(runKey)), tabId, Date.now()) !== null);
    };
    refresh();
    const onStorage = (event: StorageEvent) => {
      if (event.key === runKey || event.key === leaseKey(runKey)) refresh();
    };
    window.addEventListener("storage", onStorage);
    const timer = setInterval(refresh, 5_000);
    return () => {
      window.removeEventListener("storage", onStorage);
      clearInterval(timer);
    };
  }, [store, target, runKey, tabId]);

  const drive = useCallback(
    async (initial: BulkRun) => {
      if (!store || !target || !runKey || engineRef.current) return;
      setProblem(null);
      const lease = leaseKey(runKey);
      if (!(await acquireLease(target, lease, tabId, Date.now))) {
        setProblem("This run is being worked on in another tab. Follow it there, or wait a minute and resume it here.");
        return;
      }
      const transport = serverActionTransport(() => tokenRef.current(), actions);
      const engine = new BulkRunEngine(initial, transport, {
        now: () => Date.now(),
        sleep: realSleep,
        random: Math.random,
        // The lease is checked and renewed with every save, so a tab that lost the run stops before its next send.
        persist: (r) => {
          renewLease(target, lease, tabId, Date.now());
          store.save(r);
        },
        onChange: (r) => setRun(r),
      });
      engineRef.current = engine;
      setDriving(true);
      setRun(initial);
      const heartbeat = setInterval(() => {
        try {
          renewLease(target, lease, tabId, Date.now());
        } catch {
          engine.cancel();
        }
      }, 5_000);
      engine
        .start()
        .then((final) => {
          setRun(final);
          if (final.status === "paused") setProblem(final.pausedReason ?? "The run is paused.");
        })
        .catch((error: unknown) => {
          setRun(engine.state);
          setProblem(
            `The run stopped: ${error instanceof Error ? error.message : "unknown error"}. Nothing more was sent; Resume checks every device whose answer is missing before sending again.`,
          );
        })
        .finally(() => {
          clearInterval(heartbeat);
          releaseLease(target, lease, tabId);
          engineRef.current = null;
          setDriving(false);
        });
    },
    [store, target, runKey, tabId, actions],
  );

  const start = useCallback(
    (plan: BulkPlan) => {
      if (engineRef.current) return;
      const current = store?.load();
      if (current && !isRunOver(current)) {
        setProblem("Another bulk run is not finished yet: resume or dismiss it first.");
        return;
      }
      void drive(createRun({ id: newRunId(), action: plan.action, now: Date.now(), toSend: plan.toSend, skipped: plan.skipped }));
    },
    [drive, store],
  );

  const cancel = useCallback(() => {
    if (engineRef.current) {
      engineRef.current.cancel();
      return;
    }
    // A restored, not-driven run: cancelling settles the queue, and unclear devices are still read.
    if (run && !isRunOver(run)) void drive({ ...prepareResume(run, Date.now()), status: "cancelled" });
  }, [run, drive]);

  const resume = useCallback(() => {
    if (run && !engineRef.current) void drive(prepareResume(run, Date.now()));
  }, [run, drive]);

  const retryFailed = useCallback(() => {
    if (run && !engineRef.current && isRunOver(run)) void drive(retryFailedRun(run, Date.now()));
  }, [run, drive]);

  const dismiss = useCallback(() => {
    if (engineRef.current) return;
    store?.clear();
    setRun(null);
    setProblem(null);
  }, [store]);

  const summary = useMemo(() => (run ? summarize(run) : null), [run]);
  const secondsLeft = run && driving ? estimateSecondsLeft(run) : null;
  const resumable = !!run && !driving && !elsewhere && !isRunOver(run);
  const drivenElsewhere = !!run && !driving && elsewhere && !isRunOver(run);
  return { run, summary, secondsLeft, driving, resumable, drivenElsewhere, problem, start, cancel, resume, retryFailed, dismiss };
}
