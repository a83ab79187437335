/**
 * The one way this console sends Autopilot Reset or Sync (docs/safety.md, "One send protocol"). Every path that sends
 * (one device, a bulk chunk, a list or group run, completing an approved request) is a thin adapter over
 * `sendToDevices`, and nothing else calls Graph's wipe or syncDevice. For one or many devices it:
 *
 * 1. holds each device's lock (a colleague, another tab or instance waits or is told who is sending);
 * 2. reads every signal Graph has, itself (state, audits, the Autopilot record, the tenant's profile and device
 *    preparation policy names, which alone are kept a minute per tenant and user), and Graph's clock with it;
 * 3. judges each device from that read (lib/server/send/judge.ts), whatever the browser said;
 * 4. records each send as in flight before it leaves (nothing is sent if that record cannot be written);
 * 5. sends: one request for one device, $batches for many;
 * 6. reads back the devices whose answer was unclear, and records every outcome.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AutopilotLink } from "@/lib/devices/records";
import type { ActionError } from "@/lib/result";
import { resetJustification } from "@/lib/devices/approval";
import { resetStartedSince } from "@/lib/devices/reset-evidence";
import type { Device, DeviceAction } from "@/lib/devices/types";
import { readAutopilotLinks } from "@/lib/graph/autopilot";
import { inParallelBatches, readDeviceStates, readResetEvidence, sendActions, WRITE_ERRORS } from "@/lib/graph/batch";
import type { DeviceRead, SendOutcome } from "@/lib/graph/batch-types";
import type { GraphClock } from "@/lib/graph/client";
import { sendAutopilotReset, sendSyncDevice, type ResetApproval } from "@/lib/graph/device-actions";
import { mapGraphError } from "@/lib/graph/errors";
import { readProvisioningNames } from "@/lib/graph/provisioning";
import { LockStoreUnavailableError } from "../device-lock";
import { serverNow } from "../clock";
import {
  holdDevices, landsByFrom, mayStillSend, releaseAll, rememberSend, storeQuietMs, throttledLandsBy, type HeldDevice, type SendMarker,
} from "../device-guard";
import { judgeDevice } from "./judge";
import { namesFor, namesMemo } from "./names-cache";
import { lastResets, noteSend } from "../send-notes";
import type { SendRecordState } from "@/lib/devices/history";

type AutopilotLinks = AutopilotLink[] | ActionError;

export interface SendContext {
  graph: Client;
  graphBaseUrl: string;
  graphClock: GraphClock;
  caller: { tenantId: string; displayName: string; userId?: string | undefined };
}

export interface SendRequest {
  action: DeviceAction;
  /** 1..200 distinct device ids (the adapters' schemas refuse duplicates and malformed ids). */
  deviceIds: readonly string[];
  /** A bulk chunk's ticket, on Graph's clock (lib/bulk/send-window.ts). */
  issuedAt?: number;
  /**
   * Multi Admin Approval (resets): the requester's words, which go with each device's name as Graph has it, or an
   * approved request's code (one device only).
   */
  approval?: { justification: string } | { code: string };
  /**
   * The ticket reference the person gave (lib/devices/ticket-reference.ts, already checked): kept in the console's
   * record of each send (lib/server/send-notes.ts), and put in front of an approval justification; never sent otherwise.
   */
  ticketReference?: string;
}

export interface SendResult {
  /** One per device, in the order asked. */
  outcomes: SendOutcome[];
  /** Graph's clock right before the writes left (a reset started since is this send's). */
  sentAfterGraph?: number;
  /** The server's clock when the writes left (for the browser's pacing: lib/bulk/engine.ts). */
  sentAtServer?: number;
  /** Graph's clock at the end. */
  graphTime?: number;
  serverTime: number;
  /** Each device as the server read it (for the adapters' words), and a confirmed send record found on it. */
  devices: Map<string, Device>;
  recent: Map<string, SendMarker>;
}

const STORE_DOWN =
  "The console could not record this request in its coordination store, so nothing was sent. Try again in a minute; if it goes on, tell your administrator.";

function graphNowOf(context: SendContext): number {
  return context.graphClock.latest() ?? serverNow();
}

/** The tenant's name lists, kept a minute per tenant and user (names-cache.ts). */
const NAMES = namesMemo(serverNow);

/**
 * Everything the judge needs, read by the server itself on every send: each device's state, audits and Autopilot
 * links, and the tenant's name lists (kept a minute). A batch's links are asked for as soon as its devices are read
 * (they need the serials that read gives), not after every batch of the chunk.
 */
async function readSignals(context: SendContext, action: DeviceAction, ids: readonly string[]) {
  if (action === "sync") return { reads: await readDeviceStates(context.graph, ids), names: undefined, links: new Map<string, AutopilotLinks>() };
  const links = new Map<string, AutopilotLinks>();
  const [reads, names] = await Promise.all([
    inParallelBatches(ids, async (batch) => {
      const read = await readResetEvidence(context.graph, batch);
      const registered = read.flatMap((r) => (r.kind === "found" && r.device.autopilotEnrolled ? [r.device] : []));
      if (registered.length > 0) for (const [id, found] of await readAutopilotLinks(context.graph, registered)) links.set(id, found);
      return read;
    }),
    namesFor(NAMES, context.caller, () => readProvisioningNames(context.graph, context.graphBaseUrl)),
  ]);
  return { reads, names, links };
}

/** One device, one request (with Multi Admin Approval's header when asked); never throws for Graph's answer. */
async function sendOne(context: SendContext, action: DeviceAction, deviceId: string, approval?: ResetApproval): Promise<SendOutcome> {
  try {
    if (action === "reset") await sendAutopilotReset(context.graph, deviceId, approval);
    else await sendSyncDevice(context.graph, deviceId);
    return { deviceId, kind: "accepted", status: 204 };
  } catch (error) {
    const mapped = mapGraphError(error, WRITE_ERRORS[action]);
    const status = typeof (error as { statusCode?: unknown })?.statusCode === "number" ? (error as { statusCode: number }).statusCode : 0;
    if (mapped.kind === "throttled") {
      return { deviceId, kind: "throttled", status: 429, ...(mapped.retryAfterSeconds !== undefined ? { retryAfterSeconds: mapped.retryAfterSeconds } : {}) };
    }
    if (mapped.kind === "unclear" || mapped.kind === "unavailable") {
      return { deviceId, kind: "unclear", ...(status ? { status } : {}), message: mapped.message, ...(mapped.requestId ? { requestId: mapped.requestId } : {}) };
    }
    return { deviceId, kind: "rejected", status, error: mapped };
  }
}

/** Looks, never resends: an unclear reset that Graph now shows (started since the send) counts as accepted. */
async function readBack(context: SendContext, action: DeviceAction, outcomes: SendOutcome[], sentAfterGraph: number | undefined): Promise<SendOutcome[]> {
  const unclear = outcomes.filter((o) => o.kind === "unclear" || (o.kind === "throttled" && action === "reset")).map((o) => o.deviceId);
  if (action !== "reset" || unclear.length === 0 || sentAfterGraph === undefined) return outcomes;
  const reads = await readResetEvidence(context.graph, unclear).catch(() => [] as DeviceRead[]);
  const shown = new Set(
    reads.filter((r) => r.kind === "found" && resetStartedSince({ device: r.device, audits: r.audits ?? [] }, sentAfterGraph)).map((r) => r.deviceId),
  );
  return outcomes.map((o) => (shown.has(o.deviceId) ? { deviceId: o.deviceId, kind: "accepted", status: 204 } : o));
}

/** What the device's history records of a send's answer (lib/devices/history.ts). */
function recordStateOf(outcome: SendOutcome): SendRecordState {
  switch (outcome.kind) {
    case "accepted":
      return "accepted";
    case "throttled":
      return "throttled";
    case "rejected":
      return outcome.error.kind === "approval-required" ? "approval-requested" : "refused";
    case "unclear":
      return "unclear";
    default:
      return "refused";
  }
}

export async function sendToDevices(context: SendContext, request: SendRequest): Promise<SendResult> {
  const { action, deviceIds } = request;
  const { tenantId, displayName } = context.caller;
  const outcomes = new Map<string, SendOutcome>();
  const devices = new Map<string, Device>();
  const recent = new Map<string, SendMarker>();
  let sentAtServer: number | undefined;
  const finish = (sentAfterGraph?: number): SendResult => ({
    outcomes: deviceIds.map((id) => outcomes.get(id) ?? { deviceId: id, kind: "not-sent", message: "Nothing was sent." }),
    ...(sentAfterGraph !== undefined ? { sentAfterGraph } : {}),
    ...(sentAtServer !== undefined ? { sentAtServer } : {}),
    ...(context.graphClock.latest() !== undefined ? { graphTime: context.graphClock.latest() } : {}),
    serverTime: serverNow(),
    devices,
    recent,
  });

  let held: HeldDevice[] = [];
  try {
    const hold = await holdDevices(tenantId, action, deviceIds, displayName);
    held = hold.held;
    for (const b of hold.busy) {
      outcomes.set(b.deviceId, {
        deviceId: b.deviceId,
        kind: "busy",
        busyForMs: b.busyForMs,
        message: `${b.by ? `${b.by} is` : "Someone is"} sending a request to this device right now; nothing was sent, and it is checked again in a moment.`,
      });
    }
    if (held.length === 0) return finish();

    const ids = held.map((h) => h.deviceId);
    const { reads, names, links } = await readSignals(context, action, ids);
    const graphNow = graphNowOf(context);
    const quietMs = await storeQuietMs(graphNow);
    const toSend: HeldDevice[] = [];
    reads.forEach((read, index) => {
      const h = held[index]!;
      if (read.kind === "found") devices.set(h.deviceId, read.device);
      if (h.marker?.confirmed) recent.set(h.deviceId, h.marker);
      const verdict = judgeDevice({
        action, read, marker: h.marker, graphNow, quietMs,
        ...(request.issuedAt !== undefined ? { issuedAt: request.issuedAt } : {}),
        ...(names ? { names } : {}),
        ...(links.has(h.deviceId) ? { links: links.get(h.deviceId) } : {}),
      });
      if (!verdict.send) {
        outcomes.set(h.deviceId, verdict.outcome);
        return;
      }
      if (!mayStillSend(h)) {
        outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", reason: "slow-read", message: "Microsoft Graph was too slow to read this device, so nothing was sent." });
        return;
      }
      toSend.push(h);
    });
    if (toSend.length === 0) return finish();

    // Recorded before it leaves: a restart, a lost answer or a colleague finds it (docs/safety.md).
    const sentAfterGraph = graphNowOf(context);
    const at = new Date(sentAfterGraph).toISOString();
    const landsBy = landsByFrom(sentAfterGraph);
    const ticket = request.ticketReference ? { ticketReference: request.ticketReference } : {};
    const note = (deviceId: string, state: SendRecordState) => noteSend(tenantId, deviceId, { action, at, by: displayName, state, ...ticket });
    // The history's notes are not waited for: they are history, not safety (the markers are), and never throw.
    for (const h of toSend) void note(h.deviceId, "in-flight");
    try {
      await Promise.all(toSend.map((h) => rememberSend(tenantId, action, h.deviceId, { by: displayName, at, state: "in-flight", landsBy })));
    } catch (error) {
      if (!(error instanceof LockStoreUnavailableError)) throw error;
      for (const h of toSend) outcomes.set(h.deviceId, { deviceId: h.deviceId, kind: "not-sent", reason: "store-unavailable", message: STORE_DOWN });
      return finish();
    }

    const approval = request.approval;
    sentAtServer = serverNow();
    let sent: SendOutcome[];
    if (toSend.length === 1 && action === "reset" && approval) {
      const only = toSend[0]!;
      const single: ResetApproval =
        "code" in approval
          ? { code: approval.code }
          : { justification: resetJustification(devices.get(only.deviceId)!, approval.justification, request.ticketReference) };
      sent = [await sendOne(context, action, only.deviceId, single)];
    } else if (toSend.length === 1) {
      sent = [await sendOne(context, action, toSend[0]!.deviceId)];
    } else {
      if (approval && "code" in approval) throw new RangeError("An approval code completes one device's request.");
      const justifications =
        action === "reset" && approval ? new Map(toSend.map((h) => [h.deviceId, resetJustification(devices.get(h.deviceId)!, approval.justification, request.ticketReference)])) : undefined;
      sent = await sendActions(context.graph, action, toSend.map((h) => h.deviceId), justifications ? { justifications } : {});
    }
    sent = await readBack(context, action, sent, sentAfterGraph);
    // Reported, never refused: a device reset in the last 24 hours was ticked again by the person (the preflight said so).
    if (action === "reset") {
      const sentIds = new Set(toSend.map((h) => h.deviceId));
      const recently = await lastResets(tenantId, reads.filter((r) => sentIds.has(r.deviceId)), graphNow, at);
      sent = sent.map((o) => (o.kind === "accepted" && recently.has(o.deviceId) ? { ...o, recentlyReset: recently.get(o.deviceId)! } : o));
    }

    const answeredAt = graphNowOf(context);
    await Promise.all(
      sent.map(async (outcome) => {
        outcomes.set(outcome.deviceId, outcome);
        const record =
          outcome.kind === "accepted"
            ? ({ state: "confirmed" } as const)
            : outcome.kind === "unclear"
              ? ({ state: "unclear", landsBy } as const)
              : outcome.kind === "throttled" && action === "reset"
                ? ({ state: "throttled", landsBy: throttledLandsBy(answeredAt) } as const)
                : ({ state: "cleared" } as const);
        void note(outcome.deviceId, recordStateOf(outcome));
        await rememberSend(tenantId, action, outcome.deviceId, { by: displayName, at, ...record });
      }),
    );
    return finish(sentAfterGraph);
  } catch (error) {
    if (!(error instanceof LockStoreUnavailableError)) throw error;
    // The store failed before anything left: every device not yet answered is "not sent", and says why.
    for (const id of deviceIds) {
      if (!outcomes.has(id)) outcomes.set(id, { deviceId: id, kind: "not-sent", reason: "store-unavailable", message: STORE_DOWN });
    }
    return finish();
  } finally {
    await releaseAll(held);
  }
}
