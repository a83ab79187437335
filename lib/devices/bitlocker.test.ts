import { describe, expect, it } from "vitest";
import { auditSentence, shortKeyId, volumeLabel } from "./bitlocker";

describe("BitLocker words", () => {
  it("shortens a key id as the recovery screen shows it", () => {
    expect(shortKeyId("1a2b3c4d-0000-4000-8000-000000000000")).toBe("1A2B3C4D");
  });
  it("names each volume type, and an unknown one", () => {
    expect(volumeLabel("operatingSystemVolume")).toBe("Operating system drive");
    expect(volumeLabel("fixedDataVolume")).toBe("Fixed data drive");
    expect(volumeLabel("unknown")).toBe("Drive of unknown type");
  });
  it("says who reads the key and that Entra records when", () => {
    expect(auditSentence("Megan Bowen", "PC-1")).toContain("you (Megan Bowen) read the BitLocker recovery key of PC-1, and when");
    expect(auditSentence(undefined, "PC-1")).toContain("that you read");
  });
});
