import { describe, expect, it } from "vitest";
import { checkedGraphLink, decodeCursor, encodeCursor, InvalidCursorError, queryFingerprint } from "./cursor";

const BASE = "http://127.0.0.1:3001";
const PATH = "/beta/deviceManagement/managedDevices";
const expected = { fingerprint: queryFingerprint({ s: "ada" }), streamKeys: ["deviceName", "serialNumber"], graphBaseUrl: BASE, path: PATH };

function rawCursor(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

describe("cursor", () => {
  it("round-trips the nextLinks of every stream", () => {
    const cursor = encodeCursor(expected.fingerprint, {
      deviceName: `${PATH}?$skiptoken=abc%3D%3D&$top=50`,
      serialNumber: null,
    });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor!, expected)).toEqual({ deviceName: `${PATH}?$skiptoken=abc%3D%3D&$top=50`, serialNumber: null });
  });

  it("is null when every stream is finished", () => {
    expect(encodeCursor("f", { deviceName: null, serialNumber: null })).toBeNull();
  });

  it("refuses a link to another host, scheme, port or path before anything is sent", () => {
    for (const link of [
      "http://evil.example/beta/deviceManagement/managedDevices?$skiptoken=1",
      "https://127.0.0.1:3001/beta/deviceManagement/managedDevices",
      "http://127.0.0.1:3002/beta/deviceManagement/managedDevices",
      "http://user:pw@127.0.0.1:3001/beta/deviceManagement/managedDevices",
      "/beta/users",
      "/beta/deviceManagement/managedDevices/../../users",
      "//evil.example/beta/deviceManagement/managedDevices",
    ]) {
      const cursor = rawCursor({ v: 1, q: expected.fingerprint, s: { deviceName: link, serialNumber: null } });
      expect(() => decodeCursor(cursor, expected), link).toThrow(InvalidCursorError);
    }
  });

  it("refuses a cursor of another search, version or shape, and garbage", () => {
    const other = rawCursor({ v: 1, q: queryFingerprint({ s: "bob" }), s: { deviceName: null, serialNumber: null } });
    expect(() => decodeCursor(other, expected)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(rawCursor({ v: 2, q: expected.fingerprint, s: {} }), expected)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(rawCursor({ v: 1, q: expected.fingerprint, s: { deviceName: 5, serialNumber: null } }), expected)).toThrow();
    expect(() => decodeCursor("not base64!", expected)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(rawCursor("[]"), expected)).toThrow(InvalidCursorError);
    expect(() => decodeCursor("a".repeat(20_000), expected)).toThrow(InvalidCursorError);
  });

  it("accepts Graph's absolute nextLink at the configured origin and keeps only path and query", () => {
    expect(checkedGraphLink(`${BASE}${PATH}?$skiptoken=x`, BASE, PATH)).toBe(`${PATH}?$skiptoken=x`);
    expect(checkedGraphLink(`https://graph.microsoft.com${PATH}?$skiptoken=x`, "https://graph.microsoft.com", PATH)).toBe(`${PATH}?$skiptoken=x`);
  });
});
