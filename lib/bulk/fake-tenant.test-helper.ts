/**
 * A tiny simulated Intune, with the console's server in front of it, for the engine's tests: counts wipes and syncs,
 * records action results and audits, injects faults. The server side follows the send contract (lib/bulk/send-window.ts,
 * lib/graph/batch-types.ts): tickets on Graph's clock, a lock per device while a send is under way, markers of recent
 * sends (which it can forget, as a restarted server or an emptied Redis does), a pre-send read that answers
 * already-pending, and refusals of devices that must not take the action.
 */
import { AUTOPILOT_RESET_AUDIT_ACTIONS } from "@/lib/devices/action-results";
import type { Device, DeviceAction, DeviceActionResult, ResetAudit } from "@/lib/devices/types";
import type { DeviceRead, RefusalReason, SendOutcome } from "@/lib/graph/batch-types";
import type { ChunkAnswer, ReadAnswer } from "./types";
import type { BulkTransport } from "./engine";
import { SEND_TICKET_LIFETIME_MS, WRITE_LANDING_MARGIN_MS } from "./send-window";

export type SendFault =
  | "ok"
  | "throttle"
  | "throttle-no-retry-after"
  /** 429, yet the wipe went through (docs/graph.md, "Throttling and Retry-After"). */
  | "throttle-applied"
  | "unavailable"
  | "applied-then-5xx"
  | "missing-sub-response"
  | "gone"
  /** The write timed out at the server (unclear) and Graph applies it `lateWriteMs` later, the server long gone. */
  | "timeout-lands-late";

export type ChunkFault = "none" | "network-error-applied" | "network-error-not-applied";
export type ReadFault = "ok" | "error";

/** What lib/actions/define-action.ts answers when the coordination store cannot be reached. */
export const STORE_DOWN_MESSAGE =
  "The console could not reach its coordination store (Redis, or its data folder), so nothing was sent. Try again in a minute; if it goes on, tell your administrator.";

interface Marker {
  kind: "confirmed" | "unclear";
  by: string;
  at: string;
  /** Until when it stands (the server's clock, here the browser's). */
  until: number;
}

export class FakeTenant {
  readonly wipes = new Map<string, number>();
  readonly syncs = new Map<string, number>();
  /** Who each device's wipes came from, in order. */
  readonly wipedBy = new Map<string, string[]>();
  readonly actions = new Map<string, DeviceActionResult[]>();
  readonly audits = new Map<string, ResetAudit[]>();
  readonly deleted = new Set<string>();
  /** Devices the server refuses from its own read (hybrid joined, not Autopilot, ...). */
  readonly ineligible = new Map<string, RefusalReason>();
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
  /** How long after the server gave up on it a "timeout-lands-late" write lands (at most the landing margin). */
  lateWriteMs = WRITE_LANDING_MARGIN_MS - 5_000;
  /** How long the server's marker of an unclear write stands: shorter than a late write takes, unless a test says. */
  unclearMarkerMs = 60_000;
  /** The server reads every pending signal before sending, and answers already-pending (docs/safety.md). */
  preSendCheck = true;
  /** After forgetting its markers, the server knows it and answers "store-restarted" until nothing can land. */
  restartGuard = false;
  /** The coordination store cannot be reached: every send and read is answered with its error. */
  storeDown = false;
  private restartedUntil = -Infinity;
  /** Server-side: until when each device's lock is held by a send under way (server clock). */
  private readonly lockedUntil = new Map<string, number>();
  private readonly markers = new Map<string, Marker>();
  /** Writes Graph will still apply: when (the browser's clock, which moves with Graph's) and from whom. */
  private landings: { id: string; action: DeviceAction; by: string; at: number }[] = [];
  /** Sends refused because their ticket had expired. */
  expiredTickets = 0;
  /** Devices answered "store-restarted". */
  restartedAnswers = 0;
  /** Writes Graph has yet to apply. */
  get writesInFlight(): number {
    return this.landings.length;
  }
  /** Send calls made (each carries up to a window's worth of devices). */
  sendCalls = 0;

  constructor(private readonly now: () => number) {}

  graphNow(): number {
    return this.now() + this.graphOffsetMs;
  }

  /** A restarted server, or a Redis that came back empty: every lock and marker is gone (writes under way still land). */
  forgetMarkers(): void {
    this.markers.clear();
    this.lockedUntil.clear();
    if (this.restartGuard) this.restartedUntil = this.now() + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS;
  }

  /** Writes whose time has come are applied (called before anything reads or writes; tests call it at the end). */
  land(): void {
    const due = this.landings.filter((l) => l.at <= this.now());
    this.landings = this.landings.filter((l) => l.at > this.now());
    for (const l of due) this.apply(l.action, l.id, l.by);
  }

  private apply(action: DeviceAction, id: string, by: string) {
    if (this.deleted.has(id)) return;
    const counter = action === "reset" ? this.wipes : this.syncs;
    counter.set(id, (counter.get(id) ?? 0) + 1);
    const at = new Date(this.graphNow()).toISOString();
    const list = this.actions.get(id) ?? [];
    list.push({ actionName: action === "reset" ? "wipe" : "syncDevice", actionState: "pending", startDateTime: at, lastUpdatedDateTime: at });
    this.actions.set(id, list);
    if (action === "reset") {
      this.wipedBy.set(id, [...(this.wipedBy.get(id) ?? []), by]);
      const audits = this.audits.get(id) ?? [];
      this.audits.set(id, [{ id: `audit-${id}-${audits.length}`, action: AUTOPILOT_RESET_AUDIT_ACTIONS[0]!, state: "pending", requestedAt: at, initiatedBy: by }, ...audits]);
    }
  }

  private nextSendFault(): SendFault {
    return this.sendFaults.length ? this.sendFaults[this.sendIndex++ % this.sendFaults.length]! : "ok";
  }

  private clock() {
    return { serverTime: this.now(), graphTime: Math.floor(this.graphNow() / 1000) * 1000 };
  }

  private marker(id: string): Marker | undefined {
    const m = this.markers.get(id);
    if (m && m.until <= this.now()) {
      this.markers.delete(id);
      return undefined;
    }
    return m;
  }

  private busyForMs(id: string): number {
    // A lock is held until its send is over, however long that takes (the real one's TTL is far longer than a send).
    const locked = this.lockedUntil.get(id);
    const marker = this.marker(id);
    const until = Math.max(locked ?? 0, marker?.kind === "unclear" ? marker.until : 0);
    return locked !== undefined || until > this.now() ? Math.max(1_000, until - this.now()) : 0;
  }

  private pendingReset(id: string): { by: string | null; since: string | null } | null {
    const m = this.marker(id);
    if (m?.kind === "confirmed") return { by: m.by, since: m.at };
    const audit = this.audits.get(id)?.[0];
    if (audit && audit.state === "pending") return { by: audit.initiatedBy, since: audit.requestedAt };
    return null;
  }

  /** The send a server carries out for one chunk, whether or not anyone is still waiting for its answer. */
  private async serve(action: DeviceAction, ids: string[], issuedAt: number, chunkFault: ChunkFault, by: string): Promise<SendOutcome[]> {
    this.land();
    if (this.storeDown) return ids.map((deviceId) => ({ deviceId, kind: "not-sent", reason: "store-unavailable", message: STORE_DOWN_MESSAGE }));
    const outcomes = new Map<string, SendOutcome>();
    const mine: string[] = [];
    for (const id of ids) {
      const busy = this.busyForMs(id);
      if (busy > 0) outcomes.set(id, { deviceId: id, kind: "busy", busyForMs: busy, message: "Someone is sending a request to this device right now." });
      else mine.push(id);
    }
    const graphNow = this.graphNow();
    if (graphNow > issuedAt + SEND_TICKET_LIFETIME_MS || issuedAt > graphNow + SEND_TICKET_LIFETIME_MS) {
      this.expiredTickets++;
      for (const id of mine) outcomes.set(id, { deviceId: id, kind: "not-sent", reason: "ticket-expired", message: "The request reached the server too late to be sent safely." });
      return ids.map((id) => outcomes.get(id)!);
    }
    if (this.now() < this.restartedUntil) {
      for (const id of mine) outcomes.set(id, { deviceId: id, kind: "not-sent", reason: "store-restarted", message: "The coordination store restarted.", busyForMs: this.restartedUntil - this.now() } as SendOutcome);
      this.restartedAnswers += mine.length;
      return ids.map((id) => outcomes.get(id)!);
    }
    const toSend: string[] = [];
    for (const id of mine) {
      const refusal = this.ineligible.get(id);
      if (refusal) {
        outcomes.set(id, { deviceId: id, kind: "refused", reason: refusal, message: `Refused: ${refusal}.`, nextStep: "Do something else." });
        continue;
      }
      const pending = action === "reset" && this.preSendCheck && !this.deleted.has(id) ? this.pendingReset(id) : null;
      if (pending) {
        outcomes.set(id, { deviceId: id, kind: "already-pending", ...pending });
        continue;
      }
      toSend.push(id);
    }
    // The writes leave now, within the ticket's lifetime; a late one lands at most the landing margin after that.
    const leftAt = this.now();
    if (this.writeLatencyMs > 0) {
      for (const id of toSend) this.lockedUntil.set(id, this.now() + this.writeLatencyMs);
      await waitVirtual(this.now, this.writeLatencyMs);
      this.land();
    }
    const at = new Date(this.graphNow()).toISOString();
    for (const id of toSend) {
      if (this.deleted.has(id)) {
        outcomes.set(id, { deviceId: id, kind: "rejected", status: 404, error: { kind: "not-found", message: "Not found." } });
        continue;
      }
      const fault = chunkFault === "network-error-not-applied" ? "unavailable" : this.nextSendFault();
      if (fault === "ok" || fault === "applied-then-5xx" || fault === "throttle-applied" || fault === "missing-sub-response") this.apply(action, id, by);
      if (fault === "timeout-lands-late") this.landings.push({ id, action, by, at: leftAt + Math.min(this.lateWriteMs, WRITE_LANDING_MARGIN_MS) });
      if (fault === "gone") this.deleted.add(id);
      let outcome: SendOutcome | undefined;
      if (fault === "ok") outcome = { deviceId: id, kind: "accepted", status: 204 };
      else if (fault === "throttle" || fault === "throttle-applied") outcome = { deviceId: id, kind: "throttled", status: 429, retryAfterSeconds: 1.5 };
      else if (fault === "throttle-no-retry-after") outcome = { deviceId: id, kind: "throttled", status: 429 };
      else if (fault === "unavailable" || fault === "applied-then-5xx") outcome = { deviceId: id, kind: "unclear", status: 503, message: "Service unavailable." };
      else if (fault === "timeout-lands-late") outcome = { deviceId: id, kind: "unclear", message: "Graph did not answer within 30 s." };
      else if (fault === "gone") outcome = { deviceId: id, kind: "rejected", status: 404, error: { kind: "not-found", message: "Not found." } };
      if (outcome) outcomes.set(id, outcome);
      if (fault === "ok") this.markers.set(id, { kind: "confirmed", by, at, until: this.now() + 600_000 });
      else if (outcome?.kind === "unclear" || fault === "missing-sub-response") this.markers.set(id, { kind: "unclear", by, at, until: this.now() + this.unclearMarkerMs });
    }
    for (const id of toSend) this.lockedUntil.delete(id);
    return ids.map((id) => outcomes.get(id)).filter((o): o is SendOutcome => o !== undefined);
  }

  /** The server as one caller reaches it (`by`: the caller's display name, as markers and audits record it). */
  transport(by = "Megan Bowen"): BulkTransport {
    return {
      send: async (action, ids, ticket): Promise<ChunkAnswer> => {
        this.sendCalls++;
        const chunkFault = this.chunkFaults.length ? this.chunkFaults[this.chunkIndex++ % this.chunkFaults.length]! : "none";
        const sentAfterGraph = this.clock().graphTime;
        const outcomes = await this.serve(action, ids, ticket.issuedAt, chunkFault, by);
        if (chunkFault !== "none") throw new Error("fetch failed");
        return { outcomes, sentAfterGraph, ...this.clock() };
      },
      read: async (ids): Promise<ReadAnswer> => {
        this.land();
        if (this.storeDown) {
          // The transport turns the action's error into one per device, with no clock (lib/queries/bulk-transport.ts).
          return { reads: ids.map((deviceId) => ({ deviceId, kind: "error", error: { kind: "unavailable", message: STORE_DOWN_MESSAGE } })), serverTime: Number.NaN };
        }
        const reads = ids.map((id): DeviceRead => {
          const fault = this.readFaults.length ? this.readFaults[this.readIndex++ % this.readFaults.length]! : "ok";
          if (fault === "error") return { deviceId: id, kind: "error", error: { kind: "unavailable", message: "503" } };
          if (this.deleted.has(id)) return { deviceId: id, kind: "not-found" };
          const m = this.marker(id);
          return {
            deviceId: id,
            kind: "found",
            device: fakeDevice(id, this.actions.get(id) ?? []),
            audits: this.audits.get(id) ?? [],
            recent: m?.kind === "confirmed" ? { by: m.by, at: m.at } : null,
            busyForMs: this.busyForMs(id),
          };
        });
        return { reads, ...this.clock() };
      },
      clock: async () => {
        this.land();
        return this.clock();
      },
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

/** A deterministic random source for an engine (a linear congruential generator). */
export function seededRandom(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/**
 * The transport with things happening on the server at given moments (virtual time): `at` is checked before every
 * call, so a schedule such as "forget every marker 40 s in" takes effect at the first call from then on.
 */
export function scheduledTransport(base: BulkTransport, now: () => number, events: { at: number; run: () => void }[]): BulkTransport {
  const pending = [...events].sort((a, b) => a.at - b.at);
  const fire = () => {
    while (pending.length > 0 && pending[0]!.at <= now()) pending.shift()!.run();
  };
  return {
    send: (action, ids, ticket) => {
      fire();
      return base.send(action, ids, ticket);
    },
    read: (ids) => {
      fire();
      return base.read(ids);
    },
    clock: () => {
      fire();
      return base.clock();
    },
  };
}
