/**
 * Multi Admin Approval for one device's Autopilot Reset through the server actions against the in-process emulator
 * (docs/product.md, "Journey 8: work inside the tenant's guardrails"): coverage per role, the justification header and
 * its prefix, request -> approve -> complete with exactly one wipe, completion never twice, rejection, expiry, the 409
 * of an open request, self-approval refused before sending, and invalid justifications refused with nothing sent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideApproval, getApprovalCoverage, getDeviceApproval, getRunApprovals, listApprovalRequests } from "@/lib/actions/approvals";
import { autopilotReset } from "@/lib/actions/device-actions";
import { MAX_RESET_JUSTIFICATION_CHARS, parseResetJustification } from "@/lib/devices/approval";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 120, seed: 11, approvalPolicy: "wipe" });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

let pick = 0;
/** A fresh eligible device per test (the fleet's order is stable; each test takes the next one). */
async function freshDevice() {
  const devices = await emulator.findDevices("eligible", 40);
  const device = devices[pick++ % devices.length]!;
  return device;
}

async function wipesOf(deviceId: string): Promise<number> {
  return (await emulator.counters()).wipes[deviceId] ?? 0;
}

beforeEach(async () => {
  await emulator.control("PUT", "/_emulator/approval-policies", { preset: "wipe" });
});
afterEach(async () => {
  await emulator.control("DELETE", "/_emulator/approval-requests");
  await emulator.control("DELETE", "/_emulator/faults");
});

describe("approval coverage", () => {
  it("reads the policies where the role may, and says unknown where it may not", async () => {
    expect(data(await getApprovalCoverage(await emulator.token("approver")))).toMatchObject({ coverage: "covered", policyNames: ["Require approval for device wipes"] });
    expect(data(await getApprovalCoverage(await emulator.token("intuneadmin"))).coverage).toBe("covered");
    expect(data(await getApprovalCoverage(await emulator.token("helpdesk"))).coverage).toBe("unknown");
    await emulator.control("PUT", "/_emulator/approval-policies", { preset: "deviceAction" });
    expect(data(await getApprovalCoverage(await emulator.token("approver"))).coverage).toBe("covered");
    await emulator.control("DELETE", "/_emulator/approval-policies");
    expect(data(await getApprovalCoverage(await emulator.token("approver"))).coverage).toBe("not-covered");
  });
});

describe("a reset under Multi Admin Approval", () => {
  it("learns from the first answer when the role cannot read policies: nothing runs, a justification is asked for", async () => {
    const device = await freshDevice();
    const bare = await autopilotReset(await emulator.token("helpdesk"), { deviceId: device.id });
    expect(bare.error).toMatchObject({ kind: "approval-required" });
    expect(bare.error?.approvalRequestId).toBeUndefined();
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("goes from request to approval to exactly one wipe, and never twice", async () => {
    const device = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const before = await emulator.counters();

    const asked = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "  Laptop goes to the new hire on Monday  " }));
    expect(asked.status).toBe("approval-requested");
    expect(asked.approvalRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await wipesOf(device.id)).toBe(0);

    // The justification Graph holds carries the device prefix, and the device page finds the request by it.
    const mine = data(await getDeviceApproval(helpdesk, { deviceId: device.id }));
    expect(mine.scope).toBe("mine");
    expect(mine.request).toMatchObject({ id: asked.approvalRequestId, status: "needsApproval", mine: true });
    expect(mine.request?.requestJustification).toBe(`Autopilot Reset of ${device.deviceName} (${device.id}): Laptop goes to the new hire on Monday`);
    expect(parseResetJustification(mine.request!.requestJustification)).toMatchObject({ deviceId: device.id, text: "Laptop goes to the new hire on Monday" });
    expect(mine.request?.requestor.displayName).toBe("Megan Bowen");
    expect(mine.request?.expiresAt).toBeTruthy();

    // Completing before approval sends nothing.
    const early = await autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId });
    expect(early.error?.kind).toBe("invalid");
    expect(await wipesOf(device.id)).toBe(0);

    const approver = await emulator.token("approver");
    const list = data(await listApprovalRequests(approver));
    expect(list.scope).toBe("all");
    const row = list.requests.find((r) => r.id === asked.approvalRequestId);
    expect(row).toMatchObject({ status: "needsApproval", mine: false, device: { deviceId: device.id, deviceName: device.deviceName } });
    expect(data(await decideApproval(approver, { requestId: asked.approvalRequestId, decision: "approve", justification: "Confirmed with the manager" }))).toEqual({ status: "approved" });

    // Two presses of Complete reset at once: one wipe.
    const [first, second] = await Promise.all([
      autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId }),
      autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId }),
    ]);
    expect([first.data?.status, second.data?.status].sort()).toEqual(["already-pending", "initiated"]);
    expect(await wipesOf(device.id)).toBe(1);
    // A reload later: the code is spent and the reset pending; still one.
    const again = await autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId });
    expect(again.data?.status ?? again.error?.kind).toMatch(/already-pending|invalid/);
    expect(await wipesOf(device.id)).toBe(1);

    const after = await emulator.counters();
    expect(after.approvalRequests - before.approvalRequests).toBe(1);
    expect(after.approvalCompletions - before.approvalCompletions).toBe(1);
    const done = data(await getDeviceApproval(helpdesk, { deviceId: device.id }));
    expect(done.request).toMatchObject({ status: "completed", approver: { displayName: "Johanna Lorenz" }, approvalJustification: "Confirmed with the manager" });
  });

  it("reports a rejection with the approver's justification and lets the requester ask again", async () => {
    const device = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const asked = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh" }));
    data(await decideApproval(await emulator.token("approver"), { requestId: asked.approvalRequestId, decision: "reject", justification: "Wrong device: ticket names LT-0043" }));
    const seen = data(await getDeviceApproval(helpdesk, { deviceId: device.id }));
    expect(seen.request).toMatchObject({ status: "rejected", approvalJustification: "Wrong device: ticket names LT-0043" });
    const completion = await autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId });
    expect(completion.error?.kind).toBe("invalid");
    const anew = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh, the right one this time" }));
    expect(anew.status).toBe("approval-requested");
    expect(anew.approvalRequestId).not.toBe(asked.approvalRequestId);
    expect(data(await getDeviceApproval(helpdesk, { deviceId: device.id })).request?.id).toBe(anew.approvalRequestId);
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("shows an expired request as expired, and its code completes nothing", async () => {
    const device = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const asked = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh" }));
    await emulator.control("POST", `/_emulator/approval-requests/${asked.approvalRequestId}/expire`);
    expect(data(await getDeviceApproval(helpdesk, { deviceId: device.id })).request?.status).toBe("expired");
    expect((await autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId })).error?.kind).toBe("invalid");
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("expires an approved request 3 days after it was made (Graph's clock), and a new one can be asked for", async () => {
    const device = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const asked = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh" }));
    data(await decideApproval(await emulator.token("approver"), { requestId: asked.approvalRequestId, decision: "approve", justification: "OK" }));
    const open = data(await getDeviceApproval(helpdesk, { deviceId: device.id })).request!;
    expect(Date.parse(open.expiresAt!) - Date.parse(open.requestedAt!)).toBe(3 * 86_400_000);
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 3 * 86_400 + 60 });
    expect(data(await getDeviceApproval(helpdesk, { deviceId: device.id })).request).toMatchObject({ id: asked.approvalRequestId, status: "expired" });
    expect((await autopilotReset(helpdesk, { deviceId: device.id, approvalCode: asked.approvalRequestId })).error?.kind).toBe("invalid");
    const again = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh, again" }));
    expect(again).toMatchObject({ status: "approval-requested" });
    expect(again.approvalRequestId).not.toBe(asked.approvalRequestId);
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("reads a bulk run's requests again: by the run's request id, else by Graph's answer for the device; expired after 3 days", async () => {
    const [first, second, third] = [await freshDevice(), await freshDevice(), await freshDevice()];
    const helpdesk = await emulator.token("helpdesk");
    const asked = data(await autopilotReset(helpdesk, { deviceId: first!.id, justification: "Lab refresh" }));
    const other = data(await autopilotReset(helpdesk, { deviceId: second!.id, justification: "Lab refresh" }));
    const devices = [{ deviceId: first!.id, requestId: asked.approvalRequestId }, { deviceId: second!.id }, { deviceId: third!.id }];
    const before = data(await getRunApprovals(helpdesk, { devices }));
    expect(before.states).toEqual(expect.arrayContaining([
      expect.objectContaining({ deviceId: first!.id.toLowerCase(), requestId: asked.approvalRequestId, status: "needsApproval" }),
      expect.objectContaining({ deviceId: second!.id.toLowerCase(), requestId: other.approvalRequestId, status: "needsApproval" }),
    ]));
    expect(before.states.find((s) => s.deviceId === third!.id.toLowerCase())).toBeUndefined();
    await emulator.control("POST", "/_emulator/clock/advance", { seconds: 3 * 86_400 + 60 });
    const after = data(await getRunApprovals(helpdesk, { devices }));
    expect(after.states.filter((s) => s.status === "expired").map((s) => s.deviceId).sort()).toEqual([first!.id, second!.id].map((id) => id.toLowerCase()).sort());
    expect((await getRunApprovals(helpdesk, { devices: [{ deviceId: "not-a-guid" }] })).error?.kind).toBe("invalid");
    expect(await wipesOf(first!.id)).toBe(0);
  });

  it("takes Intune's 412 BadRequest with the approval code as the same request for approval", async () => {
    await emulator.control("PUT", "/_emulator/fidelity", { approvalRequired: "412" });
    try {
      const device = await freshDevice();
      const helpdesk = await emulator.token("helpdesk");
      const asked = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "Refresh" }));
      expect(asked.status).toBe("approval-requested");
      expect(data(await getDeviceApproval(helpdesk, { deviceId: device.id })).request).toMatchObject({ id: asked.approvalRequestId, status: "needsApproval" });
      expect(await wipesOf(device.id)).toBe(0);
    } finally {
      await emulator.control("PUT", "/_emulator/fidelity", { approvalRequired: "403" });
    }
  });

  it("answers approval-open while a request is open, and a colleague sees the open request", async () => {
    const device = await freshDevice();
    const asked = data(await autopilotReset(await emulator.token("helpdesk"), { deviceId: device.id, justification: "Refresh" }));
    const admin = await emulator.token("intuneadmin");
    const second = await autopilotReset(admin, { deviceId: device.id, justification: "Refresh too" });
    expect(second.error?.kind).toBe("approval-open");
    // The admin may list every request; a helpdesk colleague would see it through retrieveRequestStatus.
    expect(data(await getDeviceApproval(admin, { deviceId: device.id })).request).toMatchObject({ id: asked.approvalRequestId, mine: false });
    const colleague = data(await getDeviceApproval(await emulator.token("noconsent"), { deviceId: device.id }));
    expect(colleague).toMatchObject({ scope: "mine", request: { id: asked.approvalRequestId, status: "needsApproval", mine: false, expiresAt: expect.any(String) } });
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("refuses a 5,000-character justification and control characters with a sentence, sending nothing", async () => {
    const device = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const before = await emulator.counters();
    const long = await autopilotReset(helpdesk, { deviceId: device.id, justification: "x".repeat(5_000) });
    expect(long.error).toMatchObject({ kind: "invalid" });
    expect(long.error?.message).toBe(
      `The justification is 5,000 characters long; Intune accepts at most ${MAX_RESET_JUSTIFICATION_CHARS} here. Shorten it by ${(5_000 - MAX_RESET_JUSTIFICATION_CHARS).toLocaleString("en-US")} characters.`,
    );
    const lines = await autopilotReset(helpdesk, { deviceId: device.id, justification: "first\nsecond" });
    expect(lines.error?.message).toMatch(/one line/);
    const both = await autopilotReset(helpdesk, { deviceId: device.id, justification: "x", approvalCode: "0f8fad5b-d9cb-469f-a165-70867728950e" });
    expect(both.error?.kind).toBe("invalid");
    // The longest allowed text fits Graph's 1,024 with the prefix.
    const longest = data(await autopilotReset(helpdesk, { deviceId: device.id, justification: "y".repeat(MAX_RESET_JUSTIFICATION_CHARS) }));
    expect(longest.status).toBe("approval-requested");
    const after = await emulator.counters();
    expect(after.approvalRequests - before.approvalRequests).toBe(1);
    expect(after.requests - before.requests).toBeGreaterThan(0);
    expect(await wipesOf(device.id)).toBe(0);
  });

  it("does not let an approver approve their own request, and sends nothing to Graph for it", async () => {
    const device = await freshDevice();
    const admin = await emulator.token("intuneadmin");
    const asked = data(await autopilotReset(admin, { deviceId: device.id, justification: "Refresh" }));
    const own = await decideApproval(admin, { requestId: asked.approvalRequestId, decision: "approve", justification: "Fine by me" });
    expect(own.error?.message).toBe("You made this request; a requestor cannot approve their own request. Another approver must.");
    const list = data(await listApprovalRequests(admin));
    expect(list.requests.find((r) => r.id === asked.approvalRequestId)).toMatchObject({ status: "needsApproval", mine: true });
    // The helpdesk persona may not list every request: the page shows only their own.
    expect(data(await listApprovalRequests(await emulator.token("helpdesk"))).scope).toBe("mine");
    const helpdeskDecision = await decideApproval(await emulator.token("helpdesk"), { requestId: asked.approvalRequestId, decision: "approve", justification: "x" });
    expect(helpdeskDecision.error?.kind).toBe("forbidden-role");
    const empty = await decideApproval(await emulator.token("approver"), { requestId: asked.approvalRequestId, decision: "reject", justification: "  " });
    expect(empty.error?.message).toMatch(/Write a justification/);
  });

  it("runs the reset at once when no policy covers it, justification or not", async () => {
    await emulator.control("DELETE", "/_emulator/approval-policies");
    const device = await freshDevice();
    const result = data(await autopilotReset(await emulator.token("helpdesk"), { deviceId: device.id, justification: "Refresh" }));
    expect(result.status).toBe("initiated");
    expect(await wipesOf(device.id)).toBe(1);
  });
});
