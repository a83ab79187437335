/** A tiny simulated Intune for the engine's tests: counts wipes and syncs, records action results, injects faults. */
import type { Device, DeviceAction, DeviceActionResult } from "@/lib/devices/types";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import type { ChunkAnswer, ReadAnswer } from "./types";
import type { BulkTransport } from "./engine";
import { SEND_TICKET_LIFETIME_MS } from "./send-window";

export type SendFault =
  | "ok"
  | "throttle"
  | "throttle-no-retry-after"
  /** 429, yet the wipe went through (docs/graph.md, "Throttling and Retry-After"). */
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
  /** Graph's clock minus the browser's (and the server's): the PC clock being off. */
  graphOffsetMs = 0;
  /** Writes take this long to land at Graph (the server holds the device's lock meanwhile). */
  writeLatencyMs = 0;
  /** Server-side: until when each device's lock is held by a send under way (server clock). */
  private readonly lockedUntil = new Map<string, number>();
  /** Sends refused because their ticket had expired. */
  expiredTickets = 0;
  /** Send calls made (each carries up to a window's worth of devices). */
  sendCalls = 0;

  constructor(private readonly now: () => number) {}

  graphNow(): number {
    return this.now() + this.graphOffsetMs;
  }

  private apply(action: DeviceAction, id: string) {
    const counter = action === "reset" ? this.wipes : this.syncs;
    counter.set(id, (counter.get(id) ?? 0) + 1);
    const at = new Date(this.graphNow()).toISOString();
    const list = this.actions.get(id) ?? [];
    list.push({ actionName: action === "reset" ? "wipe" : "syncDevice", actionState: "pending", startDateTime: at, lastUpdatedDateTime: at });
    this.actions.set(id, list);
  }

  private nextSendFault(): SendFault {
    return this.sendFaults.length ? this.sendFaults[this.sendIndex++ % this.sendFaults.length]! : "ok";
  }

  private clock() {
    return { serverTime: this.now(), graphTime: Math.floor(this.graphNow() / 1000) * 1000 };
  }

  /** The send a server carries out for one chunk, whether or not anyone is still waiting for its answer. */
  private async serve(action: DeviceAction, ids: string[], issuedAt: number, chunkFault: ChunkFault): Promise<SendOutcome[]> {
    if (this.now() > issuedAt + SEND_TICKET_LIFETIME_MS) {
      this.expiredTickets++;
      return ids.map((deviceId) => ({ deviceId, kind: "not-sent", message: "Ticket expired." }));
    }
    if (this.writeLatencyMs > 0) {
      for (const id of ids) this.lockedUntil.set(id, this.now() + this.writeLatencyMs);
      await waitVirtual(this.now, this.writeLatencyMs);
    }
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
    for (const id of ids) this.lockedUntil.delete(id);
    return outcomes;
  }

  transport(): BulkTransport {
    return {
      send: async (action, ids, ticket): Promise<ChunkAnswer> => {
        this.sendCalls++;
        const chunkFault = this.chunkFaults.length ? this.chunkFaults[this.chunkIndex++ % this.chunkFaults.length]! : "none";
        const sentAfterGraph = this.clock().graphTime;
        const outcomes = await this.serve(action, ids, ticket.issuedAt, chunkFault);
        if (chunkFault !== "none") throw new Error("fetch failed");
        return { outcomes, sentAfterGraph, ...this.clock() };
      },
      read: async (ids): Promise<ReadAnswer> => {
        const reads = ids.map((id): DeviceRead => {
          const fault = this.readFaults.length ? this.readFaults[this.readIndex++ % this.readFaults.length]! : "ok";
          if (fault === "error") return { deviceId: id, kind: "error", error: { kind: "unavailable", message: "503" } };
          if (this.deleted.has(id)) return { deviceId: id, kind: "not-found" };
          // A lock is held until its send is over, however long that takes.
          const until = this.lockedUntil.get(id);
          const busyForMs = until === undefined ? 0 : Math.max(1_000, until - this.now());
          return { deviceId: id, kind: "found", device: fakeDevice(id, this.actions.get(id) ?? []), busyForMs };
        });
        return { reads, ...this.clock() };
      },
      clock: async () => this.clock(),
    };
  }
}

/**
 * The transport as a tab that can die: after `kill()` nothing it asks for is answered to it, and it cannot ask for
 * more, but a request that had already left is still carried out by the server.
 */
export function mortalTransport(base: BulkTransport): { transport: BulkTransport; kill: () => void; dead: () => boolean } {
  let dead = false;
  const never = <T>() => new Promise<T>(() => {});
  const guard = <T>(call: () => Promise<T>): Promise<T> => (dead ? never<T>() : call().then((value) => (dead ? never<T>() : value)));
  return {
    transport: {
      send: (action, ids, ticket) => guard(() => base.send(action, ids, ticket)),
      read: (ids) => guard(() => base.read(ids)),
      clock: () => guard(() => base.clock()),
    },
    kill: () => {
      dead = true;
    },
    dead: () => dead,
  };
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
    enrollmentProfileName: null,
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

/** Resolves once the virtual clock has moved `ms` on (the engine's sleeps move it). */
async function waitVirtual(now: () => number, ms: number): Promise<void> {
  const until = now() + ms;
  while (now() < until) await new Promise((r) => setImmediate(r));
}
