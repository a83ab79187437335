import { describe, expect, it } from "vitest";
import { codeRefusalSentence } from "./approval-refusal";

const ID = "5f1d1c2e-8a2b-4c3d-9e4f-0a1b2c3d4e5f";
const OTHER = "0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const mine = { id: ID, status: "approved" as const, mine: true, requestor: { id: "u1", displayName: "Megan Bowen" } };

describe("codeRefusalSentence", () => {
  it("says the request is someone else's, by name, before anything else", () => {
    const sentence = codeRefusalSentence({ request: { ...mine, mine: false }, deviceRequestId: OTHER });
    expect(sentence).toBe("This approval belongs to Megan Bowen's request, not yours: only Megan Bowen can complete it (Intune's rule). Nothing was sent.");
    expect(sentence).not.toMatch(/role/);
  });

  it("says the code belongs to another device when Graph ties the device to another request or none", () => {
    for (const deviceRequestId of [OTHER, null]) {
      expect(codeRefusalSentence({ request: mine, deviceRequestId })).toMatch(/^This approval code belongs to another device's request/);
    }
  });

  it("words the request's own status when it is the device's (ids compared without case)", () => {
    expect(codeRefusalSentence({ request: { ...mine, status: "expired" }, deviceRequestId: ID.toUpperCase() })).toMatch(/has expired \(a request lasts 3 days\)/);
    expect(codeRefusalSentence({ request: { ...mine, status: "completed" }, deviceRequestId: undefined })).toMatch(/already completed/);
  });

  it("explains nothing it cannot: an unreadable request, or an approved request of this device", () => {
    expect(codeRefusalSentence({ request: null, deviceRequestId: ID })).toBeNull();
    expect(codeRefusalSentence({ request: mine, deviceRequestId: ID })).toBeNull();
  });
});
