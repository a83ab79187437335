import { describe, expect, it } from "vitest";
import { ActionFailure } from "@/lib/result";
import { DECISION_LIFETIME_MS, decisionProblem, decisionSentence, sendOnlyIfCurrent } from "./decision";

describe("a Yes is sent now or not at all", () => {
  it("offline is refused whatever its age; a Yes older than a minute is asked again; up to a minute it goes", () => {
    expect(decisionProblem(0, 0, false)).toBe("offline");
    expect(decisionProblem(0, DECISION_LIFETIME_MS, true)).toBeNull();
    expect(decisionProblem(0, DECISION_LIFETIME_MS + 1, true)).toBe("stale");
    expect(decisionProblem(1_000, 1_500, true)).toBeNull();
  });

  it("says nothing was sent and what to do, in the action's own name", () => {
    expect(decisionSentence("offline", "Autopilot Reset")).toBe(
      "This browser is offline, so nothing was sent. Check your connection, then press Autopilot Reset again if you still want it.",
    );
    expect(decisionSentence("stale", "Sync")).toBe("Your Yes is more than a minute old, so nothing was sent. Press Sync again if you still want it.");
  });

  it("throws the sentence as the action's failure, so the dialog shows it where the answer goes", () => {
    expect(() => sendOnlyIfCurrent("reset", 0, 10, true)).not.toThrow();
    let thrown: unknown;
    try {
      sendOnlyIfCurrent("reset", 0, 10, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ActionFailure);
    expect((thrown as ActionFailure).error).toEqual({ kind: "unavailable", message: decisionSentence("offline", "Autopilot Reset") });
  });
});
