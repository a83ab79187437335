/**
 * Home's numbers for today (docs/product.md, "Home"): what a helpdesk person checks first in the morning, each a link to
 * the view that lists it. Pure: the page reads the monitor's rows, the daily wipe budget, this browser's bulk run and
 * the approval requests, and renders what this returns.
 */
import type { WipeBudget } from "@/lib/bulk/daily-limit";
import { filterRows, monitorHref } from "@/lib/monitor/filters";
import type { MonitorRow } from "@/lib/monitor/monitor-row";

export type TileId = "pending" | "failed24h" | "wipesLeft" | "nextWave" | "approvals";

export interface TodayTile {
  id: TileId;
  label: string;
  /** The number, or a word when it is not known ("…" while reading, "—" when it could not be read). */
  value: string;
  /** One short sentence under the number. */
  detail: string;
  href: string;
  /** Calls for a look (failures, a run waiting, requests to decide): shown with the warning colour. */
  attention: boolean;
}

/** A read the page is waiting for, could not make, or has. */
export type Read<T> = { state: "loading" } | { state: "failed"; message: string } | { state: "read"; value: T };

export interface TodayInput {
  /** The monitor's rows (Autopilot Resets and syncs of the last 30 days). */
  rows: Read<readonly MonitorRow[]>;
  /** Now on Graph's clock (the clock of the rows' times). */
  now: Date;
  budget: Read<WipeBudget>;
  /** Devices of this browser's bulk run waiting for the next wave, or 0 (null: no run kept in this browser). */
  waitingInRun: number | null;
  /** Requests waiting for a decision: everyone's for an approver, else the person's own. */
  approvals: Read<{ approver: boolean; waitingForMe: number; mineWaiting: number }>;
}

const n = (value: number) => value.toLocaleString("en");
const plural = (value: number, one: string, many = `${one}s`) => `${n(value)} ${value === 1 ? one : many}`;

function unread<T>(read: Read<T>): string | null {
  return read.state === "loading" ? "…" : read.state === "failed" ? "—" : null;
}

export function todayTiles(input: TodayInput): TodayTile[] {
  const { rows, now, budget, waitingInRun, approvals } = input;
  const resets = (state: "pending" | "failed", time: "24h" | "30d") =>
    rows.state === "read" ? filterRows(rows.value, { search: null, action: "reset", state, initiator: null, time }, now).length : 0;

  const pending = resets("pending", "30d");
  const failed = resets("failed", "24h");
  const rowsDetail = rows.state === "failed" ? `Not read: ${rows.message}` : null;

  const tiles: TodayTile[] = [
    {
      id: "pending",
      label: "Resets pending",
      value: unread(rows) ?? n(pending),
      detail: rowsDetail ?? (pending === 0 ? "No Autopilot Reset is waiting for its device." : "Sent, waiting for the device to check in."),
      href: monitorHref({ action: "reset", state: "pending" }),
      attention: false,
    },
    {
      id: "failed24h",
      label: "Failed in the last 24 hours",
      value: unread(rows) ?? n(failed),
      detail: rowsDetail ?? (failed === 0 ? "No Autopilot Reset failed." : "Each says why and what fixes it."),
      href: monitorHref({ action: "reset", state: "failed", time: "24h" }),
      attention: rows.state === "read" && failed > 0,
    },
  ];

  if (budget.state === "read") {
    const b = budget.value;
    tiles.push({
      id: "wipesLeft",
      label: "Wipes left today",
      value: `${b.complete ? "" : "at most "}${n(b.remaining)}`,
      detail: `Of Intune's ${n(b.limit)} a day; ${plural(b.counted, "wipe")} in the last 24 hours.`,
      href: monitorHref({ action: "reset", time: "24h" }),
      attention: b.remaining === 0,
    });
  } else {
    tiles.push({
      id: "wipesLeft",
      label: "Wipes left today",
      value: unread(budget)!,
      detail: budget.state === "failed" ? `Not counted: ${budget.message}` : "Counting today's wipes…",
      href: monitorHref({ action: "reset", time: "24h" }),
      attention: false,
    });
  }

  tiles.push({
    id: "nextWave",
    label: "Waiting for the next wave",
    value: waitingInRun === null ? "0" : n(waitingInRun),
    detail:
      waitingInRun === null || waitingInRun === 0
        ? "No bulk run of yours waits for the daily limit."
        : `${plural(waitingInRun, "device")} of your bulk run wait for room under the daily limit.`,
    href: "/devices/windows",
    attention: (waitingInRun ?? 0) > 0,
  });

  if (approvals.state === "read") {
    const a = approvals.value;
    tiles.push(
      a.approver
        ? {
            id: "approvals",
            label: "Approvals waiting for you",
            value: n(a.waitingForMe),
            detail: a.waitingForMe === 0 ? "No request waits for a decision." : "Autopilot Resets other people asked for, under Multi Admin Approval.",
            href: "/devices/approvals",
            attention: a.waitingForMe > 0,
          }
        : {
            id: "approvals",
            label: "Your requests waiting for approval",
            value: n(a.mineWaiting),
            detail: "Your role does not approve requests; these are the ones you asked for.",
            href: "/devices/approvals",
            attention: false,
          },
    );
  } else {
    tiles.push({
      id: "approvals",
      label: "Approvals waiting for you",
      value: unread(approvals)!,
      detail: approvals.state === "failed" ? `Not read: ${approvals.message}` : "Reading the approval requests…",
      href: "/devices/approvals",
      attention: false,
    });
  }
  return tiles;
}
