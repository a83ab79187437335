import { describe, expect, it } from "vitest";
import { FIXTURE_NOW, makeDevice } from "@/lib/devices/device-fixture";
import type { DeviceActionState } from "@/lib/actions/device-actions";
import { ActionFailure } from "@/lib/result";
import { ACTION_STATE_POLL_MS, ACTION_STATE_RETRY_MS, actionStatePollMs } from "./action-state-poll";

const idle: DeviceActionState = { device: makeDevice(), audits: [], inFlight: null, recentReset: null, history: { entries: [], consoleRecords: true } };

describe("actionStatePollMs", () => {
  it("follows a device quickly while something is under way, slowly otherwise", () => {
    expect(actionStatePollMs(idle, null, FIXTURE_NOW)).toBe(60_000);
    expect(actionStatePollMs({ ...idle, device: makeDevice({ managementState: "wipePending" }) }, null, FIXTURE_NOW)).toBe(ACTION_STATE_POLL_MS);
    expect(actionStatePollMs({ ...idle, inFlight: { action: "reset", by: "Megan Bowen", busyForMs: 1_200 } }, null, FIXTURE_NOW)).toBe(1_200);
  });

  it("keeps following after a look that failed for a passing reason: a server restart, a network drop, Graph busy", () => {
    // A server action that never answered (the server was restarting) is not an ActionFailure.
    expect(actionStatePollMs(idle, new TypeError("Failed to fetch"), FIXTURE_NOW)).toBe(ACTION_STATE_RETRY_MS);
    expect(actionStatePollMs(undefined, new ActionFailure({ kind: "unavailable", message: "Graph is down." }), FIXTURE_NOW)).toBe(ACTION_STATE_RETRY_MS);
    expect(actionStatePollMs(idle, new ActionFailure({ kind: "throttled", message: "Slow down.", retryAfterSeconds: 40 }), FIXTURE_NOW)).toBe(40_000);
  });

  it("stops when waiting cannot change the answer: sign in again, no such device, no permission", () => {
    for (const kind of ["unauthenticated", "not-found", "forbidden-role", "forbidden-consent"] as const) {
      expect(actionStatePollMs(idle, new ActionFailure({ kind, message: "No." }), FIXTURE_NOW)).toBe(false);
    }
  });
});
