"use client";
/**
 * What the tenant has left of Intune's daily wipe limit, read again while a run waits for its next wave: the server
 * counts the audit log's wipes of the last 24 hours on Graph's clock (lib/queries/bulk-transport.ts
 * fetchBulkGuardrails), so whether the next wave may start is never the browser clock's call. It reads every
 * POLL_MS while `enabled`, and at once when asked (the panel's "Check again").
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { WipeBudget } from "@/lib/bulk/daily-limit";
import { fetchBulkGuardrails } from "@/lib/queries/bulk-transport";

const POLL_MS = 60_000;

export interface UseWipeBudget {
  budget: WipeBudget | null;
  problem: string | null;
  checking: boolean;
  refresh: () => void;
}

export function useWipeBudget(getAccessToken: () => Promise<string>, enabled: boolean): UseWipeBudget {
  const [budget, setBudget] = useState<WipeBudget | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const tokenRef = useRef(getAccessToken);
  useEffect(() => {
    tokenRef.current = getAccessToken;
  }, [getAccessToken]);
  const inFlight = useRef(false);

  const refresh = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    setChecking(true);
    void fetchBulkGuardrails(() => tokenRef.current())
      .then((read) => {
        setBudget(read.budget ?? null);
        setProblem(read.budget ? null : (read.budgetProblem ?? null));
      })
      .finally(() => {
        inFlight.current = false;
        setChecking(false);
      });
  }, []);

  useEffect(() => {
    if (!enabled) return;
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [enabled, refresh]);

  return { budget: enabled ? budget : null, problem: enabled ? problem : null, checking, refresh };
}
