/**
 * The three tables built on DataTable keep what the e2e specs and benchmarks find them by (e2e/windows-grid.spec.ts,
 * e2e/monitor.spec.ts, e2e/fixtures/bulk.ts, bench/console.ts, bench/monitor.ts): names, roles, test ids, the column
 * order that `td:nth-child(n)` counts on, and the checkbox and header names. A server render with a stand-in virtualizer.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { Device } from "@/lib/devices/types";
import type { MonitorRow } from "@/lib/monitor/monitor-row";
import type { BulkRun } from "@/lib/bulk/run";
import { summarize } from "@/lib/bulk/summary";
import { DeviceGrid } from "@/components/devices/device-grid";
import { visibleColumns } from "@/lib/devices/grid-columns";
import { MonitorTable } from "@/components/monitor/monitor-table";
import { BulkRunPanel } from "@/components/bulk/bulk-run-panel";

vi.mock("@tanstack/react-virtual", () => ({
  useVirtualizer: ({ count, estimateSize }: { count: number; estimateSize: () => number }) => {
    const size = estimateSize();
    const items = Array.from({ length: count }, (_, index) => ({ index, key: index, start: index * size, end: (index + 1) * size, size, lane: 0 }));
    return { getVirtualItems: () => items, getTotalSize: () => count * size, scrollOffset: 0, scrollToIndex: () => {} };
  },
}));
// The reset status reads queries; its place in the row is what matters here.

const now = new Date("2026-11-01T12:00:00Z");

/** The opening tag of each element matching `tag` and an attribute (`tr[data-device-row]`), with its inner HTML. */
function elements(html: string, tag: string, attribute?: string): { open: string; inner: string }[] {
  const found: { open: string; inner: string }[] = [];
  const pattern = new RegExp(`<${tag}(\\s[^>]*)?>`, "g");
  for (const match of html.matchAll(pattern)) {
    if (attribute && !new RegExp(`\\s${attribute}[=\\s>]`).test(`${match[1] ?? ""} `)) continue;
    const start = match.index + match[0].length;
    const end = html.indexOf(`</${tag}>`, start);
    found.push({ open: match[0], inner: html.slice(start, end) });
  }
  return found;
}
const attr = (open: string, name: string) => open.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
const text = (html: string) => html.replace(/<[^>]+>/g, "");
/** The cells of a row, in order (`td:nth-child(n)` is cells[n - 1]). */
const cells = (row: { inner: string }) => elements(row.inner, "td").map((td) => td.inner);

describe("the device grid", () => {
  const devices: Device[] = [0, 1].map((i) => ({
    id: `dev-${i}`,
    deviceName: `PC-${i}`,
    managedDeviceName: null,
    userPrincipalName: i ? "ada@contoso.com" : null,
    userDisplayName: null,
    operatingSystem: "Windows",
    osVersion: "10.0.22631",
    complianceState: "compliant",
    ownerType: "company",
    joinType: i ? "hybridAzureADJoined" : "azureADJoined",
    autopilotEnrolled: true,
    managementState: null,
    lastSyncDateTime: "2026-10-31T12:00:00Z",
    enrolledDateTime: null,
    serialNumber: null,
    manufacturer: null,
    model: null,
    azureADDeviceId: null,
    enrollmentProfileName: null,
    deviceActionResults: [],
  }));
  const html = renderToStaticMarkup(
    createElement(DeviceGrid, {
      devices,
      columns: visibleColumns(null),
      resetStatusLoading: false,
      now,
      sort: { field: "deviceName", direction: "asc" },
      onSortChange: () => {},
      selection: { kind: "ids", ids: new Set(["dev-1"]) },
      onToggleDevice: () => {},
      onTogglePage: () => {},
      hasMore: false,
      loadingMore: false,
      onLoadMore: () => {},
    }),
  );

  it("is the grid 'Windows devices' with a row per device after the header row", () => {
    const [table] = elements(html, "table");
    expect(attr(table!.open, "aria-label")).toBe("Windows devices");
    expect(attr(table!.open, "role")).toBe("grid");
    expect(attr(table!.open, "aria-rowcount")).toBe("3");
    const rows = elements(html, "tr", "data-device-row");
    expect(rows.map((r) => attr(r.open, "data-device-row"))).toEqual(["dev-0", "dev-1"]);
    expect(rows.map((r) => attr(r.open, "aria-rowindex"))).toEqual(["2", "3"]);
  });

  it("keeps its column order: the name second, the join type seventh, the reset status last", () => {
    const row = cells(elements(html, "tr", "data-device-row")[1]!);
    expect(row).toHaveLength(10);
    expect(text(row[1]!)).toBe("PC-1");
    expect(row[1]).toContain('href="/devices/windows/dev-1"');
    expect(text(row[6]!)).toBe("Entra hybrid joined");
    // A static render has no audits yet (and the cell's code loads in the browser): the reset status says so.
    expect(row.at(-1)).toContain('data-reset-status="checking"');
  });

  it("names its headers, sorts through buttons, and says the order", () => {
    const headers = elements(html, "th");
    expect(headers.map((th) => text(th.inner))).toEqual([
      "",
      "Device name",
      "Primary user UPN",
      "Ownership",
      "Compliance",
      "OS version",
      "Join type",
      "Autopilot",
      "Last check-in",
      "Reset status",
    ]);
    expect(headers.map((th) => attr(th.open, "aria-sort"))).toEqual([
      undefined,
      "ascending",
      "none",
      undefined,
      "none",
      "none",
      undefined,
      undefined,
      "none",
      undefined,
    ]);
  });

  it("has the checkboxes the specs tick", () => {
    const boxes = elements(html, "button", 'role="checkbox"');
    expect(boxes.map((b) => [attr(b.open, "aria-label"), attr(b.open, "aria-checked")])).toEqual([
      ["Select all loaded devices", "mixed"],
      ["Select PC-0", "false"],
      ["Select PC-1", "true"],
    ]);
  });
});

describe("the monitor table", () => {
  const rows: MonitorRow[] = [
    { key: "a", source: "audit", action: "reset", actionName: "automaticRedeployment", deviceId: "dev-0", deviceName: "PC-0", state: "pending", initiatedBy: "ada@contoso.com", requestedAt: "2026-10-31T10:00:00Z", lastCheckIn: "2026-10-30T10:00:00Z", bulk: false },
    { key: "b", source: "console", action: "sync", actionName: "syncDevice", deviceId: null, deviceName: "PC-9", state: "done", initiatedBy: null, requestedAt: null, lastCheckIn: null, bulk: true },
  ];
  const html = renderToStaticMarkup(createElement(MonitorTable, { rows, now, onSync: () => {}, syncing: new Set<string>() }));

  it("scrolls in monitor-scroll, and marks each row with its device, action and state", () => {
    expect(html).toMatch(/^<div [^>]*data-testid="monitor-scroll"/);
    expect(attr(elements(html, "table")[0]!.open, "aria-label")).toBe("Device actions");
    const found = elements(html, "tr", "data-monitor-row");
    expect(found.map((r) => [attr(r.open, "data-monitor-row"), attr(r.open, "data-action"), attr(r.open, "data-state")])).toEqual([
      ["dev-0", "reset", "pending"],
      ["b", "sync", "done"],
    ]);
    // bench/monitor.ts waits for the last row by its aria-rowindex: the row count plus the header.
    expect(found.map((r) => attr(r.open, "aria-rowindex"))).toEqual(["2", "3"]);
  });

  it("keeps its columns: the last check-in fifth, Sync last", () => {
    const first = cells(elements(html, "tr", "data-monitor-row")[0]!);
    expect(first).toHaveLength(6);
    expect(first[4]).toContain('<time dateTime="2026-10-30T10:00:00Z"');
    expect(first[5]).toContain('aria-label="Sync PC-0"');
    expect(elements(html, "th").map((th) => text(th.inner))).toEqual(["Device", "State", "Initiated by", "Requested", "Last check-in", "Nudge"]);
  });
});

describe("the bulk results", () => {
  const run: BulkRun = {
    version: 1 as BulkRun["version"],
    id: "run",
    action: "reset",
    createdAt: 0,
    status: "running",
    devices: [
      { id: "dev-0", name: "PC-0", status: "sent", sends: 1, checks: 0 },
      { id: "dev-1", name: "PC-1", status: "failed", sends: 1, checks: 0, message: "Graph said no" },
    ],
  };
  const html = renderToStaticMarkup(
    createElement(BulkRunPanel, {
      run,
      summary: summarize(run),
      estimate: null,
      driving: true,
      resumable: false,
      onCancel: () => {},
      onResume: () => {},
      onRetryFailed: () => {},
      onExportResults: () => {},
      onDismiss: () => {},
    }),
  );

  it("lists each device with its status inside bulk-results", () => {
    const [box] = elements(html, "div", 'data-testid="bulk-results"');
    expect(box).toBeDefined();
    const found = elements(box!.inner, "tr", "data-status");
    expect(found.map((r) => [attr(r.open, "data-device-id"), attr(r.open, "data-status")])).toEqual([
      ["dev-0", "sent"],
      ["dev-1", "failed"],
    ]);
    // The name is a link to the device's page, in a new tab (said to screen readers).
    // On a phone the detail shows under the name (its own cell is hidden there, and the copy under the name elsewhere).
    expect(cells(found[1]!).map(text)).toEqual(["PC-1 (opens in a new tab)Graph said no", "Failed", "Graph said no"]);
    expect(cells(found[1]!)[0]).toContain('data-testid="bulk-result-detail-phone"');
    expect(cells(found[1]!)[0]).toContain('href="/devices/windows/dev-1"');
    expect(attr(elements(box!.inner, "table")[0]!.open, "aria-label")).toBe("Per-device results");
  });
});
