import { describe, expect, it } from "vitest";
import { provisioningOf, type ProvisioningNames } from "./provisioning";

const NAMES: ProvisioningNames = { kind: "read", devicePreparationPolicies: ["Prep - user-driven", "Frontline"], autopilotProfiles: ["Contoso user-driven", "Frontline"] };

describe("provisioningOf", () => {
  it("matches the enrollment profile name against both lists, case and spaces aside", () => {
    expect(provisioningOf(" prep - USER-driven ", NAMES).by).toBe("device-preparation");
    expect(provisioningOf("Contoso user-driven", NAMES).by).toBe("autopilot");
  });

  it("says what is not known: a name in both lists, in neither, none at all, or lists it could not read", () => {
    expect(provisioningOf("Frontline", NAMES)).toMatchObject({ by: "unknown", message: expect.stringMatching(/both/) });
    expect(provisioningOf("Old profile", NAMES)).toMatchObject({ by: "unknown", message: expect.stringMatching(/neither/) });
    expect(provisioningOf(null, NAMES)).toMatchObject({ by: "unknown", message: expect.stringMatching(/no enrollment profile/) });
    expect(provisioningOf("Contoso user-driven", { kind: "unreadable", lasting: true, why: "the scope is missing." })).toMatchObject({ by: "unknown" });
  });
});
