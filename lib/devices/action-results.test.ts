import type { RemoteActionAudit } from "@microsoft/microsoft-graph-types-beta";
import { describe, expect, it } from "vitest";
import { mapAudit } from "@/lib/graph/audits";
import { AUTOPILOT_RESET_AUDIT_ACTIONS, isActionNamed, RESET_ACTION_NAMES, RESET_AUDIT_ACTIONS } from "./action-results";

const audit = (action: string) => ({ action }) as RemoteActionAudit;

describe("reset action names agree", () => {
  it("every Autopilot Reset audit action also blocks a new reset, and only a full wipe is added", () => {
    for (const name of AUTOPILOT_RESET_AUDIT_ACTIONS) expect(isActionNamed(RESET_AUDIT_ACTIONS, name)).toBe(true);
    expect(RESET_AUDIT_ACTIONS.filter((name) => !isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, name))).toEqual(["factoryReset"]);
  });

  it("every Autopilot Reset audit action is also a reset in deviceActionResults, beside the wipe itself", () => {
    for (const name of AUTOPILOT_RESET_AUDIT_ACTIONS) expect(isActionNamed(RESET_ACTION_NAMES, name)).toBe(true);
    expect(RESET_ACTION_NAMES.filter((name) => !isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, name))).toEqual(["wipe"]);
  });

  it("the monitor labels exactly the Autopilot Reset audit actions as a reset, in any case, and a full wipe by its name", () => {
    for (const name of AUTOPILOT_RESET_AUDIT_ACTIONS) {
      expect(mapAudit(audit(name)).kind).toBe("reset");
      expect(mapAudit(audit(name.toUpperCase())).kind).toBe("reset");
    }
    for (const name of RESET_AUDIT_ACTIONS.filter((n) => !isActionNamed(AUTOPILOT_RESET_AUDIT_ACTIONS, n))) {
      expect(mapAudit(audit(name)).kind).toBe("other");
    }
  });
});
