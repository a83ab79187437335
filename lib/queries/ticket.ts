// Over 300 lines: the list check's two ways (per-line look-ups, one paged scan) and their pacing, which must agree.
"use client";
/**
 * The browser's road to the list's answers (docs/product.md, "Journey 7: start from what the ticket names"), whichever
 * costs Graph fewer requests (planLookup):
 *
 * - value by value (resolveTicketLines): the list's distinct values go in pages, one call at a time (Next would queue a
 *   second behind the first anyway);
 * - one read of the tenant's device list (scanTicketDevices), a few pages per call, resumed by a cursor, when that is
 *   fewer requests than even one lookup per value (5,000 values against 100,000 devices: about 100 requests, not
 *   5,000 or more).
 *
 * Either way the Graph requests stay within half of Intune's 2,000 per 20 s (the other half is left to everything
 * else the tenant's admins are doing), and no call risks the 2,000 even in its worst case. A value or call answered
 * throttled or unavailable is asked again after Graph's Retry-After, at most three times; anything else is the answer.
 */
import {
  countTicketTenant,
  resolveTicketLines,
  scanTicketDevices,
  type TicketAnswer,
  type TicketMatch,
  type TicketResolution,
  type TicketScanPage,
  type TicketTenantCount,
} from "@/lib/actions/ticket";
import { answerFromScan, MAX_MATCHES_PER_LOOKUP, SCAN_MAX_CHARS, SCAN_PAGES_PER_CALL } from "@/lib/devices/ticket-answers";
import type { LookupKind, TicketValue } from "@/lib/devices/ticket-lines";
import type { ActionError, ActionResult } from "@/lib/result";

export type { TicketAnswer, TicketMatch } from "@/lib/actions/ticket";

/** Values per call: at most two lookups each, so a call makes at most 500 Graph requests. */
export const TICKET_PAGE_SIZE = 250;
/** Graph requests this page aims to make per window: half of Intune's 2,000 per 20 s per app per tenant. */
export const TICKET_REQUEST_BUDGET = { requests: 1_000, windowMs: 20_000 };
/** Intune's own limit (docs/graph.md, "Throttling and Retry-After"): no call may risk it, even if every lookup runs. */
const INTUNE_REQUESTS_PER_WINDOW = 2_000;
const ATTEMPTS = 3;
/** Devices per page of a scan (Graph's largest page of managed devices: docs/graph.md, "Querying the device list"). */
export const SCAN_PAGE_DEVICES = 1_000;
/**
 * A list this short is looked up value by value without asking how large the tenant is: its lookups cost at most
 * 2 requests each, and a scan at least the count plus one page.
 */
const SCAN_CONSIDERED_FROM = 3;

/** How a list is resolved: each value looked up on its own, or the tenant's device list read once and matched. */
export type LookupWay = "lines" | "scan";

export interface TicketLoaders {
  getAccessToken: () => Promise<string>;
  resolveTicketLines: (token: string, input: { values: string[] }) => Promise<ActionResult<TicketResolution>>;
  /** Without these two the list is always looked up value by value. */
  countTicketTenant?: (token: string) => Promise<ActionResult<TicketTenantCount>>;
  scanTicketDevices?: (token: string, input: { values: string[]; cursor: string | null }) => Promise<ActionResult<TicketScanPage>>;
  /** The pacing clock and wait (tests replace them). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function serverTicketLoaders(getAccessToken: () => Promise<string>): TicketLoaders {
  return { getAccessToken, resolveTicketLines, countTicketTenant, scanTicketDevices };
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
  /** Set once the way is chosen. */
  way?: LookupWay;
  /** While the tenant's device list is read: devices read so far, of how many (null when Graph did not say). */
  scan?: { read: number; of: number | null };
}

export interface LookupPlan {
  way: LookupWay;
  /** The tenant's managed devices, when counted. */
  tenantDevices: number | null;
  /** What reading the tenant's list costs: one request per 1,000 devices, once per part of the list. */
  scanRequests: number | null;
  /** What looking each value up costs at least: one lookup per value (most are found by their first). */
  lineRequestsAtLeast: number;
}

/**
 * The parts a scan sends the list in: each part is one call's values (at most SCAN_MAX_CHARS characters in all), and
 * each part costs a read of the whole tenant list, so there are as few as fit. A list of 10,000 serial numbers is one.
 */
export function scanGroups(values: readonly TicketValue[]): TicketValue[][] {
  const groups: TicketValue[][] = [];
  let group: TicketValue[] = [];
  let chars = 0;
  for (const value of values) {
    if (group.length > 0 && chars + value.value.length > SCAN_MAX_CHARS) {
      groups.push(group);
      group = [];
      chars = 0;
    }
    group.push(value);
    chars += value.value.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Whichever way costs fewer Graph requests: a scan when reading the tenant's list (once per part) costs less than even
 * the cheapest per-value lookups could; value by value otherwise, and whenever the tenant's size is unknown.
 * `forced` (the page's `?lookup=` parameter) takes one way whatever it costs, to compare them.
 */
export function planLookup(values: readonly TicketValue[], tenantDevices: number | null, forced?: LookupWay): LookupPlan {
  const lineRequestsAtLeast = values.length;
  const scanRequests = tenantDevices === null ? null : Math.max(1, Math.ceil(tenantDevices / SCAN_PAGE_DEVICES)) * scanGroups(values).length;
  const cheaper: LookupWay = scanRequests !== null && scanRequests < lineRequestsAtLeast ? "scan" : "lines";
  return { way: forced ?? cheaper, tenantDevices, scanRequests, lineRequestsAtLeast };
}

export interface TicketResolved {
  /** Answers for every value, by key. */
  answers: Map<string, TicketAnswer>;
  plan: LookupPlan;
  graphRequests: number;
}

/**
 * Graph requests in Intune's window, as this page spent them: a call starts only when its expected cost fits the
 * page's budget and its worst case fits Intune's own limit; otherwise it waits for the oldest calls to leave the window.
 */
function requestWindow(now: () => number, sleep: (ms: number, signal?: AbortSignal) => Promise<void>) {
  const spent: { at: number; n: number }[] = [];
  const used = (at: number) => spent.filter((s) => s.at > at - TICKET_REQUEST_BUDGET.windowMs).reduce((sum, s) => sum + s.n, 0);
  return {
    record: (n: number) => spent.push({ at: now(), n }),
    async room(expected: number, worst: number, onWait: (waitingMs: number) => void, signal?: AbortSignal) {
      const noRoom = (t: number) => used(t) + expected > TICKET_REQUEST_BUDGET.requests || used(t) + worst > INTUNE_REQUESTS_PER_WINDOW;
      for (let t = now(); used(t) > 0 && noRoom(t); t = now()) {
        const oldest = spent.find((s) => s.at > t - TICKET_REQUEST_BUDGET.windowMs)!;
        const waitingMs = oldest.at + TICKET_REQUEST_BUDGET.windowMs - t + 1;
        onWait(waitingMs);
        await sleep(waitingMs, signal);
      }
    },
  };
}

type RequestWindow = ReturnType<typeof requestWindow>;

const retriable = (error: ActionError) => error.kind === "throttled" || error.kind === "unavailable";

/**
 * Answers for every value, by key: first the way (a count of the tenant's devices, one request, unless the list is
 * tiny or the way is forced), then the lookups or the scan, paced to TICKET_REQUEST_BUDGET.
 */
export async function resolveTicketValues(
  values: readonly TicketValue[],
  loaders: TicketLoaders,
  onProgress?: (progress: TicketProgress) => void,
  signal?: AbortSignal,
  options: { way?: LookupWay } = {},
): Promise<TicketResolved> {
  const now = loaders.now ?? (() => performance.now());
  const sleep = loaders.sleep ?? abortable;
  const budget = requestWindow(now, sleep);
  let graphRequests = 0;
  let tenantDevices: number | null = null;
  const canScan = loaders.countTicketTenant !== undefined && loaders.scanTicketDevices !== undefined;
  if (canScan && options.way !== "lines" && values.length >= SCAN_CONSIDERED_FROM) {
    const counted = await loaders.countTicketTenant!(await loaders.getAccessToken());
    budget.record(1);
    graphRequests += 1;
    // A count Graph would not give only means the list is looked up value by value.
    tenantDevices = counted.data?.devices ?? null;
  }
  const plan = planLookup(values, tenantDevices, canScan ? options.way : "lines");
  const state = { graphRequests };
  const answers =
    plan.way === "scan"
      ? await scanValues(values, loaders, budget, state, plan, onProgress, signal)
      : await lookUpValues(values, loaders, budget, state, onProgress, signal);
  return { answers, plan, graphRequests: state.graphRequests };
}

async function lookUpValues(
  values: readonly TicketValue[],
  loaders: TicketLoaders,
  budget: RequestWindow,
  state: { graphRequests: number },
  onProgress?: (progress: TicketProgress) => void,
  signal?: AbortSignal,
): Promise<Map<string, TicketAnswer>> {
  const now = loaders.now ?? (() => performance.now());
  const sleep = loaders.sleep ?? abortable;
  const answers = new Map<string, TicketAnswer>();
  let lookupRequests = 0;
  let valuesSent = 0;
  const progress = (waitingMs?: number) =>
    onProgress?.({ done: answers.size, total: values.length, graphRequests: state.graphRequests, way: "lines", ...(waitingMs ? { waitingMs } : {}) });
  let queue: { value: TicketValue; attempts: number; notBefore: number }[] = values.map((value) => ({ value, attempts: 0, notBefore: 0 }));
  progress();
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
    const expected = valuesSent === 0 ? worst : Math.min(worst, Math.ceil((page.length * lookupRequests) / valuesSent));
    await budget.room(expected, worst, progress, signal);
    const result = await loaders.resolveTicketLines(await loaders.getAccessToken(), { values: page.map((q) => q.value.value) });
    if (result.error) {
      if (!retriable(result.error) || page.every((q) => q.attempts + 1 >= ATTEMPTS)) throw new TicketResolveError(result.error);
      const at = now() + (result.error.retryAfterSeconds ?? 2) * 1000;
      for (const q of page) {
        q.attempts++;
        q.notBefore = at;
      }
      continue;
    }
    budget.record(result.data.graphRequests);
    state.graphRequests += result.data.graphRequests;
    lookupRequests += result.data.graphRequests;
    valuesSent += page.length;
    const inPage = new Set(page);
    const retry: typeof queue = [];
    result.data.answers.forEach((answer, index) => {
      const q = page[index]!;
      const again = answer.kind === "error" && retriable(answer.error) && q.attempts + 1 < ATTEMPTS;
      if (again) retry.push({ value: q.value, attempts: q.attempts + 1, notBefore: now() + (answer.error.retryAfterSeconds ?? 2) * 1000 });
      else answers.set(q.value.key, answer);
    });
    queue = [...queue.filter((q) => !inPage.has(q)), ...retry];
    progress();
  }
  return answers;
}

/**
 * The scan: each part of the list against the tenant's device list, a few pages per call, resumed by the cursor each
 * call answers. A call answered throttled or unavailable is asked again from the same cursor after Graph's
 * Retry-After, at most three times in a row. Once a part's list is read, each value gets its answer by the lookups'
 * rules (lib/devices/ticket-answers.ts).
 */
async function scanValues(
  values: readonly TicketValue[],
  loaders: TicketLoaders,
  budget: RequestWindow,
  state: { graphRequests: number },
  plan: LookupPlan,
  onProgress?: (progress: TicketProgress) => void,
  signal?: AbortSignal,
): Promise<Map<string, TicketAnswer>> {
  const sleep = loaders.sleep ?? abortable;
  const answers = new Map<string, TicketAnswer>();
  const groups = scanGroups(values);
  const of = plan.tenantDevices === null ? null : plan.tenantDevices * groups.length;
  let read = 0;
  const progress = (waitingMs?: number) =>
    onProgress?.({ done: answers.size, total: values.length, graphRequests: state.graphRequests, way: "scan", scan: { read, of }, ...(waitingMs ? { waitingMs } : {}) });
  progress();
  for (const group of groups) {
    const found = new Map<string, Map<LookupKind, TicketMatch[]>>();
    let cursor: string | null = null;
    let attempts = 0;
    for (;;) {
      if (signal?.aborted) throw new DOMException("Aborted", "AbortError");
      await budget.room(SCAN_PAGES_PER_CALL, SCAN_PAGES_PER_CALL, progress, signal);
      const result = await loaders.scanTicketDevices!(await loaders.getAccessToken(), { values: group.map((v) => v.value), cursor });
      if (result.error) {
        // A refused call may still have reached Graph once.
        budget.record(1);
        if (!retriable(result.error) || ++attempts >= ATTEMPTS) throw new TicketResolveError(result.error);
        await sleep((result.error.retryAfterSeconds ?? 2) * 1000, signal);
        continue;
      }
      attempts = 0;
      budget.record(result.data.graphRequests);
      state.graphRequests += result.data.graphRequests;
      read += result.data.devicesRead;
      for (const hit of result.data.hits) {
        const key = group[hit.index]?.key;
        if (key === undefined) continue;
        let byKind = found.get(key);
        if (!byKind) found.set(key, (byKind = new Map()));
        const list = byKind.get(hit.by) ?? [];
        if (list.length < MAX_MATCHES_PER_LOOKUP && !list.some((m) => m.device.id === hit.match.device.id)) byKind.set(hit.by, [...list, hit.match]);
      }
      for (const refused of result.data.refused) {
        const value = group[refused.index];
        if (value) answers.set(value.key, { value: value.value, kind: "refused", message: refused.message });
      }
      cursor = result.data.nextCursor;
      progress();
      if (cursor === null) break;
    }
    for (const value of group) {
      if (!answers.has(value.key)) answers.set(value.key, answerFromScan(value.value, value.lookups, found.get(value.key) ?? new Map()));
    }
    progress();
  }
  return answers;
}
