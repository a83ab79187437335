import { describe, expect, it } from "vitest";
import { budgetFrom } from "@/lib/bulk/daily-limit";
import { buildMonitorRows } from "@/lib/monitor/monitor-row";
import { audit } from "@/lib/monitor/test-helpers";
import { todayTiles, type TodayInput } from "./today";

const NOW = new Date("2026-11-21T12:00:00Z");
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();

const rows = buildMonitorRows(
  [
    audit({ id: "1", state: "pending", requestedAt: at(1) }),
    audit({ id: "2", state: "pending", requestedAt: at(50) }),
    audit({ id: "3", state: "failed", requestedAt: at(3) }),
    audit({ id: "4", state: "failed", requestedAt: at(30) }),
    audit({ id: "5", state: "done", requestedAt: at(2) }),
  ],
  [],
  {},
  NOW,
);

const input = (over: Partial<TodayInput> = {}): TodayInput => ({
  rows: { state: "read", value: rows },
  now: NOW,
  budget: { state: "read", value: budgetFrom([NOW.getTime() - HOUR, NOW.getTime() - 2 * HOUR, NOW.getTime() - 30 * HOUR], NOW.getTime(), 500) },
  waitingInRun: 120,
  approvals: { state: "read", value: { approver: true, waitingForMe: 3, mineWaiting: 0 } },
  ...over,
});

const byId = (tiles: ReturnType<typeof todayTiles>) => Object.fromEntries(tiles.map((t) => [t.id, t]));

describe("Home's numbers for today", () => {
  it("counts pending resets, failures of the last 24 hours, wipes left, the next wave and approvals, each linking to its list", () => {
    const t = byId(todayTiles(input()));
    expect(t.pending).toMatchObject({ value: "2", href: "/devices/actions?action=reset&state=pending" });
    expect(t.failed24h).toMatchObject({ value: "1", href: "/devices/actions?action=reset&state=failed&time=24h", attention: true });
    expect(t.wipesLeft).toMatchObject({ value: "498", detail: "Of Intune's 500 a day; 2 wipes in the last 24 hours.", attention: false });
    expect(t.nextWave).toMatchObject({ value: "120", href: "/devices/windows", attention: true });
    expect(t.approvals).toMatchObject({ label: "Approvals waiting for you", value: "3", href: "/devices/approvals", attention: true });
    expect(todayTiles(input()).map((tile) => tile.id)).toEqual(["pending", "failed24h", "wipesLeft", "nextWave", "approvals"]);
  });

  it("says what it is still reading, and why a number is missing, never a zero it does not know", () => {
    const t = byId(
      todayTiles(input({ rows: { state: "loading" }, budget: { state: "failed", message: "Graph refused." }, approvals: { state: "loading" }, waitingInRun: null })),
    );
    expect(t.pending!.value).toBe("…");
    expect(t.failed24h).toMatchObject({ value: "…", attention: false });
    expect(t.wipesLeft).toMatchObject({ value: "—", detail: "Not counted: Graph refused." });
    expect(t.nextWave).toMatchObject({ value: "0", attention: false });
    expect(t.approvals!.value).toBe("…");
    expect(byId(todayTiles(input({ rows: { state: "failed", message: "No access." } }))).pending!.detail).toBe("Not read: No access.");
  });

  it("marks a day with no wipes left, an incomplete count as a bound, and a non-approver's own requests", () => {
    const full = budgetFrom(Array.from({ length: 500 }, (_, i) => NOW.getTime() - i * 1000), NOW.getTime(), 500);
    expect(byId(todayTiles(input({ budget: { state: "read", value: full } }))).wipesLeft).toMatchObject({ value: "0", attention: true });
    const partial = { ...budgetFrom([], NOW.getTime(), 500), complete: false };
    expect(byId(todayTiles(input({ budget: { state: "read", value: partial } }))).wipesLeft!.value).toBe("at most 500");
    const mine = byId(todayTiles(input({ approvals: { state: "read", value: { approver: false, waitingForMe: 0, mineWaiting: 2 } } }))).approvals;
    expect(mine).toMatchObject({ label: "Your requests waiting for approval", value: "2", attention: false });
  });
});
