import { describe, expect, it } from "vitest";
import type { MonitorWindowRead } from "@/lib/graph/audits";
import { makeDevice as deviceFixture } from "@/lib/devices/device-fixture";
import { deriveResetStatus } from "@/lib/devices/action-status";
import { parseResetJustification, type ApprovalRequestView } from "@/lib/devices/approval";
import { buildMonitorRows, gridApproval, latestResetByDevice, reconcileResetStatus, latestApprovalByDevice, rowFromApproval, rowFromAudit, rowFromSync, showsApproval } from "./monitor-row";
import { countRows, filterRows, initiatorsOf, STATE_FILTER_VALUES, type MonitorFilters } from "./filters";
import { formatDuration, pendingFor, serviceNow } from "./pending-for";
import { MONITOR_GRAPH_REQUESTS_PER_MINUTE, MONITOR_MIN_INTERVAL_MS, refreshIntervalMs } from "./polling";
import { chooseWindowStart, mergeRefresh, nextRefreshQuery, windowStartFor } from "./snapshot";
import { finishedResets } from "./reset-watch";
import { mergeSyncRecords, parseSyncRecords, recordAcceptedSyncs, recordSync, SYNC_RECORDS_KEY } from "./sync-records";
import {
  APPROVAL_GRID_LABELS,
  APPROVAL_STATE_SENTENCES,
  APPROVAL_STATUS_LABELS,
  approvalDetailSentence,
  dailyLimitRetrySentence,
  offlineSentence,
  RESET_STATE_LABELS,
  STATE_FILTER_LABELS,
  WINRE_FAILURE_FIX,
} from "./status-wording";
import { audit } from "./test-helpers";

const NOW = new Date("2026-11-21T12:00:00Z");
const WINDOW = "2026-10-22T12:00:00.000Z";

function read(overrides: Partial<MonitorWindowRead> = {}): MonitorWindowRead {
  return { actions: [], actionsComplete: true, checkIns: [], checkInsComplete: true, graphRequests: 2, ignoredByGraph: [], ...overrides };
}

describe("monitor rows", () => {
  it("words failed and not supported with the reason and the fix", () => {
    const failed = rowFromAudit(audit({ id: "1", state: "failed" }), undefined, NOW);
    expect(failed).toMatchObject({ state: "failed", action: "reset" });
    expect(failed.reason).toContain("0x80070032");
    expect(failed.fix).toBe(WINRE_FAILURE_FIX);
    expect(failed.fix).toContain("reagentc.exe /enable");
    expect(rowFromAudit(audit({ id: "2", state: "notSupported" }), undefined, NOW).fix).toMatch(/full Wipe/);
    expect(rowFromAudit(audit({ id: "3", state: "canceled" }), undefined, NOW).state).toBe("none");
  });

  it("marks a pending reset on a device silent for more than a week as offline since its last check-in", () => {
    const old = "2026-11-01T08:00:00Z";
    expect(rowFromAudit(audit({ id: "1" }), { deviceName: null, lastSyncDateTime: old }, NOW).offlineSince).toBe(old);
    expect(rowFromAudit(audit({ id: "1" }), { deviceName: null, lastSyncDateTime: "2026-11-21T09:00:00Z" }, NOW).offlineSince).toBeUndefined();
    expect(rowFromAudit(audit({ id: "1", state: "done" }), { deviceName: null, lastSyncDateTime: old }, NOW).offlineSince).toBeUndefined();
    expect(offlineSentence("reset", "1 Nov 2026")).toBe("Offline since 1 Nov 2026: it resets when it reconnects.");
  });

  it("counts a sync done only once the device checked in after it was requested", () => {
    const sync = { deviceId: "d1", deviceName: "PC-1", requestedAt: "2026-11-21T11:00:00Z", initiatedBy: null };
    expect(rowFromSync(sync, undefined, NOW).state).toBe("pending");
    expect(rowFromSync(sync, { deviceName: null, lastSyncDateTime: "2026-11-21T10:59:59Z" }, NOW).state).toBe("pending");
    expect(rowFromSync(sync, { deviceName: null, lastSyncDateTime: "2026-11-21T11:00:05Z" }, NOW).state).toBe("done");
  });

  it("merges resets and syncs newest first", () => {
    const rows = buildMonitorRows(
      [audit({ id: "a", requestedAt: "2026-11-21T09:00:00Z" }), audit({ id: "b", requestedAt: "2026-11-21T11:30:00Z" })],
      [{ deviceId: "d", deviceName: "PC-d", requestedAt: "2026-11-21T10:00:00Z", initiatedBy: null }],
      {},
      NOW,
    );
    expect(rows.map((row) => row.key)).toEqual(["audit:b", "sync:d:2026-11-21T10:00:00Z", "audit:a"]);
  });
});

describe("the grid's reset status agrees with the audit log", () => {
  const device = deviceFixture({ id: "device-1", managementState: "managed", deviceActionResults: [] });

  it("fills what a LIST row cannot know (done, not supported) from the newest audit", () => {
    const fromList = deriveResetStatus(device, NOW);
    expect(fromList.state).toBe("none");
    const latest = latestResetByDevice([
      audit({ id: "old", deviceId: "device-1", state: "failed", requestedAt: "2026-11-20T10:00:00Z" }),
      audit({ id: "new", deviceId: "device-1", state: "done", requestedAt: "2026-11-21T10:00:00Z" }),
    ]).get("device-1");
    expect(reconcileResetStatus(fromList, latest, device)).toMatchObject({ state: "done", since: "2026-11-21T10:00:00Z" });
  });

  it("keeps the device's own history when it is as new as the audit", () => {
    const withHistory = deviceFixture({
      id: "device-1",
      deviceActionResults: [{ actionName: "wipe", actionState: "active", startDateTime: "2026-11-21T10:00:00Z", lastUpdatedDateTime: null }],
    });
    const fromDevice = deriveResetStatus(withHistory, NOW);
    expect(reconcileResetStatus(fromDevice, audit({ id: "x", deviceId: "device-1", state: "pending" }), withHistory).state).toBe("active");
  });

  it("says not supported, with the full-wipe fix, for a hybrid device", () => {
    const hybrid = deviceFixture({ id: "device-1", joinType: "hybridAzureADJoined", managementState: "wipeFailed" });
    const status = reconcileResetStatus(deriveResetStatus(hybrid, NOW), audit({ id: "h", deviceId: "device-1", state: "failed" }), hybrid);
    expect(status.state).toBe("notSupported");
    expect(status.fix).toMatch(/full Wipe/);
  });
});

describe("filters", () => {
  const rows = buildMonitorRows(
    [
      audit({ id: "1", state: "pending", initiatedBy: "Ann@contoso.test", requestedAt: "2026-11-21T11:30:00Z" }),
      audit({ id: "2", state: "failed", initiatedBy: "bob@contoso.test", requestedAt: "2026-11-19T11:00:00Z" }),
      audit({ id: "3", state: "done", initiatedBy: "ann@contoso.test", requestedAt: "2026-10-01T11:00:00Z" }),
    ],
    [{ deviceId: "d", deviceName: "PC-d", requestedAt: "2026-11-21T11:45:00Z", initiatedBy: "bob@contoso.test" }],
    {},
    NOW,
  );
  const all: MonitorFilters = { search: null, action: null, state: null, initiator: null, time: "30d" };

  it("filter by action, state, initiator (any case) and time", () => {
    expect(filterRows(rows, all, NOW)).toHaveLength(3);
    expect(filterRows(rows, { ...all, action: "sync" }, NOW).map((r) => r.action)).toEqual(["sync"]);
    expect(filterRows(rows, { ...all, state: "failed" }, NOW).map((r) => r.key)).toEqual(["audit:2"]);
    expect(filterRows(rows, { ...all, initiator: "ANN@contoso.test" }, NOW).map((r) => r.key)).toEqual(["audit:1"]);
    expect(filterRows(rows, { ...all, time: "1h" }, NOW)).toHaveLength(2);
    expect(initiatorsOf(rows)).toHaveLength(2);
    expect(countRows(rows)).toMatchObject({ total: 4, pending: 2, failed: 1, done: 1 });
  });
});

describe("pending for", () => {
  it("formats the age of what is under way only", () => {
    expect(formatDuration(30_000)).toBe("under a minute");
    expect(formatDuration(14 * 60_000)).toBe("14 min");
    expect(formatDuration(185 * 60_000)).toBe("3 h 5 min");
    expect(formatDuration(52 * 3_600_000)).toBe("2 d 4 h");
    expect(formatDuration(45_000, "seconds")).toBe("45 s");
    expect(formatDuration(120_000, "seconds")).toBe("2 min");
    expect(formatDuration(125_000, "seconds")).toBe("2 min 5 s");
    expect(formatDuration(0, "seconds")).toBe("0 s");
    expect(pendingFor({ state: "pending", requestedAt: "2026-11-21T11:00:00Z" }, NOW)).toBe("1 h");
    expect(pendingFor({ state: "done", requestedAt: "2026-11-21T11:00:00Z" }, NOW)).toBeNull();
    expect(pendingFor({ state: "active", requestedAt: "2026-11-21T13:00:00Z" }, NOW)).toBe("under a minute");
  });

  it("measures on Graph's clock when its timestamps run ahead of the browser's", () => {
    const readAt = NOW.getTime() - 60_000;
    expect(serviceNow(NOW, "2026-11-21T12:14:00Z", readAt).toISOString()).toBe("2026-11-21T12:15:00.000Z");
    expect(serviceNow(NOW, "2026-11-21T11:00:00Z", readAt)).toBe(NOW);
    expect(serviceNow(NOW, null, readAt)).toBe(NOW);
  });
});

describe("polling budget", () => {
  it("keeps Graph requests per minute under the budget whatever a refresh cost", () => {
    for (const requests of [1, 2, 3, 6, 11, 30]) {
      const perMinute = (requests * 60_000) / refreshIntervalMs(requests);
      expect(perMinute).toBeLessThanOrEqual(MONITOR_GRAPH_REQUESTS_PER_MINUTE);
    }
    expect(refreshIntervalMs(2)).toBe(MONITOR_MIN_INTERVAL_MS);
  });
});

describe("incremental refresh", () => {
  it("reads the whole window first, then from the oldest reset under way, then only new rows", () => {
    expect(nextRefreshQuery(undefined, WINDOW)).toEqual({ actionsFrom: WINDOW, checkInsSince: null });
    const first = mergeRefresh(
      undefined,
      read({
        actions: [
          audit({ id: "new", state: "done", requestedAt: "2026-11-21T11:00:00Z" }),
          audit({ id: "mid", state: "pending", requestedAt: "2026-11-21T10:00:00Z" }),
          audit({ id: "old", state: "failed", requestedAt: "2026-11-20T10:00:00Z" }),
        ],
        checkIns: [{ deviceId: "device-mid", deviceName: "PC-mid", lastSyncDateTime: "2026-11-21T09:00:00Z" }],
      }),
      WINDOW,
    );
    expect(nextRefreshQuery(first, WINDOW)).toEqual({ actionsFrom: "2026-11-21T10:00:00Z", checkInsSince: "2026-11-21T09:00:00Z" });

    const second = mergeRefresh(
      first,
      read({
        actions: [audit({ id: "new", state: "done", requestedAt: "2026-11-21T11:00:00Z" }), audit({ id: "mid", state: "done", requestedAt: "2026-11-21T10:00:00Z" })],
        checkIns: [{ deviceId: "device-mid", deviceName: "PC-mid", lastSyncDateTime: "2026-11-21T10:05:00Z" }],
      }),
      WINDOW,
    );
    expect(second.actions.map((a) => [a.id, a.state])).toEqual([["new", "done"], ["mid", "done"], ["old", "failed"]]);
    expect(second.checkIns["device-mid"]?.lastSyncDateTime).toBe("2026-11-21T10:05:00Z");
    expect(nextRefreshQuery(second, WINDOW)).toEqual({ actionsFrom: "2026-11-21T11:00:00Z", checkInsSince: "2026-11-21T10:05:00Z" });
  });

  it("starts over when the window moves to another key, and drops rows older than the window", () => {
    const snapshot = mergeRefresh(undefined, read({ actions: [audit({ id: "a", requestedAt: "2026-10-01T00:00:00Z" })] }), WINDOW);
    expect(snapshot.actions).toHaveLength(0);
    expect(nextRefreshQuery(snapshot, "2026-10-23T12:00:00.000Z").checkInsSince).toBeNull();
    expect(windowStartFor(new Date("2026-11-21T12:34:56Z"))).toBe("2026-10-22T12:00:00.000Z");
    expect(chooseWindowStart(snapshot, new Date("2026-11-22T11:00:00Z"))).toBe(WINDOW);
    expect(chooseWindowStart(snapshot, new Date("2026-11-22T13:00:00Z"))).toBe("2026-10-23T13:00:00.000Z");
  });
});

describe("reset watcher", () => {
  const me = "helpdesk@contoso.test";
  it("tells the user about their own resets that finished since the last read, not on the first read", () => {
    const before = [audit({ id: "1" }), audit({ id: "2", initiatedBy: "other@contoso.test" }), audit({ id: "3", state: "active" })];
    const after = [audit({ id: "1", state: "done" }), audit({ id: "2", initiatedBy: "other@contoso.test", state: "failed" }), audit({ id: "3", state: "failed" })];
    expect(finishedResets(undefined, after, me)).toEqual([]);
    expect(finishedResets(before, after, "HELPDESK@contoso.test").map((f) => [f.auditId, f.state])).toEqual([["1", "done"], ["3", "failed"]]);
    expect(finishedResets(after, after, me)).toEqual([]);
  });

  it("catches a reset that started and finished between two reads", () => {
    const before = [audit({ id: "1", state: "done", requestedAt: "2026-11-21T10:00:00Z" })];
    const after = [...before, audit({ id: "2", state: "done", requestedAt: "2026-11-21T11:00:00Z" })];
    expect(finishedResets(before, after, me).map((f) => f.auditId)).toEqual(["2"]);
  });
});

describe("sync records", () => {
  it("keeps one record per device and request, newest first, the last 30 days, and survives junk", () => {
    const merged = mergeSyncRecords(
      [{ deviceId: "a", deviceName: null, requestedAt: "2026-11-20T10:00:00Z", initiatedBy: null }],
      [
        { deviceId: "a", deviceName: null, requestedAt: "2026-11-20T10:00:00Z", initiatedBy: null },
        { deviceId: "b", deviceName: "PC-b", requestedAt: "2026-11-21T10:00:00Z", initiatedBy: null },
        { deviceId: "c", deviceName: null, requestedAt: "2026-09-01T10:00:00Z", initiatedBy: null },
      ],
      NOW,
    );
    expect(merged.map((r) => r.deviceId)).toEqual(["b", "a"]);
    expect(parseSyncRecords("{not json")).toEqual([]);
    expect(parseSyncRecords(JSON.stringify([{ deviceId: 3 }, ...merged]))).toHaveLength(2);
  });

  it("recordSync writes through the given storage and never throws", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    recordSync({ deviceId: "x", requestedAt: new Date().toISOString() }, storage);
    expect(parseSyncRecords(store.get(SYNC_RECORDS_KEY) ?? null)).toHaveLength(1);
    const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(() => recordSync({ deviceId: "y", requestedAt: new Date().toISOString() }, full)).not.toThrow();
    const graphTime = Date.now() + 3_600_000;
    recordAcceptedSyncs([{ deviceId: "z", kind: "accepted" }, { deviceId: "w", kind: "rejected" }], graphTime, storage);
    const records = parseSyncRecords(store.get(SYNC_RECORDS_KEY) ?? null);
    expect(records.map((r) => r.deviceId).sort()).toEqual(["x", "z"]);
    // Dated on Graph's clock, which the monitor compares it with.
    expect(records.find((r) => r.deviceId === "z")?.requestedAt).toBe(new Date(graphTime).toISOString());
  });

  it("words states the same way the badge does", () => {
    expect(RESET_STATE_LABELS.pending).toBe("Reset pending");
  });
});

describe("resets awaiting approval (Multi Admin Approval)", () => {
  const DEVICE = "0b7c4e5a-1f2d-4c3b-9a8e-7d6c5b4a3f21";
  function request(overrides: Partial<ApprovalRequestView> = {}): ApprovalRequestView {
    const justification = `Autopilot Reset of PC-42 (${DEVICE}): New hire on Monday`;
    return {
      id: "req-1",
      status: "needsApproval",
      requestedAt: "2026-11-21T11:00:00Z",
      expiresAt: "2026-11-22T11:00:00Z",
      lastModifiedAt: "2026-11-21T11:00:00Z",
      requestor: { id: "u1", displayName: "Megan Bowen" },
      approver: null,
      requestJustification: justification,
      device: parseResetJustification(justification),
      approvalJustification: null,
      mine: true,
      ...overrides,
    };
  }

  it("adds a row for an open request: awaiting approval, requested when it was made, initiated by its requestor", () => {
    const row = rowFromApproval(request(), undefined, NOW);
    expect(row).toMatchObject({
      key: "approval:req-1",
      source: "approval",
      action: "reset",
      deviceId: DEVICE,
      deviceName: "PC-42",
      state: "awaitingApproval",
      initiatedBy: "Megan Bowen",
      requestedAt: "2026-11-21T11:00:00Z",
      approval: { requestId: "req-1", status: "needsApproval", expiresAt: "2026-11-22T11:00:00Z", justification: "New hire on Monday" },
    });
    expect(row?.state).not.toBe("failed");
    expect(rowFromApproval(request({ status: "approved" }), undefined, NOW)?.state).toBe("awaitingApproval");
    expect(pendingFor(row!, NOW)).toBe("1 h");
  });

  it("keeps a decided request a day, drops a completed one (its audit shows the reset) and one that names no device", () => {
    const rejected = request({ status: "rejected", lastModifiedAt: "2026-11-21T09:00:00Z" });
    expect(rowFromApproval(rejected, undefined, NOW)).toMatchObject({ state: "none", approval: { status: "rejected" } });
    expect(rowFromApproval(request({ status: "rejected", lastModifiedAt: "2026-11-19T09:00:00Z" }), undefined, NOW)).toBeNull();
    expect(rowFromApproval(request({ status: "expired", lastModifiedAt: "2026-11-01T00:00:00Z", expiresAt: "2026-11-21T10:00:00Z" }), undefined, NOW)).not.toBeNull();
    expect(rowFromApproval(request({ status: "completed" }), undefined, NOW)).toBeNull();
    expect(rowFromApproval(request({ device: null }), undefined, NOW)).toBeNull();
    expect(showsApproval(request({ status: "unknown" }), NOW)).toBe(false);
  });

  it("joins the other rows newest first, and has its own state filter and count", () => {
    const rows = buildMonitorRows([audit({ id: "a", requestedAt: "2026-11-21T10:00:00Z", state: "failed" })], [], {}, NOW, [request()]);
    expect(rows.map((row) => row.key)).toEqual(["approval:req-1", "audit:a"]);
    expect(STATE_FILTER_VALUES).toContain("awaitingApproval");
    expect(STATE_FILTER_LABELS.awaitingApproval).toBe(APPROVAL_STATUS_LABELS.needsApproval);
    const filters: MonitorFilters = { search: null, action: null, state: "awaitingApproval", initiator: "megan bowen", time: "24h" };
    expect(filterRows(rows, filters, NOW).map((row) => row.key)).toEqual(["approval:req-1"]);
    expect(countRows(rows)).toMatchObject({ total: 2, awaitingApproval: 1, failed: 1 });
  });

  it("shows in the grid only while no reset is pending or under way, and only when newer than the reset it knows", () => {
    const open = request();
    expect(gridApproval(open, { state: "none" }, NOW)).toBe(open);
    expect(gridApproval(open, { state: "pending", since: "2026-11-21T11:30:00Z" }, NOW)).toBeNull();
    expect(gridApproval(open, { state: "active" }, NOW)).toBeNull();
    expect(gridApproval(open, { state: "done", since: "2026-11-20T10:00:00Z" }, NOW)).toBe(open);
    expect(gridApproval(open, { state: "failed", since: "2026-11-21T11:30:00Z" }, NOW)).toBeNull();
    expect(gridApproval(undefined, { state: "none" }, NOW)).toBeNull();
    expect(gridApproval(request({ status: "completed" }), { state: "none" }, NOW)).toBeNull();
    expect(APPROVAL_GRID_LABELS.needsApproval).toBe("Awaiting approval");
    expect(APPROVAL_GRID_LABELS.approved).toBe("Approved: complete the reset");
  });

  it("keeps each device's newest request, by the prefix of its justification", () => {
    const older = request({ id: "old", status: "rejected", requestedAt: "2026-11-20T11:00:00Z" });
    const foreign = request({ id: "x", device: null, requestJustification: "made elsewhere" });
    const byDevice = latestApprovalByDevice([request(), older, foreign]);
    expect([...byDevice.keys()]).toEqual([DEVICE]);
    expect(byDevice.get(DEVICE)?.id).toBe("req-1");
  });

  it("words since when, who asked and the expiry in one sentence", () => {
    expect(approvalDetailSentence({ status: "needsApproval", since: "21 Nov, 11:00", who: "Megan Bowen", expires: "22 Nov, 11:00" })).toBe(
      "Awaiting approval since 21 Nov, 11:00, asked by Megan Bowen; expires 22 Nov, 11:00. Nothing was sent to the device yet.",
    );
    expect(approvalDetailSentence({ status: "approved", since: "21 Nov, 11:00", who: "Megan Bowen", expires: "22 Nov, 11:00" })).toBe(
      "Approved; asked by Megan Bowen on 21 Nov, 11:00; expires 22 Nov, 11:00. The requester completes the reset from the device's page.",
    );
    expect(approvalDetailSentence({ status: "rejected", since: null, who: null, expires: null })).toBe(APPROVAL_STATE_SENTENCES.rejected);
  });
});

describe("a single reset refused by the daily limit", () => {
  it("says when to try again from Graph's Retry-After", () => {
    expect(dailyLimitRetrySentence(86_340)).toContain("Try again in about 23 h 59 min.");
    expect(dailyLimitRetrySentence(undefined)).toContain("Try again once the oldest wipe");
  });
});
