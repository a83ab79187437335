import { describe, expect, it } from "vitest";
import {
  approvalTargetFrom,
  confirmedDeviceName,
  latestRequestForDevice,
  namedDeviceMismatch,
  resetJustification,
  parseResetJustification,
  shownJustification,
  unconfirmedDeviceWarning,
  type ApprovalRequestView,
} from "./approval";

// The bad-faith case of issue 20: a wipe of SYD-LT-2472 whose justification names SYD-LT-2674.
const NAMED = { id: "0f8fad5b-d9cb-469f-a165-70867728950e", deviceName: "SYD-LT-2674" };
const REQUEST_ID = "5f1d1c2e-8a2b-4c3d-9e4f-0a1b2c3d4e5f";
const OTHER_REQUEST = "0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const justification = resetJustification(NAMED, "Screen cracked, ticket 4711");

function view(overrides: Partial<ApprovalRequestView> = {}): ApprovalRequestView {
  return {
    id: REQUEST_ID,
    status: "needsApproval",
    requestedAt: "2026-06-01T10:00:00Z",
    expiresAt: "2026-06-04T10:00:00Z",
    lastModifiedAt: null,
    requestor: { id: "u1", displayName: "Megan Bowen" },
    approver: null,
    requestJustification: justification,
    device: parseResetJustification(justification),
    approvalJustification: null,
    mine: false,
    ...overrides,
  };
}

describe("approvalTargetFrom: believe the text only when Graph ties the named device to this very request", () => {
  it("confirms when retrieveRequestStatus for the named device answers this request (ids without case)", () => {
    expect(approvalTargetFrom(view(), REQUEST_ID.toUpperCase(), "SYD-LT-2674")).toEqual({ kind: "confirmed", deviceId: NAMED.id, deviceName: "SYD-LT-2674" });
  });

  it("does not confirm when Graph ties the named device to another request, or to none", () => {
    for (const answer of [OTHER_REQUEST, null]) {
      expect(approvalTargetFrom(view(), answer)).toEqual({ kind: "not-confirmed", namedDevice: "SYD-LT-2674", reason: "another-request" });
    }
  });

  it("says not checked when Graph was not asked, and names no device for a request made elsewhere", () => {
    expect(approvalTargetFrom(view(), undefined)).toMatchObject({ kind: "not-confirmed", reason: "not-checked" });
    expect(approvalTargetFrom(view({ device: null, requestJustification: "wipe it" }), REQUEST_ID)).toMatchObject({ kind: "not-confirmed", namedDevice: null, reason: "names-no-device" });
  });
});

describe("what the approver is shown", () => {
  it("an unconfirmed open request: a warning that says the device is not confirmed, and no device name", () => {
    const request = view({ target: approvalTargetFrom(view(), OTHER_REQUEST) });
    expect(unconfirmedDeviceWarning(request)).toMatch(/^Device not confirmed: .* approving this one would reset a different device\.$/);
    expect(confirmedDeviceName(request)).toBeNull();
    // The whole justification, prefix included: the named device is read as text someone wrote.
    expect(shownJustification(request)).toBe(justification);
  });

  it("an open request the console never checked is treated as unconfirmed too", () => {
    expect(unconfirmedDeviceWarning(view())).toMatch(/could not be checked with Intune/);
    expect(unconfirmedDeviceWarning(view({ device: null, requestJustification: "x" }))).toMatch(/names no device/);
  });

  it("a confirmed request: Intune's name, the requester's words, and a sentence when the names differ", () => {
    const request = view({ target: { kind: "confirmed", deviceId: NAMED.id, deviceName: "SYD-LT-2674-NEW" } });
    expect(unconfirmedDeviceWarning(request)).toBeNull();
    expect(confirmedDeviceName(request)).toBe("SYD-LT-2674-NEW");
    expect(shownJustification(request)).toBe("Screen cracked, ticket 4711");
    expect(namedDeviceMismatch(request)).toBe("The justification names SYD-LT-2674, but Intune's name for the device this request would reset is SYD-LT-2674-NEW.");
    expect(namedDeviceMismatch(view({ target: { kind: "confirmed", deviceId: NAMED.id, deviceName: "syd-lt-2674" } }))).toBeNull();
  });

  it("a closed request carries no warning (nothing can be approved) and no confirmed name", () => {
    const request = view({ status: "completed" });
    expect(unconfirmedDeviceWarning(request)).toBeNull();
    expect(confirmedDeviceName(request)).toBeNull();
  });
});

describe("latestRequestForDevice with Graph's targets", () => {
  it("never gives a device a request Graph ties elsewhere, whatever its text says", () => {
    const honest = view({ id: OTHER_REQUEST, requestedAt: "2026-05-30T10:00:00Z", status: "rejected" });
    const lying = view({ target: approvalTargetFrom(view(), null) });
    expect(latestRequestForDevice([honest, lying], NAMED.id)?.id).toBe(OTHER_REQUEST);
    const confirmed = view({ target: approvalTargetFrom(view(), REQUEST_ID) });
    expect(latestRequestForDevice([honest, confirmed], NAMED.id)?.id).toBe(REQUEST_ID);
  });
});
