import { describe, expect, it } from "vitest";
import type { TicketValue } from "@/lib/devices/ticket-lines";
import { resolveTicketValues, TICKET_REQUEST_BUDGET, type TicketLoaders } from "./ticket";

/** A list of `n` values that may each need two lookups (serial, then name). */
function values(n: number): TicketValue[] {
  return Array.from({ length: n }, (_, i) => ({ key: `v${i}`, value: `PC${i}`, shape: "serial-or-name", lookups: ["serial", "name"], lines: [i + 1] }));
}

/** A tenant on a virtual clock where a call takes 500 ms and a value costs `cost(index)` Graph requests. */
function virtualTenant(cost: (index: number) => number) {
  let t = 0;
  const calls: { at: number; n: number }[] = [];
  const loaders: TicketLoaders = {
    getAccessToken: async () => "token",
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    resolveTicketLines: async (_token, input) => {
      t += 500;
      const n = input.values.reduce((sum, value) => sum + cost(Number(value.slice(2))), 0);
      calls.push({ at: t, n });
      return { data: { answers: input.values.map((value) => ({ value, kind: "not-found" as const, tried: ["serial" as const] })), graphRequests: n, serverTime: t } };
    },
  };
  /** The most Graph requests made in any window of Intune's length. */
  const busiestWindow = () => Math.max(...calls.map((c) => calls.filter((d) => d.at > c.at - TICKET_REQUEST_BUDGET.windowMs && d.at <= c.at).reduce((s, d) => s + d.n, 0)));
  return { loaders, calls, busiestWindow, elapsed: () => t };
}

describe("resolveTicketValues pacing", () => {
  it("paces by what the calls cost, not by every lookup a value might need: 5,000 values at 1.1 requests each", async () => {
    const tenant = virtualTenant((i) => (i % 10 === 0 ? 2 : 1));
    const answers = await resolveTicketValues(values(5_000), tenant.loaders);
    expect(answers.size).toBe(5_000);
    // 5,500 requests at 1,000 per 20 s: 100 s is the floor; pacing by the worst case (10,000) would take 180 s or more.
    expect(tenant.elapsed()).toBeLessThan(140_000);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(TICKET_REQUEST_BUDGET.requests + 100);
  });

  it("never risks Intune's 2,000 per 20 s, and keeps to 1,000 when every lookup runs", async () => {
    const tenant = virtualTenant(() => 2);
    const answers = await resolveTicketValues(values(3_000), tenant.loaders);
    expect(answers.size).toBe(3_000);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(TICKET_REQUEST_BUDGET.requests);
  });

  it("a list whose first values are cheap and the rest dear stays under Intune's limit", async () => {
    const tenant = virtualTenant((i) => (i < 1_000 ? 1 : 2));
    await resolveTicketValues(values(4_000), tenant.loaders);
    expect(tenant.busiestWindow()).toBeLessThanOrEqual(2_000);
  });
});
