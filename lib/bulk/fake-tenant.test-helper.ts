/** A tiny simulated Intune for the engine's tests: counts wipes and syncs, records action results, injects faults. */
import type { Device, DeviceActionResult } from "@/lib/devices/types";
import type { BulkAction, DeviceRead, SendOutcome } from "./types";
import type { BulkTransport } from "./engine";

export type SendFault =
  | "ok"
  | "throttle"
  | "throttle-no-retry-after"
  /** 429, yet the wipe went through (GRAPH.md §6). */
  | "throttle-applied"
  | "unavailable"
  | "applied-then-5xx"
  | "missing-sub-response"
  | "gone";

export type ChunkFault = "none" | "network-error-applied" | "network-error-not-applied";
export type ReadFault = "ok" | "error";

export class FakeTenant {
  readonly wipes = new Map<string, number>();
  readonly syncs = new Map<string, number>();
  readonly actions = new Map<string, DeviceActionResult[]>();
  readonly deleted = new Set<string>();
  sendFaults: SendFault[] = [];
  chunkFaults: ChunkFault[] = [];
  readFaults: ReadFault[] = [];
  private sendIndex = 0;
  private chunkIndex = 0;
  private readIndex = 0;
  /** The tab is gone: nothing more leaves it, and nothing under way is ever answered to it. */
  frozen = false;

  constructor(private readonly now: () => number) {}

  private apply(action: BulkAction, id: string) {
    const counter = action === "reset" ? this.wipes : this.syncs;
    counter.set(id, (counter.get(id) ?? 0) + 1);
    const at = new Date(this.now()).toISOString();
    const list = this.actions.get(id) ?? [];
    list.push({ actionName: action === "reset" ? "wipe" : "syncDevice", actionState: "pending", startDateTime: at, lastUpdatedDateTime: at });
    this.actions.set(id, list);
  }

  private nextSendFault(): SendFault {
    return this.sendFaults.length ? this.sendFaults[this.sendIndex++ % this.sendFaults.length]! : "ok";
  }

  transport(): BulkTransport {
    return {
      send: async (action, ids) => {
        if (this.frozen) return new Promise<SendOutcome[]>(() => {});
        const chunkFault = this.chunkFaults.length ? this.chunkFaults[this.chunkIndex++ % this.chunkFaults.length]! : "none";
        const outcomes: SendOutcome[] = [];
        for (const id of ids) {
          if (this.deleted.has(id)) {
            outcomes.push({ deviceId: id, kind: "rejected", status: 404, error: { kind: "not-found", message: "Not found." } });
            continue;
          }
          const fault = chunkFault === "network-error-not-applied" ? "unavailable" : this.nextSendFault();
          if (fault === "ok" || fault === "applied-then-5xx" || fault === "throttle-applied" || fault === "missing-sub-response") this.apply(action, id);
          if (fault === "gone") this.deleted.add(id);
          if (fault === "ok") outcomes.push({ deviceId: id, kind: "accepted", status: 204 });
          else if (fault === "throttle" || fault === "throttle-applied") outcomes.push({ deviceId: id, kind: "throttled", status: 429, retryAfterSeconds: 1.5 });
          else if (fault === "throttle-no-retry-after") outcomes.push({ deviceId: id, kind: "throttled", status: 429 });
          else if (fault === "unavailable" || fault === "applied-then-5xx") outcomes.push({ deviceId: id, kind: "unclear", status: 503, message: "Service unavailable." });
          else if (fault === "gone") outcomes.push({ deviceId: id, kind: "rejected", status: 404, error: { kind: "not-found", message: "Not found." } });
        }
        if (chunkFault !== "none") throw new Error("fetch failed");
        return outcomes;
      },
      read: async (ids) => {
        if (this.frozen) return new Promise<DeviceRead[]>(() => {});
        return ids.map((id): DeviceRead => {
          const fault = this.readFaults.length ? this.readFaults[this.readIndex++ % this.readFaults.length]! : "ok";
          if (fault === "error") return { deviceId: id, kind: "error", error: { kind: "unavailable", message: "503" } };
          if (this.deleted.has(id)) return { deviceId: id, kind: "not-found" };
          return { deviceId: id, kind: "found", device: fakeDevice(id, this.actions.get(id) ?? []) };
        });
      },
    };
  }
}

export function fakeDevice(id: string, deviceActionResults: DeviceActionResult[] = []): Device {
  return {
    id,
    deviceName: `PC-${id}`,
    managedDeviceName: null,
    userPrincipalName: null,
    userDisplayName: null,
    operatingSystem: "Windows",
    osVersion: "10.0.22631.1",
    complianceState: "compliant",
    ownerType: "company",
    joinType: "azureADJoined",
    autopilotEnrolled: true,
    managementState: "managed",
    lastSyncDateTime: null,
    enrolledDateTime: null,
    serialNumber: null,
    manufacturer: null,
    model: null,
    azureADDeviceId: null,
    deviceActionResults,
  };
}

/** Virtual time: sleeping lets every pending promise settle first, then jumps the clock unless woken. */
export function virtualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number, signal: AbortSignal) => {
      await new Promise((r) => setImmediate(r));
      if (!signal.aborted) now += Math.max(ms, 1);
    },
  };
}
