import { describe, expect, it, vi } from "vitest";
import { makeDevice } from "@/lib/devices/device-fixture";
import type { DevicePage } from "@/lib/graph/devices";
import type { ActionResult } from "@/lib/result";
import { EXPORT_PAGE_SIZE, loadEveryDevice } from "./export-devices";

vi.mock("@/lib/actions/devices", () => ({ listWindowsDevices: vi.fn() }));
vi.mock("@/lib/auth/use-access-token", () => ({ useAccessToken: vi.fn() }));
vi.mock("./device-actions-monitor", () => ({ useLatestResetAudits: vi.fn() }));

const params = { search: "lab", filters: { checkIn: "7d" as const }, sort: null };
const page = (ids: string[], nextCursor: string | null, extra: Partial<DevicePage> = {}): ActionResult<DevicePage> => ({
  data: { devices: ids.map((id) => makeDevice({ id })), nextCursor, ignoredByGraph: [], sortedByGraph: true, ...extra },
});

describe("loadEveryDevice", () => {
  it("reads every page, one call at a time, each device once, with progress", async () => {
    const answers = [page(["a", "b"], "c1", { total: { kind: "exact", count: 3 } }), page(["b", "c"], null)];
    const calls: unknown[] = [];
    let inFlight = 0;
    const listWindowsDevices = vi.fn(async (_token: string, input: unknown) => {
      inFlight++;
      expect(inFlight).toBe(1);
      calls.push(input);
      await Promise.resolve();
      inFlight--;
      return answers.shift()!;
    });
    const progress: unknown[] = [];
    const devices = await loadEveryDevice(params, { getAccessToken: async () => "t", listWindowsDevices }, (p) => progress.push(p));
    expect(devices.map((d) => d.id)).toEqual(["a", "b", "c"]);
    expect(calls).toEqual([
      { search: "lab", filters: { checkIn: "7d" }, sort: undefined, cursor: null, pageSize: EXPORT_PAGE_SIZE },
      { search: "lab", filters: { checkIn: "7d" }, sort: undefined, cursor: "c1", pageSize: EXPORT_PAGE_SIZE },
    ]);
    expect(progress).toEqual([
      { loaded: 2, total: { kind: "exact", count: 3 } },
      { loaded: 3, total: { kind: "exact", count: 3 } },
    ]);
  });

  it("asks a throttled page again after Retry-After, and gives up with the sentence after three tries", async () => {
    const throttled: ActionResult<DevicePage> = { error: { kind: "throttled", message: "Intune is busy.", retryAfterSeconds: 2 } };
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    const once = vi.fn().mockResolvedValueOnce(throttled).mockResolvedValueOnce(page(["a"], null));
    expect((await loadEveryDevice(params, { getAccessToken: async () => "t", listWindowsDevices: once, sleep }, () => {})).length).toBe(1);
    expect(sleeps).toEqual([2000]);
    const always = vi.fn().mockResolvedValue(throttled);
    await expect(loadEveryDevice(params, { getAccessToken: async () => "t", listWindowsDevices: always, sleep }, () => {})).rejects.toThrow("Intune is busy.");
    expect(always).toHaveBeenCalledTimes(3);
  });

  it("stops at once on a refusal, and when cancelled", async () => {
    const refused = vi.fn().mockResolvedValue({ error: { kind: "forbidden-role", message: "Your Intune role does not allow reading devices." } });
    await expect(loadEveryDevice(params, { getAccessToken: async () => "t", listWindowsDevices: refused }, () => {})).rejects.toThrow("Intune role");
    expect(refused).toHaveBeenCalledTimes(1);
    const abort = new AbortController();
    abort.abort();
    await expect(loadEveryDevice(params, { getAccessToken: async () => "t", listWindowsDevices: refused }, () => {}, abort.signal)).rejects.toThrow("Aborted");
  });
});
