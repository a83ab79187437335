/**
 * The device of an approval request as Graph tells it, not as its justification says (issue 20; docs/product.md,
 * "Journey 8"): a wipe of one device sent straight to Graph with a justification naming another shows the approver
 * "not confirmed", never the named device, and Approve asks once more; an honest request is confirmed with Intune's
 * name; refusals of a completing wipe say what really happened.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideApproval, getDeviceApproval, listApprovalRequests } from "@/lib/actions/approvals";
import { autopilotReset } from "@/lib/actions/device-actions";
import { encodeJustificationHeader, resetJustification, shownJustification, unconfirmedDeviceWarning } from "@/lib/devices/approval";
import type { ActionResult } from "@/lib/result";
import { withEmulator } from "./emulator-harness";

const emulator = withEmulator({ fleetSize: 120, seed: 12, approvalPolicy: "wipe" });

function data<T>(result: ActionResult<T>): T {
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.data;
}

let pick = 0;
async function freshDevice() {
  const devices = await emulator.findDevices("eligible", 40);
  return devices[pick++ % devices.length]!;
}

/** A wipe sent straight to Graph, as the admin center or a script would, with any justification: the request's id. */
async function wipeWithJustification(deviceId: string, justification: string): Promise<string> {
  const response = await fetch(`${emulator.url}/beta/deviceManagement/managedDevices/${deviceId}/wipe`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${await emulator.token("helpdesk")}`,
      "Content-Type": "application/json",
      "x-msft-approval-justification": encodeJustificationHeader(justification),
    },
    body: JSON.stringify({ keepEnrollmentData: true, keepUserData: false }),
  });
  expect(response.status).toBe(403);
  const code = response.headers.get("x-msft-approval-code");
  expect(code).toMatch(/^[0-9a-f-]{36}$/);
  return code!;
}

beforeEach(async () => {
  await emulator.control("PUT", "/_emulator/approval-policies", { preset: "wipe" });
});
afterEach(async () => {
  await emulator.control("DELETE", "/_emulator/approval-requests");
});

describe("the device an approver sees", () => {
  it("a misleading justification: not confirmed on the Approvals page, never the named device's request, Approve asks once more", async () => {
    const wiped = await freshDevice();
    const named = await freshDevice();
    const text = resetJustification(named, "Screen cracked, ticket 4711");
    const code = await wipeWithJustification(wiped.id, text);
    const approver = await emulator.token("approver");

    const row = data(await listApprovalRequests(approver)).requests.find((r) => r.id === code)!;
    expect(row.device).toMatchObject({ deviceId: named.id });
    expect(row.target).toEqual({ kind: "not-confirmed", namedDevice: named.deviceName, reason: "another-request" });
    expect(unconfirmedDeviceWarning(row)).toMatch(/^Device not confirmed/);
    expect(shownJustification(row)).toBe(text);

    // The named device's page does not show it; the wiped device's page does, with the whole text as text.
    expect(data(await getDeviceApproval(approver, { deviceId: named.id })).request).toBeNull();
    const onWiped = data(await getDeviceApproval(approver, { deviceId: wiped.id })).request!;
    expect(onWiped).toMatchObject({ id: code, target: { kind: "confirmed", deviceId: wiped.id } });
    expect(shownJustification(onWiped)).toBe(text);

    const refused = await decideApproval(approver, { requestId: code, decision: "approve", justification: "Looks fine" });
    expect(refused.error?.kind).toBe("invalid");
    expect(refused.error?.message).toMatch(/^Device not confirmed: .* Nothing was approved/);
    expect((await emulator.control<{ value: { id: string; status: string }[] }>("GET", "/_emulator/approval-requests")).value.find((r) => r.id === code)?.status).toBe("needsApproval");
    expect(data(await decideApproval(approver, { requestId: code, decision: "approve", justification: "Checked by phone", approveUnconfirmedDevice: true }))).toEqual({ status: "approved" });
    // Rejecting never needs the second question.
    const other = await wipeWithJustification((await freshDevice()).id, resetJustification(named, "again"));
    expect(data(await decideApproval(approver, { requestId: other, decision: "reject", justification: "Names the wrong device" }))).toEqual({ status: "rejected" });
  });

  it("an honest request is confirmed, with Intune's name for the device", async () => {
    const device = await freshDevice();
    const asked = data(await autopilotReset(await emulator.token("helpdesk"), { deviceId: device.id, justification: "Refresh" }));
    const row = data(await listApprovalRequests(await emulator.token("approver"))).requests.find((r) => r.id === asked.approvalRequestId)!;
    expect(row.target).toEqual({ kind: "confirmed", deviceId: device.id, deviceName: device.deviceName });
    expect(shownJustification(row)).toBe("Refresh");
    // The requester's own list (retrieveMyRequests) is confirmed the same way.
    const mine = data(await listApprovalRequests(await emulator.token("helpdesk"))).requests.find((r) => r.id === asked.approvalRequestId)!;
    expect(mine.target).toMatchObject({ kind: "confirmed", deviceId: device.id });
  });
});

describe("refusals of a completing wipe say what happened", () => {
  it("someone else's approved request: not yours, by the requester's name, and nothing sent", async () => {
    const device = await freshDevice();
    const asked = data(await autopilotReset(await emulator.token("helpdesk"), { deviceId: device.id, justification: "Refresh" }));
    data(await decideApproval(await emulator.token("approver"), { requestId: asked.approvalRequestId, decision: "approve", justification: "OK" }));
    const before = (await emulator.counters()).wipes[device.id] ?? 0;
    const completion = await autopilotReset(await emulator.token("intuneadmin"), { deviceId: device.id, approvalCode: asked.approvalRequestId });
    expect(completion.error).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^This approval belongs to Megan Bowen's request, not yours/) });
    expect((await emulator.counters()).wipes[device.id] ?? 0).toBe(before);
  });

  it("another device's code: says the code belongs to another device's request", async () => {
    const first = await freshDevice();
    const second = await freshDevice();
    const helpdesk = await emulator.token("helpdesk");
    const asked = data(await autopilotReset(helpdesk, { deviceId: first.id, justification: "Refresh" }));
    data(await decideApproval(await emulator.token("approver"), { requestId: asked.approvalRequestId, decision: "approve", justification: "OK" }));
    const completion = await autopilotReset(helpdesk, { deviceId: second.id, approvalCode: asked.approvalRequestId });
    expect(completion.error).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^This approval code belongs to another device's request/) });
    expect((await emulator.counters()).wipes[second.id] ?? 0).toBe(0);
  });
});
