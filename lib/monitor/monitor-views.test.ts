import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { toCsv } from "@/lib/bulk/csv";
import { RESET_STATUS_WINDOW_DAYS } from "@/lib/devices/reset-status-filter";
import { buildMonitorRows, NUDGE_AFTER_RESET_MS, rowFromAudit, rowOrigin } from "./monitor-row";
import { countRows, filterRows, MONITOR_WINDOW, MONITOR_WINDOW_MS, normalizeSearch, type MonitorFilters } from "./filters";
import { monitorCsvFileName, monitorCsvTable, MONITOR_CSV_FIELDS } from "./export";
import { mergeSyncRecords } from "./sync-records";
import { audit } from "./test-helpers";

const NOW = new Date("2026-11-21T12:00:00Z");
const all: MonitorFilters = { search: null, action: null, state: null, initiator: null, time: MONITOR_WINDOW };
const sync = (deviceId: string, requestedAt: string) => ({ deviceId, deviceName: `PC-${deviceId}`, requestedAt, initiatedBy: "helpdesk@contoso.test" });

describe("the monitor's window", () => {
  it("is 30 days, and sync records are kept exactly as long", () => {
    expect(MONITOR_WINDOW).toBe("30d");
    expect(MONITOR_WINDOW_MS).toBe(30 * 86_400_000);
    const kept = mergeSyncRecords([], [sync("a", new Date(NOW.getTime() - MONITOR_WINDOW_MS + 60_000).toISOString()), sync("b", new Date(NOW.getTime() - MONITOR_WINDOW_MS - 60_000).toISOString())], NOW);
    expect(kept.map((r) => r.deviceId)).toEqual(["a"]);
  });

  it("is the grid's reset status window too (both read the same audits)", () => {
    expect(MONITOR_WINDOW_MS).toBe(RESET_STATUS_WINDOW_DAYS * 86_400_000);
  });
});

describe("search by device name", () => {
  const rows = buildMonitorRows(
    [audit({ id: "1", deviceName: "LAB-PC-001" }), audit({ id: "2", deviceName: "Front-desk-07" })],
    [sync("x", "2026-11-21T11:00:00Z")],
    {},
    NOW,
  );

  it("matches part of the name in any case, trimmed", () => {
    expect(filterRows(rows, { ...all, search: "  pc-0 " }, NOW).map((r) => r.deviceName)).toEqual(["LAB-PC-001"]);
    expect(filterRows(rows, { ...all, search: "DESK" }, NOW).map((r) => r.key)).toEqual(["audit:2"]);
    expect(filterRows(rows, { ...all, search: "pc-x" }, NOW).map((r) => r.action)).toEqual(["sync"]);
    expect(filterRows(rows, { ...all, search: "nothing like it" }, NOW)).toEqual([]);
  });

  it("treats an empty or blank search as none and bounds its length", () => {
    expect(normalizeSearch("   ")).toBeNull();
    expect(normalizeSearch(null)).toBeNull();
    expect(normalizeSearch("x".repeat(500))).toHaveLength(100);
    expect(filterRows(rows, { ...all, search: "" }, NOW)).toHaveLength(3);
  });
});

describe("a sync that hurries a pending reset", () => {
  it("is shown on the reset's row, so the pending count stays one per waiting device", () => {
    const resets = Array.from({ length: 5 }, (_, i) => audit({ id: String(i), state: "pending", requestedAt: "2026-11-21T10:00:00Z" }));
    const syncs = resets.map((r) => sync(r.deviceId!, "2026-11-21T11:00:00Z"));
    const before = countRows(filterRows(buildMonitorRows(resets, [], {}, NOW), all, NOW));
    const rows = buildMonitorRows(resets, syncs, {}, NOW);
    const after = countRows(filterRows(rows, all, NOW));
    expect(after.pending).toBe(before.pending);
    expect(after.total).toBe(5);
    const reset = rows.find((r) => r.key === "audit:0")!;
    expect(reset.syncSentAt).toBe("2026-11-21T11:00:00Z");
    // Asked for, the syncs are still there.
    expect(filterRows(rows, { ...all, action: "sync" }, NOW)).toHaveLength(5);
  });

  it("stays with a finished reset when it came within a day of the request, and is its own row otherwise", () => {
    const checkIns = { "device-1": { deviceName: "PC-1", lastSyncDateTime: "2026-11-21T11:30:00Z" } };
    const hurried = buildMonitorRows([audit({ id: "1", state: "done", requestedAt: "2026-11-21T09:00:00Z" })], [sync("device-1", "2026-11-21T10:00:00Z")], checkIns, NOW);
    expect(filterRows(hurried, all, NOW).map((r) => r.key)).toEqual(["audit:1"]);
    const later = new Date(Date.parse("2026-11-19T09:00:00Z") + NUDGE_AFTER_RESET_MS + 60_000).toISOString();
    const separate = buildMonitorRows([audit({ id: "1", state: "done", requestedAt: "2026-11-19T09:00:00Z" })], [sync("device-1", later)], checkIns, NOW);
    expect(filterRows(separate, all, NOW)).toHaveLength(2);
  });

  it("is its own row when sent before the reset, or to another device", () => {
    const rows = buildMonitorRows(
      [audit({ id: "1", state: "pending", requestedAt: "2026-11-21T10:00:00Z" })],
      [sync("device-1", "2026-11-21T09:00:00Z"), sync("device-2", "2026-11-21T11:00:00Z")],
      {},
      NOW,
    );
    expect(filterRows(rows, all, NOW)).toHaveLength(3);
    expect(countRows(filterRows(rows, all, NOW)).pending).toBe(3);
  });

  it("goes to the newest reset requested before it (device ids in any case)", () => {
    const rows = buildMonitorRows(
      [
        audit({ id: "old", deviceId: "DEV", state: "done", requestedAt: "2026-11-10T10:00:00Z" }),
        audit({ id: "new", deviceId: "dev", state: "pending", requestedAt: "2026-11-21T10:00:00Z" }),
      ],
      [sync("Dev", "2026-11-21T10:30:00Z")],
      {},
      NOW,
    );
    expect(rows.find((r) => r.source === "console")?.nudgeOf).toBe("audit:new");
    expect(rows.find((r) => r.key === "audit:old")?.syncSentAt).toBeUndefined();
  });
});

describe("where a row comes from", () => {
  it("says bulk only where Graph says so, and never claims a single device", () => {
    expect(rowOrigin(rowFromAudit(audit({ id: "1", category: "bulk", bulkActionId: "b-1" }), undefined, NOW))).toBe("Bulk action");
    expect(rowOrigin(rowFromAudit(audit({ id: "2", category: "unknown", bulkActionId: "b-2" }), undefined, NOW))).toBe("Bulk action");
    expect(rowOrigin(rowFromAudit(audit({ id: "3", category: "single" }), undefined, NOW))).toBe("Audit log");
    expect(rowOrigin({ source: "console", bulk: false })).toBe("Sent from this browser");
    expect(rowOrigin({ source: "approval", bulk: false })).toBe("Approval request");
  });
});

describe("CSV export", () => {
  it("writes the view's rows in the page's words with ISO times, formulas escaped by the one writer", () => {
    const rows = buildMonitorRows(
      [
        audit({ id: "1", deviceName: "=HYPERLINK(\"x\")", state: "failed", requestedAt: "2026-11-21T10:00:00Z" }),
        audit({ id: "2", state: "pending", category: "bulk", bulkActionId: "b", requestedAt: "2026-11-21T09:00:00Z" }),
      ],
      [sync("device-2", "2026-11-21T11:00:00Z")],
      { "device-2": { deviceName: "PC-2", lastSyncDateTime: "2026-11-21T08:00:00Z" } },
      NOW,
    );
    const table = monitorCsvTable(filterRows(rows, all, NOW), NOW);
    const parsed = Papa.parse<Record<string, string>>(toCsv(table.fields, table.rows), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual([...MONITOR_CSV_FIELDS]);
    expect(parsed.data).toHaveLength(2);
    const [failed, pending] = parsed.data;
    expect(failed).toMatchObject({ "Device name": "'=HYPERLINK(\"x\")", Action: "Autopilot Reset", State: "Reset failed", Origin: "Audit log", "Requested at": "2026-11-21T10:00:00Z" });
    expect(failed!.Details).toContain("reagentc.exe /enable");
    expect(pending).toMatchObject({ State: "Reset pending", Origin: "Bulk action", "Pending for": "3 h", "Last check-in": "2026-11-21T08:00:00Z", "Sync sent at": "2026-11-21T11:00:00Z" });
    expect(monitorCsvFileName(NOW)).toBe("device-actions-2026-11-21-12-00-00.csv");
  });
});
