"use client";
/**
 * The browser's road to resolveTicketLines (docs/product.md, "Journey 7: start from what the ticket names"): a list's
 * distinct values go in pages, one call at a time (Next would queue a second behind the first anyway), paced so the
 * Graph requests they make stay within half of Intune's 2,000 per 20 s (the other half is left to everything else
 * the tenant's admins are doing), and never risk the 2,000 even when every lookup of a page runs. A value answered throttled or unavailable is asked again after Graph's Retry-After,
 * at most three times; anything else is the answer.
 */
import { resolveTicketLines, type TicketAnswer, type TicketResolution } from "@/lib/actions/ticket";
import type { TicketValue } from "@/lib/devices/ticket-lines";
import type { ActionError, ActionResult } from "@/lib/result";

export type { TicketAnswer, TicketMatch } from "@/lib/actions/ticket";

/** Values per call: at most two lookups each, so a call makes at most 500 Graph requests. */
export const TICKET_PAGE_SIZE = 250;
/** Graph requests this page aims to make per window: half of Intune's 2,000 per 20 s per app per tenant. */
export const TICKET_REQUEST_BUDGET = { requests: 1_000, windowMs: 20_000 };
/** Intune's own limit (docs/graph.md, "Throttling and Retry-After"): no call may risk it, even if every lookup runs. */
const INTUNE_REQUESTS_PER_WINDOW = 2_000;
const ATTEMPTS = 3;

export interface TicketLoaders {
  getAccessToken: () => Promise<string>;
  resolveTicketLines: (token: string, input: { values: string[] }) => Promise<ActionResult<TicketResolution>>;
  /** The pacing clock and wait (tests replace them). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function serverTicketLoaders(getAccessToken: () => Promise<string>): TicketLoaders {
  return { getAccessToken, resolveTicketLines };
}

export class TicketResolveError extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
    this.name = "TicketResolveError";
  }
}

function abortable(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("Aborted", "AbortError"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    }, { once: true });
  });
}

export interface TicketProgress {
  done: number;
  total: number;
  /** Graph requests made so far. */
  graphRequests: number;
  /** Set while the page waits for room in Intune's request window. */
  waitingMs?: number;
}

/** Answers for every value, by key. */
export async function resolveTicketValues(
  values: readonly TicketValue[],
  loaders: TicketLoaders,
  onProgress?: (progress: TicketProgress) => void,
  signal?: AbortSignal,
): Promise<Map<string, TicketAnswer>> {
  const now = loaders.now ?? (() => performance.now());
  const sleep = loaders.sleep ?? abortable;
  const answers = new Map<string, TicketAnswer>();
  const spent: { at: number; n: number }[] = [];
  let graphRequests = 0;
  let valuesSent = 0;
  let queue: { value: TicketValue; attempts: number; notBefore: number }[] = values.map((value) => ({ value, attempts: 0, notBefore: 0 }));
  const used = (at: number) => spent.filter((s) => s.at > at - TICKET_REQUEST_BUDGET.windowMs).reduce((sum, s) => sum + s.n, 0);
  while (queue.length > 0) {
    if (signal?.aborted) throw new DOMException("Aborted", "AbortError");
    const ready = queue.filter((q) => q.notBefore <= now());
    if (ready.length === 0) {
      await sleep(Math.min(...queue.map((q) => q.notBefore)) - now(), signal);
      continue;
    }
    const page = ready.slice(0, TICKET_PAGE_SIZE);
    // Most values are found by their first lookup, so a page is expected to cost what the pages before it cost per
    // value; the worst case (every lookup runs) must still fit under Intune's own limit.
    const worst = page.reduce((sum, q) => sum + q.value.lookups.length, 0);
    const expected = valuesSent === 0 ? worst : Math.min(worst, Math.ceil((page.length * graphRequests) / valuesSent));
    const noRoom = (t: number) => used(t) + expected > TICKET_REQUEST_BUDGET.requests || used(t) + worst > INTUNE_REQUESTS_PER_WINDOW;
    // Wait for room in the window: the oldest calls' requests leave it first.
    for (let t = now(); used(t) > 0 && noRoom(t); t = now()) {
      const oldest = spent.find((s) => s.at > t - TICKET_REQUEST_BUDGET.windowMs)!;
      const waitingMs = oldest.at + TICKET_REQUEST_BUDGET.windowMs - t + 1;
      onProgress?.({ done: answers.size, total: values.length, graphRequests, waitingMs });
      await sleep(waitingMs, signal);
    }
    const result = await loaders.resolveTicketLines(await loaders.getAccessToken(), { values: page.map((q) => q.value.value) });
    if (result.error) {
      if ((result.error.kind !== "throttled" && result.error.kind !== "unavailable") || page.every((q) => q.attempts + 1 >= ATTEMPTS)) throw new TicketResolveError(result.error);
      const at = now() + (result.error.retryAfterSeconds ?? 2) * 1000;
      for (const q of page) {
        q.attempts++;
        q.notBefore = at;
      }
      continue;
    }
    spent.push({ at: now(), n: result.data.graphRequests });
    graphRequests += result.data.graphRequests;
    valuesSent += page.length;
    const inPage = new Set(page);
    const retry: typeof queue = [];
    result.data.answers.forEach((answer, index) => {
      const q = page[index]!;
      const again = answer.kind === "error" && (answer.error.kind === "throttled" || answer.error.kind === "unavailable") && q.attempts + 1 < ATTEMPTS;
      if (again) retry.push({ value: q.value, attempts: q.attempts + 1, notBefore: now() + (answer.error.retryAfterSeconds ?? 2) * 1000 });
      else answers.set(q.value.key, answer);
    });
    queue = [...queue.filter((q) => !inPage.has(q)), ...retry];
    onProgress?.({ done: answers.size, total: values.length, graphRequests });
  }
  return answers;
}
